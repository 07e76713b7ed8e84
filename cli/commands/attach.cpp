// `stack attach SERVICE`: the local stdin, stdout and stderr on a service's running
// container, as docker compose attach (docker attach on the chosen replica). The
// container's exit code becomes stack's when it stops while attached.

#include "cli/command.hpp"
#include "cli/commands/oneoff_flags.hpp"
#include "cli/commands/project_commands.hpp"
#include "cli/terminal.hpp"
#include "core/error.hpp"
#include "orchestrator/container_attach.hpp"

namespace stack::cli {
namespace {

struct AttachFlags {
  std::string service;
  int index = 0;
  bool no_stdin = false;
  bool sig_proxy = true;
  std::string detach_keys;
};

int runAttach(const GlobalOptions& globals, const AttachFlags& flags) {
  if (flags.index < 0) throw Error(ErrorKind::Usage, "--index must be 1 or more");
  if (!flags.detach_keys.empty()) {
    // Refused rather than ignored: the engine's default sequence would apply instead.
    throw Error(ErrorKind::Usage, "--detach-keys is not supported yet",
                "detach with the engine's default sequence, ctrl-p ctrl-q");
  }
  Session session(globals);
  const std::string project = session.identity().name;
  orchestrator::ContainerAttachRequest request;
  request.service = flags.service;
  request.index = flags.index;
  request.no_stdin = flags.no_stdin;
  request.sig_proxy = flags.sig_proxy;
  TerminalIo io(session.io().get_executor());
  return session.runInterruptible(
      [&](boost::asio::signal_set& signals) -> boost::asio::awaitable<int> {
        request.interrupted = interruptWait(signals);
        co_return co_await orchestrator::attachContainer(session.engine(), project, request, io);
      });
}

}  // namespace

void addAttachCommand(CommandSetup setup) {
  auto flags = std::make_shared<AttachFlags>();
  CLI::App* attach = setup.app.add_subcommand(
      "attach",
      "Attach local standard input, output, and error streams to a service's running container");
  attach->add_option("service", flags->service, "Service")->required();
  attach->add_option("--detach-keys", flags->detach_keys,
                     "Override the key sequence for detaching from a container");
  attach->add_option("--index", flags->index,
                     "index of the container if service has multiple replicas");
  attach->add_flag("--no-stdin", flags->no_stdin, "Do not attach STDIN");
  attach->add_flag("--sig-proxy,!--no-sig-proxy", flags->sig_proxy,
                   "Proxy all received signals to the process");
  auto& globals = setup.globals;
  attach->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runAttach(globals, *flags); };
  });
}

}  // namespace stack::cli
