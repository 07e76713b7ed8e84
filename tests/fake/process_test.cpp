#include <boost/asio/experimental/awaitable_operators.hpp>

#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

ProcessScript exitsAfter(nanoseconds after, int code) {
  ProcessScript script;
  script.exit_after = after;
  script.exit_code = code;
  return script;
}

std::string dieCodes(FakeEngine& engine) {
  std::string out;
  for (const auto& e : engine.state().events())
    if (e.type == "container" && e.action == "die") out += e.attributes.at("exitCode") + " ";
  return out;
}

TEST_CASE("a scripted process exits by itself at its time with its code") {
  Fixture f(manualClock());
  f.image("job:1");
  f.engine.scripts().process("job:1", exitsAfter(5s, 3));
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("job", "job:1"));
    const Timestamp start = f.engine.clock().now();
    co_await f.engine.startContainer("job");
    co_await f.engine.clock().advance(4s);
    CHECK((co_await f.engine.inspectContainer("job")).state.running);
    const auto result = co_await (f.engine.waitContainer("job", WaitCondition::NotRunning) &&
                                  f.engine.clock().advance(1s));
    CHECK(result.status_code == 3);
    const auto d = co_await f.engine.inspectContainer("job");
    CHECK(d.state.status == "exited");
    CHECK(d.state.exit_code == 3);
    CHECK(d.state.finished_at == rfc3339Nano(start + 5s));
  });
  CHECK(dieCodes(f.engine) == "3 ");
}

TEST_CASE("wait conditions: not-running / next-exit and removed") {
  Fixture f(manualClock());
  f.image("job:1");
  f.engine.scripts().process("job:1", exitsAfter(1s, 7));
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("job", "job:1"));
    // not-running on a created container answers at once with its exit code
    CHECK((co_await f.engine.waitContainer("job", WaitCondition::NotRunning)).status_code == 0);
    // next-exit issued before the start sees the exit of the run that follows
    auto starter = [&]() -> Awaitable<void> {
      co_await f.engine.clock().settle();
      co_await f.engine.startContainer("job");
      co_await f.engine.clock().advance(1s);
    };
    const auto next =
        co_await (f.engine.waitContainer("job", WaitCondition::NextExit) && starter());
    CHECK(next.status_code == 7);
    auto remover = [&]() -> Awaitable<void> {
      co_await f.engine.clock().settle();
      co_await f.engine.removeContainer("job", RemoveOptions());
    };
    const auto removed =
        co_await (f.engine.waitContainer("job", WaitCondition::Removed) && remover());
    CHECK(removed.status_code == 7);
    CHECK(KIND_OF(f.engine.waitContainer("job", WaitCondition::NotRunning)) == ErrorKind::NotFound);
  });
}

TEST_CASE("stop: SIGTERM ends a process with 143 at once - one ignoring it gets SIGKILL") {
  Fixture f(manualClock());
  f.image("web:1");
  f.image("stubborn:1");
  ProcessScript stubborn;
  stubborn.ignored_signals = {"SIGTERM"};
  f.engine.scripts().process("stubborn:1", stubborn);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.createContainer(request("stubborn", "stubborn:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.startContainer("stubborn");
    co_await f.engine.stopContainer("web", 10);
    CHECK((co_await f.engine.inspectContainer("web")).state.exit_code == 143);
    const Timestamp before = f.engine.clock().now();
    bool stopped = false;
    auto stopper = [&]() -> Awaitable<void> {
      co_await f.engine.stopContainer("stubborn", 10);
      stopped = true;
    };
    auto driver = [&]() -> Awaitable<void> {
      co_await f.engine.clock().advance(9s);
      CHECK_FALSE(stopped);  // the timeout has not passed yet
      co_await f.engine.clock().advance(1s);
    };
    co_await (stopper() && driver());
    CHECK(stopped);
    CHECK(f.engine.clock().now() - before == 10s);
    CHECK((co_await f.engine.inspectContainer("stubborn")).state.exit_code == 137);
  });
  CHECK(eventsOf(f.engine, "container") ==
        std::vector<std::string>{"create web", "create stubborn", "start web", "start stubborn",
                                 "kill web", "die web", "stop web", "kill stubborn",
                                 "kill stubborn", "die stubborn", "stop stubborn"});
  std::vector<std::string> signals;
  for (const auto& e : f.engine.state().events())
    if (e.action == "kill") signals.push_back(e.attributes.at("signal"));
  CHECK(signals == std::vector<std::string>{"15", "15", "9"});
}

TEST_CASE("stop honours the stop signal / a graceful exit code and a shutdown delay") {
  Fixture f;
  ContainerConfig image;
  image.stop_signal = "SIGINT";
  f.image("app:1", image);
  ProcessScript graceful;
  graceful.signal_exit_code = 0;
  graceful.shutdown_delay = 2s;
  f.engine.scripts().process("app", graceful);  // a container-name script
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("app", "app:1"));
    co_await f.engine.startContainer("app");
    const Timestamp before = f.engine.clock().now();
    co_await f.engine.stopContainer("app", std::nullopt);
    CHECK(f.engine.clock().now() - before >= 2s);
    CHECK((co_await f.engine.inspectContainer("app")).state.exit_code == 0);
  });
  for (const auto& e : f.engine.state().events())
    if (e.action == "kill") CHECK(e.attributes.at("signal") == "2");
}

TEST_CASE("kill: SIGKILL is 137 at once / other signals 128+n / unknown ones are rejected") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.killContainer("web", "");
    CHECK((co_await f.engine.inspectContainer("web")).state.exit_code == 137);
    co_await f.engine.startContainer("web");
    CHECK(KIND_OF(f.engine.killContainer("web", "SIGNOPE")) == ErrorKind::Engine);
    co_await f.engine.killContainer("web", "HUP");
    co_await f.engine.waitContainer("web", WaitCondition::NotRunning);
    CHECK((co_await f.engine.inspectContainer("web")).state.exit_code == 129);
  });
}

TEST_CASE("restart policy on-failure:2 restarts twice with back-off / then gives up") {
  Fixture f(manualClock());
  f.image("flaky:1");
  f.engine.scripts().process("flaky:1", exitsAfter(1s, 1));
  f.run([&]() -> Awaitable<void> {
    auto r = request("flaky", "flaky:1");
    r.host_config.restart_policy = {"on-failure", 2};
    co_await f.engine.createContainer(r);
    co_await f.engine.startContainer("flaky");
    co_await f.engine.clock().advance(1s);  // first exit
    auto d = co_await f.engine.inspectContainer("flaky");
    CHECK(d.state.status == "restarting");
    CHECK(d.state.running);
    CHECK(d.restart_count == 1);
    co_await f.engine.clock().advance(100ms);  // first back-off
    CHECK((co_await f.engine.inspectContainer("flaky")).state.status == "running");
    co_await f.engine.clock().advance(1s + 200ms + 1s);  // second exit, back-off, third exit
    d = co_await f.engine.inspectContainer("flaky");
    CHECK(d.state.status == "exited");
    CHECK(d.restart_count == 2);
    co_await f.engine.clock().advance(1min);
    CHECK((co_await f.engine.inspectContainer("flaky")).state.status == "exited");
    // a manual start resets the count, as dockerd's ResetRestartManager does
    co_await f.engine.startContainer("flaky");
    CHECK((co_await f.engine.inspectContainer("flaky")).restart_count == 0);
  });
  CHECK(dieCodes(f.engine) == "1 1 1 ");
}

TEST_CASE("restart policies: always survives exit 0 / stop prevents the restart") {
  Fixture f(manualClock());
  f.image("svc:1");
  f.engine.scripts().process("svc:1", exitsAfter(20s, 0));
  f.run([&]() -> Awaitable<void> {
    auto r = request("svc", "svc:1");
    r.host_config.restart_policy = {"always", 0};
    co_await f.engine.createContainer(r);
    co_await f.engine.startContainer("svc");
    co_await f.engine.clock().advance(20s + 100ms);
    auto d = co_await f.engine.inspectContainer("svc");
    CHECK(d.state.status == "running");
    CHECK(d.restart_count == 1);
    co_await f.engine.stopContainer("svc", 1);
    co_await f.engine.clock().advance(1min);
    d = co_await f.engine.inspectContainer("svc");
    CHECK(d.state.status == "exited");
    CHECK(d.restart_count == 1);
  });
}

TEST_CASE("unless-stopped: a crash restarts - a kill does not") {
  Fixture f(manualClock());
  f.image("svc:1");
  f.run([&]() -> Awaitable<void> {
    auto r = request("svc", "svc:1");
    r.host_config.restart_policy = {"unless-stopped", 0};
    co_await f.engine.createContainer(r);
    co_await f.engine.startContainer("svc");
    f.engine.state().exitProcess("svc", 2);  // the process crashes
    co_await f.engine.clock().advance(100ms);
    CHECK((co_await f.engine.inspectContainer("svc")).state.status == "running");
    co_await f.engine.killContainer("svc", "SIGKILL");
    co_await f.engine.clock().advance(1min);
    CHECK((co_await f.engine.inspectContainer("svc")).state.status == "exited");
  });
  const auto summary = eventsOf(f.engine, "container");
  CHECK(std::count(summary.begin(), summary.end(), "start svc") == 2);
}

TEST_CASE("per-run scripts: fails once / then stays up under on-failure") {
  Fixture f(manualClock());
  f.image("app:1");
  f.engine.scripts().processRuns("app:1", {exitsAfter(1s, 1), ProcessScript{}});
  f.run([&]() -> Awaitable<void> {
    auto r = request("app", "app:1");
    r.host_config.restart_policy = {"on-failure", 0};
    co_await f.engine.createContainer(r);
    co_await f.engine.startContainer("app");
    co_await f.engine.clock().advance(1h);
    const auto d = co_await f.engine.inspectContainer("app");
    CHECK(d.state.status == "running");
    CHECK(d.restart_count == 1);
  });
}

TEST_CASE("pause freezes the process's clock - pause and unpause check the state") {
  Fixture f(manualClock());
  f.image("job:1");
  f.engine.scripts().process("job:1", exitsAfter(5s, 0));
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("job", "job:1"));
    CHECK(KIND_OF(f.engine.pauseContainer("job")) == ErrorKind::Conflict);
    co_await f.engine.startContainer("job");
    CHECK(KIND_OF(f.engine.unpauseContainer("job")) == ErrorKind::Conflict);
    co_await f.engine.clock().advance(2s);
    co_await f.engine.pauseContainer("job");
    CHECK(KIND_OF(f.engine.pauseContainer("job")) == ErrorKind::Conflict);
    CHECK(KIND_OF(f.engine.startContainer("job")) == ErrorKind::Conflict);
    auto list = co_await f.engine.listContainers(ListFilter());
    CHECK(list[0].state == "paused");
    CHECK(list[0].status == "Up 2 seconds (Paused)");
    co_await f.engine.clock().advance(10s);
    co_await f.engine.unpauseContainer("job");
    co_await f.engine.clock().advance(2s);
    CHECK((co_await f.engine.inspectContainer("job")).state.running);
    co_await f.engine.clock().advance(1s);  // 5 s of running time
    CHECK((co_await f.engine.inspectContainer("job")).state.status == "exited");
  });
}

TEST_CASE("stop of a paused container resumes it so that it handles the stop signal") {
  Fixture f(manualClock());
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.pauseContainer("web");
    co_await f.engine.stopContainer("web", 10);
    const auto d = co_await f.engine.inspectContainer("web");
    CHECK(d.state.status == "exited");
    CHECK(d.state.exit_code == 143);
  });
  CHECK(eventsOf(f.engine, "container") ==
        std::vector<std::string>{"create web", "start web", "pause web", "kill web", "unpause web",
                                 "die web", "stop web"});
}

TEST_CASE("auto-remove removes the container when it exits") {
  Fixture f(manualClock());
  f.image("job:1");
  f.engine.scripts().process("job:1", exitsAfter(1s, 0));
  f.run([&]() -> Awaitable<void> {
    auto r = request("job", "job:1");
    r.host_config.auto_remove = true;
    co_await f.engine.createContainer(r);
    auto starter = [&]() -> Awaitable<void> {
      co_await f.engine.clock().settle();
      co_await f.engine.startContainer("job");
      co_await f.engine.clock().advance(1s);
    };
    co_await (f.engine.waitContainer("job", WaitCondition::Removed) && starter());
    CHECK(KIND_OF(f.engine.inspectContainer("job")) == ErrorKind::NotFound);
    auto bad = request("bad", "job:1");
    bad.host_config.auto_remove = true;
    bad.host_config.restart_policy = {"always", 0};
    CHECK(KIND_OF(f.engine.createContainer(bad)) == ErrorKind::Engine);
  });
}

TEST_CASE("a start the runtime refuses leaves the container created with exit code 127") {
  Fixture f;
  f.image("broken:1");
  ProcessScript broken;
  broken.start_error = "exec: \"serve\": executable file not found in $PATH";
  f.engine.scripts().process("broken:1", broken);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("broken", "broken:1"));
    CHECK(KIND_OF(f.engine.startContainer("broken")) == ErrorKind::Engine);
    const auto d = co_await f.engine.inspectContainer("broken");
    CHECK(d.state.status == "created");
    CHECK(d.state.exit_code == 127);
    CHECK(d.state.error.find("executable file not found") != std::string::npos);
  });
}

TEST_CASE("restart emits kill / die / stop / start / restart and keeps the container") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.restartContainer("web", 1);
    CHECK((co_await f.engine.inspectContainer("web")).state.running);
  });
  CHECK(eventsOf(f.engine, "container") ==
        std::vector<std::string>{"create web", "start web", "kill web", "die web", "stop web",
                                 "start web", "restart web"});
}

}  // namespace
}  // namespace stack::runtime::fake::testing
