// The images component's pure parts: Dockerfile stages, references, registry
// credentials, the per-service decisions, and the build and pull trackers.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "orchestrator/images/build_tracker.hpp"
#include "orchestrator/images/dockerfile_stages.hpp"
#include "orchestrator/images/image_builder.hpp"
#include "orchestrator/images/image_plan.hpp"
#include "orchestrator/images/image_reference.hpp"
#include "orchestrator/images/image_transfer.hpp"
#include "orchestrator/images/pull_tracker.hpp"
#include "orchestrator/images/registry_credentials.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::orchestrator {
namespace {

using Strings = std::vector<std::string>;
using namespace std::chrono_literals;

std::vector<std::string> bases(const std::string& dockerfile,
                               const std::map<std::string, std::string>& args = {},
                               const std::string& target = {}) {
  return images::baseImages(images::parseDockerfileStages(dockerfile, args), target);
}

}  // namespace

TEST_CASE("dockerfile stages: bases of multi-stage builds up to the target") {
  const std::string dockerfile =
      "# syntax=docker/dockerfile:1\n"
      "FROM golang:1.21 AS build\n"
      "RUN make\n"
      "from --platform=linux/amd64 debian:12 as Runtime\n"
      "COPY --from=build /out /app\n"
      "FROM runtime AS debug\n"
      "FROM alpine:3 AS extra\n";
  CHECK(bases(dockerfile) == Strings{"golang:1.21", "debian:12", "alpine:3"});
  CHECK(bases(dockerfile, {}, "runtime") == Strings{"golang:1.21", "debian:12"});
  CHECK(bases(dockerfile, {}, "build") == Strings{"golang:1.21"});
  CHECK(bases(dockerfile, {}, "debug") == Strings{"golang:1.21", "debian:12"});
  CHECK(bases(dockerfile, {}, "nonexistent").size() == 3);
  const auto stages = images::parseDockerfileStages(dockerfile, {});
  REQUIRE(stages.size() == 4);
  CHECK(stages[1].name == "runtime");
  CHECK(stages[2].from_stage);
  CHECK(bases("FROM scratch\nCOPY x /\n").empty());
}

TEST_CASE(
    "dockerfile stages: meta ARGs with build args and continuations and the escape directive") {
  const std::string dockerfile =
      "ARG REGISTRY=docker.io\n"
      "ARG TAG\n"
      "ARG VARIANT=\"slim\"\n"
      "FROM ${REGISTRY}/library/python:${TAG:-3.12}-$VARIANT AS base\n"
      "ARG LATE=ignored\n"
      "FROM \\\n"
      "  # a comment inside a continuation\n"
      "  base\n"
      "FROM busybox:${LATE:-1}\n";
  CHECK(bases(dockerfile) == Strings{"docker.io/library/python:3.12-slim", "busybox:1"});
  CHECK(bases(dockerfile, {{"TAG", "3.11"}, {"REGISTRY", "127.0.0.1:5000"}}) ==
        Strings{"127.0.0.1:5000/library/python:3.11-slim", "busybox:1"});
  // An undeclared variable substitutes nothing; ${X:+alt} only when X is set.
  CHECK(bases("ARG X=1\nFROM app${X:+-dev}:${UNDECLARED}latest\n") == Strings{"app-dev:latest"});
  // With `# escape=`` the backtick continues lines.
  CHECK(bases("# escape=`\nFROM `\n  mcr.microsoft.com/windows:ltsc2022\n") ==
        Strings{"mcr.microsoft.com/windows:ltsc2022"});
  CHECK(images::parseDockerfileStages("not a dockerfile at all", {}).empty());
}

TEST_CASE("image references: repository and tag and digest and registry") {
  auto ref = images::ImageReference::parse("127.0.0.1:5000/team/app:1.2");
  CHECK(ref.repository == "127.0.0.1:5000/team/app");
  CHECK(ref.tag == "1.2");
  CHECK(ref.registry() == "127.0.0.1:5000");
  CHECK(images::ImageReference::parse("nginx").str() == "nginx:latest");
  CHECK(images::ImageReference::parse("nginx").registry() == "docker.io");
  CHECK(images::ImageReference::parse("library/nginx:1").registry() == "docker.io");
  CHECK(images::ImageReference::parse("localhost/app").registry() == "localhost");
  CHECK(images::ImageReference::parse("localhost:5000/app").tag == "latest");
  auto pinned = images::ImageReference::parse("redis@sha256:abc");
  CHECK(pinned.tagOrDigest() == "sha256:abc");
  CHECK(pinned.str() == "redis@sha256:abc");
  CHECK_THROWS_AS(images::ImageReference::parse(""), Error);
  CHECK_THROWS_AS(images::ImageReference::parse("app:"), Error);
  CHECK_THROWS_AS(images::ImageReference::parse("my app"), Error);
}

TEST_CASE("registry credentials: auths by host with base64 auth or tokens - credential helpers") {
  const std::string config = R"({
    "auths": {
      "https://index.docker.io/v1/": {"auth": "aHViOnNlY3JldA=="},
      "http://127.0.0.1:5000/v2/": {"username": "u", "password": "p"},
      "registry.example.com": {"identitytoken": "tok"},
      "helper.example.com": {}
    },
    "credHelpers": {"helper.example.com": "ecr-login"}
  })";
  const auto credentials =
      images::RegistryCredentials::parse(config, "/home/u/.docker/config.json");
  CHECK(credentials.warnings().empty());
  auto hub = credentials.find("docker.io");
  CHECK(hub.auth.username == "hub");
  CHECK(hub.auth.password == "secret");
  CHECK(credentials.find("127.0.0.1:5000").auth.password == "p");
  CHECK(credentials.find("registry.example.com").auth.identity_token == "tok");
  auto helped = credentials.find("helper.example.com");
  CHECK(helped.auth.empty());
  CHECK(helped.note.find("docker-credential-ecr-login") != std::string::npos);
  CHECK(credentials.find("elsewhere.io").note.empty());
  CHECK(credentials.all().count("https://index.docker.io/v1/") == 1);

  auto store = images::RegistryCredentials::parse(R"({"credsStore": "desktop"})", "cfg");
  CHECK(store.find("docker.io").note.find("add an `auths` entry") != std::string::npos);
  auto broken = images::RegistryCredentials::parse("{not json", "cfg");
  CHECK(broken.warnings().size() == 1);
  auto bad_auth =
      images::RegistryCredentials::parse(R"({"auths": {"x.io": {"auth": "%%%"}}})", "cfg");
  CHECK(bad_auth.warnings().size() == 1);
  CHECK(images::normalizeRegistryHost("https://registry-1.docker.io/v2/") == "docker.io");
}

TEST_CASE("transfer errors: unknown image and unreachable registry and refused login differ") {
  auto unknown =
      images::transferError("pull", "127.0.0.1:5000/nope:1", "127.0.0.1:5000",
                            "manifest for 127.0.0.1:5000/nope:1 not found: manifest unknown", "");
  CHECK(unknown.kind() == ErrorKind::Pull);
  CHECK(unknown.message().find("was not found in 127.0.0.1:5000") != std::string::npos);
  auto unreachable = images::transferError(
      "pull", "127.0.0.1:1/app:1", "127.0.0.1:1",
      "Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused", "");
  CHECK(unreachable.message().find("cannot be reached") != std::string::npos);
  auto refused = images::transferError("push", "r.io/app:1", "r.io",
                                       "unauthorized: authentication required", "a note");
  CHECK(refused.message().find("refused") != std::string::npos);
  CHECK(refused.hint().find("docker login r.io") != std::string::npos);
  CHECK(refused.hint().find("a note") != std::string::npos);
}

TEST_CASE("build tracker: steps and output of the current step and errors and the image id") {
  images::BuildTracker tracker;
  auto stream = [](std::string text) {
    runtime::ProgressMessage message;
    message.stream = std::move(text);
    return message;
  };
  CHECK(tracker.feed(stream("Step 1/3 : FROM base\n ---> abc\n")));
  CHECK(tracker.step() == 1);
  CHECK(tracker.steps() == 3);
  CHECK_FALSE(tracker.feed(stream("partial ")));
  CHECK(tracker.feed(stream("line\nStep 2/3 : RUN make\n ---> Running in 0123456789ab\n")));
  CHECK(tracker.instruction() == "RUN make");
  tracker.feed(stream("\x1b[91mcompiler says no\n\x1b[0m"));
  CHECK(tracker.tail() == Strings{" ---> Running in 0123456789ab", "compiler says no"});
  runtime::ProgressMessage failed;
  failed.error = "The command '/bin/sh -c make' returned a non-zero code: 2";
  tracker.feed(failed);
  CHECK(tracker.error() == failed.error);
  runtime::ProgressMessage aux;
  aux.aux_id = "sha256:feed";
  tracker.feed(aux);
  CHECK(tracker.imageId() == "sha256:feed");
}

namespace {

// A little protobuf encoder for StatusResponse messages (field numbers as in
// runtime/buildkit_status.hpp), so the tracker is fed real trace lines.
std::string varint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  return out + static_cast<char>(value);
}
std::string bytesField(int number, const std::string& bytes) {
  return varint(static_cast<uint64_t>(number) << 3 | 2) + varint(bytes.size()) + bytes;
}
std::string varintField(int number, uint64_t value) {
  return varint(static_cast<uint64_t>(number) << 3) + varint(value);
}
std::string timestamp(int64_t seconds) {
  return varintField(1, static_cast<uint64_t>(seconds));
}

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(buffer >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 0x3f];
  return out;
}

runtime::ProgressMessage trace(const std::string& status) {
  runtime::ProgressMessage message;
  message.id = "moby.buildkit.trace";
  message.raw = {{"id", message.id}, {"aux", base64(status)}};
  return message;
}

runtime::ProgressMessage vertexMessage(const std::string& digest, const std::string& name,
                                       int64_t started, int64_t completed,
                                       const std::string& error = "") {
  std::string vertex = bytesField(1, digest) + bytesField(3, name);
  if (started != 0) vertex += bytesField(5, timestamp(started));
  if (completed != 0) vertex += bytesField(6, timestamp(completed));
  if (!error.empty()) vertex += bytesField(7, error);
  return trace(bytesField(1, vertex));
}

runtime::ProgressMessage logMessage(const std::string& digest, const std::string& data) {
  return trace(bytesField(3, bytesField(1, digest) + varintField(3, 1) + bytesField(4, data)));
}

}  // namespace

TEST_CASE("build tracker: BuildKit vertexes count as steps - the failed one gives the report") {
  images::BuildTracker tracker;
  CHECK(tracker.feed(vertexMessage("d1", "[1/3] FROM base", 1, 0)));
  CHECK(tracker.buildkit());
  CHECK(tracker.steps() == 1);
  CHECK(tracker.step() == 0);
  CHECK(tracker.feed(vertexMessage("d1", "[1/3] FROM base", 1, 2)));
  CHECK(tracker.step() == 1);
  CHECK_FALSE(tracker.feed(vertexMessage("d1", "[1/3] FROM base", 1, 2)));  // a repeat
  CHECK(tracker.feed(vertexMessage("d2", "[2/3] RUN make", 3, 0)));
  CHECK(tracker.instruction() == "[2/3] RUN make");
  tracker.feed(vertexMessage("d3", "[3/3] COPY a /a", 0, 0));  // known, not started
  CHECK(tracker.steps() == 3);
  CHECK(tracker.instruction() == "[2/3] RUN make");
  tracker.feed(logMessage("d2", "cc main.c\nmain.c:1: err"));
  tracker.feed(logMessage("d2", "or: boom\n"));
  tracker.feed(logMessage("d1", "other vertex\n"));
  tracker.feed(vertexMessage("d2", "[2/3] RUN make", 3, 4, "exit code: 2"));
  CHECK(tracker.where() == "[2/3] RUN make");
  CHECK(tracker.tail() == Strings{"cc main.c", "main.c:1: error: boom"});
  runtime::ProgressMessage failed;
  failed.error = "executor failed running [/bin/sh -c make]: exit code: 2";
  tracker.feed(failed);
  const Error error = images::buildError("app", tracker, "the engine said so");
  const std::string text = error.what();
  CHECK(text.find("at [2/3] RUN make: executor failed") != std::string::npos);
  CHECK(text.find("  main.c:1: error: boom") != std::string::npos);
  CHECK(text.find("service \"app\"") != std::string::npos);
  // A trace that does not decode is skipped, not fatal.
  runtime::ProgressMessage broken = trace("");
  broken.raw["aux"] = "%%";
  CHECK_FALSE(tracker.feed(broken));
}

TEST_CASE("build errors with a known cause say what to do") {
  images::BuildTracker tracker;
  runtime::ProgressMessage failed;
  failed.error = "no active sessions";
  tracker.feed(failed);
  CHECK(images::buildError("app", tracker, "").hint().find("secret") != std::string::npos);
  images::BuildTracker classic;
  failed.error = "the --mount option requires BuildKit. Refer to https://docs.docker.com/...";
  classic.feed(failed);
  CHECK(images::buildError("app", classic, "").hint().find("DOCKER_BUILDKIT") != std::string::npos);
  images::BuildTracker plain;
  CHECK(images::buildError("app", plain, "boom").hint().find("stack build app") !=
        std::string::npos);
}

TEST_CASE("builder choice: BuildKit where the engine has it - DOCKER_BUILDKIT decides first") {
  using runtime::BuilderRequest;
  runtime::EngineInfo docker{"1.41", "Docker/20.10.24", "linux", "amd64", false};
  CHECK(runtime::chooseBuilder(docker, BuilderRequest::Auto).buildkit);
  CHECK(runtime::chooseBuilder(docker, BuilderRequest::BuildKit).buildkit);
  CHECK_FALSE(runtime::chooseBuilder(docker, BuilderRequest::Classic).buildkit);
  runtime::EngineInfo podman = docker;
  podman.is_podman = true;
  const auto on_podman = runtime::chooseBuilder(podman, BuilderRequest::BuildKit);
  CHECK_FALSE(on_podman.buildkit);
  CHECK(on_podman.reason.find("podman") != std::string::npos);
  runtime::EngineInfo old = docker;
  old.api_version = "1.37";
  CHECK_FALSE(runtime::chooseBuilder(old, BuilderRequest::Auto).buildkit);
  old.api_version = "1.38";
  CHECK(runtime::chooseBuilder(old, BuilderRequest::Auto).buildkit);
  runtime::EngineInfo windows = docker;
  windows.os = "windows";
  CHECK_FALSE(runtime::chooseBuilder(windows, BuilderRequest::Auto).buildkit);

  CHECK(runtime::builderRequestFromEnv("") == BuilderRequest::Auto);
  CHECK(runtime::builderRequestFromEnv("0") == BuilderRequest::Classic);
  CHECK(runtime::builderRequestFromEnv("false") == BuilderRequest::Classic);
  CHECK(runtime::builderRequestFromEnv("1") == BuilderRequest::BuildKit);
  CHECK(runtime::builderRequestFromEnv("true") == BuilderRequest::BuildKit);
  CHECK_THROWS_AS(runtime::builderRequestFromEnv("yes"), Error);
}

TEST_CASE("pull tracker: bytes summed over layers - existing layers count for nothing") {
  images::PullTracker tracker;
  auto layer = [](std::string id, std::string status, int64_t current = 0, int64_t total = 0) {
    runtime::ProgressMessage message;
    message.id = std::move(id);
    message.status = std::move(status);
    message.current = current;
    message.total = total;
    return message;
  };
  tracker.feed(layer("a", "Pulling fs layer"));
  tracker.feed(layer("b", "Already exists"));
  tracker.feed(layer("c", "Downloading", 10, 100));
  tracker.feed(layer("a", "Downloading", 5, 50));
  CHECK(tracker.current() == 15);
  CHECK(tracker.total() == 150);
  tracker.feed(layer("a", "Download complete"));
  CHECK(tracker.current() == 60);
  tracker.feed(layer("", "Status: Image is up to date for x:1"));
  CHECK(tracker.upToDate());
}

// ---------------------------------------------------------------------------------------
// The per-service decisions

namespace {

compose::Service builds(const std::string& name, const std::string& image = {}) {
  compose::Service service = test::service(name, image);
  service.build = compose::BuildConfig{};
  service.build->context = "/src/" + name;
  return service;
}

std::map<std::string, images::LocalImage> present(const std::vector<std::string>& images) {
  std::map<std::string, images::LocalImage> local;
  for (const auto& image : images) local[image] = images::LocalImage{"sha256:" + image, "", ""};
  return local;
}

std::vector<std::string> describe(const std::vector<images::ImageTask>& tasks) {
  std::vector<std::string> out;
  for (const auto& task : tasks) {
    std::string text = task.service;
    if (task.pull) text += " pull";
    if (task.build) text += " build";
    if (task.build_if_pull_fails) text += " (or build)";
    out.push_back(text);
  }
  return out;
}

std::vector<std::string> plan(const compose::Project& project, const images::ImageOptions& options,
                              const std::map<std::string, images::LocalImage>& local,
                              std::set<std::string> services = {}) {
  if (services.empty()) {
    for (const auto& [name, _] : project.services) services.insert(name);
  }
  return describe(
      images::planImages(project, services, options, local, std::chrono::system_clock::now()));
}

}  // namespace

TEST_CASE("image plan: up builds what is missing - --build checks every build - --no-build none") {
  auto project = test::project(
      {builds("app"), builds("api", "registry.io/api:1"), test::service("db", "postgres:16")});
  images::ImageOptions options;
  CHECK(plan(project, options, {}) == Strings{"api build", "app build", "db pull"});
  CHECK(plan(project, options, present({"demo-app", "registry.io/api:1", "postgres:16"})).empty());
  options.build = images::BuildMode::Changed;
  CHECK(plan(project, options, present({"demo-app", "registry.io/api:1", "postgres:16"})) ==
        Strings{"api build", "app build"});
  options.build = images::BuildMode::Never;
  CHECK(plan(project, options, present({"demo-app", "registry.io/api:1"})) == Strings{"db pull"});
  try {
    plan(project, options, present({"registry.io/api:1", "postgres:16"}));
    FAIL("--no-build with a missing image must fail");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::NotFound);
    CHECK(error.message().find("service \"app\"") != std::string::npos);
    CHECK(error.message().find("--no-build") != std::string::npos);
  }
}

TEST_CASE("image plan: pull policies of services that build and of those that do not") {
  auto project = test::project({builds("app", "registry.io/app:1"), test::service("db", "pg:16"),
                                test::service("cache", "redis:7")});
  project.services.at("app").pull_policy = "missing";
  project.services.at("db").pull_policy = "always";
  project.services.at("cache").pull_policy = "never";
  images::ImageOptions options;
  CHECK(plan(project, options, present({"redis:7"})) == Strings{"app pull (or build)", "db pull"});
  CHECK(plan(project, options, present({"redis:7", "registry.io/app:1", "pg:16"})) ==
        Strings{"db pull"});
  try {
    plan(project, options, {});
    FAIL("pull_policy never with a missing image must fail");
  } catch (const Error& error) {
    CHECK(error.message().find("service \"cache\"") != std::string::npos);
    CHECK(error.message().find("pull_policy: never") != std::string::npos);
  }
  // --pull overrides every policy.
  options.pull = "always";
  CHECK(plan(project, options, present({"redis:7", "registry.io/app:1", "pg:16"})) ==
        Strings{"app pull (or build)", "cache pull", "db pull"});
  options.pull = "never";
  CHECK(plan(project, options, present({"redis:7", "registry.io/app:1", "pg:16"})).empty());
  // pull_policy: build always builds (hash-checked); without a build section it is an error.
  project.services.at("app").pull_policy = "build";
  options.pull.clear();
  CHECK(plan(project, options, present({"redis:7", "registry.io/app:1", "pg:16"})) ==
        Strings{"app build", "db pull"});
  project.services.at("db").pull_policy = "build";
  CHECK_THROWS_AS(plan(project, options, present({"redis:7", "pg:16"})), Error);
}

TEST_CASE("image plan: refresh policies pull images older than their period") {
  auto project = test::project({test::service("db", "pg:16")});
  project.services.at("db").pull_policy = "every_12h";
  CHECK(images::refreshPeriod("daily") == std::chrono::seconds(24h));
  CHECK(images::refreshPeriod("weekly") == std::chrono::seconds(7 * 24h));
  CHECK(images::refreshPeriod("every_12h") == std::chrono::seconds(12h));
  CHECK_FALSE(images::refreshPeriod("always"));
  const auto now = std::chrono::system_clock::from_time_t(1704067200);  // 2024-01-01T00:00Z
  std::map<std::string, images::LocalImage> local{
      {"pg:16", {"sha256:1", "2023-12-31T20:00:00.5Z", ""}}};
  std::set<std::string> all{"db"};
  CHECK(images::planImages(project, all, {}, local, now).empty());
  local["pg:16"].created = "2023-12-31T11:00:00+00:00";
  CHECK(images::planImages(project, all, {}, local, now).size() == 1);
}

TEST_CASE("image plan: a shared image is built once and services using it do not pull it") {
  auto project = test::project({builds("web", "shop:dev"), test::service("worker", "shop:dev"),
                                builds("admin", "shop:dev")});
  CHECK(plan(project, {}, {}) == Strings{"admin build"});
  // Without the builder selected, the worker's image is pulled as any other.
  CHECK(plan(project, {}, {}, {"worker"}) == Strings{"worker pull"});
}

}  // namespace stack::orchestrator
