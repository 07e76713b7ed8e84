#include <boost/asio/experimental/awaitable_operators.hpp>

#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

TEST_CASE("events carry dockerd's attributes and the fake clock's time") {
  Fixture f(manualClock());
  ContainerConfig image;
  image.labels = {{"maintainer", "me"}};
  f.image("web:1", image);
  f.engine.scripts().process("web:1", ProcessScript{.exit_after = 2s, .exit_code = 4});
  f.run([&]() -> Awaitable<void> {
    EventFilter filter;
    filter.types = {"container"};
    filter.labels = {"project=p"};
    auto stream = co_await f.engine.events(filter);
    auto r = request("web", "web:1");
    r.config.labels = {{"project", "p"}};
    co_await f.engine.createContainer(r);
    co_await f.engine.createContainer(request("other", "web:1"));  // filtered out
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(2s);
    std::vector<EngineEvent> got;
    for (int i = 0; i < 3; ++i) got.push_back(*co_await stream->next());
    CHECK(got[0].action == "create");
    CHECK(got[1].action == "start");
    CHECK(got[2].action == "die");
    CHECK(got[2].attributes.at("exitCode") == "4");
    CHECK(got[2].attributes.at("name") == "web");
    CHECK(got[2].attributes.at("image") == "web:1");
    CHECK(got[2].attributes.at("maintainer") == "me");  // image labels are container labels
    CHECK(got[2].attributes.at("project") == "p");
    CHECK(got[0].time == 1704067200);
    CHECK(got[2].time == 1704067202);
    CHECK(got[0].time_nano < got[1].time_nano);
    CHECK(got[2].scope == "local");
  });
}

TEST_CASE("events since replays the buffer and includes the event at that time") {
  FakeEngineOptions options = manualClock();
  options.event_buffer = 4;
  Fixture f(options);
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    for (const char* name : {"c1", "c2", "c3", "c4", "c5", "c6"}) {
      co_await f.engine.createContainer(request(name, "web:1"));
      co_await f.engine.clock().advance(1s);
    }
    EventFilter since_start;
    since_start.since = "0";
    since_start.until = std::to_string(f.engine.clock().now().count() / 1000000000);
    auto replay = co_await f.engine.events(since_start);
    std::vector<std::string> names;
    while (auto e = co_await replay->next()) names.push_back(e->attributes.at("name"));
    CHECK(names == std::vector<std::string>{"c3", "c4", "c5", "c6"});  // the last 4 only

    const auto history = f.engine.state().events();
    const int64_t nano = history[4].time_nano;  // c5's create
    EventFilter resume;
    resume.since = std::to_string(nano / 1000000000) + "." + std::to_string(nano % 1000000000);
    auto resumed = co_await f.engine.events(resume);
    CHECK((*co_await resumed->next()).attributes.at("name") == "c5");
    CHECK((*co_await resumed->next()).attributes.at("name") == "c6");
  });
}

TEST_CASE("event filters: health_status matches by prefix and events are ANDed with type") {
  Fixture f(manualClock());
  ContainerConfig image;
  image.healthcheck = HealthConfig{{"CMD", "true"}, 1s, 1s, 0s, 1};
  f.image("web:1", image);
  f.run([&]() -> Awaitable<void> {
    EventFilter filter;
    filter.events = {"health_status"};
    auto health = co_await f.engine.events(filter);
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(1s);
    const auto event = co_await health->next();
    CHECK(event->action == "health_status: healthy");
    EventFilter nets;
    nets.types = {"network"};
    nets.since = "0";
    nets.until = std::to_string(f.engine.clock().now().count() / 1000000000 + 1);
    auto network_events = co_await f.engine.events(nets);
    const auto connect = co_await (network_events->next() && f.engine.clock().advance(2s));
    CHECK(connect->action == "connect");
    CHECK(connect->attributes.at("name") == "bridge");
    CHECK(connect->attributes.at("type") == "bridge");
    CHECK(connect->attributes.at("container") == (co_await f.engine.inspectContainer("web")).id);
    CHECK_FALSE(co_await network_events->next());  // until has passed
  });
}

TEST_CASE("an unavailable engine fails calls and breaks open streams and waits") {
  Fixture f(manualClock());
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    auto events = co_await f.engine.events(EventFilter());
    auto outage = [&]() -> Awaitable<ErrorKind> {
      co_await f.engine.clock().settle();
      f.engine.faults().setUnavailable(true);
      co_return ErrorKind::EngineUnavailable;
    };
    auto reader = [&]() -> Awaitable<ErrorKind> { co_return KIND_OF(events->next()); };
    auto waiter = [&]() -> Awaitable<ErrorKind> {
      co_return KIND_OF(f.engine.waitContainer("web", WaitCondition::NotRunning));
    };
    const auto [read_kind, wait_kind, ignored] = co_await (reader() && waiter() && outage());
    (void)ignored;
    CHECK(read_kind == ErrorKind::EngineUnavailable);
    CHECK(wait_kind == ErrorKind::EngineUnavailable);
    CHECK(KIND_OF(f.engine.ping()) == ErrorKind::EngineUnavailable);
    f.engine.faults().setUnavailable(false);
    CHECK((co_await f.engine.ping()).api_version == "1.41");
    CHECK((co_await f.engine.inspectContainer("web")).state.running);  // it kept running
    CHECK(KIND_OF(events->next()) == ErrorKind::EngineUnavailable);    // that connection is gone
  });
}

TEST_CASE("destroying the engine ends the streams it handed out") {
  boost::asio::io_context io;
  auto engine = std::make_unique<FakeEngine>(io.get_executor(), manualClock());
  std::optional<bool> ended;
  auto body = [&]() -> Awaitable<void> {
    auto events = co_await engine->events(EventFilter());
    auto reader = [&]() -> Awaitable<void> { ended = !(co_await events->next()).has_value(); };
    auto destroyer = [&]() -> Awaitable<void> {
      co_await boost::asio::post(io, boost::asio::use_awaitable);
      engine.reset();
    };
    co_await (reader() && destroyer());
    CHECK_FALSE(co_await events->next());
  };
  bool done = false;
  boost::asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    done = true;
    if (e) std::rethrow_exception(e);
  });
  for (int i = 0; i < 1000 && !done; ++i) io.run_one_for(10ms);
  REQUIRE(done);
  CHECK(ended == true);
}

}  // namespace
}  // namespace stack::runtime::fake::testing
