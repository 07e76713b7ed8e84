// `stack deploy` (see stack_deployer.hpp).

#include "swarm/stack_deployer.hpp"

#include "core/error.hpp"
#include "swarm/convergence_waiter.hpp"
#include "swarm/converter.hpp"
#include "swarm/deploy_executor.hpp"
#include "swarm/file_objects.hpp"
#include "swarm/stack_images.hpp"
#include "swarm/stack_observer.hpp"

namespace stack::swarm {
namespace {

template <class T>
using Awaitable = boost::asio::awaitable<T>;

// compose reads `environment:` secrets and `- FOO` entries from the project's
// environment (.env and the shell), the shell winning as interpolation has it.
EnvironmentLookup projectEnvironment(const compose::Project& project) {
  return [&project](const std::string& name) -> std::optional<std::string> {
    auto it = project.environment.find(name);
    if (it != project.environment.end()) return it->second;
    return processEnvironment(name);
  };
}

}  // namespace

void checkStrict(const std::vector<Finding>& findings) {
  std::string list;
  size_t count = 0;
  for (const Finding& finding : findings) {
    if (finding.action != FindingAction::Ignored) continue;
    ++count;
    list += "\n  " + (finding.service.empty() ? "" : "services." + finding.service + ".") +
            finding.key + ": " + finding.detail;
  }
  if (count == 0) return;
  throw Error(ErrorKind::Config,
              std::to_string(count) + " key(s) would be dropped by Swarm (--strict):" + list,
              "remove or replace these keys, or deploy without --strict");
}

StackDeployer::StackDeployer(runtime::Engine& engine, runtime::SwarmEngine& swarm,
                             progress::ProgressSink& progress)
    : engine_(engine), swarm_(swarm), progress_(progress) {}

Awaitable<PreparedDeploy> StackDeployer::prepare(const compose::Project& project,
                                                 const DeployOptions& options) {
  PreparedDeploy out;
  out.swarm = co_await requireManager(swarm_);
  ConvertInputs inputs;
  inputs.environment = projectEnvironment(project);
  // Findings do not depend on images or data: report (and fail strictly) before building.
  const StackSpec draft = convert(project, inputs);
  if (options.strict) checkStrict(draft.findings);
  FileObjectData data = readFileObjects(project, inputs.environment);
  inputs.secret_data = std::move(data.secrets);
  inputs.config_data = std::move(data.configs);
  StackImageOptions images;
  images.images = options.images;
  images.preparer = options.preparer;
  images.preparer.dry_run = options.dry_run;
  images.push = options.push;
  images.swarm_nodes = std::max(out.swarm.nodes, 1);
  inputs.images = co_await prepareStackImages(engine_, progress_, project, images);
  out.desired = convert(project, inputs);
  out.observed = co_await observeStack(engine_, swarm_, out.desired);
  PlanOptions plan_options;
  plan_options.prune = options.prune;
  out.plan = planDeploy(out.desired, out.observed, plan_options);
  co_return out;
}

Awaitable<void> StackDeployer::apply(const PreparedDeploy& prepared, const DeployOptions& options) {
  if (options.dry_run) co_return;
  std::set<std::string> known_tasks;
  if (options.wait) known_tasks = co_await snapshotTasks(swarm_, prepared.plan.stack);
  ExecuteOptions execute;
  execute.with_registry_auth = options.with_registry_auth;
  execute.parallel_limit = options.preparer.parallel_limit;
  const std::map<std::string, std::string> ids =
      co_await executePlan(engine_, swarm_, progress_, prepared.plan, prepared.observed, execute);
  for (const std::string& orphan : prepared.plan.orphans) {
    progress_.warn("service " + orphan + " of stack " + prepared.plan.stack +
                   " is not in the file; `stack deploy --prune` removes it");
  }
  if (!options.wait) co_return;
  std::set<std::string> written;
  for (const DeployStep& step : prepared.plan.steps) written.insert(step.name);
  std::vector<WaitTarget> targets;
  for (const PlannedService& service : prepared.plan.services) {
    auto it = ids.find(service.name);
    if (it == ids.end()) continue;
    targets.push_back({service.name, it->second, written.count(service.name) > 0});
  }
  WaitOptions wait;
  wait.timeout = options.wait_timeout;
  co_await waitForConvergence(swarm_, progress_, prepared.plan.stack, targets, known_tasks, wait);
}

}  // namespace stack::swarm
