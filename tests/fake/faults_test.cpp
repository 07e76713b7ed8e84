#include <boost/asio/experimental/awaitable_operators.hpp>

#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

TEST_CASE("failNext fails the next matching calls without any effect") {
  Fixture f;
  f.image("web:1");
  f.engine.faults().failNext(Method::CreateContainer, ErrorKind::Engine, "disk full", 1, "web");
  f.run([&]() -> Awaitable<void> {
    try {
      co_await f.engine.createContainer(request("web", "web:1"));
      FAIL("expected the injected failure");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Engine);
      CHECK(e.message() == "disk full");
    }
    CHECK(f.engine.state().containers().empty());
    co_await f.engine.createContainer(request("db", "web:1"));   // does not match
    co_await f.engine.createContainer(request("web", "web:1"));  // used up
    CHECK(f.engine.faults().remaining() == 0);
  });
}

TEST_CASE("a fault matches the resolved object - id and name both count") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    const std::string id = co_await f.engine.createContainer(request("web", "web:1"));
    f.engine.faults().failNext(Method::StartContainer, ErrorKind::Conflict, "busy", 2, "web");
    CHECK(KIND_OF(f.engine.startContainer(id)) == ErrorKind::Conflict);
    CHECK(KIND_OF(f.engine.startContainer(id.substr(0, 10))) == ErrorKind::Conflict);
    co_await f.engine.startContainer(id);
    CHECK((co_await f.engine.inspectContainer("web")).state.running);
  });
}

TEST_CASE("an after-effect fault applies the call and then reports the error") {
  Fixture f;
  f.image("web:1");
  Fault lost;
  lost.method = Method::StartContainer;
  lost.error = ErrorKind::EngineUnavailable;
  lost.message = "connection reset";
  lost.after_effect = true;
  f.engine.faults().add(lost);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    CHECK(KIND_OF(f.engine.startContainer("web")) == ErrorKind::EngineUnavailable);
    CHECK((co_await f.engine.inspectContainer("web")).state.running);
    co_await f.engine.startContainer("web");  // a retry converges: 304, no error
  });
}

TEST_CASE("delayNext holds a call for model time") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.faults().delayNext(Method::CreateContainer, 30s);
  f.run([&]() -> Awaitable<void> {
    bool created = false;
    auto create = [&]() -> Awaitable<void> {
      co_await f.engine.createContainer(request("web", "web:1"));
      created = true;
    };
    auto driver = [&]() -> Awaitable<void> {
      co_await f.engine.clock().advance(29s);
      CHECK_FALSE(created);
      CHECK(f.engine.state().containers().empty());
      co_await f.engine.clock().advance(1s);
    };
    co_await (create() && driver());
    CHECK(created);
  });
}

TEST_CASE("a delayed call raced against a timeout is abandoned without effect") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.faults().delayNext(Method::CreateContainer, 1h);
  f.run([&]() -> Awaitable<void> {
    boost::asio::steady_timer timeout(f.io, 20ms);
    const auto r = request("web", "web:1");
    auto raced =
        co_await (f.engine.createContainer(r) || timeout.async_wait(boost::asio::use_awaitable));
    CHECK(raced.index() == 1);
    co_await f.engine.clock().advance(2h);
    CHECK(f.engine.state().containers().empty());
  });
}

TEST_CASE("the call log lists calls in order with resolved names") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.ping();
    NetworkCreateRequest net;
    net.name = "p_default";
    co_await f.engine.createNetwork(net);
    const std::string id = co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.connectNetwork("p_default", id, EndpointSettings());
    co_await f.engine.startContainer(id);
    co_await f.engine.inspectContainer(id);
    co_await f.engine.listContainers(ListFilter());
  });
  const FakeCallLog& calls = f.engine.calls();
  CHECK(calls.describe() ==
        std::vector<std::string>{"ping", "createNetwork p_default", "createContainer web",
                                 "connectNetwork p_default web", "startContainer web",
                                 "inspectContainer web", "listContainers"});
  CHECK(calls.mutations() ==
        std::vector<std::string>{"createNetwork p_default", "createContainer web",
                                 "connectNetwork p_default web", "startContainer web"});
  CHECK(calls.count(Method::StartContainer) == 1);
  CHECK(calls.count(Method::StartContainer, "web") == 1);
  CHECK(calls.count(Method::StopContainer) == 0);
  f.engine.calls().clear();
  CHECK(f.engine.calls().records().empty());
}

TEST_CASE("call latency makes every call take model time") {
  FakeEngineOptions options = manualClock();
  options.call_latency = 5ms;
  Fixture f(options);
  f.run([&]() -> Awaitable<void> {
    const Timestamp before = f.engine.clock().now();
    auto pinger = [&]() -> Awaitable<void> { co_await f.engine.ping(); };
    co_await (pinger() && f.engine.clock().advance(5ms));
    CHECK(f.engine.clock().now() - before == 5ms);
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
