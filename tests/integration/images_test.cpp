// Images end to end, through the `stack` binary against dockerd: builds (multi-stage with
// a target, build args, .dockerignore effects checked inside the image, a Dockerfile
// outside the context), skipped unchanged builds, a failed build, and pull and push
// against a local docker-registry, with and without credentials.

#include <doctest/doctest.h>

#include <regex>

#include "tests/support/local_registry.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Removes, at the end, images the project's own cleanup would miss: registry references,
// and images a rebuild replaced (left untagged). Declare it before the TestProject, so
// it runs after the project's containers are gone.
class ImageSweep {
 public:
  ImageSweep() = default;
  ImageSweep(const ImageSweep&) = delete;
  ImageSweep& operator=(const ImageSweep&) = delete;
  ~ImageSweep() {
    for (const auto& label : labels_) {
      for (const auto& id :
           lines(runCommand({"docker", "images", "-q", "--filter", "label=" + label}).out)) {
        images_.push_back(id);
      }
    }
    for (auto it = images_.rbegin(); it != images_.rend(); ++it) {
      runCommand({"docker", "rmi", "-f", *it});
    }
  }
  void add(const std::string& image) {
    if (!image.empty()) images_.push_back(image);
  }
  // Images carrying the label "key=value", such as untagged stage images of a build.
  void addLabel(const std::string& label) { labels_.push_back(label); }

 private:
  std::vector<std::string> images_;
  std::vector<std::string> labels_;
};

// stack with the digest cache inside the project's temporary directory.
CommandResult stackIn(const TestProject& project, const std::vector<std::string>& args,
                      std::map<std::string, std::string> env = {}) {
  CommandOptions options;
  options.env = std::move(env);
  options.env.emplace("XDG_CACHE_HOME", project.dir() + "/.cache");
  return project.stack(args, options);
}

std::string imageId(const TestProject& project, const std::string& reference) {
  const auto ids =
      lines(project.docker({"image", "inspect", "--format", "{{.Id}}", reference}).out);
  return ids.empty() ? "" : ids.front();
}

// Runs `command` in a throwaway container of `image` and returns what it printed.
CommandResult runIn(const TestProject& project, const std::string& image,
                    const std::vector<std::string>& command) {
  std::vector<std::string> args{"run", "--rm", image};
  args.insert(args.end(), command.begin(), command.end());
  return project.docker(args);
}

// The builder stage's image stays behind untagged; its label lets the test remove it.
const char* kMultiStage = R"(ARG BASE=stack-test/busybox:latest
FROM ${BASE} AS builder
ARG GREETING=hello
ARG TEST_PROJECT
LABEL dev.stack.test-project=$TEST_PROJECT
COPY . /src
RUN echo "$GREETING" > /greeting && find /src -type f | sort > /listing
FROM stack-test/busybox:latest AS final
COPY --from=builder /greeting /listing /
CMD ["sleep", "300"]
FROM final AS debug
RUN touch /debug
)";

// A context in app/ with a Dockerfile outside it, in docker/.
void writeMultiStage(const TestProject& project, ImageSweep& sweep) {
  project.writeFile("compose.yaml", R"(
services:
  app:
    build:
      context: ./app
      dockerfile: ../docker/app.Dockerfile
      target: final
      args:
        GREETING: bonjour
        TEST_PROJECT: )" + project.name() +
                                        R"(
      labels:
        org.example.team: images
)");
  sweep.addLabel("dev.stack.test-project=" + project.name());
  project.writeFile("docker/app.Dockerfile", kMultiStage);
  project.writeFile("app/keep.txt", "kept\n");
  project.writeFile("app/secret.env", "SECRET=1\n");
  project.writeFile("app/logs/debug.log", "noise\n");
  project.writeFile("app/logs/keep.log", "wanted\n");
  project.writeFile("app/.dockerignore", "secret.env\nlogs/\n!logs/keep.log\n");
}

}  // namespace

TEST_CASE("build: a multi-stage target with build args and .dockerignore - Dockerfile outside") {
  requireEngine();
  ImageSweep sweep;
  TestProject project("services: {}\n", "img");
  writeMultiStage(project, sweep);
  const std::string image = project.name() + "-app";
  // The classic builder, whose "Step N/M" lines the progress shows (buildkit_test.cpp: BuildKit).
  auto built = stackIn(project, {"build"}, {{"DOCKER_BUILDKIT", "0"}});
  REQUIRE_MESSAGE(built.exit_code == 0, built.err);
  CHECK(contains(built.err, "Service app  Built"));
  CHECK(contains(built.err, "step 1/"));

  CHECK(lines(runIn(project, image, {"cat", "/greeting"}).out) ==
        std::vector<std::string>{"bonjour"});
  const std::string listing = runIn(project, image, {"cat", "/listing"}).out;
  CHECK(contains(listing, "/src/keep.txt"));
  CHECK(contains(listing, "/src/logs/keep.log"));  // re-included by !logs/keep.log
  CHECK_FALSE(contains(listing, "secret.env"));
  CHECK_FALSE(contains(listing, "debug.log"));
  CHECK_FALSE(contains(listing, ".stack-dockerfile"));  // the outside Dockerfile's tar name
  CHECK_FALSE(contains(listing, "app.Dockerfile"));
  // The target stops at `final`: the later `debug` stage did not run.
  CHECK(runIn(project, image, {"ls", "/debug"}).exit_code != 0);
  auto labels = project.docker({"image", "inspect", "--format",
                                "{{index .Config.Labels \"org.example.team\"}} "
                                "{{index .Config.Labels \"dev.stack.build-hash\"}}",
                                image});
  CHECK(contains(labels.out, "images sha256:"));
}

TEST_CASE(
    "build: unchanged inputs skip the build - changes and --no-cache and --build-arg do not") {
  requireEngine();
  ImageSweep sweep;
  TestProject project("services: {}\n", "img");
  writeMultiStage(project, sweep);
  const std::string image = project.name() + "-app";
  REQUIRE(stackIn(project, {"build"}).exit_code == 0);
  const std::string first = imageId(project, image);
  sweep.add(first);

  auto again = stackIn(project, {"build"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(contains(again.err, "Service app  Skipped"));
  CHECK(imageId(project, image) == first);

  project.writeFile("app/secret.env", "SECRET=2\n");  // ignored by .dockerignore
  CHECK(contains(stackIn(project, {"build"}).err, "Skipped"));
  CHECK(imageId(project, image) == first);

  project.writeFile("app/keep.txt", "changed\n");
  auto changed = stackIn(project, {"build"});
  CHECK(contains(changed.err, "Service app  Built"));
  const std::string second = imageId(project, image);
  sweep.add(second);
  CHECK(second != first);

  auto forced = stackIn(project, {"build", "--no-cache"});
  REQUIRE_MESSAGE(forced.exit_code == 0, forced.err);
  CHECK(contains(forced.err, "Service app  Built"));
  sweep.add(imageId(project, image));

  auto with_arg = stackIn(project, {"build", "--build-arg", "GREETING=hallo", "app"});
  REQUIRE_MESSAGE(with_arg.exit_code == 0, with_arg.err);
  CHECK(contains(with_arg.err, "Service app  Built"));
  CHECK(lines(runIn(project, image, {"cat", "/greeting"}).out) ==
        std::vector<std::string>{"hallo"});
}

TEST_CASE("up: --no-build refuses a missing image - --build recreates only rebuilt services") {
  requireEngine();
  ImageSweep sweep;
  TestProject project(R"(
services:
  app:
    build: ./app
    command: ["sleep", "300"]
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "300"]
    depends_on: [app]
)",
                      "img");
  project.writeFile("app/Dockerfile", "FROM stack-test/busybox:latest\nCOPY keep.txt /\n");
  project.writeFile("app/keep.txt", "v1\n");

  auto refused = stackIn(project, {"up", "-d", "--no-build"});
  CHECK(refused.exit_code != 0);
  CHECK(contains(refused.err, "service \"app\""));
  CHECK(contains(refused.err, "--no-build"));
  CHECK(project.containerIds().empty());

  auto up = stackIn(project, {"up", "-d", "-t", "1"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  const std::string app = project.name() + "-app-1";
  const std::string web = project.name() + "-web-1";
  const auto ids = [&](const std::string& name) {
    return lines(project.docker({"inspect", "--format", "{{.Id}}", name}).out);
  };
  const auto app_id = ids(app);
  const auto web_id = ids(web);
  REQUIRE(app_id.size() == 1);
  sweep.add(imageId(project, project.name() + "-app"));

  auto unchanged = stackIn(project, {"up", "-d", "--build", "-t", "1"});
  REQUIRE_MESSAGE(unchanged.exit_code == 0, unchanged.err);
  CHECK(contains(unchanged.err, "Service app  Skipped"));
  CHECK(ids(app) == app_id);

  project.writeFile("app/keep.txt", "v2\n");
  auto rebuilt = stackIn(project, {"up", "-d", "--build", "-t", "1"});
  REQUIRE_MESSAGE(rebuilt.exit_code == 0, rebuilt.err);
  CHECK(contains(rebuilt.err, "Service app  Built"));
  CHECK(ids(app) != app_id);
  CHECK(ids(web) == web_id);
  CHECK(lines(project.docker({"exec", app, "cat", "/keep.txt"}).out) ==
        std::vector<std::string>{"v2"});
}

TEST_CASE(
    "build: a classic build failure exits 1 naming the service and step - no container left") {
  requireEngine();
  TestProject project(R"(
services:
  app:
    build: ./app
    command: ["sleep", "300"]
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "300"]
    depends_on: [app]
)",
                      "img");
  project.writeFile("app/Dockerfile",
                    "FROM stack-test/busybox:latest\n"
                    "RUN echo compiling && echo 'fatal: boom' >&2 && exit 3\n");
  auto up = stackIn(project, {"up", "-d"}, {{"DOCKER_BUILDKIT", "0"}});
  CHECK(up.exit_code == 1);
  CHECK(contains(up.err, "service \"app\""));
  CHECK(contains(up.err, "step 2/"));
  CHECK(contains(up.err, "RUN echo compiling"));
  CHECK(contains(up.err, "fatal: boom"));
  CHECK(contains(up.err, "returned a non-zero code: 3"));
  // The builder's intermediate container for the failing step is gone (forcerm).
  std::smatch match;
  REQUIRE_MESSAGE(std::regex_search(up.err, match, std::regex("Running in ([0-9a-f]{12})")),
                  up.err);
  CHECK(lines(project.docker({"ps", "-aq", "--filter", "id=" + match[1].str()}).out).empty());
  // No dependent (nor any other) container was created.
  CHECK(project.containerIds().empty());
}

TEST_CASE("pull and push: a local registry - unknown images and unreachable registries") {
  requireEngine();
  LocalRegistry registry;
  ImageSweep sweep;
  TestProject project("services: {}\n", "img");
  const std::string repository = registry.host() + "/" + project.name() + "/app";
  sweep.add(repository + ":1");
  sweep.add(repository + ":extra");
  const int closed = LocalRegistry::closedPort();
  project.writeFile("compose.yaml", R"(
services:
  app:
    image: )" + repository + R"(:1
    build:
      context: ./app
      tags: [")" + repository + R"(:extra"]
    command: ["sleep", "300"]
  mirror:
    image: )" + repository + R"(:extra
    command: ["sleep", "300"]
    profiles: [mirror]
  ghost:
    image: )" + registry.host() + R"(/nothing/here:1
    profiles: [ghost]
  far:
    image: 127.0.0.1:)" + std::to_string(closed) +
                                        R"(/team/app:1
    profiles: [far]
)");
  project.writeFile("app/Dockerfile", "FROM stack-test/busybox:latest\nRUN echo built > /marker\n");
  REQUIRE(stackIn(project, {"build"}).exit_code == 0);
  sweep.add(imageId(project, repository + ":1"));  // by id: the pull below may not restore it
  // config --resolve-image-digests: a built, never pushed image has no digest to pin.
  auto unpinned = stackIn(project, {"config", "--resolve-image-digests", "app"});
  CHECK(unpinned.exit_code == 1);
  CHECK(contains(unpinned.err, "image " + repository + ":1 has no repository digest"));
  auto push = stackIn(project, {"push"});
  REQUIRE_MESSAGE(push.exit_code == 0, push.err);
  auto pinned = stackIn(project, {"config", "--resolve-image-digests", "app"});
  CHECK_MESSAGE(pinned.exit_code == 0, pinned.err);
  CHECK_MESSAGE(contains(pinned.out, "image: " + repository + ":1@sha256:"), pinned.out);
  CHECK(contains(push.err, "Pushed"));

  // Gone locally, back from the registry: both the image and its extra tag.
  project.docker({"rmi", "-f", repository + ":1", repository + ":extra"});
  REQUIRE(imageId(project, repository + ":1").empty());
  auto pull = stackIn(project, {"--profile", "mirror", "pull"});
  REQUIRE_MESSAGE(pull.exit_code == 0, pull.err);
  CHECK(contains(pull.err, "Service mirror  Pulled"));
  CHECK(contains(pull.err, "Service app  Pulled"));
  CHECK_FALSE(imageId(project, repository + ":extra").empty());
  CHECK(lines(runIn(project, repository + ":1", {"cat", "/marker"}).out) ==
        std::vector<std::string>{"built"});

  auto up = stackIn(project, {"up", "-d", "--pull", "always", "-t", "1"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(contains(up.err, "Service app  Pulled"));

  auto ghost = stackIn(project, {"pull", "ghost"});
  CHECK(ghost.exit_code == 1);
  CHECK(contains(ghost.err, "service \"ghost\""));
  CHECK(contains(ghost.err, "was not found in " + registry.host()));

  auto far = stackIn(project, {"pull", "far"});
  CHECK(far.exit_code == 1);
  CHECK(contains(far.err, "service \"far\""));
  CHECK(contains(far.err, "cannot be reached"));
}

TEST_CASE("pull and push: credentials come from the docker config's auths") {
  requireEngine();
  LocalRegistry registry({.user = "ci", .password = "s3cret"});
  ImageSweep sweep;
  TestProject project("services: {}\n", "img");
  const std::string image = registry.host() + "/" + project.name() + "/app:1";
  sweep.add(image);
  project.writeFile("compose.yaml",
                    "services:\n  app:\n    image: " + image + "\n    build: ./app\n");
  project.writeFile("app/Dockerfile", "FROM stack-test/busybox:latest\n");
  project.writeFile("no-auth/config.json", "{}\n");
  // "ci:s3cret" in base64, as `docker login` writes it.
  project.writeFile("auth/config.json",
                    "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"Y2k6czNjcmV0\"}}}\n");
  REQUIRE(stackIn(project, {"build"}).exit_code == 0);
  sweep.add(imageId(project, image));

  auto refused = stackIn(project, {"push"}, {{"DOCKER_CONFIG", project.dir() + "/no-auth"}});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "refused"));
  CHECK(contains(refused.err, "docker login " + registry.host()));

  auto pushed = stackIn(project, {"push"}, {{"DOCKER_CONFIG", project.dir() + "/auth"}});
  REQUIRE_MESSAGE(pushed.exit_code == 0, pushed.err);
  project.docker({"rmi", "-f", image});
  auto pulled = stackIn(project, {"pull"}, {{"DOCKER_CONFIG", project.dir() + "/auth"}});
  REQUIRE_MESSAGE(pulled.exit_code == 0, pulled.err);
  CHECK_FALSE(imageId(project, image).empty());
}

}  // namespace stack::test
