// `stack run`: run a one-off command in a new container of a service, as
// `docker compose run`: its dependencies start first, the container is attached before it
// starts, and its exit code becomes stack's.

#include <unistd.h>

#include <climits>
#include <cstdio>

#include "cli/command.hpp"
#include "cli/commands/oneoff_flags.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/terminal.hpp"
#include "core/error.hpp"
#include "orchestrator/compose/units.hpp"
#include "orchestrator/oneoff/oneoff_spec.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

constexpr const char* kUsage = "stack run [OPTIONS] SERVICE [COMMAND] [ARGS...]";

struct RunFlags {
  bool detach = false;
  bool remove = false;
  bool no_deps = false;
  bool no_tty = false;
  bool tty = false;
  bool interactive = true;
  bool service_ports = false;
  bool use_aliases = false;
  std::vector<std::string> env;
  std::vector<std::string> labels;
  std::vector<std::string> publish;
  std::vector<std::string> volumes;
  std::string entrypoint;
  CLI::Option* entrypoint_option = nullptr;  // set: --entrypoint was given (maybe empty)
  std::string name;
  std::string user;
  std::string workdir;
};

std::map<std::string, std::string> parseLabels(const std::vector<std::string>& values) {
  std::map<std::string, std::string> out;
  for (const auto& value : values) {
    const auto equals = value.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw Error(ErrorKind::Usage, "invalid --label \"" + value + "\"",
                  "a label must be set as KEY=VALUE");
    }
    out[value.substr(0, equals)] = value.substr(equals + 1);
  }
  return out;
}

std::string currentDirectory() {
  char buffer[PATH_MAX];
  if (!::getcwd(buffer, sizeof(buffer)))
    throw Error(ErrorKind::Io, "cannot read the current directory");
  return buffer;
}

// The request's settings that do not need the project.
void applyFlags(orchestrator::oneoff::RunRequest& request, const RunFlags& flags) {
  if (flags.service_ports && !flags.publish.empty()) {
    throw Error(ErrorKind::Usage, "--service-ports and --publish are incompatible");
  }
  if (flags.entrypoint_option && flags.entrypoint_option->count() > 0) {
    request.entrypoint = orchestrator::compose::splitShellWords(flags.entrypoint);
    if (!request.entrypoint) {
      throw Error(ErrorKind::Usage, "invalid --entrypoint \"" + flags.entrypoint + "\"",
                  "a quote is left open");
    }
  }
  request.labels = parseLabels(flags.labels);
  request.name = flags.name;
  request.user = flags.user;
  request.working_dir = flags.workdir;
  request.publish = orchestrator::oneoff::parsePublishFlags(flags.publish);
  const char* home = std::getenv("HOME");
  request.volumes =
      orchestrator::oneoff::parseVolumeFlags(flags.volumes, currentDirectory(), home ? home : "");
  request.service_ports = flags.service_ports;
  request.use_aliases = flags.use_aliases;
  request.remove = flags.remove;
  request.detach = flags.detach;
  request.no_deps = flags.no_deps;
  request.tty = wantTty(flags.tty, flags.no_tty);
  request.interactive = flags.interactive;
}

int runRun(const GlobalOptions& globals, const RunFlags& flags,
           const std::vector<std::string>& arguments) {
  const ServiceCommand target = serviceAndCommand(arguments, false, kUsage);
  orchestrator::oneoff::RunRequest request;
  request.service = target.service;
  if (!target.command.empty()) request.command = target.command;
  applyFlags(request, flags);
  Session session(globals);
  const orchestrator::compose::Project project = session.loadProject({target.service});
  // `-e KEY` takes KEY from the project's environment; unresolved, it is left out.
  request.env =
      resolveEnvFlags(flags.env, [&](const std::string& key) -> std::optional<std::string> {
        auto it = project.environment.find(key);
        if (it != project.environment.end()) return it->second;
        return processEnvironment(key);
      });
  std::optional<orchestrator::ProjectLock> lock;
  lock.emplace(project.name, lockWaitWarning(session, project.name));
  request.created = [&lock] { lock.reset(); };
  TerminalIo io(session.io().get_executor());
  orchestrator::oneoff::RunResult result;
  const int code = session.runInterruptible(
      [&](boost::asio::signal_set& signals) -> boost::asio::awaitable<int> {
        request.interrupted = interruptWait(signals);
        orchestrator::ProjectController controller = session.controller();
        result = co_await controller.run(project, request, io);
        co_return result.exit_code;
      });
  if (flags.detach && !result.container_id.empty())
    std::printf("%s\n", result.container_id.c_str());
  return code;
}

}  // namespace

void addRunCommand(CommandSetup setup) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* run = setup.app.add_subcommand(
      "run", std::string("Run a one-off command on a service (") + kUsage + ")");
  run->add_flag("-d,--detach", flags->detach, "Run container in background and print container ID");
  run->add_option("-e,--env", flags->env, "Set environment variables");
  run->add_option("-l,--label", flags->labels, "Add or override a label");
  run->add_flag("--rm", flags->remove, "Automatically remove the container when it exits");
  run->add_flag("-T,--no-tty", flags->no_tty,
                "Disable pseudo-TTY allocation (default: when stdin and stdout are terminals)");
  run->add_option("--name", flags->name, "Assign a name to the container");
  run->add_option("-u,--user", flags->user, "Run as specified username or uid");
  run->add_option("-w,--workdir", flags->workdir, "Working directory inside the container");
  flags->entrypoint_option =
      run->add_option("--entrypoint", flags->entrypoint, "Override the entrypoint of the image");
  run->add_flag("--no-deps", flags->no_deps, "Don't start linked services");
  run->add_option("-v,--volume", flags->volumes, "Bind mount a volume");
  run->add_option("-p,--publish", flags->publish, "Publish a container's port(s) to the host");
  run->add_flag("-P,--service-ports", flags->service_ports,
                "Run command with all service's ports enabled and mapped to the host");
  run->add_flag("--use-aliases", flags->use_aliases,
                "Use the service's network aliases in the network(s) the container connects to");
  run->add_flag("-i,--interactive", flags->interactive, "Keep STDIN open even if not attached");
  run->add_flag("-t,--tty", flags->tty, "Allocate a pseudo-TTY")->group("");
  keepArgumentsAfterService(*run, setup.globals);
  auto& globals = setup.globals;
  run->callback([flags, run, &globals, &action = setup.action] {
    action = [flags, &globals, arguments = run->remaining()] {
      return runRun(globals, *flags, arguments);
    };
  });
}

}  // namespace stack::cli
