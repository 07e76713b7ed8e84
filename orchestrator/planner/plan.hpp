#pragma once

// A plan: a DAG of steps, each one engine API call (or one readiness gate). The planner
// produces it as a pure function of desired and observed state; the executor runs it,
// starting every step the moment the steps it comes after have finished. Plans print
// (`--dry-run`) and serialize to JSON, which is also how tests read them.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/planner/container_spec.hpp"
#include "runtime/engine_types.hpp"

namespace stack::orchestrator::planner {

enum class StepAction {
  CreateNetwork,
  RemoveNetwork,  // target name, or id with the name in `subject` (a duplicate)
  CreateVolume,
  RemoveVolume,
  CreateContainer,  // spec in `container`; target is the (possibly temporary) name
  ConnectNetwork,   // target container, `subject` network, `endpoint`
  CopyFiles,        // `files` into the target container, before its start
  StartContainer,
  StopContainer,
  RemoveContainer,  // `remove_volumes`: also its anonymous volumes
  RenameContainer,  // target → `subject`
  AwaitDependency,  // gate: `service` (the dependency) reaches condition `subject`
  RemoveImage,
  KillContainer,  // `subject`: the signal
  PauseContainer,
  UnpauseContainer,
  RestartContainer,  // stop (with `timeout_seconds`) and start again
};

const char* stepActionName(StepAction action);

struct Step {
  size_t id = 0;
  StepAction action = StepAction::CreateContainer;
  std::string service;        // the compose service the step belongs to; empty for networks...
  std::string target;         // engine object name: container, network, volume or image
  std::string subject;        // see StepAction
  std::vector<size_t> after;  // ids of steps that must finish first
  std::string reason;         // why the planner chose this step, for --dry-run and logs

  std::optional<ContainerSpec> container;
  std::optional<runtime::NetworkCreateRequest> network;
  std::optional<runtime::VolumeCreateRequest> volume;
  std::optional<runtime::EndpointSettings> endpoint;
  std::vector<runtime::ContainerFile> files;
  std::optional<int> timeout_seconds;
  bool remove_volumes = false;
  // AwaitDependency: the dependency is optional (`required: false`): warn and go on.
  bool optional = false;

  // One line for people: "create container demo-web-1 (missing)".
  std::string describe() const;
};

class Plan {
 public:
  // Appends a step and returns its id.
  size_t add(Step step);
  const std::vector<Step>& steps() const { return steps_; }
  const Step& step(size_t id) const { return steps_.at(id); }
  bool empty() const { return steps_.empty(); }
  // True when the plan calls the engine to change something (gates alone change nothing).
  bool changesAnything() const;

  // The plan, one step per line with its predecessors: "3. start container x  [after 1, 2]".
  std::string render() const;
  nlohmann::json toJson() const;

 private:
  std::vector<Step> steps_;
};

}  // namespace stack::orchestrator::planner
