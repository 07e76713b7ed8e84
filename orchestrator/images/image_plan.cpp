#include "orchestrator/images/image_plan.hpp"

#include <cstdio>
#include <ctime>
#include <optional>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/policies.hpp"
#include "orchestrator/compose/units.hpp"

namespace stack::orchestrator::images {
namespace {

using Clock = std::chrono::system_clock;

using compose::PullMode;
using compose::PullPolicy;

PullPolicy policyOf(const compose::Service& service, const ImageOptions& options) {
  const std::string& policy = options.pull.empty() ? service.pull_policy : options.pull;
  return compose::parsePullPolicy(policy).value_or(PullPolicy{});
}

// "2026-11-27T21:03:01.123456789Z" or with a "+01:00" offset; nullopt when malformed.
std::optional<Clock::time_point> parseTimestamp(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t seconds = ::timegm(&tm);
  size_t pos = static_cast<size_t>(consumed);
  if (pos < text.size() && text[pos] == '.') {
    pos = text.find_first_not_of("0123456789", pos + 1);
  }
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int hours = 0;
    int minutes = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d", &hours, &minutes) == 2) {
      const std::time_t offset = hours * 3600 + minutes * 60;
      seconds += text[pos] == '+' ? -offset : offset;
    }
  }
  return Clock::from_time_t(seconds);
}

// A refresh policy's image is stale when older than its period (or of unknown age).
bool stale(const LocalImage& image, const PullPolicy& policy, Clock::time_point now) {
  if (!policy.refreshes() || image.id.empty()) return false;
  const auto created = parseTimestamp(image.created);
  return !created ||
         now - *created > std::chrono::duration_cast<std::chrono::seconds>(policy.period);
}

std::string describePolicy(const PullPolicy& policy, const ImageOptions& options) {
  return options.pull.empty() ? "pull_policy: " + policy.name : "--pull " + policy.name;
}

ImageTask decideBuildable(const compose::Service& service, ImageTask task, const PullPolicy& policy,
                          const LocalImage* local, const ImageOptions& options,
                          Clock::time_point now) {
  const bool present = local && !local->id.empty();
  const bool refresh = policy.refreshes();
  const bool can_build = options.build != BuildMode::Never;
  const bool is_stale = local && stale(*local, policy, now);
  task.pull = !service.image.empty() &&
              (policy.mode == PullMode::Always ||
               ((policy.mode == PullMode::Missing || refresh) && (!present || is_stale)));
  const bool build_policy = policy.mode == PullMode::Build;
  task.build = can_build &&
               (options.build == BuildMode::Changed || build_policy || (!present && !task.pull));
  task.build_if_pull_fails = task.pull && can_build;
  if (task.pull) {
    task.reason = policy.mode == PullMode::Always ? describePolicy(policy, options) : "missing";
  } else if (task.build) {
    task.reason = !present ? "missing" : build_policy ? "pull_policy: build" : "--build";
  }
  if (!present && !task.pull && !task.build) {
    throw Error(ErrorKind::NotFound,
                "service \"" + service.name + "\" needs the image \"" + task.image +
                    "\", which is missing, and --no-build forbids building it",
                "run `stack build " + service.name + "` first, or `stack up` without --no-build");
  }
  return task;
}

ImageTask decidePulled(const compose::Service& service, ImageTask task, const PullPolicy& policy,
                       const LocalImage* local, const ImageOptions& options,
                       Clock::time_point now) {
  if (policy.mode == PullMode::Build) {
    throw Error(ErrorKind::Config,
                "service \"" + service.name + "\" has pull_policy: build but no build section",
                "add a build section, or use another pull_policy");
  }
  const bool present = local && !local->id.empty();
  const bool is_stale = local && stale(*local, policy, now);
  const bool always = policy.mode == PullMode::Always;
  task.pull = always || (policy.mode != PullMode::Never && (!present || is_stale));
  task.reason = always    ? describePolicy(policy, options)
                : present ? "older than its " + describePolicy(policy, options)
                          : "missing";
  if (!present && !task.pull) {
    throw Error(ErrorKind::NotFound,
                "service \"" + service.name + "\" needs the image \"" + task.image +
                    "\", which is missing, and " + describePolicy(policy, options) +
                    " forbids pulling it",
                "pull it with `stack pull " + service.name + "` or `docker pull " + task.image +
                    "`, or change the pull policy");
  }
  return task;
}

}  // namespace

std::optional<std::chrono::seconds> refreshPeriod(const std::string& policy) {
  const auto parsed = compose::parsePullPolicy(policy);
  if (!parsed || !parsed->refreshes()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(parsed->period);
}

std::vector<ImageTask> planImages(const compose::Project& project,
                                  const std::set<std::string>& services,
                                  const ImageOptions& options,
                                  const std::map<std::string, LocalImage>& local,
                                  std::chrono::system_clock::time_point now) {
  std::set<std::string> built;  // images a selected service builds
  for (const auto& name : services) {
    const compose::Service& service = project.services.at(name);
    if (service.build) built.insert(serviceImage(project, service));
  }
  std::set<std::string> pulling;
  std::set<std::string> building;
  std::vector<ImageTask> tasks;
  for (const auto& name : services) {
    const compose::Service& service = project.services.at(name);
    ImageTask task;
    task.service = name;
    task.image = serviceImage(project, service);
    const PullPolicy policy = policyOf(service, options);
    auto found = local.find(task.image);
    const LocalImage* image = found == local.end() ? nullptr : &found->second;
    if (service.build) {
      task = decideBuildable(service, std::move(task), policy, image, options, now);
    } else if (built.count(task.image)) {
      continue;  // another selected service builds it
    } else {
      task = decidePulled(service, std::move(task), policy, image, options, now);
    }
    if (task.pull && !pulling.insert(task.image).second) task.pull = false;
    if (task.build && !building.insert(task.image).second) task.build = false;
    if (task.pull || task.build) tasks.push_back(std::move(task));
  }
  return tasks;
}

}  // namespace stack::orchestrator::images
