// stack::async (stack/asio.hpp) against dockerd: the same calls awaited on the caller's
// io_context, which keeps serving other work meanwhile; cancellation; typed failures.

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <optional>

#include "stack/asio.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
using std::chrono::milliseconds;
// g++ 12 cannot keep array temporaries (string literals, braced lists) in a co_await.
using namespace std::string_literals;

// httpd that starts serving after a second, and a job that fails.
const char* kAsyncProject = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && sleep 1 && echo serving now && exec httpd -f -p 8080 -h /www"]
    ports: ["8080"]
  job:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "echo job failed; exit 4"]
    profiles: [jobs]
)";

Project loadTest(const TestProject& test, std::vector<std::string> profiles = {}) {
  return Project::load({.files = {test.dir() + "/compose.yaml"},
                        .project_name = test.name(),
                        .profiles = std::move(profiles)});
}

// Runs `body` on a fresh io_context to completion; rethrows what it threw.
void runLoop(const std::function<asio::awaitable<void>()>& body) {
  asio::io_context io;
  std::exception_ptr failure;
  asio::co_spawn(io, body(), [&](std::exception_ptr error) { failure = error; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

// Counts ticks until cancelled: proof that the loop was not blocked meanwhile. Ends by
// itself after 20 s, so a race against a wait that failed cannot hang the test.
asio::awaitable<void> ticker(int& ticks) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int i = 0; i < 1000; ++i) {
    timer.expires_after(milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
    ++ticks;
  }
}

}  // namespace

TEST_CASE("async: up, waitFor, endpoint, exec, logs and down on the caller's loop") {
  requireEngine();
  TestProject test(kAsyncProject, "async");
  Project project = loadTest(test);
  // Collected on the loop, checked after it: doctest's assertions stay out of coroutines.
  int ticks = 0;
  size_t waited_index = 99;
  Endpoint web;
  ExecResult result;
  size_t log_lines = 0, running = 0, left = 99;
  runLoop([&]() -> asio::awaitable<void> {
    UpOptions no_wait;
    no_wait.wait = false;
    co_await async::up(project, no_wait);
    // The log line comes a second after the start; the ticker runs on the same loop.
    auto waited =
        co_await (async::waitFor(project, "web"s, Wait::log("serving now"s)) || ticker(ticks));
    waited_index = waited.index();
    co_await async::waitFor(project, "web"s, Wait::http(8080, "/index.html"s));
    web = co_await async::endpoint(project, "web"s, 8080);
    std::vector<std::string> cat{"cat", "/www/index.html"};
    result = co_await async::exec(project, "web"s, cat);
    const auto lines = co_await async::logs(project, "web"s);
    log_lines = lines.size();
    const auto containers = co_await async::ps(project);
    running = containers.size();
    DownOptions with_volumes;
    with_volumes.volumes = true;
    co_await async::down(project, with_volumes);
    const auto remaining = co_await async::ps(project, true);
    left = remaining.size();
  });
  CHECK(waited_index == 0);
  CHECK(ticks > 10);  // at least 200 ms of the second-long wait were served to the ticker
  CHECK(web.host == "127.0.0.1");
  CHECK(web.port != 0);
  CHECK(result.exit_code == 0);
  CHECK(result.stdout_text == "hi\n");
  CHECK(log_lines > 0);
  CHECK(running == 1);
  CHECK(left == 0);
}

TEST_CASE("async: a wait raced against a timer is cancelled, and failures are typed errors") {
  requireEngine();
  TestProject test(kAsyncProject, "async");
  Project project = loadTest(test, {"jobs"});
  size_t raced_index = 99;
  std::optional<Error> up_failure;
  std::optional<Error> exec_failure;
  runLoop([&]() -> asio::awaitable<void> {
    UpOptions web_only;
    web_only.services = {"web"};
    web_only.wait = false;
    co_await async::up(project, web_only);
    asio::steady_timer timer(co_await asio::this_coro::executor, milliseconds(300));
    auto raced = co_await (async::waitFor(project, "web"s, Wait::log("never printed"s)) ||
                           timer.async_wait(asio::use_awaitable));
    raced_index = raced.index();
    try {
      UpOptions job_only;
      job_only.services = {"job"};
      job_only.timeout = std::chrono::seconds(20);
      co_await async::up(project, job_only);
    } catch (const Error& error) {
      up_failure = error;
    }
    try {
      std::vector<std::string> argv{"true"};
      co_await async::exec(project, "nosuch"s, argv);
    } catch (const Error& error) {
      exec_failure = error;
    }
    DownOptions with_volumes;
    with_volumes.volumes = true;
    co_await async::down(project, with_volumes);
  });
  CHECK(raced_index == 1);  // the timer won; the wait ended without a hang
  REQUIRE(up_failure);
  CHECK(up_failure->kind() == ErrorKind::Dependency);
  CHECK(up_failure->describe().find("job") != std::string::npos);
  REQUIRE(exec_failure);
  CHECK(exec_failure->kind() != ErrorKind::Internal);
}

}  // namespace stack::test
