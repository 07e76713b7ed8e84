// `stack graph` through the real binary: the text formats, rendering to SVG with Graphviz,
// and the errors of a file with a cycle and of a missing Graphviz.

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

const char* kGraphServices = R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on:
      db: {condition: service_healthy, restart: true}
  side:
    image: stack-test/busybox:latest
    network_mode: "service:web"
    profiles: ["extra"]
)";

const char* kCycle = R"(
services:
  a:
    image: stack-test/busybox:latest
    depends_on: [b]
  b:
    image: stack-test/busybox:latest
    depends_on: [a]
)";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("graph prints DOT, Mermaid and JSON and renders SVG through Graphviz") {
  TestProject project(kGraphServices, "graph");
  auto dot = project.stack({"graph"});
  REQUIRE_MESSAGE(dot.exit_code == 0, dot.err);
  CHECK(contains(dot.out, "\"db\" -> \"web\" [label=\"healthy, restart\"]"));
  CHECK(contains(dot.out, "profiles: extra (inactive)"));
  auto mermaid = project.stack({"graph", "--format", "mermaid"});
  REQUIRE_MESSAGE(mermaid.exit_code == 0, mermaid.err);
  CHECK(contains(mermaid.out, "flowchart LR"));
  auto json = project.stack({"--profile", "extra", "graph", "--format", "json"});
  REQUIRE_MESSAGE(json.exit_code == 0, json.err);
  const auto parsed = nlohmann::json::parse(json.out);
  REQUIRE(parsed["services"].size() == 3);
  CHECK(parsed["services"][1]["name"] == "side");
  CHECK(parsed["services"][1]["enabled"] == true);
  CHECK(parsed["services"][1]["depends_on"][0]["implied_by"][0] == "network_mode");

  auto svg = project.stack({"graph", "-o", "graph.svg"});
  REQUIRE_MESSAGE(svg.exit_code == 0, svg.err);
  const std::string image = readAll(project.dir() + "/graph.svg");
  CHECK(contains(image, "<svg"));
  CHECK(contains(image, "healthy, restart"));
  auto text = project.stack({"graph", "web", "--format", "mermaid", "-o", "graph.mmd"});
  REQUIRE_MESSAGE(text.exit_code == 0, text.err);
  CHECK(contains(readAll(project.dir() + "/graph.mmd"), "flowchart LR"));
}

TEST_CASE("graph names the cycle of a file that has one, and says when Graphviz is missing") {
  TestProject cyclic(kCycle, "graphcycle");
  auto cycle = cyclic.stack({"graph"});
  CHECK(cycle.exit_code != 0);
  CHECK(contains(cycle.err, "dependency cycle: a -> b -> a"));
  CHECK(cycle.out.empty());

  TestProject project(kGraphServices, "graph");
  CommandOptions no_graphviz;
  no_graphviz.env["PATH"] = project.dir() + "/no-such-bin";
  auto missing = project.stack({"graph", "-o", "graph.png"}, no_graphviz);
  CHECK(missing.exit_code != 0);
  CHECK(contains(missing.err, "Graphviz"));
  CHECK(contains(missing.err, "apt-get install graphviz"));
  auto unknown = project.stack({"graph", "nosuch"});
  CHECK(unknown.exit_code != 0);
  CHECK(contains(unknown.err, "no such service"));
  auto format = project.stack({"graph", "--format", "svg"});
  CHECK(format.exit_code == 1);
  auto mixed = project.stack({"graph", "--format", "json", "-o", "x.svg"});
  CHECK(mixed.exit_code == 1);
}

}  // namespace stack::test
