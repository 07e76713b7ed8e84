#include "orchestrator/compose/policies.hpp"

#include <charconv>

#include "orchestrator/compose/units.hpp"

namespace stack::orchestrator::compose {

bool EffectiveRestartPolicy::mayRestart() const {
  return mode == RestartMode::Always || mode == RestartMode::UnlessStopped ||
         mode == RestartMode::OnFailure;
}

bool EffectiveRestartPolicy::restartsAfter(int exit_code, int restart_count) const {
  switch (mode) {
    case RestartMode::Always:
    case RestartMode::UnlessStopped:
      return true;
    case RestartMode::OnFailure:
      return exit_code != 0 && (max_retries == 0 || restart_count < max_retries);
    case RestartMode::Unset:
    case RestartMode::No:
      return false;
  }
  return false;
}

std::string EffectiveRestartPolicy::engineName() const {
  switch (mode) {
    case RestartMode::Unset:
      return "";
    case RestartMode::No:
      return "no";
    case RestartMode::Always:
      return "always";
    case RestartMode::OnFailure:
      return "on-failure";
    case RestartMode::UnlessStopped:
      return "unless-stopped";
  }
  return "";
}

std::optional<EffectiveRestartPolicy> parseRestart(std::string_view value) {
  if (value.empty()) return EffectiveRestartPolicy{};
  if (value == "no") return EffectiveRestartPolicy{RestartMode::No};
  if (value == "always") return EffectiveRestartPolicy{RestartMode::Always};
  if (value == "unless-stopped") return EffectiveRestartPolicy{RestartMode::UnlessStopped};
  if (value == "on-failure") return EffectiveRestartPolicy{RestartMode::OnFailure};
  constexpr std::string_view kCounted = "on-failure:";
  if (value.substr(0, kCounted.size()) != kCounted) return std::nullopt;
  const std::string_view count = value.substr(kCounted.size());
  int retries = 0;
  const auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), retries);
  if (count.empty() || error != std::errc() || end != count.data() + count.size() || retries < 0)
    return std::nullopt;
  return EffectiveRestartPolicy{RestartMode::OnFailure, retries};
}

std::optional<RestartMode> parseRestartCondition(std::string_view condition) {
  if (condition == "none") return RestartMode::No;
  if (condition == "on-failure") return RestartMode::OnFailure;
  if (condition == "any" || condition.empty()) return RestartMode::Always;
  return std::nullopt;
}

EffectiveRestartPolicy restartPolicyOf(const Service& service) {
  if (!service.restart.empty())
    return parseRestart(service.restart).value_or(EffectiveRestartPolicy{});
  if (!service.deploy || !service.deploy->restart_policy) return {};
  const RestartPolicy& deploy = *service.deploy->restart_policy;
  EffectiveRestartPolicy policy;
  policy.mode = parseRestartCondition(deploy.condition).value_or(RestartMode::Unset);
  policy.max_retries = static_cast<int>(deploy.max_attempts.value_or(0));
  return policy;
}

std::optional<PullPolicy> parsePullPolicy(std::string_view value) {
  using namespace std::chrono_literals;
  const std::string name = value == "if_not_present" ? "missing" : std::string(value);
  if (name.empty()) return PullPolicy{};
  if (name == "always") return PullPolicy{PullMode::Always, 0s, name};
  if (name == "never") return PullPolicy{PullMode::Never, 0s, name};
  if (name == "missing") return PullPolicy{PullMode::Missing, 0s, name};
  if (name == "build") return PullPolicy{PullMode::Build, 0s, name};
  if (name == "refresh") return PullPolicy{PullMode::Refresh, 0s, name};
  if (name == "daily") return PullPolicy{PullMode::Refresh, 24h, name};
  if (name == "weekly") return PullPolicy{PullMode::Refresh, 7 * 24h, name};
  constexpr std::string_view kEvery = "every_";
  if (name.rfind(kEvery, 0) != 0) return std::nullopt;
  const auto period = parseDuration(std::string_view(name).substr(kEvery.size()));
  if (!period) return std::nullopt;
  return PullPolicy{PullMode::Refresh, *period, name};
}

std::optional<DependencyCondition> parseDependencyCondition(std::string_view value) {
  if (value == "service_started") return DependencyCondition::Started;
  if (value == "service_healthy") return DependencyCondition::Healthy;
  if (value == "service_completed_successfully") return DependencyCondition::CompletedSuccessfully;
  return std::nullopt;
}

std::string_view conditionName(DependencyCondition condition) {
  switch (condition) {
    case DependencyCondition::Started:
      return "service_started";
    case DependencyCondition::Healthy:
      return "service_healthy";
    case DependencyCondition::CompletedSuccessfully:
      return "service_completed_successfully";
  }
  return "service_started";
}

}  // namespace stack::orchestrator::compose
