#pragma once

// What the read-only project commands return (`ls`, `top`, `port`, `images`, `events`):
// plain values, so the CLI formats them as tables or JSON and the fixture API reads them.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"

namespace stack::orchestrator {

// One project found from container labels (`ls`).
struct ProjectSummary {
  std::string name;
  std::string status;        // "running(2), exited(1)": containers per state, states sorted
  std::string config_files;  // the config_files labels, comma-joined, first seen first; "N/A"
};

// The processes of one container (`top`).
struct ContainerProcesses {
  std::string container;  // container name
  std::string service;    // the service label, else the container name
  std::string replica;    // the container-number label, "" when absent
  runtime::TopResult top;
};

// The image of one container (`images`).
struct ContainerImage {
  std::string container;   // container name
  std::string id;          // "sha256:..."
  std::string repository;  // familiar name ("redis", "stack-test/busybox"); "" for an id
  std::string tag;         // "" when the container was created from an image id
  std::string platform;    // "linux/amd64"
  int64_t size = 0;        // bytes
  std::string created;     // RFC 3339: when the image was last tagged, else built
};

// One container event of a project (`events`), as docker compose reports it.
struct ProjectEvent {
  int64_t time_nano = 0;  // nanoseconds since the epoch
  std::string service;
  std::string container;  // container id
  std::string action;     // "create", "start", "die", "health_status: healthy", ...
  std::map<std::string, std::string> attributes;  // without the com.docker.compose.* labels
};

// Receives events as they happen; `events` returns when it throws.
using ProjectEventSink = std::function<void(const ProjectEvent&)>;

struct EventsOptions {
  std::vector<std::string> services;  // empty: every service
  std::string since;                  // the engine's since/until: unix time or RFC 3339
  std::string until;                  // set: replay up to it, then return
};

}  // namespace stack::orchestrator
