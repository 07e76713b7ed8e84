// stack::Project against dockerd: up, ps, exec, logs, port and endpoint, down, and the
// typed errors of each failure path.

#include <doctest/doctest.h>

#include <functional>

#include "stack/project.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

// A busybox httpd on an ephemeral host port, and a sidecar that publishes nothing.
const char* kWebProject = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && echo serving && exec httpd -f -p 8080 -h /www"]
    ports: ["8080"]
  side:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
)";

Project loadTest(const TestProject& test) {
  return Project::load({.files = {test.dir() + "/compose.yaml"}, .project_name = test.name()});
}

ErrorKind kindOf(const std::function<void()>& body, std::string* what = nullptr) {
  try {
    body();
  } catch (const Error& error) {
    if (what) *what = error.describe();
    return error.kind();
  }
  FAIL("no stack::Error was thrown");
  return ErrorKind::Internal;
}

}  // namespace

TEST_CASE("Project up, ps, exec, logs, endpoint and down against the engine") {
  requireEngine();
  TestProject test(kWebProject, "lib");
  Project project = loadTest(test);
  project.up({.timeout = std::chrono::seconds(30)});

  const auto containers = project.ps();
  REQUIRE(containers.size() == 2);
  CHECK(containers[0].service == "side");
  CHECK(containers[1].service == "web");
  CHECK(containers[1].number == 1);
  CHECK(containers[1].state == "running");

  const ExecResult echo = project.exec("side", {"sh", "-c", "echo out; echo err >&2; exit 3"});
  CHECK(echo.exit_code == 3);
  CHECK(echo.stdout_text == "out\n");
  CHECK(echo.stderr_text == "err\n");

  bool served = false;
  for (const auto& line : project.logs("web")) served = served || line.text == "serving";
  CHECK(served);

  const Endpoint at = project.endpoint("web", 8080);
  CHECK(at.host == "127.0.0.1");
  CHECK(at.port != 0);
  for (const auto& binding : project.port("web", 8080)) CHECK(binding.host_port != 0);
  project.waitFor("web", Wait::http(8080, "/index.html").timeout(std::chrono::seconds(10)));

  project.down({.volumes = true});
  CHECK(project.ps(true).empty());
  CHECK(test.containerIds().empty());
}

TEST_CASE("Project failure paths: not running, not published, a wait that fails") {
  requireEngine();
  TestProject test(kWebProject, "lib");
  Project project = loadTest(test);
  std::string what;
  CHECK(kindOf([&] { project.exec("web", {"true"}); }, &what) == ErrorKind::NotFound);
  CHECK(what.find("web") != std::string::npos);
  CHECK(kindOf([&] { (void)project.endpoint("web", 8080); }) == ErrorKind::NotFound);

  project.up({.timeout = std::chrono::seconds(30)});
  CHECK(kindOf([&] { (void)project.endpoint("side", 80); }, &what) == ErrorKind::NotFound);
  CHECK(what.find("does not publish port 80/tcp") != std::string::npos);
  CHECK(kindOf([&] { project.waitFor("side", Wait::port(80)); }) == ErrorKind::NotFound);
  const auto started = std::chrono::steady_clock::now();
  CHECK(kindOf(
            [&] {
              project.waitFor("web", Wait::log("^never printed$").timeout(std::chrono::seconds(2)));
            },
            &what) == ErrorKind::Timeout);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  CHECK(what.find("service \"web\"") != std::string::npos);
  CHECK(what.find("serving") != std::string::npos);  // its last log lines
  project.down({.volumes = true});
}

TEST_CASE("Project up --wait on a service that exits fails with a Dependency error naming it") {
  requireEngine();
  TestProject test(R"(
services:
  broken:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "echo cannot start; exit 1"]
)",
                   "lib");
  Project project = loadTest(test);
  std::string what;
  const ErrorKind kind = kindOf([&] { project.up({.timeout = std::chrono::seconds(20)}); }, &what);
  CHECK((kind == ErrorKind::Dependency || kind == ErrorKind::Timeout));
  CHECK(what.find("broken") != std::string::npos);
  project.down({.volumes = true});
  CHECK(test.containerIds().empty());
}

}  // namespace stack::test
