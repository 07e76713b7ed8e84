#include "orchestrator/timings/up_recorder.hpp"

#include <algorithm>

namespace stack::orchestrator::timings {

UpRecorder::UpRecorder(std::string project, Clock clock)
    : clock_(std::move(clock)), start_(clock_()) {
  record_.project = std::move(project);
  record_.started_at_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
}

int64_t UpRecorder::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_() - start_).count();
}

void UpRecorder::observe(const progress::ProgressEvent& event) {
  if (event.resource == "Service") {
    // Image events of the preparer: "Built", "Pulled", "Skipped" (built images that were
    // up to date, or pulls the policy skips).
    std::string how;
    if (event.status == "Built") how = "built";
    if (event.status == "Pulled") how = "pulled";
    if (event.status == "Skipped") how = "skipped";
    if (how.empty()) return;
    auto& service = record_.services[event.name];
    service.image = how;
    service.image_ready_ms = now();
    return;
  }
  if (event.resource != "Container") return;
  auto it = container_services_.find(event.name);
  if (it == container_services_.end()) return;
  auto& service = record_.services[it->second];
  if (event.status == "Created") service.created_ms = now();
  if (event.status == "Starting" && !service.starting_ms) service.starting_ms = now();
  if (event.status == "Started") service.started_ms = now();
}

void UpRecorder::planned(const planner::Plan& plan) {
  record_.planned_ms = now();
  for (const auto& step : plan.steps()) {
    if (step.service.empty()) continue;
    if (!step.target.empty()) container_services_[step.target] = step.service;
    if (step.action == planner::StepAction::RenameContainer) {
      container_services_[step.subject] = step.service;
    }
  }
  // A gate holds the starts placed after it: their services are its dependents.
  for (const auto& step : plan.steps()) {
    if (step.action != planner::StepAction::StartContainer &&
        step.action != planner::StepAction::RestartContainer) {
      continue;
    }
    for (size_t before : step.after) {
      const auto& gate = plan.step(before);
      if (gate.action != planner::StepAction::AwaitDependency) continue;
      gate_dependents_[{gate.service, gate.subject}].insert(step.service);
    }
  }
}

GateRecord& UpRecorder::gate(const std::string& service, const std::string& condition) {
  for (auto& gate : record_.gates) {
    if (gate.service == service && gate.condition == condition) return gate;
  }
  GateRecord gate;
  gate.service = service;
  gate.condition = condition;
  gate.waiting_ms = now();
  auto it = gate_dependents_.find({service, condition});
  if (it != gate_dependents_.end()) gate.dependents.assign(it->second.begin(), it->second.end());
  record_.gates.push_back(std::move(gate));
  return record_.gates.back();
}

void UpRecorder::gateWaiting(const std::string& service, const std::string& condition) {
  gate(service, condition);
}

void UpRecorder::gateReady(const std::string& service, const std::string& condition,
                           const std::string& by) {
  GateRecord& passed = gate(service, condition);
  passed.ready_ms = now();
  passed.by = by;
  // The service's readiness is that of its strongest gate: healthy or completed beats
  // started, a later pass beats an earlier one.
  auto& record = record_.services[service];
  const bool stronger =
      record.ready_condition.empty() ||
      (record.ready_condition == "service_started" && condition != "service_started") ||
      (record.ready_condition == condition);
  if (stronger) {
    record.ready_ms = passed.ready_ms;
    record.ready_condition = condition;
    record.ready_by = by;
  }
}

void UpRecorder::finish(const std::string& error) {
  record_.wall_ms = now();
  record_.succeeded = error.empty();
  record_.error = error;
}

}  // namespace stack::orchestrator::timings
