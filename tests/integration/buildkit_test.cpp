// BuildKit builds end to end, through the `stack` binary against dockerd (20.10 builds
// `POST /build?version=2` from the tar body, no client session): a cache mount reused on a
// rebuild, COPY --chmod, a multi-stage build that skips a stage it does not need, a failing
// RUN reported with BuildKit's error and the step's output, and the keys it cannot honour.
// The classic builder (DOCKER_BUILDKIT=0) is each success's failure twin where it differs.

#include <doctest/doctest.h>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

CommandResult stackIn(const TestProject& project, const std::vector<std::string>& args,
                      std::map<std::string, std::string> env = {}) {
  CommandOptions options;
  options.env = std::move(env);
  options.env.emplace("XDG_CACHE_HOME", project.dir() + "/.cache");
  return project.stack(args, options);
}

// Image ids a rebuild left untagged, removed at the end (declare before the TestProject).
struct ReplacedImages {
  std::vector<std::string> ids;
  ~ReplacedImages() {
    for (const auto& id : ids) runCommand({"docker", "rmi", "-f", id});
  }
};

std::string imageId(const TestProject& project, const std::string& reference) {
  const auto ids =
      lines(project.docker({"image", "inspect", "--format", "{{.Id}}", reference}).out);
  return ids.empty() ? "" : ids.front();
}

std::string runIn(const TestProject& project, const std::string& image,
                  const std::vector<std::string>& command) {
  std::vector<std::string> args{"run", "--rm", image};
  args.insert(args.end(), command.begin(), command.end());
  return project.docker(args).out;
}

// The first stage would fail the build if it ran: only `final` and what it needs may run.
// The cache mount's id is the project's, so parallel runs do not share a counter.
std::string cacheDockerfile(const std::string& cache_id) {
  return "FROM stack-test/busybox:latest AS unused\n"
         "RUN echo UNUSED-STAGE-RAN && exit 9\n"
         "FROM stack-test/busybox:latest AS base\n"
         "ARG BUST=0\n"
         "RUN --mount=type=cache,target=/cache,id=" +
         cache_id +
         " echo \"bust $BUST\" && echo run >> /cache/count && wc -l < /cache/count > /count\n"
         "COPY --chmod=0751 tool.sh /tool.sh\n"
         "FROM base AS final\n"
         "CMD [\"sleep\", \"300\"]\n";
}

const char* kCompose = R"(
services:
  app:
    build:
      context: ./app
      target: final
)";

}  // namespace

TEST_CASE(
    "buildkit: a cache mount is reused on a rebuild - COPY --chmod - an unused stage is skipped") {
  requireEngine();
  ReplacedImages replaced;
  TestProject project(kCompose, "bk");
  project.writeFile("app/Dockerfile", cacheDockerfile(project.name()));
  project.writeFile("app/tool.sh", "echo tool\n");
  const std::string image = project.name() + "-app";

  auto built = stackIn(project, {"build"});
  REQUIRE_MESSAGE(built.exit_code == 0, built.err);
  CHECK(contains(built.err, "(BuildKit)"));
  CHECK(contains(built.err, "Service app  Built"));
  CHECK_FALSE(contains(built.err + built.out, "UNUSED-STAGE-RAN"));
  CHECK(lines(runIn(project, image, {"cat", "/count"})) == std::vector<std::string>{"1"});
  CHECK(lines(runIn(project, image, {"stat", "-c", "%a", "/tool.sh"})) ==
        std::vector<std::string>{"751"});
  replaced.ids.push_back(imageId(project, image));

  // Another arg reruns the RUN step; the cache mount kept the first run's line.
  auto rebuilt = stackIn(project, {"build", "--build-arg", "BUST=2"});
  REQUIRE_MESSAGE(rebuilt.exit_code == 0, rebuilt.err);
  CHECK(lines(runIn(project, image, {"cat", "/count"})) == std::vector<std::string>{"2"});
  replaced.ids.push_back(imageId(project, image));

  // Unchanged inputs still skip the build, whichever builder made the image.
  auto again = stackIn(project, {"build", "--build-arg", "BUST=2"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(contains(again.err, "Service app  Skipped"));
}

TEST_CASE(
    "buildkit: the classic builder (DOCKER_BUILDKIT=0) runs the unused stage - refuses the mount") {
  requireEngine();
  TestProject project(kCompose, "bk");
  project.writeFile("app/Dockerfile", cacheDockerfile(project.name()));
  project.writeFile("app/tool.sh", "echo tool\n");
  // The classic builder runs every stage, the unused one too, which fails the build.
  auto classic = stackIn(project, {"build"}, {{"DOCKER_BUILDKIT", "0"}});
  CHECK(classic.exit_code == 1);
  CHECK(contains(classic.err, "(classic builder)"));
  CHECK(contains(classic.err, "UNUSED-STAGE-RAN"));
  // Without that stage, it refuses the cache mount, and the hint says what to do.
  std::string dockerfile = cacheDockerfile(project.name());
  dockerfile = dockerfile.substr(dockerfile.find("FROM stack-test/busybox:latest AS base"));
  project.writeFile("app/Dockerfile", dockerfile);
  auto mount = stackIn(project, {"build"}, {{"DOCKER_BUILDKIT", "0"}});
  CHECK(mount.exit_code == 1);
  CHECK(contains(mount.err, "service \"app\""));
  CHECK(contains(mount.err, "requires BuildKit"));
  CHECK(contains(mount.err, "unset DOCKER_BUILDKIT=0"));
  auto bad = stackIn(project, {"build"}, {{"DOCKER_BUILDKIT", "maybe"}});
  CHECK(bad.exit_code != 0);
  CHECK(contains(bad.err, "DOCKER_BUILDKIT=maybe is not a boolean"));
}

TEST_CASE("buildkit: a failing RUN exits 1 with BuildKit's error and the step's output") {
  requireEngine();
  TestProject project(R"(
services:
  app:
    build: ./app
    command: ["sleep", "300"]
)",
                      "bk");
  project.writeFile("app/Dockerfile",
                    "FROM stack-test/busybox:latest\n"
                    "RUN echo compiling && echo 'fatal: boom' >&2 && exit 3\n");
  auto up = stackIn(project, {"up", "-d"});
  CHECK(up.exit_code == 1);
  CHECK(contains(up.err, "service \"app\""));
  CHECK(contains(up.err, "[2/2] RUN echo compiling"));
  CHECK(contains(up.err, "exit code: 3"));
  CHECK(contains(up.err, "  compiling"));
  CHECK(contains(up.err, "  fatal: boom"));
  CHECK(project.containerIds().empty());
}

TEST_CASE("buildkit: build.secrets is refused naming service and key - shm_size warns and builds") {
  requireEngine();
  TestProject project(R"(
services:
  app:
    build:
      context: ./app
      secrets: [token]
  tool:
    build:
      context: ./app
      shm_size: 128m
secrets:
  token:
    file: ./token.txt
)",
                      "bk");
  project.writeFile("token.txt", "s3cret\n");
  project.writeFile("app/Dockerfile",
                    "FROM stack-test/busybox:latest\n"
                    "RUN --mount=type=secret,id=token cat /run/secrets/token > /copied || true\n");
  auto secret = stackIn(project, {"build", "app"});
  CHECK(secret.exit_code == 1);
  CHECK(contains(secret.err, "service \"app\""));
  CHECK(contains(secret.err, "build.secrets cannot be honoured"));
  CHECK(contains(secret.err, "session"));
  CHECK(imageId(project, project.name() + "-app").empty());

  project.writeFile("app/Dockerfile", "FROM stack-test/busybox:latest\nRUN df -k /dev/shm\n");
  auto tool = stackIn(project, {"build", "tool"});
  REQUIRE_MESSAGE(tool.exit_code == 0, tool.err);
  CHECK(contains(tool.err, "service \"tool\": build.shm_size is ignored"));
  CHECK(contains(tool.err, "DOCKER_BUILDKIT=0"));
  // The classic builder honours it: no warning.
  auto classic = stackIn(project, {"build", "--no-cache", "tool"}, {{"DOCKER_BUILDKIT", "0"}});
  REQUIRE_MESSAGE(classic.exit_code == 0, classic.err);
  CHECK_FALSE(contains(classic.err, "shm_size is ignored"));
}

}  // namespace stack::test
