#pragma once

// The compose policies as types: one parser and one meaning each for the restart policy
// (`restart` and `deploy.restart_policy` merged into one effective policy), pull_policy
// and depends_on conditions. The model keeps the strings as the file wrote them (for
// `config` and the config hash); the loader validates them with these parsers, and every
// reader (planner, supervisor, attached logs, images, swarm) asks here what they mean, so
// no two readers can disagree about a policy.

#include <optional>
#include <string>
#include <string_view>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose {

// ---------------------------------------------------------------------------------------
// Restart policy

enum class RestartMode { Unset, No, Always, OnFailure, UnlessStopped };

// What the engine does when a container's main process exits.
struct EffectiveRestartPolicy {
  RestartMode mode = RestartMode::Unset;
  // on-failure:N or deploy.restart_policy.max_attempts; 0 means no limit (the engine's
  // MaximumRetryCount).
  int max_retries = 0;

  // The engine may bring an exited container back.
  bool mayRestart() const;
  // The engine restarts a container that exited with `exit_code` after `restart_count`
  // restarts (moby's restartmanager rule; a manual stop is not an exit here).
  bool restartsAfter(int exit_code, int restart_count) const;
  // The engine's RestartPolicy.Name: "" (unset), no, always, on-failure, unless-stopped.
  std::string engineName() const;

  bool operator==(const EffectiveRestartPolicy&) const = default;
};

// The compose `restart` key: no, always, on-failure, on-failure:N, unless-stopped.
// std::nullopt for anything else; "" is Unset.
std::optional<EffectiveRestartPolicy> parseRestart(std::string_view value);

// deploy.restart_policy.condition: none, on-failure, any ("" means any).
std::optional<RestartMode> parseRestartCondition(std::string_view condition);

// The policy the engine applies to the service's containers: `restart` when set, else
// deploy.restart_policy (condition and max_attempts), else Unset.
EffectiveRestartPolicy restartPolicyOf(const Service& service);

// ---------------------------------------------------------------------------------------
// Pull policy

enum class PullMode { Unset, Always, Never, Missing, Build, Refresh };

struct PullPolicy {
  PullMode mode = PullMode::Unset;
  // Refresh only: daily, weekly, every_<duration> (pull when the local image is older).
  Duration period{0};
  std::string name;  // as written, if_not_present spelled missing; for messages

  // A refresh policy with a period: the local image goes stale.
  bool refreshes() const { return mode == PullMode::Refresh && period.count() > 0; }

  bool operator==(const PullPolicy&) const = default;
};

// always, never, missing (or if_not_present), build, daily, weekly, every_<duration>,
// refresh (no period: always stale); std::nullopt for anything else; "" is Unset.
std::optional<PullPolicy> parsePullPolicy(std::string_view value);

// ---------------------------------------------------------------------------------------
// depends_on conditions

enum class DependencyCondition { Started, Healthy, CompletedSuccessfully };

// service_started, service_healthy, service_completed_successfully.
std::optional<DependencyCondition> parseDependencyCondition(std::string_view value);
std::string_view conditionName(DependencyCondition condition);

}  // namespace stack::orchestrator::compose
