// The images component against the FakeEngine: builds skipped when unchanged, rebuilt
// when a file or a base changes, builds ordered after the builds they use, the parallel
// bound, failures that name the service and its step, pulls by policy, credentials,
// pushes, and `up` building before it creates containers.

#include "orchestrator/images/image_preparer.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/images/build_inputs.hpp"
#include "orchestrator/project_controller.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::orchestrator {
namespace {

namespace fs = std::filesystem;
using runtime::fake::BuildScript;
using runtime::fake::FakeImage;
using runtime::fake::Method;
using runtime::fake::testing::Fixture;
using Strings = std::vector<std::string>;

class RecordingProgress final : public progress::ProgressSink {
 public:
  void emit(const progress::ProgressEvent& event) override { events.push_back(event); }
  void warn(const std::string& message) override { warnings.push_back(message); }

  // "app Building", "app Built", ... for one resource kind.
  Strings lines(const std::string& resource = "Service") const {
    Strings out;
    for (const auto& event : events) {
      if (event.resource == resource) out.push_back(event.name + " " + event.status);
    }
    return out;
  }
  size_t indexOf(const std::string& line) const {
    const Strings all = lines();
    return static_cast<size_t>(std::find(all.begin(), all.end(), line) - all.begin());
  }

  std::vector<progress::ProgressEvent> events;
  Strings warnings;
};

// A project directory that removes itself, with files written relative to it.
class Workspace {
 public:
  Workspace() {
    std::string pattern = (fs::temp_directory_path() / "stack-images-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root_ = pattern;
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const fs::path& root() const { return root_; }
  std::string path(const std::string& relative) const { return (root_ / relative).string(); }
  // Writes the file with an mtime an hour ago, so the digest cache may keep its digest.
  void file(const std::string& relative, const std::string& content) const {
    fs::create_directories(fs::path(path(relative)).parent_path());
    std::ofstream(path(relative), std::ios::binary) << content;
    fs::last_write_time(path(relative), fs::file_time_type::clock::now() - std::chrono::hours(1));
  }

 private:
  fs::path root_;
};

// Sets an environment variable for the life of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

compose::Service builds(const Workspace& workspace, const std::string& name,
                        const std::string& image = {}) {
  compose::Service service = test::service(name, image);
  service.build = compose::BuildConfig{};
  service.build->context = workspace.path(name);
  service.build->dockerfile = "Dockerfile";
  return service;
}

struct Harness {
  explicit Harness(size_t parallel_limit = 64) {
    fixture.image("base:1");
    options.parallel_limit = parallel_limit;
    options.digest_cache = workspace.path("cache/digests");
  }
  // Runs `body` on the fixture's loop (again: a finished run leaves the loop stopped).
  void run(std::function<runtime::Awaitable<void>()> body) {
    fixture.io.restart();
    fixture.run(std::move(body));
  }
  images::ImageReport prepare(const compose::Project& project,
                              const images::ImageOptions& image_options,
                              std::set<std::string> services = {}) {
    images::ImageReport report;
    run([&]() -> runtime::Awaitable<void> {
      images::ImagePreparer preparer(fixture.engine, progress, options);
      report = co_await preparer.prepare(project, services, image_options);
    });
    return report;
  }
  images::ImageResult result(const images::ImageReport& report, const std::string& service) {
    const images::ImageOutcome* outcome = report.find(service);
    REQUIRE_MESSAGE(outcome, "no outcome for " << service);
    return outcome->result;
  }

  Workspace workspace;
  Fixture fixture;
  RecordingProgress progress;
  images::ImagePreparerOptions options;
};

images::ImageOptions changed() {
  images::ImageOptions options;
  options.build = images::BuildMode::Changed;
  return options;
}

}  // namespace

TEST_CASE("images: a missing image is built and labelled - an unchanged one is skipped") {
  Harness h;
  h.workspace.file("app/Dockerfile", "FROM base:1\nCOPY . /src\nRUN make\n");
  h.workspace.file("app/main.c", "int main() {}\n");
  h.workspace.file("app/.dockerignore", "*.log\n");
  h.workspace.file("app/debug.log", "noise\n");
  auto project = test::project({builds(h.workspace, "app")});

  const images::ImageReport first = h.prepare(project, {});
  CHECK(h.result(first, "app") == images::ImageResult::Built);
  const auto image = h.fixture.engine.state().image("demo-app");
  REQUIRE(image);
  CHECK(image->config.labels.at(std::string(compose::labels::kBuildHash)) ==
        first.find("app")->detail);
  CHECK(h.progress.lines().front() == "app Building");
  CHECK(h.progress.lines().back() == "app Built");
  bool last_step = false;
  for (const auto& event : h.progress.events) {
    last_step = last_step || (event.unit == progress::ProgressUnit::Steps && event.current == 3 &&
                              event.total == 3 && event.detail == "RUN make");
  }
  CHECK(last_step);

  // up without --build leaves a present image alone: one inspect, nothing else.
  h.fixture.engine.calls().clear();
  CHECK(h.prepare(project, {}).outcomes.empty());
  CHECK(h.fixture.engine.calls().describe() == Strings{"inspectImage demo-app"});

  // --build with nothing changed: one inspect per image, no build, no file content read.
  h.fixture.engine.calls().clear();
  const images::ImageReport unchanged = h.prepare(project, changed());
  CHECK(h.result(unchanged, "app") == images::ImageResult::Unchanged);
  CHECK(h.fixture.engine.calls().count(Method::BuildImage) == 0);
  CHECK(h.fixture.engine.calls().count(Method::InspectImage) == 2);  // the image and its base
  CHECK(unchanged.hash_stats.bytes_read == 0);
  CHECK(unchanged.hash_stats.cache_hits == unchanged.hash_stats.files);

  // An ignored file changes nothing; a file in the context does.
  h.workspace.file("app/debug.log", "more noise\n");
  CHECK(h.result(h.prepare(project, changed()), "app") == images::ImageResult::Unchanged);
  h.workspace.file("app/main.c", "int main() { return 1; }\n");
  const images::ImageReport rebuilt = h.prepare(project, changed());
  CHECK(h.result(rebuilt, "app") == images::ImageResult::Built);
  CHECK(rebuilt.find("app")->image_id != image->id);

  // --no-cache builds even when nothing changed.
  images::ImageOptions no_cache = changed();
  no_cache.no_cache = true;
  CHECK(h.result(h.prepare(project, no_cache), "app") == images::ImageResult::Built);
  // So does a changed build arg or target.
  project.services.at("app").build->args["MODE"] = "debug";
  CHECK(h.result(h.prepare(project, changed()), "app") == images::ImageResult::Built);
  CHECK(h.result(h.prepare(project, changed()), "app") == images::ImageResult::Unchanged);
}

TEST_CASE("images: a changed base rebuilds - a build FROM another service's image waits for it") {
  Harness h;
  h.workspace.file("base/Dockerfile", "FROM base:1\nCOPY . /base\n");
  h.workspace.file("base/lib.txt", "v1\n");
  h.workspace.file("app/Dockerfile", "ARG BASE=demo-shared\nFROM ${BASE} AS build\nCOPY . /app\n");
  h.workspace.file("app/main.c", "int main() {}\n");
  auto project =
      test::project({builds(h.workspace, "base", "demo-shared"), builds(h.workspace, "app")});
  const images::ImageReport first = h.prepare(project, changed());
  CHECK(h.result(first, "base") == images::ImageResult::Built);
  CHECK(h.result(first, "app") == images::ImageResult::Built);
  CHECK(h.progress.indexOf("base Built") < h.progress.indexOf("app Building"));

  const images::ImageReport again = h.prepare(project, changed());
  CHECK(h.result(again, "base") == images::ImageResult::Unchanged);
  CHECK(h.result(again, "app") == images::ImageResult::Unchanged);

  // The shared base changes: the app's context did not, but its base id did.
  h.workspace.file("base/lib.txt", "v2\n");
  const images::ImageReport after = h.prepare(project, changed());
  CHECK(h.result(after, "base") == images::ImageResult::Built);
  CHECK(h.result(after, "app") == images::ImageResult::Built);

  // An upstream base replaced locally (a newer base:1) rebuilds too.
  FakeImage newer;
  newer.tags = {"base:1"};
  newer.config.cmd = Strings{"serve", "--v2"};
  h.fixture.engine.state().addImage(newer);
  const images::ImageReport upstream = h.prepare(project, changed(), {"base"});
  CHECK(h.result(upstream, "base") == images::ImageResult::Built);
}

TEST_CASE(
    "images: a failed build names the service and the step and its output - up creates nothing") {
  Harness h;
  h.workspace.file("app/Dockerfile", "FROM base:1\nCOPY . /src\nRUN make\nCMD [\"serve\"]\n");
  h.workspace.file("app/main.c", "int main() {}\n");
  BuildScript script;
  script.fail_at_step = 3;
  script.fail_code = 2;
  script.run_output = {"cc main.c", "main.c:1: error: boom"};
  h.fixture.engine.scripts().build("demo-app", script);
  auto project = test::project({builds(h.workspace, "app"), test::service("web", "base:1")});
  test::dependsOn(project, "web", "app");
  ProjectController controller(h.fixture.engine, h.progress,
                               {.digest_cache = h.options.digest_cache});
  std::optional<Error> failure;
  h.run([&]() -> runtime::Awaitable<void> {
    try {
      planner::UpOptions options;
      co_await controller.up(project, options);
    } catch (const Error& error) {
      failure = error;
    }
  });
  REQUIRE(failure);
  CHECK(failure->kind() == ErrorKind::Build);
  const std::string text = failure->what();
  CHECK(text.find("service \"app\"") != std::string::npos);
  CHECK(text.find("step 3/") != std::string::npos);
  CHECK(text.find("RUN make") != std::string::npos);
  CHECK(text.find("returned a non-zero code: 2") != std::string::npos);
  CHECK(text.find("main.c:1: error: boom") != std::string::npos);
  CHECK(h.fixture.engine.calls().count(Method::CreateContainer) == 0);
  CHECK(h.fixture.engine.calls().count(Method::CreateNetwork) == 0);
  CHECK(h.progress.lines().back() == "app Error");
}

TEST_CASE("images: builds run in parallel up to the limit") {
  for (size_t limit : {size_t(1), size_t(0)}) {
    CAPTURE(limit);
    Harness h(limit);
    BuildScript slow;
    slow.step_duration = std::chrono::seconds(2);  // model time: 2 ms of real time
    h.fixture.engine.scripts().build("", slow);
    std::vector<compose::Service> services;
    for (const std::string name : {"a", "b", "c"}) {
      h.workspace.file(name + "/Dockerfile", "FROM base:1\nRUN build " + name + "\n");
      services.push_back(builds(h.workspace, name));
    }
    const images::ImageReport report = h.prepare(test::project(services), {});
    CHECK(report.outcomes.size() == 3);
    size_t in_flight = 0;
    size_t most = 0;
    for (const auto& event : h.progress.events) {
      if (event.status == "Building" && event.unit == progress::ProgressUnit::None) ++in_flight;
      if (event.status == "Built") --in_flight;
      most = std::max(most, in_flight);
    }
    CHECK(most == (limit == 1 ? 1 : 3));
  }
}

TEST_CASE("images: pulls by policy with byte progress - an unknown image is a Pull error") {
  Harness h;
  h.fixture.engine.registry().add("redis:7");
  auto project = test::project({test::service("cache", "redis:7")});
  const images::ImageReport pulled = h.prepare(project, {});
  CHECK(h.result(pulled, "cache") == images::ImageResult::Pulled);
  CHECK(h.fixture.engine.state().image("redis:7"));
  bool bytes = false;
  for (const auto& event : h.progress.events) {
    bytes = bytes || (event.unit == progress::ProgressUnit::Bytes && event.total > 0);
  }
  CHECK(bytes);
  CHECK(h.prepare(project, {}).outcomes.empty());  // present: pull_policy missing
  project.services.at("cache").pull_policy = "always";
  CHECK(h.result(h.prepare(project, {}), "cache") == images::ImageResult::Pulled);

  auto unknown = test::project({test::service("ghost", "nope/nothing:1")});
  try {
    h.prepare(unknown, {});
    FAIL("pulling an unknown image must fail");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Pull);
    CHECK(std::string(error.what()).find("service \"ghost\"") != std::string::npos);
    CHECK(error.message().find("was not found") != std::string::npos);
  }
}

TEST_CASE("images: a service that can build does so when its pull fails") {
  Harness h;
  h.workspace.file("app/Dockerfile", "FROM base:1\n");
  auto project = test::project({builds(h.workspace, "app", "registry.io/team/app:1")});
  project.services.at("app").pull_policy = "missing";
  const images::ImageReport report = h.prepare(project, {});
  CHECK(h.result(report, "app") == images::ImageResult::Built);
  CHECK(h.progress.indexOf("app Pull failed") < h.progress.indexOf("app Built"));
  // --no-build forbids the fallback: the pull error stands.
  images::ImageOptions no_build;
  no_build.build = images::BuildMode::Never;
  auto other = test::project({builds(h.workspace, "app", "registry.io/team/other:1")});
  other.services.at("app").pull_policy = "missing";
  CHECK_THROWS_AS(h.prepare(other, no_build), Error);
}

TEST_CASE("images: credentials from DOCKER_CONFIG reach the registry - pull and push") {
  Harness h;
  runtime::RegistryAuth auth;
  auth.username = "ci";
  auth.password = "s3cret";
  h.fixture.engine.registry().add("registry.io/team/db:1");
  h.fixture.engine.registry().requireAuth("registry.io/team/db", auth);
  h.workspace.file("docker/config.json", R"({"credsStore": "desktop"})");
  ScopedEnv config("DOCKER_CONFIG", h.workspace.path("docker"));
  auto project = test::project({test::service("db", "registry.io/team/db:1")});
  try {
    h.prepare(project, {});
    FAIL("a pull without credentials must fail");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Pull);
    CHECK(error.hint().find("docker-credential-desktop") != std::string::npos);
  }
  // "ci:s3cret" in base64.
  h.workspace.file("docker/config.json", R"({"auths": {"registry.io": {"auth": "Y2k6czNjcmV0"}}})");
  CHECK(h.result(h.prepare(project, {}), "db") == images::ImageResult::Pulled);

  h.workspace.file("app/Dockerfile", "FROM base:1\n");
  auto app = builds(h.workspace, "app", "registry.io/team/app:1");
  app.build->tags = {"registry.io/team/app:latest"};
  auto pushable = test::project({app, test::service("db", "registry.io/team/db:1")});
  h.prepare(pushable, {});
  images::ImageReport pushed;
  h.run([&]() -> runtime::Awaitable<void> {
    images::ImagePreparer preparer(h.fixture.engine, h.progress, h.options);
    pushed = co_await preparer.push(pushable, {}, {});
  });
  CHECK(pushed.outcomes.size() == 2);  // the image and its tag; db does not build
  CHECK(h.fixture.engine.registry().has("registry.io/team/app:1"));
  CHECK(h.fixture.engine.registry().has("registry.io/team/app:latest"));
}

TEST_CASE("images: stack pull skips what builds or is present - failures of buildable ones warn") {
  Harness h;
  h.fixture.engine.registry().add("redis:7");
  h.workspace.file("app/Dockerfile", "FROM base:1\n");
  auto project =
      test::project({builds(h.workspace, "app", "registry.io/app:1"), builds(h.workspace, "local"),
                     test::service("cache", "redis:7"), test::service("db", "base:1")});
  project.services.at("db").pull_policy = "missing";
  images::ImageReport report;
  h.run([&]() -> runtime::Awaitable<void> {
    images::ImagePreparer preparer(h.fixture.engine, h.progress, h.options);
    report = co_await preparer.pull(project, {}, {});
  });
  CHECK(h.result(report, "cache") == images::ImageResult::Pulled);
  CHECK(h.result(report, "app") == images::ImageResult::Failed);  // a warning: it can be built
  CHECK(h.result(report, "local") == images::ImageResult::Skipped);
  CHECK(h.result(report, "db") == images::ImageResult::Skipped);  // present, pull_policy missing
  REQUIRE_FALSE(h.progress.warnings.empty());
  CHECK(h.progress.warnings.back().find("stack build app") != std::string::npos);
}

TEST_CASE("images: up builds before it creates - and --build recreates only what was rebuilt") {
  Harness h;
  h.workspace.file("app/Dockerfile", "FROM base:1\nCOPY . /src\n");
  h.workspace.file("app/main.c", "v1\n");
  auto project = test::project({builds(h.workspace, "app"), test::service("web", "base:1")});
  ControllerOptions controller_options;
  controller_options.digest_cache = h.options.digest_cache;
  ProjectController controller(h.fixture.engine, h.progress, controller_options);
  planner::UpOptions up;
  up.images.build = images::BuildMode::Changed;
  auto runUp = [&] {
    h.run([&]() -> runtime::Awaitable<void> { co_await controller.up(project, up); });
  };
  runUp();
  const Strings first = h.fixture.engine.calls().mutations();
  REQUIRE_FALSE(first.empty());
  CHECK(first.front() == "buildImage demo-app");
  const std::string app_id = h.fixture.engine.state().container("demo-app-1")->id;
  const std::string web_id = h.fixture.engine.state().container("demo-web-1")->id;

  h.fixture.engine.calls().clear();
  runUp();
  CHECK(h.fixture.engine.calls().mutations().empty());

  h.workspace.file("app/main.c", "v2\n");
  runUp();
  CHECK(h.fixture.engine.state().container("demo-app-1")->id != app_id);
  CHECK(h.fixture.engine.state().container("demo-web-1")->id == web_id);
}

TEST_CASE("images: the build section maps onto the engine's build request") {
  Workspace workspace;
  workspace.file("app/keep.txt", "x\n");
  auto app = builds(workspace, "app", "registry.io/app:1");
  compose::BuildConfig& build = *app.build;
  build.dockerfile.clear();
  build.dockerfile_inline = "FROM base:1\nCOPY keep.txt /\n";
  build.args = {{"FROM_FILE", "1"}, {"FROM_ENV", std::nullopt}, {"UNSET", std::nullopt}};
  build.target = "final";
  build.labels = {{"org.example.team", "images"}};
  build.cache_from = {"registry.io/app:cache"};
  build.network = "host";
  build.extra_hosts = {"db=10.0.0.5"};
  build.shm_size = 64 * 1024 * 1024;
  build.no_cache = true;
  build.tags = {"registry.io/app:latest"};
  build.secrets = nlohmann::json::array({"token"});
  auto project = test::project({app});
  project.environment["FROM_ENV"] = "from-env";
  images::ImageOptions options;
  options.build_args = {{"FROM_CLI", "2"}, {"FROM_FILE", "overridden"}};
  const images::BuildInputs inputs =
      images::BuildInputs::resolve(project, project.services.at("app"), options);
  const runtime::BuildRequest request = inputs.request("sha256:abc");
  CHECK(request.dockerfile.rfind(".stack-dockerfile-", 0) == 0);
  CHECK(request.tags == Strings{"registry.io/app:1", "registry.io/app:latest"});
  CHECK(request.build_args == std::map<std::string, std::string>{{"FROM_CLI", "2"},
                                                                 {"FROM_ENV", "from-env"},
                                                                 {"FROM_FILE", "overridden"}});
  CHECK(request.target == "final");
  CHECK(request.labels.at("org.example.team") == "images");
  CHECK(request.labels.at(std::string(compose::labels::kBuildHash)) == "sha256:abc");
  CHECK(request.cache_from == Strings{"registry.io/app:cache"});
  CHECK(request.network_mode == "host");
  CHECK(request.extra_hosts == Strings{"db:10.0.0.5"});
  CHECK(request.shm_size == 64 * 1024 * 1024);
  CHECK(request.no_cache);
  CHECK(request.force_rm);
  CHECK(inputs.forced());
  CHECK(inputs.bases() == Strings{"base:1"});
  // secrets need a BuildKit session: an error with either builder; shm_size only BuildKit drops.
  const auto issues = inputs.keyIssues(true);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].key == "secrets");
  CHECK(issues[0].error);
  CHECK(issues[1].key == "shm_size");
  CHECK_FALSE(issues[1].error);
  REQUIRE(inputs.keyIssues(false).size() == 1);
  CHECK(inputs.keyIssues(false)[0].key == "secrets");
  // A remote context is refused with the service named.
  project.services.at("app").build->context = "https://github.com/example/app.git";
  try {
    images::BuildInputs::resolve(project, project.services.at("app"), options);
    FAIL("a remote context must be refused");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Build);
    CHECK(std::string(error.what()).find("service \"app\"") != std::string::npos);
  }
}

TEST_CASE("images: build.secrets is refused before a build - shm_size under BuildKit warns") {
  Harness h;
  h.workspace.file("app/Dockerfile", "FROM base:1\n");
  h.workspace.file("tool/Dockerfile", "FROM base:1\n");
  auto app = builds(h.workspace, "app");
  app.build->secrets = nlohmann::json::array({nlohmann::json{{"source", "token"}}});
  auto tool = builds(h.workspace, "tool");
  tool.build->shm_size = 128 * 1024 * 1024;
  auto project = test::project({app});
  try {
    h.prepare(project, changed());
    FAIL("build.secrets must be refused");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Build);
    const std::string text = error.what();
    CHECK(text.find("service \"app\"") != std::string::npos);
    CHECK(text.find("build.secrets") != std::string::npos);
    CHECK(text.find("session") != std::string::npos);
  }
  CHECK(h.fixture.engine.calls().count(Method::BuildImage) == 0);
  CHECK(h.progress.lines().back() == "app Error");

  auto second = test::project({tool});
  const images::ImageReport report = h.prepare(second, changed());
  CHECK(h.result(report, "tool") == images::ImageResult::Built);
  REQUIRE(h.progress.warnings.size() == 1);
  CHECK(h.progress.warnings[0].find("service \"tool\": build.shm_size is ignored") !=
        std::string::npos);
  CHECK(h.progress.warnings[0].find("DOCKER_BUILDKIT=0") != std::string::npos);
  bool named = false;
  for (const auto& event : h.progress.events) {
    if (event.status == "Built") named = event.detail.find("(BuildKit)") != std::string::npos;
  }
  CHECK(named);
  // The classic builder honours shm_size: no warning, and the line says which builder ran.
  ScopedEnv classic("DOCKER_BUILDKIT", "0");
  h.progress.warnings.clear();
  auto forced = changed();
  forced.no_cache = true;
  h.prepare(second, forced);
  CHECK(h.progress.warnings.empty());
  CHECK(h.progress.events.back().detail.find("(classic builder)") != std::string::npos);
}

TEST_CASE("images: a dry run reports what it would do and does nothing") {
  Harness h;
  h.options.dry_run = true;
  h.workspace.file("app/Dockerfile", "FROM base:1\n");
  h.fixture.engine.registry().add("redis:7");
  auto project = test::project({builds(h.workspace, "app"), test::service("cache", "redis:7")});
  h.prepare(project, {});
  CHECK(h.fixture.engine.calls().mutations().empty());
  CHECK(h.progress.lines("DRY-RUN").size() == 2);
}

}  // namespace stack::orchestrator
