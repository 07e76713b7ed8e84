#include "orchestrator/supervisor/supervise_policy.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "orchestrator/compose/units.hpp"

namespace stack::orchestrator::supervisor {

namespace {

constexpr const char* kKey = "x-stack-supervise";

std::chrono::milliseconds durationField(const compose::Json& value, const std::string& where) {
  std::optional<compose::Duration> parsed;
  if (value.is_string()) parsed = compose::parseDuration(value.get<std::string>());
  if (value.is_number_unsigned()) parsed = std::chrono::seconds(value.get<int64_t>());
  if (!parsed || parsed->count() < 0) {
    throw Error(ErrorKind::Config, where + ": expected a duration (\"1s\", \"500ms\")",
                "write a duration such as 2s");
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*parsed);
}

void apply(const compose::Json& value, const std::string& where, SupervisePolicy& policy) {
  if (value.is_boolean()) {
    policy.enabled = value.get<bool>();
    return;
  }
  if (!value.is_object()) {
    throw Error(ErrorKind::Config, where + ": expected true, false or a mapping",
                "write x-stack-supervise: true, or {max_restarts: 5, backoff: 1s}");
  }
  policy.enabled = true;
  for (const auto& [key, field] : value.items()) {
    const std::string path = where + "." + key;
    if (key == "enabled" && field.is_boolean()) {
      policy.enabled = field.get<bool>();
    } else if (key == "max_restarts" && field.is_number_integer() && field.get<int64_t>() >= 0) {
      policy.max_restarts = static_cast<int>(std::min<int64_t>(field.get<int64_t>(), 1 << 20));
    } else if (key == "backoff") {
      policy.backoff = durationField(field, path);
    } else if (key == "max_backoff") {
      policy.max_backoff = durationField(field, path);
    } else if (key == "ready_timeout") {
      policy.ready_timeout = durationField(field, path);
    } else {
      throw Error(ErrorKind::Config, path + ": unknown or malformed key",
                  "x-stack-supervise takes enabled, max_restarts (>= 0), backoff, max_backoff, "
                  "ready_timeout");
    }
  }
}

}  // namespace

SupervisePolicy supervisePolicyOf(const compose::Project& project, const std::string& service) {
  SupervisePolicy policy;
  if (project.extensions.is_object() && project.extensions.contains(kKey)) {
    apply(project.extensions.at(kKey), kKey, policy);
  }
  auto found = project.services.find(service);
  if (found != project.services.end() && found->second.extensions.is_object() &&
      found->second.extensions.contains(kKey)) {
    apply(found->second.extensions.at(kKey), "services." + service + "." + kKey, policy);
  }
  return policy;
}

std::vector<std::string> supervisedDependents(const compose::Project& project,
                                              const std::string& dependency) {
  std::vector<std::string> dependents;
  for (const auto& [name, service] : project.services) {
    auto edge = service.depends_on.find(dependency);
    if (edge == service.depends_on.end() || !edge->second.restart) continue;
    if (supervisePolicyOf(project, name).enabled) dependents.push_back(name);
  }
  return dependents;  // std::map order: sorted
}

bool anySupervised(const compose::Project& project) {
  for (const auto& [name, service] : project.services) {
    if (!supervisedDependents(project, name).empty()) return true;
  }
  return false;
}

std::optional<std::chrono::milliseconds> nextRestartDelay(const SupervisePolicy& policy,
                                                          int restarts_made) {
  if (restarts_made >= policy.max_restarts) return std::nullopt;
  if (restarts_made == 0) return std::chrono::milliseconds(0);
  auto delay = policy.backoff;
  for (int i = 1; i < restarts_made && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

}  // namespace stack::orchestrator::supervisor
