#include "orchestrator/timings/critical_chain.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace stack::orchestrator::timings {
namespace {

bool gates(const GateRecord& gate, const std::string& service) {
  return std::find(gate.dependents.begin(), gate.dependents.end(), service) !=
         gate.dependents.end();
}

// The gate that opened last before `service` started: what its start waited for.
const GateRecord* lastGate(const UpRecord& record, const std::string& service, int64_t started) {
  const GateRecord* last = nullptr;
  for (const auto& gate : record.gates) {
    if (!gates(gate, service) || gate.ready_ms > started) continue;
    if (!last || gate.ready_ms > last->ready_ms) last = &gate;
  }
  return last;
}

std::string preparedDetail(const UpRecord& record) {
  std::string detail;
  for (const auto& [name, service] : record.services) {
    if (service.image != "built" && service.image != "pulled") continue;
    detail += (detail.empty() ? "images: " : ", ") + name + " " + service.image;
  }
  return detail.empty() ? "images ready, engine observed, plan made" : detail;
}

std::string seconds(int64_t ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2fs", static_cast<double>(ms) / 1000.0);
  return buffer;
}

// How many gates lie behind the service's start: ties in time (a fast engine, a fake one)
// go to the deeper service, the one that waited for the other.
int depth(const UpRecord& record, const std::string& service, int budget,
          std::map<std::string, int>& memo) {
  if (budget == 0) return 0;
  if (auto it = memo.find(service); it != memo.end()) return it->second;
  int deepest = 0;
  for (const auto& gate : record.gates) {
    if (gates(gate, service)) {
      deepest = std::max(deepest, 1 + depth(record, gate.service, budget - 1, memo));
    }
  }
  memo[service] = deepest;
  return deepest;
}

// The links from the last start back to the preparation, latest first.
std::vector<ChainLink> walkBack(const UpRecord& record) {
  std::string current;
  std::pair<int64_t, int> last{-1, 0};
  const int budget = static_cast<int>(record.services.size());
  std::map<std::string, int> memo;
  for (const auto& [name, service] : record.services) {
    if (!service.started_ms) continue;
    const std::pair<int64_t, int> key{*service.started_ms, depth(record, name, budget, memo)};
    if (key > last) {
      last = key;
      current = name;
    }
  }
  std::vector<ChainLink> links;
  std::set<std::string> seen;
  while (!current.empty() && seen.insert(current).second) {
    const ServiceRecord& service = record.services.at(current);
    const int64_t started = *service.started_ms;
    const GateRecord* gate = lastGate(record, current, started);
    if (gate && (!service.created_ms || gate->ready_ms >= *service.created_ms)) {
      links.push_back(
          {current, "started", started, 0,
           "waited for " + gate->service + " " + graph::conditionLabel(gate->condition)});
      if (gate->condition != "service_started") {
        links.push_back(
            {gate->service, graph::conditionLabel(gate->condition), gate->ready_ms, 0, gate->by});
      }
      auto dependency = record.services.find(gate->service);
      const bool started_here =
          dependency != record.services.end() && dependency->second.started_ms;
      current = started_here ? gate->service : "";
      continue;
    }
    links.push_back({current, "started", started, 0, ""});
    if (service.created_ms) links.push_back({current, "created", *service.created_ms, 0, ""});
    current.clear();
  }
  if (record.planned_ms)
    links.push_back({"", "prepared", *record.planned_ms, 0, preparedDetail(record)});
  return links;
}

}  // namespace

ChainReport criticalChain(const UpRecord& record) {
  ChainReport report;
  report.wall_ms = record.wall_ms;
  report.chain = walkBack(record);
  std::reverse(report.chain.begin(), report.chain.end());
  int64_t previous = 0;
  for (auto& link : report.chain) {
    link.took_ms = std::max<int64_t>(0, link.at_ms - previous);
    previous = std::max(previous, link.at_ms);
    if (link.step == "healthy" || link.step == "completed") {
      report.probe_wait_chain_ms += link.took_ms;
    }
  }
  report.chain_ms = previous;
  for (const auto& [name, service] : record.services) {
    if (!service.starting_ms || !service.started_ms) continue;
    int64_t end = *service.started_ms;
    if (service.ready_ms && service.ready_condition != "service_started") {
      end = std::max(end, *service.ready_ms);
    }
    report.slowest.emplace_back(name, end - *service.starting_ms);
  }
  std::stable_sort(report.slowest.begin(), report.slowest.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& gate : record.gates) {
    report.gate_wait_total_ms += std::max<int64_t>(0, gate.ready_ms - gate.waiting_ms);
  }
  return report;
}

std::string renderChain(const UpRecord& record, const ChainReport& report) {
  std::string out = "critical chain of the last up of project \"" + record.project +
                    "\": " + seconds(report.chain_ms) + " (the up took " + seconds(report.wall_ms) +
                    (record.succeeded ? "" : ", and failed") + ")\n";
  const bool started = std::any_of(report.chain.begin(), report.chain.end(),
                                   [](const ChainLink& link) { return link.step == "started"; });
  if (!started) out += "  no container was started\n";
  for (const auto& link : report.chain) {
    std::string what = link.service.empty() ? link.step : link.service + " " + link.step;
    char line[512];
    std::snprintf(line, sizeof line, "  +%-8s %7s  %-28s %s\n", seconds(link.at_ms).c_str(),
                  seconds(link.took_ms).c_str(), what.c_str(), link.detail.c_str());
    std::string text = line;
    while (text.size() > 1 && text[text.size() - 2] == ' ') text.erase(text.size() - 2, 1);
    out += text;
  }
  if (!report.slowest.empty()) {
    out += "slowest from start to ready:";
    for (size_t i = 0; i < report.slowest.size() && i < 5; ++i) {
      out += std::string(i ? "," : "") + " " + report.slowest[i].first + " " +
             seconds(report.slowest[i].second);
    }
    out += "\n";
  }
  out += "waiting for probes: " + seconds(report.probe_wait_chain_ms) + " on the chain, " +
         seconds(report.gate_wait_total_ms) + " in all gates\n";
  if (!record.succeeded && !record.error.empty()) out += "the up failed: " + record.error + "\n";
  return out;
}

nlohmann::json chainJson(const UpRecord& record, const ChainReport& report) {
  nlohmann::json chain = nlohmann::json::array();
  for (const auto& link : report.chain) {
    chain.push_back({{"service", link.service},
                     {"step", link.step},
                     {"at_ms", link.at_ms},
                     {"took_ms", link.took_ms},
                     {"detail", link.detail}});
  }
  nlohmann::json slowest = nlohmann::json::array();
  for (const auto& [name, ms] : report.slowest) slowest.push_back({{"service", name}, {"ms", ms}});
  return {{"project", record.project},
          {"succeeded", record.succeeded},
          {"wall_ms", report.wall_ms},
          {"chain_ms", report.chain_ms},
          {"chain", std::move(chain)},
          {"slowest", std::move(slowest)},
          {"probe_wait_chain_ms", report.probe_wait_chain_ms},
          {"gate_wait_total_ms", report.gate_wait_total_ms},
          {"record", toJson(record)}};
}

void drawOnto(graph::GraphView& view, const UpRecord& record, const ChainReport& report) {
  for (const auto& [name, service] : record.services) {
    auto* node = view.node(name);
    if (!node) continue;
    if (service.ready_ms && service.ready_condition != "service_started") {
      node->ready_ms = service.ready_ms;
    } else if (service.started_ms) {
      node->ready_ms = service.started_ms;
    }
  }
  std::string previous;
  for (const auto& link : report.chain) {
    if (link.service.empty()) continue;
    if (auto* node = view.node(link.service)) node->critical = true;
    if (!previous.empty() && previous != link.service) {
      if (auto* edge = view.edge(previous, link.service)) edge->critical = true;
    }
    previous = link.service;
  }
}

}  // namespace stack::orchestrator::timings
