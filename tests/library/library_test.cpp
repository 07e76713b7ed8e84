// The library and fixture API without an engine: loading, config hashes, labels, and the
// errors that must come before anything starts.

#include <doctest/doctest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>

#include "stack/asio.hpp"
#include "stack/project.hpp"
#include "stack/testing/compose_fixture.hpp"
#include "testing/fixture_owner.hpp"

namespace stack::test {
namespace {

namespace fs = std::filesystem;

// A compose file in a fresh temporary directory, removed afterwards.
struct TempCompose {
  explicit TempCompose(const std::string& yaml) {
    dir = fs::temp_directory_path() /
          ("stack-lib-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir);
    write(yaml);
  }
  ~TempCompose() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  void write(const std::string& yaml) const { std::ofstream(dir / "compose.yaml") << yaml; }
  std::string file() const { return (dir / "compose.yaml").string(); }
  fs::path dir;
  static inline int counter = 0;
};

const char* kTwoServices = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "${NAP:-3600}"]
  cache:
    image: stack-test/busybox:latest
)";

ErrorKind kindOf(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& error) {
    return error.kind();
  }
  FAIL("no stack::Error was thrown");
  return ErrorKind::Internal;
}

}  // namespace

TEST_CASE("Project::load names the project and lists its services") {
  TempCompose compose(kTwoServices);
  Project project = Project::load({.files = {compose.file()}, .project_name = "libtest"});
  CHECK(project.name() == "libtest");
  CHECK(project.services() == std::vector<std::string>{"cache", "web"});
}

TEST_CASE("Project::load fails with a typed error for a missing or invalid file") {
  TempCompose compose("services:\n  web:\n    image: [unclosed\n");
  try {
    Project::load({.files = {compose.file()}});
    FAIL("an invalid file loaded");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Config);
    CHECK(std::string(error.what()).find("compose.yaml:") != std::string::npos);
  }
  CHECK(kindOf([&] { Project::load({.files = {(compose.dir / "nope.yaml").string()}}); }) ==
        ErrorKind::Config);
}

TEST_CASE("configHash is stable for the same file and follows env overrides and labels") {
  TempCompose compose(kTwoServices);
  const ProjectOptions base{.files = {compose.file()}, .project_name = "libtest"};
  const std::string first = Project::load(base).configHash();
  CHECK(first.size() == 16);
  CHECK(Project::load(base).configHash() == first);
  ProjectOptions napping = base;
  napping.environment["NAP"] = "5";
  CHECK(Project::load(napping).configHash() != first);
  ProjectOptions labelled = base;
  labelled.labels["org.example.suite"] = "a";
  CHECK(Project::load(labelled).configHash() != first);
}

TEST_CASE("waitFor a service the project does not have is a usage error, before any engine call") {
  TempCompose compose(kTwoServices);
  Project project = Project::load({.files = {compose.file()}, .project_name = "libtest"});
  CHECK(kindOf([&] { project.waitFor("wbe", Wait::healthy()); }) == ErrorKind::Usage);
}

TEST_CASE("the awaitable waitFor fails the same way, on the caller's loop") {
  TempCompose compose(kTwoServices);
  Project project = Project::load({.files = {compose.file()}, .project_name = "libtest"});
  boost::asio::io_context io;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, async::waitFor(project, "wbe", Wait::healthy()),
                        [&](std::exception_ptr error) { failure = error; });
  io.run();
  REQUIRE(failure);
  CHECK(kindOf([&] { std::rethrow_exception(failure); }) == ErrorKind::Usage);
}

TEST_CASE(
    "ComposeFixture start fails before starting anything for a typo in a wait or a bad file") {
  TempCompose compose(kTwoServices);
  testing::ComposeFixture typo({compose.file()});
  typo.waitFor("wbe", Wait::port(80));
  CHECK(kindOf([&] { typo.start(); }) == ErrorKind::Usage);
  testing::ComposeFixture missing({(compose.dir / "missing.yaml").string()});
  CHECK(kindOf([&] { missing.start(); }) == ErrorKind::Config);
  CHECK(kindOf([&] { (void)missing.projectName(); }) == ErrorKind::Usage);
}

TEST_CASE("fixture owners expire when their process is gone or their lease has passed") {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = [&](int delta) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() + delta);
  };
  const std::string me = testing::currentOwner();
  CHECK_FALSE(testing::ownerExpired(me, seconds(3600), now));
  // This process, lease over: still ours while we live on this host.
  CHECK_FALSE(testing::ownerExpired(me, seconds(-10), now));
  const std::string host = me.substr(0, me.find('/'));
  CHECK(testing::ownerExpired(host + "/999999999/1", seconds(3600), now));  // no such pid
  // Our pid with another start time: the pid was recycled.
  CHECK(testing::ownerExpired(host + "/" + std::to_string(::getpid()) + "/1", seconds(3600), now));
  CHECK(testing::ownerExpired("elsewhere/1/1", seconds(-10), now));
  CHECK_FALSE(testing::ownerExpired("elsewhere/1/1", seconds(3600), now));
}

}  // namespace stack::test
