#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

ExecSpec command(std::vector<std::string> cmd) {
  ExecSpec spec;
  spec.cmd = std::move(cmd);
  return spec;
}

TEST_CASE("exec needs a running container and answers from its scripts") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.scripts().exec("web:1", ExecScript{{"cat", "/etc/hostname"}, {ProbeResult{0, "web\n"}}});
  f.engine.scripts().exec("web:1", ExecScript{{"false"}, {ProbeResult{2, "", 0s, "failed\n"}}});
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    const ExecSpec truth = command({"true"});
    CHECK(KIND_OF(f.engine.createExec("web", truth)) == ErrorKind::Conflict);
    co_await f.engine.startContainer("web");
    const ExecSpec cat = command({"cat", "/etc/hostname"});
    const std::string id = co_await f.engine.createExec("web", cat);
    auto stream = co_await f.engine.startExec(id, ExecStartOptions());
    const auto chunk = co_await stream->next();
    REQUIRE(chunk);
    CHECK(chunk->data == "web\n");
    CHECK(chunk->kind == OutputKind::Stdout);
    CHECK_FALSE(co_await stream->next());
    const auto details = co_await f.engine.inspectExec(id);
    CHECK_FALSE(details.running);
    CHECK(details.exit_code == 0);
    CHECK(KIND_OF(f.engine.startExec(id, ExecStartOptions())) ==
          ErrorKind::Conflict);  // already ran

    const ExecSpec fail = command({"false"});
    const std::string failing = co_await f.engine.createExec("web", fail);
    auto err = co_await f.engine.startExec(failing, ExecStartOptions());
    const auto err_chunk = co_await err->next();
    CHECK(err_chunk->kind == OutputKind::Stderr);
    CHECK_FALSE(co_await err->next());
    CHECK((co_await f.engine.inspectExec(failing)).exit_code == 2);
    CHECK(KIND_OF(f.engine.inspectExec("nope")) == ErrorKind::NotFound);
  });
  std::vector<std::string> actions;
  for (const auto& e : f.engine.state().events())
    if (e.action.rfind("exec_", 0) == 0) actions.push_back(e.action);
  CHECK(actions[0] == "exec_create: cat /etc/hostname");
  CHECK(actions[1] == "exec_start: cat /etc/hostname");
  CHECK(actions[2] == "exec_die");
}

TEST_CASE("a detached exec runs in the background for its scripted duration") {
  Fixture f(manualClock());
  f.image("web:1");
  f.engine.scripts().exec("web", ExecScript{{"migrate"}, {ProbeResult{0, "", 3s}}});
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    const ExecSpec migrate = command({"migrate"});
    const std::string id = co_await f.engine.createExec("web", migrate);
    ExecStartOptions detach;
    detach.detach = true;
    auto stream = co_await f.engine.startExec(id, detach);
    CHECK_FALSE(co_await stream->next());
    CHECK((co_await f.engine.inspectExec(id)).running);
    CHECK((co_await f.engine.top("web", "")).processes.size() == 2);
    co_await f.engine.clock().advance(3s);
    CHECK_FALSE((co_await f.engine.inspectExec(id)).running);
  });
  // dockerd joins entrypoint + " " + args: a command without arguments keeps the space.
  const auto summary = eventsOf(f.engine, "container");
  CHECK(std::count(summary.begin(), summary.end(), "exec_start: migrate  web") == 1);
}

TEST_CASE("successive exec results and the container stopping under a running exec") {
  Fixture f(manualClock());
  f.image("db:1");
  f.engine.scripts().exec(
      "db:1", ExecScript{{"pg_isready"}, {ProbeResult{1, "no\n"}, ProbeResult{0, "yes\n"}}});
  f.engine.scripts().exec("db:1", ExecScript{{"sleep", "60"}, {ProbeResult{0, "", 60s}}});
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("db", "db:1"));
    co_await f.engine.startContainer("db");
    std::vector<int> codes;
    const ExecSpec ready = command({"pg_isready"});
    const ExecSpec sleep = command({"sleep", "60"});
    for (int i = 0; i < 3; ++i) {
      const std::string id = co_await f.engine.createExec("db", ready);
      co_await f.engine.startExec(id, ExecStartOptions());
      co_await f.engine.clock().settle();
      codes.push_back(*(co_await f.engine.inspectExec(id)).exit_code);
    }
    CHECK(codes == std::vector<int>{1, 0, 0});
    const std::string sleeper = co_await f.engine.createExec("db", sleep);
    co_await f.engine.startExec(sleeper, ExecStartOptions());
    co_await f.engine.killContainer("db", "");
    CHECK((co_await f.engine.inspectExec(sleeper)).exit_code == 137);
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
