#pragma once

// What one `up` took, service by service: when its image was ready (and how: built,
// pulled, skipped), when its container was created and started, when it became ready
// (and which check said so), and the dependency gates it waited on. Every `up` of the CLI
// keeps its record as $XDG_STATE_HOME/stack/<project>/last-up.json (~/.local/state when
// unset), which `stack timings` and `stack graph --timings` read; nothing is stored on
// the engine, so docker compose sees the project as before.
//
// Times are milliseconds from the start of the `up`, on the monotonic clock.

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace stack::orchestrator::timings {

struct ServiceRecord {
  std::string image;  // "built", "pulled", "skipped" or "" (present, nothing to do)
  std::optional<int64_t> image_ready_ms;
  std::optional<int64_t> created_ms;   // the last of its containers created
  std::optional<int64_t> starting_ms;  // its first container start issued
  std::optional<int64_t> started_ms;   // the last of its containers started
  std::optional<int64_t> ready_ms;     // the strongest gate on it that passed
  std::string ready_condition;         // the condition of that gate
  std::string ready_by;                // "healthcheck", "tcp probe :5432", "exited 0"...
};

// One dependency gate: a dependent waited until `service` reached `condition`.
struct GateRecord {
  std::string service;     // the dependency
  std::string condition;   // service_started|service_healthy|service_completed_successfully
  int64_t waiting_ms = 0;  // when the first dependent began waiting
  int64_t ready_ms = 0;    // when the condition held
  std::string by;          // what said so
  std::vector<std::string> dependents;  // the services whose start it gated
};

struct UpRecord {
  std::string project;
  int64_t started_at_unix_ms = 0;     // wall clock, for people
  std::optional<int64_t> planned_ms;  // images ready, engine observed, plan made
  int64_t wall_ms = 0;                // the whole up, until it returned or attached
  bool succeeded = false;
  std::string error;  // when it failed
  std::map<std::string, ServiceRecord> services;
  std::vector<GateRecord> gates;
};

nlohmann::json toJson(const UpRecord& record);
// Throws a Config error naming `origin` when the JSON is not a record.
UpRecord recordFromJson(const nlohmann::json& json, const std::string& origin);

// $XDG_STATE_HOME/stack, else $HOME/.local/state/stack; empty when neither is set.
std::filesystem::path defaultStateDir();
// <state_dir>/<project>/last-up.json
std::filesystem::path lastUpPath(const std::filesystem::path& state_dir,
                                 const std::string& project);

// Writes the record atomically (a temporary file, then a rename). Throws an Io error.
void saveRecord(const std::filesystem::path& path, const UpRecord& record);
// The record at `path`; std::nullopt when there is none. Throws for an unreadable or
// malformed file.
std::optional<UpRecord> loadRecord(const std::filesystem::path& path);

}  // namespace stack::orchestrator::timings
