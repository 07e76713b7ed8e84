#pragma once

// `stack deploy`: the resolved compose project onto a swarm, in two phases so that the
// CLI can print the dropped-keys report between them.
//
//   prepare()  everything before the first write: the manager check; the conversion and
//              its findings (with strict, an ignored key fails here, before any build);
//              the images (built, pushed when other nodes need them, pinned); the
//              observed stack; the plan. Reads only, apart from building and pushing.
//   apply()    runs the plan (nothing in a dry run), then with wait, waits for the
//              services to converge (convergence_waiter.hpp).
//
// An unchanged stack plans no step, so apply() writes nothing.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <set>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/images/image_options.hpp"
#include "orchestrator/images/image_preparer.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/engine.hpp"
#include "runtime/swarm_engine.hpp"
#include "swarm/deploy_plan.hpp"
#include "swarm/stack_spec.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

struct DeployOptions {
  bool prune = false;               // --prune: remove the stack's services not in the file
  bool dry_run = false;             // --dry-run: plan and report, write nothing
  bool strict = false;              // --strict: an ignored key is an error
  bool push = false;                // --push (implied on a swarm of several nodes)
  bool with_registry_auth = false;  // --with-registry-auth
  bool wait = false;                // --wait
  std::chrono::milliseconds wait_timeout = std::chrono::minutes(5);  // --wait-timeout
  images::ImageOptions images;
  images::ImagePreparerOptions preparer;
};

struct PreparedDeploy {
  runtime::SwarmInfo swarm;
  StackSpec desired;  // with the findings
  ObservedStack observed;
  DeployPlan plan;
};

class StackDeployer {
 public:
  StackDeployer(runtime::Engine& engine, runtime::SwarmEngine& swarm,
                progress::ProgressSink& progress);

  // Throws stack::Error: Engine when the engine is no swarm manager; Config for what Swarm
  // cannot express, or (strict) for an ignored key; and what building, pushing and
  // planning throw (stack_images.hpp, deploy_plan.hpp).
  boost::asio::awaitable<PreparedDeploy> prepare(const compose::Project& project,
                                                 const DeployOptions& options);
  boost::asio::awaitable<void> apply(const PreparedDeploy& prepared, const DeployOptions& options);

 private:
  runtime::Engine& engine_;
  runtime::SwarmEngine& swarm_;
  progress::ProgressSink& progress_;
};

// Throws stack::Error (kind Config) listing every ignored finding.
void checkStrict(const std::vector<Finding>& findings);

}  // namespace stack::swarm
