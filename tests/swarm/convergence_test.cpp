// evaluateService: when a stack's service has converged, and when waiting cannot help.

#include <doctest/doctest.h>

#include "swarm/convergence_waiter.hpp"

namespace stack::swarm {
namespace {

runtime::SwarmService service(nlohmann::json mode, std::string update_state = "") {
  runtime::SwarmService s;
  s.id = "svc";
  s.name = "demo_web";
  s.spec = {{"Mode", std::move(mode)}};
  s.update_state = std::move(update_state);
  return s;
}

runtime::SwarmTask task(std::string id, int slot, std::string state, std::string error = "",
                        std::string desired = "running") {
  runtime::SwarmTask t;
  t.id = std::move(id);
  t.service_id = "svc";
  t.slot = slot;
  t.state = std::move(state);
  t.error = std::move(error);
  t.desired_state = std::move(desired);
  return t;
}

const nlohmann::json kTwo = {{"Replicated", {{"Replicas", 2}}}};

TEST_CASE("replicated: converged when the desired count runs, and not while updating") {
  auto two = service(kTwo);
  auto p = evaluateService(two, true, {task("a", 1, "running"), task("b", 2, "starting")}, {});
  CHECK_FALSE(p.converged);
  CHECK(p.status == "1/2 running");
  CHECK_FALSE(p.failure);
  CHECK(
      evaluateService(two, true, {task("a", 1, "running"), task("b", 2, "running")}, {}).converged);
  auto updating = service(kTwo, "updating");
  CHECK_FALSE(
      evaluateService(updating, true, {task("a", 1, "running"), task("b", 2, "running")}, {})
          .converged);
  CHECK(evaluateService(service({{"Replicated", {{"Replicas", 0}}}}), true, {}, {}).converged);
}

TEST_CASE("a rejected or failed task of this deploy fails at once, old ones are history") {
  auto two = service(kTwo);
  const std::vector<runtime::SwarmTask> tasks = {
      task("a", 1, "running"), task("b", 2, "rejected", "No such image: web:1", "shutdown")};
  auto p = evaluateService(two, true, tasks, {});
  REQUIRE(p.failure);
  CHECK(std::string(p.failure->what()) ==
        "service \"demo_web\": task demo_web.2 rejected: No such image: web:1");
  CHECK(p.failure->hint().find("--push") != std::string::npos);
  CHECK_FALSE(evaluateService(two, true, tasks, {"b"}).failure);
  runtime::SwarmTask crashed = task("c", 1, "failed", "task: non-zero exit (2)");
  crashed.exit_code = 2;
  CHECK(std::string(evaluateService(two, true, {crashed}, {}).failure->what())
            .find("(exit code 2)") != std::string::npos);
}

TEST_CASE("pending: unschedulable fails at once, a passing reason is waited for") {
  auto one = service({{"Replicated", {{"Replicas", 1}}}});
  auto stuck =
      evaluateService(one, true,
                      {task("a", 1, "pending",
                            "no suitable node (scheduling constraints not satisfied on 1 node)")},
                      {});
  REQUIRE(stuck.failure);
  CHECK(std::string(stuck.failure->what()).find("cannot be scheduled") != std::string::npos);
  auto port = evaluateService(
      one, true,
      {task("a", 1, "pending", "no suitable node (host-mode port already in use on 1 node)")}, {});
  CHECK_FALSE(port.failure);
  CHECK_FALSE(port.converged);
  CHECK(port.status ==
        "0/1 running (pending: no suitable node (host-mode port already in use on 1 node))");
}

TEST_CASE("update status counts only for services this deploy wrote") {
  auto paused = service(kTwo, "paused");
  paused.update_message = "update paused due to failure";
  const std::vector<runtime::SwarmTask> running = {task("a", 1, "running"),
                                                   task("b", 2, "running")};
  auto p = evaluateService(paused, true, running, {});
  REQUIRE(p.failure);
  CHECK(std::string(p.failure->what()).find("update paused") != std::string::npos);
  CHECK_FALSE(evaluateService(paused, false, running, {}).failure);
  auto rolled = service(kTwo, "rollback_completed");
  CHECK(evaluateService(rolled, true, running, {}).failure);
}

TEST_CASE("global services and jobs") {
  auto global = service({{"Global", nlohmann::json::object()}});
  CHECK_FALSE(evaluateService(global, true, {}, {}).converged);
  CHECK(evaluateService(global, true, {task("a", 0, "running"), task("b", 0, "running")}, {})
            .converged);
  auto job = service({{"ReplicatedJob", {{"TotalCompletions", 2}}}});
  auto half = evaluateService(job, true, {task("a", 1, "complete", "", "complete")}, {});
  CHECK_FALSE(half.converged);
  CHECK(half.status == "complete 1/2");
  CHECK(evaluateService(
            job, true,
            {task("a", 1, "complete", "", "complete"), task("b", 2, "complete", "", "complete")},
            {})
            .converged);
}

}  // namespace
}  // namespace stack::swarm
