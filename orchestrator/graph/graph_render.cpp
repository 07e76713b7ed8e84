#include "orchestrator/graph/graph_render.hpp"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

namespace stack::orchestrator::graph {
namespace {

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// A DOT double-quoted string: only '"', '\' and newlines need care.
std::string dotQuote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Mermaid labels sit in "..."; it has no escape for '"' but its entity #quot;.
std::string mermaidText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"') {
      out += "#quot;";
    } else if (c == '\n') {
      out += "<br/>";
    } else {
      out += c;
    }
  }
  return out;
}

std::string seconds(int64_t ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2fs", static_cast<double>(ms) / 1000.0);
  return buffer;
}

// The text inside a node: its name, then its profiles, then when it became ready.
std::string nodeText(const GraphNode& node) {
  std::string text = node.name;
  if (!node.profiles.empty()) {
    text += "\nprofiles: " + join(node.profiles, ", ");
    if (!node.enabled) text += " (inactive)";
  }
  if (node.ready_ms) text += "\nready at " + seconds(*node.ready_ms);
  return text;
}

// Optional edges, and edges that only a link, volumes_from or namespace key implies, are
// dashed; an explicit entry with a condition of its own stays solid.
bool dashed(const GraphEdge& edge) {
  return !edge.required || (!edge.implied_by.empty() && edge.condition == "service_started");
}

}  // namespace

GraphNode* GraphView::node(const std::string& name) {
  for (auto& node : nodes) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

GraphEdge* GraphView::edge(const std::string& dependency, const std::string& dependent) {
  for (auto& edge : edges) {
    if (edge.dependency == dependency && edge.dependent == dependent) return &edge;
  }
  return nullptr;
}

std::string conditionLabel(const std::string& condition) {
  if (condition == "service_healthy") return "healthy";
  if (condition == "service_completed_successfully") return "completed";
  if (condition == "service_started") return "started";
  return condition;
}

std::string edgeLabel(const GraphEdge& edge) {
  std::string label = conditionLabel(edge.condition);
  if (!edge.required) label += ", optional";
  if (edge.restart) label += ", restart";
  if (!edge.implied_by.empty()) label += " (" + join(edge.implied_by, ", ") + ")";
  return label;
}

std::string renderDot(const GraphView& view) {
  std::string out = "digraph " + dotQuote(view.project) + " {\n";
  out += "  rankdir=LR;\n";
  out += "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& node : view.nodes) {
    std::string attributes = "label=" + dotQuote(nodeText(node));
    if (!node.enabled) attributes += ", style=\"rounded,dashed\", color=gray50, fontcolor=gray50";
    if (node.critical) attributes += ", color=red, penwidth=2";
    out += "  " + dotQuote(node.name) + " [" + attributes + "];\n";
  }
  for (const auto& edge : view.edges) {
    std::string attributes = "label=" + dotQuote(edgeLabel(edge));
    if (dashed(edge)) attributes += ", style=dashed";
    if (edge.critical) attributes += ", color=red, fontcolor=red, penwidth=2";
    out += "  " + dotQuote(edge.dependency) + " -> " + dotQuote(edge.dependent) + " [" +
           attributes + "];\n";
  }
  return out + "}\n";
}

std::string renderMermaid(const GraphView& view) {
  // Service names may hold '.', '-' and other characters Mermaid ids refuse: nodes get
  // ids s0, s1, ... and carry the name as their label.
  std::map<std::string, std::string> ids;
  std::string out = "flowchart LR\n";
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    const auto& node = view.nodes[i];
    ids[node.name] = "s" + std::to_string(i);
    out += "  " + ids[node.name] + "[\"" + mermaidText(nodeText(node)) + "\"]\n";
  }
  std::vector<size_t> critical_links;
  for (size_t i = 0; i < view.edges.size(); ++i) {
    const auto& edge = view.edges[i];
    const char* arrow = edge.critical ? "==>" : dashed(edge) ? "-.->" : "-->";
    out += "  " + ids[edge.dependency] + " " + arrow + "|\"" + mermaidText(edgeLabel(edge)) +
           "\"| " + ids[edge.dependent] + "\n";
    if (edge.critical) critical_links.push_back(i);
  }
  bool any_disabled = false;
  bool any_critical = false;
  for (const auto& node : view.nodes) {
    any_disabled |= !node.enabled;
    any_critical |= node.critical;
  }
  if (any_disabled) {
    out += "  classDef inactive stroke-dasharray: 5 5,color:#888\n";
    for (const auto& node : view.nodes) {
      if (!node.enabled) out += "  class " + ids[node.name] + " inactive\n";
    }
  }
  if (any_critical) {
    out += "  classDef critical stroke:#d00,stroke-width:3px\n";
    for (const auto& node : view.nodes) {
      if (node.critical) out += "  class " + ids[node.name] + " critical\n";
    }
  }
  for (size_t link : critical_links) {
    out += "  linkStyle " + std::to_string(link) + " stroke:#d00,stroke-width:3px\n";
  }
  return out;
}

std::string renderJson(const GraphView& view) {
  nlohmann::json services = nlohmann::json::array();
  for (const auto& node : view.nodes) {
    nlohmann::json deps = nlohmann::json::array();
    for (const auto& edge : view.edges) {
      if (edge.dependent != node.name) continue;
      nlohmann::json entry = {{"service", edge.dependency},
                              {"condition", edge.condition},
                              {"required", edge.required},
                              {"restart", edge.restart},
                              {"implied_by", edge.implied_by}};
      if (edge.critical) entry["critical"] = true;
      deps.push_back(std::move(entry));
    }
    nlohmann::json entry = {{"name", node.name},
                            {"profiles", node.profiles},
                            {"image", node.image},
                            {"enabled", node.enabled},
                            {"depends_on", std::move(deps)}};
    if (node.ready_ms) entry["ready_ms"] = *node.ready_ms;
    if (node.critical) entry["critical"] = true;
    services.push_back(std::move(entry));
  }
  nlohmann::json out = {{"project", view.project}, {"services", std::move(services)}};
  return out.dump(2) + "\n";
}

}  // namespace stack::orchestrator::graph
