#include <doctest/doctest.h>

#include "core/error.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
using orchestrator::graph::DependencyGraph;

TEST_CASE("start order puts dependencies first and breaks ties by name") {
  auto p = project({service("web"), service("db"), service("cache"), service("worker")});
  dependsOn(p, "web", "db");
  dependsOn(p, "web", "cache");
  dependsOn(p, "worker", "db");
  auto graph = orchestrator::compose::serviceGraph(p);
  CHECK(graph.startOrder() == std::vector<std::string>{"cache", "db", "web", "worker"});
  auto stop = graph.stopOrder();
  CHECK(stop.front() == "worker");
  CHECK(graph.withDependencies({"web"}) == std::set<std::string>{"cache", "db", "web"});
  CHECK(graph.withDependents({"db"}) == std::set<std::string>{"db", "web", "worker"});
}

TEST_CASE("a cycle is an error that spells it out") {
  auto p = project({service("a"), service("b"), service("c")});
  dependsOn(p, "a", "b");
  dependsOn(p, "b", "c");
  dependsOn(p, "c", "a");
  try {
    orchestrator::compose::serviceGraph(p);
    FAIL("expected a cycle error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Config);
    CHECK(std::string(error.what()).find("a -> b -> c -> a") != std::string::npos);
  }
}

TEST_CASE(
    "an unknown required dependency is an error, and an optional one is dropped with a warning") {
  auto p = project({service("web")});
  dependsOn(p, "web", "ghost");
  CHECK_THROWS_AS(orchestrator::compose::serviceGraph(p), Error);
  p.services.at("web").depends_on["ghost"].required = false;
  std::vector<std::string> warnings;
  auto graph = orchestrator::compose::serviceGraph(p, &warnings);
  CHECK(graph.dependenciesOf("web").empty());
  CHECK(warnings.size() == 1);
}

}  // namespace stack::test
