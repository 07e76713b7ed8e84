#include "orchestrator/supervisor/project_state.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "orchestrator/compose/labels.hpp"

namespace stack::orchestrator::supervisor {
namespace {

int parseInt(const std::string& text, int fallback) {
  int value = fallback;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

Health parseHealth(const std::string& status) {
  if (status == "healthy") return Health::Healthy;
  if (status == "unhealthy") return Health::Unhealthy;
  if (status == "starting") return Health::Starting;
  return Health::None;
}

std::string attribute(const runtime::EngineEvent& event, std::string_view key) {
  auto it = event.attributes.find(std::string(key));
  return it == event.attributes.end() ? std::string() : it->second;
}

}  // namespace

const char* healthName(Health health) {
  switch (health) {
    case Health::None:
      return "none";
    case Health::Starting:
      return "starting";
    case Health::Healthy:
      return "healthy";
    case Health::Unhealthy:
      return "unhealthy";
  }
  return "none";
}

ProjectState::ProjectState(const boost::asio::any_io_executor& executor, std::string project)
    : project_(std::move(project)), changed_(executor) {}

ContainerStatus& ProjectState::entry(const std::string& id) {
  auto& status = containers_[id];
  status.id = id;
  return status;
}

bool ProjectState::applyEvent(const runtime::EngineEvent& event) {
  if (event.type != "container" && !event.type.empty()) return false;
  if (attribute(event, compose::labels::kProject) != project_) return false;
  last_event_nano_ = std::max(last_event_nano_, event.time_nano);
  auto& status = entry(event.actor_id);
  if (!attribute(event, "name").empty()) status.name = attribute(event, "name");
  status.service = attribute(event, compose::labels::kService);
  status.number = parseInt(attribute(event, compose::labels::kContainerNumber), status.number);
  status.oneoff = attribute(event, compose::labels::kOneoff) == "True";

  bool needs_inspect = false;
  const std::string& action = event.action;
  if (action == "create") {
    status.state = "created";
    status.inspected = false;
    needs_inspect = true;
  } else if (action == "start") {
    status.state = "running";
    ++status.starts;
    status.probed_ready = false;
    status.failed_probes = 0;
    status.exit_code.reset();
    status.inspected = false;
    if (status.has_healthcheck) status.health = Health::Starting;
    needs_inspect = true;
  } else if (action == "die") {
    status.state = "exited";
    status.exit_code = parseInt(attribute(event, "exitCode"), -1);
    status.probed_ready = false;
    // Whether the engine restarts it shows in its state ("restarting" or "exited"), which
    // dockerd sets before it sends the event.
    status.inspected = false;
    needs_inspect = true;
  } else if (action == "pause") {
    status.state = "paused";
  } else if (action == "unpause") {
    status.state = "running";
  } else if (action == "destroy") {
    status.state = "removed";
  } else if (action.rfind("health_status", 0) == 0) {
    // "health_status: healthy" from dockerd; podman sends a bare "health_status" with the
    // status in an attribute.
    auto colon = action.find(": ");
    const std::string value =
        colon == std::string::npos ? attribute(event, "HealthStatus") : action.substr(colon + 2);
    status.has_healthcheck = true;
    status.health = parseHealth(value);
  } else {
    return false;  // exec_*, attach, resize...: nothing we track
  }
  changed_.notify();
  return needs_inspect;
}

void ProjectState::applyInspect(const runtime::ContainerDetails& details) {
  const auto& labels_map = details.config.labels;
  auto label = [&](std::string_view key) {
    auto it = labels_map.find(std::string(key));
    return it == labels_map.end() ? std::string() : it->second;
  };
  if (label(compose::labels::kProject) != project_) return;
  auto& status = entry(details.id);
  status.name = details.name;
  status.service = label(compose::labels::kService);
  status.number = parseInt(label(compose::labels::kContainerNumber), 0);
  status.oneoff = label(compose::labels::kOneoff) == "True";
  status.state = details.state.status.empty() ? status.state : details.state.status;
  const auto& check = details.config.healthcheck;
  status.inspected = true;
  status.started_at = details.state.started_at;
  status.restart_count = details.restart_count;
  status.has_healthcheck = check && !check->test.empty() && check->test.front() != "NONE";
  status.health_test = status.has_healthcheck ? check->test : std::vector<std::string>{};
  if (details.state.health) {
    status.health = parseHealth(details.state.health->status);
    if (!details.state.health->log.empty()) {
      status.last_health_output = details.state.health->log.back().output;
    }
  } else if (!status.has_healthcheck) {
    status.health = Health::None;
  }
  if (!details.state.running && status.state == "exited")
    status.exit_code = details.state.exit_code;
  changed_.notify();
}

void ProjectState::applyProbe(const std::string& id, bool ready, const std::string& output) {
  auto it = containers_.find(id);
  if (it == containers_.end()) return;
  it->second.last_probe_output = output;
  if (!ready) ++it->second.failed_probes;  // shown by the waiting reason; nothing to wake
  if (ready && !it->second.probed_ready) {
    it->second.probed_ready = true;
    changed_.notify();
  }
}

std::vector<const ContainerStatus*> ProjectState::serviceContainers(
    const std::string& service) const {
  std::vector<const ContainerStatus*> out;
  for (const auto& [_, status] : containers_) {
    if (status.service == service && !status.oneoff && status.state != "removed") {
      out.push_back(&status);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return std::pair(a->number, a->name) < std::pair(b->number, b->name);
  });
  return out;
}

const ContainerStatus* ProjectState::find(const std::string& id) const {
  auto it = containers_.find(id);
  return it == containers_.end() ? nullptr : &it->second;
}

std::string ProjectState::resumeSince() const {
  if (last_event_nano_ == 0) return {};
  return runtime::unixTimeText(last_event_nano_);
}

}  // namespace stack::orchestrator::supervisor
