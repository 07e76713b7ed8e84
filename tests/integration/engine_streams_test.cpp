// The engine client's streams against dockerd: logs, attach, events and build, each
// decoded incrementally and cancellable by racing a timer.

#include <doctest/doctest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/error.hpp"
#include "runtime/context/build_context.hpp"
#include "tests/support/engine_fixture.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

// The output as "O:<stdout>E:<stderr>". The engine copies the two pipes independently,
// so only the order within each stream is defined.
asio::awaitable<std::string> drain(runtime::OutputStream& stream) {
  std::string out, err;
  while (auto chunk = co_await stream.next()) {
    (chunk->kind == runtime::OutputKind::Stderr ? err : out) += chunk->data;
  }
  co_return "O:" + out + "E:" + err;
}

asio::awaitable<void> sleepFor(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace

TEST_CASE("logs separate stdout from stderr, and a TTY container's logs come raw") {
  EngineFixture f;
  auto& engine = f.engine();
  auto request = f.container("logs", {"sh", "-c", "echo out; echo err >&2"});
  const std::string id = f.run(engine.createContainer(request));
  auto tty_request = f.container("logs-tty", {"sh", "-c", "echo tty"});
  tty_request.config.tty = true;
  const std::string tty_id = f.run(engine.createContainer(tty_request));
  f.run([&]() -> asio::awaitable<void> {
    co_await engine.startContainer(id);
    co_await engine.waitContainer(id, runtime::WaitCondition::NotRunning);
    co_await engine.startContainer(tty_id);
    co_await engine.waitContainer(tty_id, runtime::WaitCondition::NotRunning);
  }());
  auto text = f.run([&]() -> asio::awaitable<std::string> {
    const runtime::LogsOptions options;
    auto stream = co_await engine.logs(id, options);
    co_return co_await drain(*stream);
  }());
  CHECK(text == "O:out\nE:err\n");
  auto tty_text = f.run([&]() -> asio::awaitable<std::string> {
    runtime::LogsOptions options;
    options.tty = true;
    auto stream = co_await engine.logs(tty_id, options);
    co_return co_await drain(*stream);
  }());
  CHECK(tty_text == "O:tty\r\nE:");
}

TEST_CASE("a followed log stream delivers new lines and ends when its timer wins the race") {
  EngineFixture f;
  auto& engine = f.engine();
  auto request = f.container(
      "follow", {"sh", "-c", "i=0; while true; do echo line$i; i=$((i+1)); sleep 0.1; done"});
  const std::string id = f.run(engine.createContainer(request));
  f.run(engine.startContainer(id));
  auto [lines, timed_out] = f.run([&]() -> asio::awaitable<std::pair<int, bool>> {
    runtime::LogsOptions options;
    options.follow = true;
    auto stream = co_await engine.logs(id, options);
    int seen = 0;
    auto reader = [&]() -> asio::awaitable<void> {
      while (auto chunk = co_await stream->next()) {
        for (char c : chunk->data) seen += c == '\n';
      }
    };
    auto outcome = co_await (reader() || sleepFor(std::chrono::milliseconds(1500)));
    co_return std::pair(seen, outcome.index() == 1);
  }());
  CHECK(timed_out);  // the stream never ends by itself: the timer ended it
  CHECK(lines >= 5);
}

TEST_CASE("attach before start sees all output and forwards stdin") {
  EngineFixture f;
  auto& engine = f.engine();
  auto request = f.container("attach", {"sh", "-c", "echo ready; read line; echo got:$line"});
  request.config.open_stdin = true;
  request.config.stdin_once = true;
  request.config.attach_stdin = true;
  const std::string id = f.run(engine.createContainer(request));
  auto text = f.run([&]() -> asio::awaitable<std::string> {
    const runtime::AttachOptions options{.stdin = true};
    auto stream = co_await engine.attach(id, options);
    co_await engine.startContainer(id);
    co_await stream->write("hello\n");
    co_return co_await drain(*stream);
  }());
  CHECK(text == "O:ready\ngot:hello\nE:");
}

TEST_CASE("events stream the project's container events and stop when cancelled") {
  EngineFixture f;
  auto& engine = f.engine();
  std::map<std::string, std::string> die_attributes;
  // Built outside the coroutine: g++ 12 rejects braced lists inside co_await expressions.
  const auto request = f.container("events", {"true"});
  auto actions = f.run([&]() -> asio::awaitable<std::vector<std::string>> {
    runtime::EventFilter filter;
    filter.types = {"container"};
    filter.labels = {"dev.stack.test=" + f.id()};
    auto stream = co_await engine.events(filter);
    const std::string id = co_await engine.createContainer(request);
    co_await engine.startContainer(id);
    std::vector<std::string> seen;
    auto reader = [&]() -> asio::awaitable<void> {
      while (auto event = co_await stream->next()) {
        seen.push_back(event->action);
        if (event->action == "die") {
          die_attributes = event->attributes;
          co_return;
        }
      }
    };
    co_await (reader() || sleepFor(std::chrono::seconds(30)));
    stream->cancel();
    co_return seen;
  }());
  REQUIRE(actions.size() >= 3);
  CHECK(actions[0] == "create");
  CHECK(actions[1] == "start");
  CHECK(actions.back() == "die");
  CHECK(die_attributes["exitCode"] == "0");
  CHECK(die_attributes["name"] == f.name("events"));
}

TEST_CASE(
    "build streams the steps, labels the image, and reports a failing step as a Build error") {
  EngineFixture f;
  auto& engine = f.engine();
  const fs::path dir = fs::temp_directory_path() / f.name("ctx");
  fs::create_directories(dir);
  std::ofstream(dir / "Dockerfile") << "FROM " << kTestImage << "\nCOPY hello.txt /hello.txt\n"
                                    << "RUN test -s /hello.txt\n";
  std::ofstream(dir / "hello.txt") << "hello\n";
  std::ofstream(dir / "ignored.txt") << "not sent\n";
  std::ofstream(dir / ".dockerignore") << "ignored.txt\n";

  auto build = [&](std::string dockerfile_inline) -> asio::awaitable<std::string> {
    runtime::context::BuildContextOptions options{dir, "Dockerfile", std::nullopt};
    if (!dockerfile_inline.empty()) options.dockerfile_inline = dockerfile_inline;
    auto context = runtime::context::BuildContext::open(options);
    runtime::BuildRequest request;
    request.context = context.tar();
    request.dockerfile = context.dockerfile();
    request.tags = {f.name("image") + ":latest"};
    request.labels = f.labels();
    auto stream = co_await engine.buildImage(std::move(request));
    std::string image;
    while (auto message = co_await stream->next()) {
      if (!message->aux_id.empty()) image = message->aux_id;
    }
    co_return image;
  };
  const std::string image = f.run(build(""));
  REQUIRE(image.rfind("sha256:", 0) == 0);
  auto details = f.run(engine.inspectImage(f.name("image")));
  CHECK(details.id == image);
  CHECK(details.config.labels.at("dev.stack.test") == f.id());

  try {
    f.run(build("FROM " + std::string(kTestImage) + "\nRUN test -e /ignored.txt\n"));
    FAIL("the failing build did not throw");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Build);
    // BuildKit's "exit code: 1", or the classic builder's "returned a non-zero code: 1".
    const std::string text = error.what();
    CHECK((text.find("exit code: 1") != std::string::npos ||
           text.find("returned a non-zero code") != std::string::npos));
  }
  fs::remove_all(dir);
}

}  // namespace stack::test
