#include "orchestrator/planner/plan.hpp"

#include "core/error.hpp"

namespace stack::orchestrator::planner {

const char* stepActionName(StepAction action) {
  switch (action) {
    case StepAction::CreateNetwork:
      return "create-network";
    case StepAction::RemoveNetwork:
      return "remove-network";
    case StepAction::CreateVolume:
      return "create-volume";
    case StepAction::RemoveVolume:
      return "remove-volume";
    case StepAction::CreateContainer:
      return "create-container";
    case StepAction::ConnectNetwork:
      return "connect-network";
    case StepAction::CopyFiles:
      return "copy-files";
    case StepAction::StartContainer:
      return "start-container";
    case StepAction::StopContainer:
      return "stop-container";
    case StepAction::RemoveContainer:
      return "remove-container";
    case StepAction::RenameContainer:
      return "rename-container";
    case StepAction::AwaitDependency:
      return "await-dependency";
    case StepAction::RemoveImage:
      return "remove-image";
    case StepAction::KillContainer:
      return "kill-container";
    case StepAction::PauseContainer:
      return "pause-container";
    case StepAction::UnpauseContainer:
      return "unpause-container";
    case StepAction::RestartContainer:
      return "restart-container";
  }
  return "unknown";
}

std::string Step::describe() const {
  std::string text;
  switch (action) {
    case StepAction::CreateNetwork:
      text = "create network " + target;
      break;
    case StepAction::RemoveNetwork:
      text = "remove network " + (subject.empty() ? target : target.substr(0, 12));
      break;
    case StepAction::CreateVolume:
      text = "create volume " + target;
      break;
    case StepAction::RemoveVolume:
      text = "remove volume " + target;
      break;
    case StepAction::CreateContainer:
      text = "create container " + target;
      break;
    case StepAction::ConnectNetwork:
      text = "connect container " + target + " to " + subject;
      break;
    case StepAction::CopyFiles:
      text = "copy " + std::to_string(files.size()) + " secret and config file(s) into " + target;
      break;
    case StepAction::StartContainer:
      text = "start container " + target;
      break;
    case StepAction::StopContainer:
      text = "stop container " + target;
      break;
    case StepAction::RemoveContainer:
      text = "remove container " + target;
      break;
    case StepAction::RenameContainer:
      text = "rename container " + target + " to " + subject;
      break;
    case StepAction::AwaitDependency:
      text = "wait for service " + service + " (" + subject + ")";
      break;
    case StepAction::RemoveImage:
      text = "remove image " + target;
      break;
    case StepAction::KillContainer:
      text = "kill container " + target + " with " + subject;
      break;
    case StepAction::PauseContainer:
      text = "pause container " + target;
      break;
    case StepAction::UnpauseContainer:
      text = "unpause container " + target;
      break;
    case StepAction::RestartContainer:
      text = "restart container " + target;
      break;
  }
  if (!reason.empty()) text += " (" + reason + ")";
  return text;
}

size_t Plan::add(Step step) {
  step.id = steps_.size();
  for (size_t before : step.after) {
    if (before >= step.id) {
      throw Error(ErrorKind::Internal, "plan step " + std::to_string(step.id) +
                                           " comes after a later step " + std::to_string(before));
    }
  }
  steps_.push_back(std::move(step));
  return steps_.back().id;
}

bool Plan::changesAnything() const {
  for (const auto& step : steps_) {
    if (step.action != StepAction::AwaitDependency) return true;
  }
  return false;
}

std::string Plan::render() const {
  std::string out;
  for (const auto& step : steps_) {
    out += std::to_string(step.id + 1) + ". " + step.describe();
    if (!step.after.empty()) {
      out += "  [after ";
      for (size_t i = 0; i < step.after.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(step.after[i] + 1);
      }
      out += "]";
    }
    out += "\n";
  }
  return out;
}

nlohmann::json Plan::toJson() const {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : steps_) {
    nlohmann::json after = nlohmann::json::array();
    for (size_t before : step.after) after.push_back(before + 1);
    nlohmann::json item = {{"id", step.id + 1},
                           {"action", stepActionName(step.action)},
                           {"target", step.target},
                           {"after", after}};
    if (!step.service.empty()) item["service"] = step.service;
    if (!step.subject.empty()) item["subject"] = step.subject;
    if (!step.reason.empty()) item["reason"] = step.reason;
    steps.push_back(std::move(item));
  }
  return steps;
}

}  // namespace stack::orchestrator::planner
