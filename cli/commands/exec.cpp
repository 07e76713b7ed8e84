// `stack exec`: run a command in a service's running container, as `docker compose exec`.
// Stdin is forwarded, a pseudo-TTY is allocated when stdin and stdout are terminals, and
// the command's exit code becomes stack's. Works from labels alone.

#include "cli/command.hpp"
#include "cli/commands/oneoff_flags.hpp"
#include "cli/terminal.hpp"

namespace stack::cli {
namespace {

constexpr const char* kUsage = "stack exec [OPTIONS] SERVICE COMMAND [ARGS...]";

struct ExecFlags {
  bool detach = false;
  bool no_tty = false;
  bool tty = false;
  bool interactive = true;
  bool privileged = false;
  std::vector<std::string> env;
  int index = 0;
  std::string user;
  std::string workdir;
};

int runExec(const GlobalOptions& globals, const ExecFlags& flags,
            const std::vector<std::string>& arguments) {
  const ServiceCommand target = serviceAndCommand(arguments, true, kUsage);
  if (flags.index < 0) throw Error(ErrorKind::Usage, "--index must be 1 or more");
  Session session(globals);
  const std::string project = session.identity().name;
  orchestrator::oneoff::ExecRequest request;
  request.service = target.service;
  request.command = target.command;
  request.index = flags.index;
  request.env = resolveEnvFlags(flags.env, processEnvironment);
  request.user = flags.user;
  request.working_dir = flags.workdir;
  request.privileged = flags.privileged;
  request.detach = flags.detach;
  request.tty = !flags.detach && wantTty(flags.tty, flags.no_tty);
  request.interactive = flags.interactive;
  TerminalIo io(session.io().get_executor());
  return session.runInterruptible(
      [&](boost::asio::signal_set& signals) -> boost::asio::awaitable<int> {
        request.interrupted = interruptWait(signals);
        orchestrator::ProjectController controller = session.controller();
        co_return co_await controller.exec(project, request, io);
      });
}

}  // namespace

void addExecCommand(CommandSetup setup) {
  auto flags = std::make_shared<ExecFlags>();
  CLI::App* exec = setup.app.add_subcommand(
      "exec", std::string("Execute a command in a running container (") + kUsage + ")");
  exec->add_flag("-d,--detach", flags->detach, "Detached mode: Run command in the background");
  exec->add_option("-e,--env", flags->env, "Set environment variables");
  exec->add_option("--index", flags->index,
                   "Index of the container if service has multiple replicas");
  exec->add_flag("--privileged", flags->privileged, "Give extended privileges to the process");
  exec->add_option("-u,--user", flags->user, "Run the command as this user");
  exec->add_flag("-T,--no-tty", flags->no_tty,
                 "Disable pseudo-TTY allocation. By default stack exec allocates a TTY when "
                 "stdin and stdout are terminals");
  exec->add_option("-w,--workdir", flags->workdir, "Path to workdir directory for this command");
  exec->add_flag("-t,--tty", flags->tty, "Allocate a pseudo-TTY")->group("");
  exec->add_flag("-i,--interactive", flags->interactive, "Keep STDIN open even if not attached")
      ->group("");
  keepArgumentsAfterService(*exec, setup.globals);
  auto& globals = setup.globals;
  exec->callback([flags, exec, &globals, &action = setup.action] {
    action = [flags, &globals, arguments = exec->remaining()] {
      return runExec(globals, *flags, arguments);
    };
  });
}

}  // namespace stack::cli
