#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

ContainerConfig withHealthcheck(nanoseconds interval, int retries,
                                nanoseconds start_period = nanoseconds(0)) {
  ContainerConfig config;
  HealthConfig hc;
  hc.test = {"CMD-SHELL", "curl -f http://localhost/"};
  hc.interval = interval;
  hc.timeout = 1s;
  hc.retries = retries;
  hc.start_period = start_period;
  config.healthcheck = hc;
  return config;
}

std::vector<std::string> healthEvents(FakeEngine& engine) {
  std::vector<std::string> out;
  for (const auto& e : engine.state().events())
    if (e.action.rfind("health_status", 0) == 0) out.push_back(e.action);
  return out;
}

TEST_CASE("health: starting until probes pass - one event on the transition only") {
  Fixture f(manualClock());
  f.image("web:1", withHealthcheck(1s, 3));
  ProcessScript script;
  script.health = HealthScript::healthyAfterProbes(2);
  f.engine.scripts().process("web:1", script);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    auto d = co_await f.engine.inspectContainer("web");
    REQUIRE(d.state.health);
    CHECK(d.state.health->status == "starting");
    co_await f.engine.clock().advance(2s);  // two failing probes: streak 2 < 3 retries
    d = co_await f.engine.inspectContainer("web");
    CHECK(d.state.health->status == "starting");
    CHECK(d.state.health->failing_streak == 2);
    co_await f.engine.clock().advance(1s);
    d = co_await f.engine.inspectContainer("web");
    CHECK(d.state.health->status == "healthy");
    CHECK(d.state.health->failing_streak == 0);
    CHECK((co_await f.engine.listContainers(ListFilter()))[0].status == "Up 3 seconds (healthy)");
    co_await f.engine.clock().advance(10s);  // more passing probes, no more events
  });
  CHECK(healthEvents(f.engine) == std::vector<std::string>{"health_status: healthy"});
  CHECK(f.engine.state().execCount("web") == 13);
  size_t exec_creates = 0;
  for (const auto& e : f.engine.state().events())
    if (e.action == "exec_create: /bin/sh -c curl -f http://localhost/") ++exec_creates;
  CHECK(exec_creates == 13);
}

TEST_CASE("health: retries failures make it unhealthy - the log keeps five entries") {
  Fixture f(manualClock());
  f.image("web:1", withHealthcheck(1s, 3));
  ProcessScript script;
  script.health = HealthScript::unhealthy("connection refused\n");
  f.engine.scripts().process("web:1", script);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(2s);
    CHECK((co_await f.engine.inspectContainer("web")).state.health->status == "starting");
    co_await f.engine.clock().advance(5s);
    const auto d = co_await f.engine.inspectContainer("web");
    CHECK(d.state.health->status == "unhealthy");
    CHECK(d.state.health->failing_streak == 7);
    CHECK(d.state.health->log.size() == 5);
    CHECK(d.state.health->log.back().output == "connection refused\n");
    CHECK(d.state.health->log.back().exit_code == 1);
  });
  CHECK(healthEvents(f.engine) == std::vector<std::string>{"health_status: unhealthy"});
}

TEST_CASE("health: flapping gives an event per transition") {
  Fixture f(manualClock());
  f.image("web:1", withHealthcheck(1s, 1));
  ProcessScript script;
  script.health = HealthScript::cycle({true, true, false, true});
  f.engine.scripts().process("web:1", script);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(8s);
  });
  CHECK(healthEvents(f.engine) ==
        std::vector<std::string>{"health_status: healthy", "health_status: unhealthy",
                                 "health_status: healthy", "health_status: unhealthy",
                                 "health_status: healthy"});
}

TEST_CASE("health: failures inside the start period do not count") {
  Fixture f(manualClock());
  f.image("web:1", withHealthcheck(1s, 1, 5s));
  ProcessScript script;
  script.health = HealthScript::healthyAfter(7s);
  f.engine.scripts().process("web:1", script);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(4s);
    auto d = co_await f.engine.inspectContainer("web");
    CHECK(d.state.health->status == "starting");
    CHECK(d.state.health->failing_streak == 0);
    co_await f.engine.clock().advance(1s);  // the probe at 5 s is outside the start period
    CHECK((co_await f.engine.inspectContainer("web")).state.health->status == "unhealthy");
    co_await f.engine.clock().advance(2s);
    CHECK((co_await f.engine.inspectContainer("web")).state.health->status == "healthy");
  });
}

TEST_CASE("health: a probe longer than the timeout fails with dockerd's message") {
  Fixture f(manualClock());
  f.image("web:1", withHealthcheck(1s, 1));
  ProcessScript script;
  script.health = HealthScript::slow(5s);
  f.engine.scripts().process("web:1", script);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(2s);  // probe at 1 s, times out at 2 s
    const auto d = co_await f.engine.inspectContainer("web");
    REQUIRE(d.state.health->log.size() == 1);
    CHECK(d.state.health->log[0].exit_code == -1);
    CHECK(d.state.health->log[0].output == "Health check exceeded timeout (1s)");
    CHECK(d.state.health->status == "unhealthy");
  });
}

TEST_CASE("health: without a health script the probe command is answered by exec scripts") {
  Fixture f(manualClock());
  f.image("web:1", withHealthcheck(1s, 5));
  f.engine.scripts().exec("web", ExecScript{{"curl -f http://localhost/"},
                                            {ProbeResult{1, "refused", 0s}, ProbeResult{}}});
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.clock().advance(1s);
    CHECK((co_await f.engine.inspectContainer("web")).state.health->failing_streak == 1);
    co_await f.engine.clock().advance(1s);
    CHECK((co_await f.engine.inspectContainer("web")).state.health->status == "healthy");
  });
}

TEST_CASE("health: NONE disables the image's check - pause stops probing") {
  Fixture f(manualClock());
  f.image("web:1", withHealthcheck(1s, 3));
  f.run([&]() -> Awaitable<void> {
    auto r = request("off", "web:1");
    r.config.healthcheck = HealthConfig{{"NONE"}, 0s, 0s, 0s, 0};
    co_await f.engine.createContainer(r);
    co_await f.engine.startContainer("off");
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.pauseContainer("web");
    co_await f.engine.clock().advance(10s);
    CHECK_FALSE((co_await f.engine.inspectContainer("off")).state.health.has_value());
    CHECK((co_await f.engine.inspectContainer("web")).state.health->log.empty());
    co_await f.engine.unpauseContainer("web");
    co_await f.engine.clock().advance(1s);
    CHECK((co_await f.engine.inspectContainer("web")).state.health->status == "healthy");
  });
  CHECK(f.engine.state().execCount("off") == 0);
}

TEST_CASE("health: durations under a millisecond are rejected at create") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    auto r = request("web", "web:1");
    r.config.healthcheck = HealthConfig{{"CMD", "true"}, 500us, 0s, 0s, 0};
    CHECK(KIND_OF(f.engine.createContainer(r)) == ErrorKind::Engine);
    r.config.healthcheck->interval = 1ms;
    co_await f.engine.createContainer(r);
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
