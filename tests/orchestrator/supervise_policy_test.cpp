// x-stack-supervise: what the extension says, and the backoff and limit of the restarts.

#include "orchestrator/supervisor/supervise_policy.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using namespace orchestrator::supervisor;
using std::chrono::milliseconds;

orchestrator::compose::Project chain() {
  auto db = service("db");
  auto api = service("api");
  api.depends_on["db"].restart = true;
  auto web = service("web");
  web.depends_on["db"].restart = false;
  return project({db, api, web});
}

}  // namespace

TEST_CASE("x-stack-supervise is off unless asked") {
  auto p = chain();
  CHECK_FALSE(supervisePolicyOf(p, "api").enabled);
  CHECK(supervisedDependents(p, "db").empty());
  CHECK_FALSE(anySupervised(p));
}

TEST_CASE("x-stack-supervise at the top supervises the restart: true edges only") {
  auto p = chain();
  p.extensions["x-stack-supervise"] = true;
  CHECK(supervisedDependents(p, "db") == std::vector<std::string>{"api"});
  CHECK(anySupervised(p));
  // A service's own false opts it out.
  p.services["api"].extensions["x-stack-supervise"] = false;
  CHECK(supervisedDependents(p, "db").empty());
}

TEST_CASE("x-stack-supervise on a service, with settings") {
  auto p = chain();
  p.services["api"].extensions["x-stack-supervise"] = {
      {"max_restarts", 2}, {"backoff", "500ms"}, {"max_backoff", "1s"}, {"ready_timeout", "5s"}};
  const SupervisePolicy policy = supervisePolicyOf(p, "api");
  CHECK(policy.enabled);
  CHECK(policy.max_restarts == 2);
  CHECK(policy.backoff == milliseconds(500));
  CHECK(policy.max_backoff == milliseconds(1000));
  CHECK(policy.ready_timeout == milliseconds(5000));
  CHECK(supervisedDependents(p, "db") == std::vector<std::string>{"api"});
}

TEST_CASE("a malformed x-stack-supervise is a Config error naming the key") {
  auto p = chain();
  p.services["api"].extensions["x-stack-supervise"] = {{"backoff", "soon"}};
  CHECK_THROWS_WITH_AS(supervisePolicyOf(p, "api"),
                       doctest::Contains("services.api.x-stack-supervise.backoff"), Error);
  p.services["api"].extensions["x-stack-supervise"] = {{"max_restart", 3}};
  CHECK_THROWS_AS(supervisePolicyOf(p, "api"), Error);
  p.services["api"].extensions["x-stack-supervise"] = "yes";
  CHECK_THROWS_AS(supervisePolicyOf(p, "api"), Error);
}

TEST_CASE("restart delays: immediate, then doubling from backoff, capped, then the limit") {
  SupervisePolicy policy;
  policy.max_restarts = 5;
  policy.backoff = milliseconds(1000);
  policy.max_backoff = milliseconds(3000);
  CHECK(nextRestartDelay(policy, 0) == milliseconds(0));
  CHECK(nextRestartDelay(policy, 1) == milliseconds(1000));
  CHECK(nextRestartDelay(policy, 2) == milliseconds(2000));
  CHECK(nextRestartDelay(policy, 3) == milliseconds(3000));  // 4 s, capped
  CHECK(nextRestartDelay(policy, 4) == milliseconds(3000));
  CHECK_FALSE(nextRestartDelay(policy, 5).has_value());
  policy.max_restarts = 0;
  CHECK_FALSE(nextRestartDelay(policy, 0).has_value());
}

}  // namespace stack::test
