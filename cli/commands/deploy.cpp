// `stack deploy`: the project onto a Docker Swarm, through the Engine API's Swarm
// endpoints (swarm/stack_deployer.hpp). Before writing, it prints which keys Swarm does
// not honour and what was done instead; --dry-run adds the planned API calls.

#include <boost/asio/awaitable.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/swarm_commands.hpp"
#include "cli/commands/view_format.hpp"
#include "core/error.hpp"
#include "orchestrator/images/image_preparer.hpp"
#include "orchestrator/project_lock.hpp"
#include "swarm/stack_deployer.hpp"

namespace stack::cli {
namespace {

struct DeployFlags {
  bool prune = false;
  bool strict = false;
  bool push = false;
  bool with_registry_auth = false;
  bool wait = false;
  int wait_timeout = -1;
  bool build = false;
  bool no_build = false;
  std::string pull;
  std::string format = "table";
};

swarm::DeployOptions toOptions(const GlobalOptions& globals, const DeployFlags& flags,
                               const orchestrator::ControllerOptions& controller) {
  requireTableOrJson(flags.format);
  if (flags.build && flags.no_build) {
    throw Error(ErrorKind::Usage, "--build and --no-build are incompatible");
  }
  if (!flags.pull.empty() && flags.pull != "always" && flags.pull != "missing" &&
      flags.pull != "never") {
    throw Error(ErrorKind::Usage, "invalid --pull \"" + flags.pull + "\"",
                "use --pull always, missing or never");
  }
  if (flags.wait_timeout >= 0 && !flags.wait) {
    throw Error(ErrorKind::Usage, "--wait-timeout needs --wait");
  }
  swarm::DeployOptions options;
  options.prune = flags.prune;
  options.dry_run = globals.dry_run;
  options.strict = flags.strict;
  options.push = flags.push;
  options.with_registry_auth = flags.with_registry_auth;
  options.wait = flags.wait;
  if (flags.wait_timeout >= 0) options.wait_timeout = std::chrono::seconds(flags.wait_timeout);
  if (flags.build) options.images.build = orchestrator::images::BuildMode::Changed;
  if (flags.no_build) options.images.build = orchestrator::images::BuildMode::Never;
  options.images.pull = flags.pull;
  options.preparer.parallel_limit = controller.parallel_limit;
  options.preparer.digest_cache = orchestrator::images::defaultDigestCachePath();
  return options;
}

void printFindings(const std::vector<swarm::Finding>& findings) {
  if (findings.empty()) return;
  std::printf("Swarm does not honour %zu key%s of this file as compose does:\n", findings.size(),
              findings.size() == 1 ? "" : "s");
  std::vector<std::vector<std::string>> rows{{"SERVICE", "KEY", "ACTION", "INSTEAD"}};
  for (const auto& f : findings) {
    rows.push_back({f.service.empty() ? "-" : f.service, f.key,
                    std::string(swarm::actionName(f.action)), f.detail});
  }
  printColumns(rows, 3, 0);
  std::printf("\n");
}

void printReport(const swarm::PreparedDeploy& prepared, const DeployFlags& flags, bool dry_run) {
  if (flags.format == "json") {
    nlohmann::json out = {{"stack", prepared.plan.stack},
                          {"findings", swarm::findingsJson(prepared.desired.findings)}};
    out["plan"] = swarm::planJson(prepared.plan);
    std::printf("%s\n", out.dump().c_str());
  } else {
    printFindings(prepared.desired.findings);
    if (dry_run) {
      std::printf("Planned API calls (dry run, nothing is changed):\n");
      for (const std::string& line : swarm::describePlan(prepared.plan)) {
        std::printf("  %s\n", line.c_str());
      }
      if (!prepared.plan.writes()) std::printf("  none: the stack is up to date\n");
    }
  }
  std::fflush(stdout);
}

int runDeploy(const GlobalOptions& globals, const DeployFlags& flags) {
  Session session(globals);
  const swarm::DeployOptions options = toOptions(globals, flags, session.controllerOptions());
  orchestrator::compose::Project project = session.loadProject();
  orchestrator::ProjectLock lock(project.name, lockWaitWarning(session, project.name));
  return session.run([&]() -> boost::asio::awaitable<int> {
    swarm::StackDeployer deployer(session.engine(), session.swarm(), session.progress());
    swarm::PreparedDeploy prepared = co_await deployer.prepare(project, options);
    printReport(prepared, flags, options.dry_run);
    co_await deployer.apply(prepared, options);
    if (!options.dry_run && !prepared.plan.writes()) {
      session.progress().info("stack " + project.name + " is up to date");
    }
    co_return 0;
  });
}

}  // namespace

void addDeployFlags(CLI::App& deploy, GlobalOptions& globals, std::function<int()>& action) {
  auto flags = std::make_shared<DeployFlags>();
  deploy.add_flag("--prune", flags->prune, "Remove services of the stack that left the file");
  deploy.add_flag("--strict", flags->strict,
                  "Fail instead of dropping a key that Swarm does not honour");
  deploy.add_flag("--push", flags->push,
                  "Push built images to the registry in image: (implied with several nodes)");
  deploy.add_flag("--with-registry-auth", flags->with_registry_auth,
                  "Send registry credentials so that the nodes can pull private images");
  deploy.add_flag("--wait", flags->wait,
                  "Wait until every service has its desired tasks running (and healthy)");
  deploy.add_option("--wait-timeout", flags->wait_timeout,
                    "Maximum duration in seconds to wait (default 300)");
  deploy.add_flag("--build", flags->build, "Build images before deploying, even if present");
  deploy.add_flag("--no-build", flags->no_build, "Don't build an image, even if it's missing");
  deploy.add_option("--pull", flags->pull,
                    "Pull images before deploying (\"always\"|\"missing\"|\"never\")");
  deploy.add_option("--format", flags->format,
                    "Format of the dropped-keys report (and plan). Values: [table | json]");
  deploy.callback([flags, &globals, &action] {
    action = [flags, &globals] { return runDeploy(globals, *flags); };
  });
}

void addDeployCommand(CommandSetup setup) {
  CLI::App* deploy = setup.app.add_subcommand(
      "deploy", "Deploy the project to Docker Swarm, reporting the keys Swarm drops");
  addDeployFlags(*deploy, setup.globals, setup.action);
}

}  // namespace stack::cli
