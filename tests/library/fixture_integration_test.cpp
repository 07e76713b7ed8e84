// ComposeFixture against dockerd: start with waits, endpoints, teardown by RAII, failure
// paths that tear down before the error leaves start(), reuse, leftovers of a SIGKILLed
// process, and 8 fixtures of one file in parallel.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "stack/testing/compose_fixture.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

using std::chrono::seconds;
using testing::ComposeFixture;

const char* kWebProject = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && echo serving && exec httpd -f -p 8080 -h /www"]
    ports: ["8080"]
  worker:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "sleep 1; echo worker ready; exec sleep 3600"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
)";

// Containers labelled with the project, stopped ones too (the docker CLI as observer).
std::vector<std::string> containersOf(const TestProject& test, const std::string& project) {
  return lines(
      test.docker({"ps", "-aq", "--filter", "label=com.docker.compose.project=" + project}).out);
}

// Removes what a fixture left if the test failed midway (the fixture's own teardown is
// what is under test, so this runs after the checks).
struct Sweep {
  const TestProject& test;
  std::vector<std::string> projects;
  ~Sweep() {
    for (const auto& project : projects) {
      for (const auto& id : containersOf(test, project)) test.docker({"rm", "-f", "-v", id});
      test.docker({"network", "rm", project + "_default"});
    }
  }
};

std::string failureOf(ComposeFixture& fixture, ErrorKind* kind = nullptr) {
  try {
    fixture.start();
  } catch (const Error& error) {
    if (kind) *kind = error.kind();
    return error.what();
  }
  FAIL("start() succeeded");
  return {};
}

}  // namespace

TEST_CASE("fixture: start waits per service, serves endpoints, and the destructor removes all") {
  requireEngine();
  TestProject test(kWebProject, "fx");
  Sweep sweep{test, {}};
  std::string name;
  {
    ComposeFixture fixture({test.dir() + "/compose.yaml"});
    fixture.waitFor("web", Wait::http(8080, "/index.html").timeout(seconds(20)))
        .waitFor("web", Wait::port(8080))
        .waitFor("worker", Wait::log("^worker ready$").timeout(seconds(20)))
        .waitFor("worker", Wait::healthy().timeout(seconds(20)));
    fixture.start();
    name = fixture.projectName();
    sweep.projects.push_back(name);
    CHECK(name.rfind("fx-", 0) == 0);
    CHECK_FALSE(fixture.reused());
    const Endpoint at = fixture.endpoint("web", 8080);
    CHECK(at.host == "127.0.0.1");
    CHECK(at.port != 0);
    CHECK(fixture.url("web", 8080, "index.html") ==
          "http://127.0.0.1:" + std::to_string(at.port) + "/index.html");
    const ExecResult cat = fixture.exec("web", {"cat", "/www/index.html"});
    CHECK(cat.exit_code == 0);
    CHECK(cat.stdout_text == "hello\n");
    const auto logs = fixture.logs("worker");
    CHECK(std::find(logs.begin(), logs.end(), "worker ready") != logs.end());
    CHECK(containersOf(test, name).size() == 2);
    // Its containers carry the owner and lease labels the reaper reads.
    CHECK_FALSE(test.containerLabel(name + "-web-1", "dev.stack.fixture.owner").empty());
    CHECK_FALSE(test.containerLabel(name + "-web-1", "dev.stack.fixture.lease").empty());
  }
  CHECK(containersOf(test, name).empty());
  CHECK(lines(test.docker({"network", "ls", "-q", "--filter", "name=" + name}).out).empty());
}

TEST_CASE("fixture: the destructor tears down when the test throws") {
  requireEngine();
  TestProject test(kWebProject, "fx");
  Sweep sweep{test, {}};
  std::string name;
  try {
    ComposeFixture fixture({test.dir() + "/compose.yaml"});
    fixture.start();
    name = fixture.projectName();
    sweep.projects.push_back(name);
    throw std::runtime_error("the test failed");
  } catch (const std::runtime_error&) {
  }
  REQUIRE_FALSE(name.empty());
  CHECK(containersOf(test, name).empty());
}

TEST_CASE(
    "fixture: a wait that never succeeds fails within its timeout, with log lines, torn down") {
  requireEngine();
  TestProject test(kWebProject, "fx");
  Sweep sweep{test, {}};
  ComposeFixture fixture({test.dir() + "/compose.yaml"});
  fixture.waitFor("web", Wait::log("^never printed$").timeout(seconds(2)));
  const auto started = std::chrono::steady_clock::now();
  ErrorKind kind = ErrorKind::Internal;
  const std::string what = failureOf(fixture, &kind);
  sweep.projects.push_back(fixture.projectName());
  CHECK(std::chrono::steady_clock::now() - started < seconds(30));
  CHECK(kind == ErrorKind::Timeout);
  CHECK(what.find("service \"web\"") != std::string::npos);
  CHECK(what.find("serving") != std::string::npos);  // the last log lines
  CHECK(containersOf(test, fixture.projectName()).empty());
}

TEST_CASE("fixture: a port the service does not publish, and an invalid file, are typed errors") {
  requireEngine();
  TestProject test(kWebProject, "fx");
  Sweep sweep{test, {}};
  ComposeFixture unpublished({test.dir() + "/compose.yaml"});
  unpublished.waitFor("worker", Wait::port(5432));
  ErrorKind kind = ErrorKind::Internal;
  const std::string what = failureOf(unpublished, &kind);
  sweep.projects.push_back(unpublished.projectName());
  CHECK(kind == ErrorKind::NotFound);
  CHECK(what.find("does not publish port 5432") != std::string::npos);
  CHECK(containersOf(test, unpublished.projectName()).empty());

  test.writeFile("bad.yaml", "services:\n  web:\n    ports: [\"not-a-port\"]\n    image: x\n");
  ComposeFixture invalid({test.dir() + "/bad.yaml"});
  CHECK(failureOf(invalid, &kind).find("bad.yaml") != std::string::npos);
  CHECK(kind == ErrorKind::Config);
}

TEST_CASE("fixture: reuse finds the running project by its config hash") {
  requireEngine();
  TestProject test(kWebProject, "fx");
  Sweep sweep{test, {}};
  std::string name;
  {
    ComposeFixture first({test.dir() + "/compose.yaml"});
    first.reuse().waitFor("web", Wait::port(8080));
    first.start();
    name = first.projectName();
    sweep.projects.push_back(name);
    CHECK(name.rfind("fxr-", 0) == 0);
    CHECK_FALSE(first.reused());
  }
  CHECK(containersOf(test, name).size() == 2);  // left running for the next run
  {
    ComposeFixture second({test.dir() + "/compose.yaml"});
    second.reuse().waitFor("web", Wait::port(8080));
    second.start();
    CHECK(second.projectName() == name);
    CHECK(second.reused());
  }
  // A changed file is another config hash: another project, not the reused one.
  test.writeFile(
      "compose.yaml",
      std::string(kWebProject) +
          "  extra:\n    image: stack-test/busybox:latest\n    command: [\"sleep\", \"3600\"]\n");
  ComposeFixture changed({test.dir() + "/compose.yaml"});
  changed.reuse();
  changed.start();
  sweep.projects.push_back(changed.projectName());
  CHECK(changed.projectName() != name);
  CHECK_FALSE(changed.reused());
  changed.project().down({.volumes = true});
  Project::load({.files = {test.dir() + "/compose.yaml"}, .project_name = name})
      .down({.volumes = true});
  CHECK(containersOf(test, name).empty());
}

TEST_CASE("fixture: leftovers of a SIGKILLed test process are reaped by the next start") {
  requireEngine();
  TestProject test(kWebProject, "fx");
  Sweep sweep{test, {}};
  const std::string script = std::string("\"") + STACK_FIXTURE_HOLDER +
                             "\" compose.yaml > name.txt 2> holder.err & pid=$!\n"
                             "for i in $(seq 1 600); do grep -q fx- name.txt && break; kill -0 "
                             "$pid || break; sleep 0.1; done\n"
                             "echo $pid > pid.txt\n";
  CommandOptions options;
  options.cwd = test.dir();
  auto started = runShell(script, options);
  REQUIRE(started.exit_code == 0);
  const auto name_lines = lines(runShell("cat name.txt", options).out);
  const auto pid_lines = lines(runShell("cat pid.txt", options).out);
  REQUIRE_MESSAGE(name_lines.size() == 1, runShell("cat holder.err", options).out);
  const std::string name = name_lines.front();
  sweep.projects.push_back(name);
  CHECK(containersOf(test, name).size() == 2);

  // While its owner lives, the project is not a leftover.
  auto reaped = testing::reapExpiredFixtures();
  CHECK(std::find(reaped.begin(), reaped.end(), name) == reaped.end());
  CHECK(containersOf(test, name).size() == 2);

  REQUIRE(runShell("kill -9 " + pid_lines.front(), options).exit_code == 0);
  for (int i = 0; i < 50 && runShell("kill -0 " + pid_lines.front(), options).exit_code == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(containersOf(test, name).size() == 2);  // SIGKILL: no teardown ran
  {
    ComposeFixture next({test.dir() + "/compose.yaml"});
    next.start();  // sweeps before it starts
    sweep.projects.push_back(next.projectName());
  }
  CHECK(containersOf(test, name).empty());
  CHECK(lines(test.docker({"network", "ls", "-q", "--filter", "name=" + name + "_"}).out).empty());
}

TEST_CASE("fixture: 8 fixtures of one file start in parallel without collisions") {
  requireEngine();
  TestProject test(kWebProject, "fx");
  Sweep sweep{test, {}};
  constexpr int kCount = 8;
  std::vector<std::string> names(kCount), failures(kCount);
  std::vector<uint16_t> ports(kCount, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCount; ++i) {
    threads.emplace_back([&, i] {
      try {
        ComposeFixture fixture({test.dir() + "/compose.yaml"});
        fixture.waitFor("web", Wait::http(8080).timeout(seconds(60))).timeout(seconds(90));
        fixture.start();
        names[i] = fixture.projectName();
        ports[i] = fixture.endpoint("web", 8080).port;
        if (fixture.exec("web", {"cat", "/www/index.html"}).stdout_text != "hello\n")
          failures[i] = "unexpected exec output";
      } catch (const std::exception& error) {
        failures[i] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < kCount; ++i) {
    CHECK_MESSAGE(failures[i].empty(), failures[i]);
    if (!names[i].empty()) sweep.projects.push_back(names[i]);
  }
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == kCount);
  CHECK(std::set<uint16_t>(ports.begin(), ports.end()).size() == kCount);
  for (const auto& name : names) CHECK(containersOf(test, name).empty());
}

}  // namespace stack::test
