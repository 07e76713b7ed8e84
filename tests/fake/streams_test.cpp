#include <boost/asio/experimental/awaitable_operators.hpp>

#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

ProcessScript talker() {
  ProcessScript s;
  s.output = {{0s, OutputKind::Stdout, "starting\n"},
              {1s, OutputKind::Stderr, "warn: low memory\n"},
              {2s, OutputKind::Stdout, "ready\nserving\n"},
              {4s, OutputKind::Stdout, "bye\n"}};
  s.exit_after = 5s;
  return s;
}

std::string render(const std::vector<OutputChunk>& chunks) {
  std::string out;
  for (const auto& c : chunks) out += (c.kind == OutputKind::Stdout ? "1:" : "2:") + c.data;
  return out;
}

template <class S>
Awaitable<std::vector<OutputChunk>> drain(S& stream) {
  std::vector<OutputChunk> out;
  while (auto chunk = co_await stream.next()) out.push_back(*chunk);
  co_return out;
}

TEST_CASE("logs: multiplexed streams keep stdout and stderr apart - tail and stream selection") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.scripts().process("web:1", talker());
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(3s);
    auto all = co_await f.engine.logs("web", LogsOptions());
    CHECK(render(co_await drain(*all)) == "1:starting\n2:warn: low memory\n1:ready\n1:serving\n");
    LogsOptions tail;
    tail.tail = "2";
    auto last = co_await f.engine.logs("web", tail);
    CHECK(render(co_await drain(*last)) == "1:ready\n1:serving\n");
    LogsOptions errors;
    errors.stdout = false;
    auto err = co_await f.engine.logs("web", errors);
    CHECK(render(co_await drain(*err)) == "2:warn: low memory\n");
    LogsOptions stamped;
    stamped.timestamps = true;
    stamped.tail = "1";
    auto ts = co_await f.engine.logs("web", stamped);
    CHECK(render(co_await drain(*ts)) == "1:2024-01-01T00:00:02.000000000Z serving\n");
    LogsOptions none;
    none.stdout = false;
    none.stderr = false;
    CHECK(KIND_OF(f.engine.logs("web", none)) == ErrorKind::Engine);
  });
}

TEST_CASE("logs: follow delivers new output and ends when the container stops") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.scripts().process("web:1", talker());
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().settle();
    LogsOptions follow;
    follow.follow = true;
    auto stream = co_await f.engine.logs("web", follow);
    const auto chunks = co_await (drain(*stream) && f.engine.clock().advance(10s));
    CHECK(render(chunks) == "1:starting\n2:warn: low memory\n1:ready\n1:serving\n1:bye\n");
    // following an exited container only replays
    auto again = co_await f.engine.logs("web", follow);
    CHECK((co_await drain(*again)).size() == 5);
  });
}

TEST_CASE("logs: a TTY merges stderr into stdout with CRLF line ends") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.scripts().process("web:1", talker());
  f.run([&]() -> Awaitable<void> {
    auto r = request("web", "web:1");
    r.config.tty = true;
    co_await f.engine.createContainer(r);
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(1s);
    auto stream = co_await f.engine.logs("web", LogsOptions());
    CHECK(render(co_await drain(*stream)) == "1:starting\r\n1:warn: low memory\r\n");
  });
}

TEST_CASE("attach before start carries the next run and ends with it") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.scripts().process("web:1", talker());
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    auto stream = co_await f.engine.attach("web", AttachOptions());
    auto starter = [&]() -> Awaitable<void> {
      co_await f.engine.startContainer("web");
      co_await f.engine.clock().advance(10s);
    };
    const auto chunks = co_await (drain(*stream) && starter());
    CHECK(render(chunks) == "1:starting\n2:warn: low memory\n1:ready\n1:serving\n1:bye\n");
  });
  CHECK(eventsOf(f.engine, "container")[1] == "attach web");
}

TEST_CASE("attach with stdin: the process echoes and exits at end of input") {
  Fixture f(manualClock());
  f.image("cat:1");
  ProcessScript cat;
  cat.echo_stdin = true;
  cat.exit_on_stdin_eof = true;
  f.engine.scripts().process("cat:1", cat);
  f.run([&]() -> Awaitable<void> {
    auto r = request("cat", "cat:1");
    r.config.open_stdin = true;  // like `docker run -i`; images do not pass it on
    co_await f.engine.createContainer(r);
    co_await f.engine.startContainer("cat");
    AttachOptions options;
    options.stdin = true;
    auto stream = co_await f.engine.attach("cat", options);
    co_await stream->write("hello\n");
    const auto echoed = co_await stream->next();
    REQUIRE(echoed);
    CHECK(echoed->data == "hello\n");
    co_await stream->closeWrite();
    CHECK_FALSE(co_await stream->next());
    CHECK((co_await f.engine.inspectContainer("cat")).state.exit_code == 0);
    auto read_only = co_await f.engine.attach("cat", AttachOptions());
    CHECK(KIND_OF(read_only->write("x")) == ErrorKind::Internal);
  });
}

TEST_CASE("a pending next() loses a race against a timer and the stream then ends") {
  Fixture f(manualClock());
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    LogsOptions follow;
    follow.follow = true;
    auto logs = co_await f.engine.logs("web", follow);
    boost::asio::steady_timer timer(f.io, 20ms);
    auto raced = co_await (logs->next() || timer.async_wait(boost::asio::use_awaitable));
    CHECK(raced.index() == 1);
    CHECK_FALSE(co_await logs->next());  // the transfer ended with the cancellation

    auto events = co_await f.engine.events(EventFilter());
    timer.expires_after(20ms);
    auto raced_events = co_await (events->next() || timer.async_wait(boost::asio::use_awaitable));
    CHECK(raced_events.index() == 1);
    CHECK_FALSE(co_await events->next());

    timer.expires_after(20ms);
    auto raced_wait = co_await (f.engine.waitContainer("web", WaitCondition::NextExit) ||
                                timer.async_wait(boost::asio::use_awaitable));
    CHECK(raced_wait.index() == 1);
  });
}

TEST_CASE("cancel() ends a pending next() with the end of the stream") {
  Fixture f(manualClock());
  f.run([&]() -> Awaitable<void> {
    auto events = co_await f.engine.events(EventFilter());
    bool ended = false;
    auto reader = [&]() -> Awaitable<void> { ended = !(co_await events->next()).has_value(); };
    auto canceller = [&]() -> Awaitable<void> {
      co_await f.engine.clock().settle();
      CHECK_FALSE(ended);
      events->cancel();
      co_return;
    };
    co_await (reader() && canceller());
    CHECK(ended);
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
