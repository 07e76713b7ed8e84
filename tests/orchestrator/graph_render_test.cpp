// `stack graph`: the view built from a project, and its DOT, Mermaid and JSON renderings.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::graph::GraphView;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// web needs db healthy (restart: true) and cache optionally; worker shares web's network
// namespace and links db; a debug service sits behind a profile that is not active.
orchestrator::compose::Project sample() {
  auto p =
      project({service("web"), service("db", "postgres:16"), service("cache"), service("worker")});
  dependsOn(p, "web", "db", "service_healthy", true);
  dependsOn(p, "web", "cache");
  p.services.at("web").depends_on.at("cache").required = false;
  auto& worker = p.services.at("worker");
  worker.network_mode = "service:web";
  worker.links = {"db:database"};
  dependsOn(p, "worker", "web", "service_started", true);
  dependsOn(p, "worker", "db", "service_started", true);
  auto debug = service("debug");
  debug.profiles = {"debug"};
  debug.depends_on["web"] = {};
  p.disabled_services["debug"] = debug;
  return p;
}

}  // namespace

TEST_CASE("the graph view has every service, its conditions and the keys that imply edges") {
  const GraphView view = orchestrator::compose::graphView(sample());
  REQUIRE(view.nodes.size() == 5);
  CHECK(view.nodes[0].name == "cache");
  GraphView copy = view;
  auto* debug = copy.node("debug");
  REQUIRE(debug);
  CHECK_FALSE(debug->enabled);
  CHECK(debug->profiles == std::vector<std::string>{"debug"});
  auto* db_web = copy.edge("db", "web");
  REQUIRE(db_web);
  CHECK(db_web->condition == "service_healthy");
  CHECK(db_web->restart);
  CHECK(db_web->implied_by.empty());
  CHECK_FALSE(copy.edge("cache", "web")->required);
  CHECK(copy.edge("web", "worker")->implied_by == std::vector<std::string>{"network_mode"});
  CHECK(copy.edge("db", "worker")->implied_by == std::vector<std::string>{"links"});
  CHECK(copy.edge("web", "debug"));
  CHECK_FALSE(copy.edge("worker", "web"));
}

TEST_CASE("DOT draws dependencies first, with labelled, styled edges") {
  const std::string dot =
      orchestrator::graph::renderDot(orchestrator::compose::graphView(sample()));
  CHECK(contains(dot, "digraph \"demo\" {"));
  CHECK(contains(dot, "\"db\" -> \"web\" [label=\"healthy, restart\"];"));
  CHECK(contains(dot, "\"cache\" -> \"web\" [label=\"started, optional\", style=dashed];"));
  CHECK(contains(dot, "\"db\" -> \"worker\" [label=\"started, restart (links)\", style=dashed];"));
  CHECK(contains(dot, "\"debug\" [label=\"debug\\nprofiles: debug (inactive)\""));
  CHECK(dot.back() == '\n');
}

TEST_CASE("DOT quotes names and marks the critical chain") {
  GraphView view;
  view.project = "my \"app\"";
  view.nodes = {{.name = "a.b"}, {.name = "c-d"}};
  view.edges = {{.dependency = "a.b", .dependent = "c-d", .critical = true}};
  view.nodes[0].critical = true;
  view.nodes[0].ready_ms = 1500;
  const std::string dot = orchestrator::graph::renderDot(view);
  CHECK(contains(dot, "digraph \"my \\\"app\\\"\""));
  CHECK(contains(dot, "\"a.b\" [label=\"a.b\\nready at 1.50s\", color=red, penwidth=2];"));
  CHECK(contains(dot, "\"a.b\" -> \"c-d\" [label=\"started\", color=red"));
}

TEST_CASE("Mermaid uses safe ids, dotted optional edges and thick critical ones") {
  GraphView view = orchestrator::compose::graphView(sample());
  view.edge("db", "web")->critical = true;
  view.node("db")->critical = true;
  const std::string mermaid = orchestrator::graph::renderMermaid(view);
  CHECK(mermaid.rfind("flowchart LR\n", 0) == 0);
  // nodes sorted: cache s0, db s1, debug s2, web s3, worker s4
  CHECK(contains(mermaid, "  s1[\"db\"]\n"));
  CHECK(contains(mermaid, "  s1 ==>|\"healthy, restart\"| s3\n"));
  CHECK(contains(mermaid, "  s0 -.->|\"started, optional\"| s3\n"));
  CHECK(contains(mermaid, "class s2 inactive"));
  CHECK(contains(mermaid, "class s1 critical"));
  CHECK(contains(mermaid, "linkStyle "));
}

TEST_CASE("JSON lists each service with its depends_on entries") {
  const auto json = nlohmann::json::parse(
      orchestrator::graph::renderJson(orchestrator::compose::graphView(sample())));
  CHECK(json["project"] == "demo");
  REQUIRE(json["services"].size() == 5);
  const auto& web = json["services"][3];
  CHECK(web["name"] == "web");
  REQUIRE(web["depends_on"].size() == 2);
  CHECK(web["depends_on"][1]["service"] == "db");
  CHECK(web["depends_on"][1]["condition"] == "service_healthy");
  CHECK(web["depends_on"][1]["restart"] == true);
  CHECK(web["depends_on"][0]["required"] == false);
  CHECK(json["services"][1]["image"] == "postgres:16");
  CHECK(json["services"][2]["enabled"] == false);
}

TEST_CASE("the graph of a project with a cycle is an error that names it") {
  auto p = project({service("a"), service("b")});
  dependsOn(p, "a", "b");
  dependsOn(p, "b", "a");
  try {
    orchestrator::compose::graphView(p);
    FAIL("expected a cycle error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Config);
    CHECK(contains(error.what(), "dependency cycle: a -> b -> a"));
  }
}

}  // namespace stack::test
