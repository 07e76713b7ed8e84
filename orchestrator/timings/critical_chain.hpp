#pragma once

// The critical chain of a recorded `up`, as systemd-analyze critical-chain has it for a
// boot: the path of waits that decided how long the up took. It ends at the last
// container start; each link before it is what that step waited for last: the
// dependency gate that opened latest (the dependency became healthy, or started, or
// completed), or its own container create, back to the preparation (images, observing
// the engine, planning). Each link carries its own time, so the links add up to the
// moment the chain ends.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "orchestrator/graph/graph_render.hpp"
#include "orchestrator/timings/up_record.hpp"

namespace stack::orchestrator::timings {

struct ChainLink {
  std::string service;  // empty for the preparation
  std::string step;     // "prepared", "created", "started", "healthy", "completed"
  int64_t at_ms = 0;    // when the step ended, from the start of the up
  int64_t took_ms = 0;  // since the link before it
  std::string detail;   // "healthcheck", "built web", "waited for db healthy", ...
};

struct ChainReport {
  std::vector<ChainLink> chain;  // in time order
  int64_t chain_ms = 0;          // the last link's at_ms
  int64_t wall_ms = 0;
  // Services by the time from their first start to ready (or started), longest first.
  std::vector<std::pair<std::string, int64_t>> slowest;
  int64_t probe_wait_chain_ms = 0;  // links that waited for a healthy or completed probe
  int64_t gate_wait_total_ms = 0;   // every gate, from its first waiter until it opened
};

ChainReport criticalChain(const UpRecord& record);

// For people:
//   The critical chain of the last up of "demo" (3.41s):
//     +0.52s  0.52s  (prepare)  images ready, plan made
//     ...
std::string renderChain(const UpRecord& record, const ChainReport& report);
nlohmann::json chainJson(const UpRecord& record, const ChainReport& report);

// Marks the chain on a graph (`stack graph --timings`): its services and the edges
// between consecutive ones are critical; every recorded service gets its ready time.
void drawOnto(graph::GraphView& view, const UpRecord& record, const ChainReport& report);

}  // namespace stack::orchestrator::timings
