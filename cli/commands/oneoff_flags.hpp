#pragma once

// What `exec` and `run` share on the command line. Both take `SERVICE COMMAND [ARGS...]`
// with the command's own flags after it (`stack exec web ls -la`), as docker compose does:
// their flags must come before the service, and everything from the service on is kept
// verbatim.

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/session.hpp"
#include "orchestrator/oneoff/oneoff_requests.hpp"

namespace stack::cli {

// Makes `command` stop parsing at its first positional argument (CLI11's prefix command),
// and accept the global flags before it too (`stack exec -p demo web sh`), since a prefix
// command cannot fall through to its parent. The global flags are hidden from its help;
// call it after adding the command's own flags, whose short names win (`run -p`).
void keepArgumentsAfterService(CLI::App& command, GlobalOptions& globals);

// SERVICE and COMMAND [ARGS...] from what the prefix command kept. Throws Usage when the
// service is missing, looks like an unknown flag, or when `need_command` and no command
// follows it.
struct ServiceCommand {
  std::string service;
  std::vector<std::string> command;
};
ServiceCommand serviceAndCommand(const std::vector<std::string>& arguments, bool need_command,
                                 const std::string& usage);

// Whether the process gets a pseudo-TTY: never with -T, always with -t, else when both
// stdin and stdout are terminals (docker compose allocates one whenever stdout is a
// terminal, and then fails with "the input device is not a TTY" when stdin is not).
bool wantTty(bool tty_flag, bool no_tty_flag);

// `-e KEY=VALUE` as is; `-e KEY` takes KEY's value from `lookup`, and stays a bare KEY
// (which unsets it in the container) when there is none.
std::vector<std::string> resolveEnvFlags(
    const std::vector<std::string>& values,
    const std::function<std::optional<std::string>(const std::string&)>& lookup);

// An environment variable of stack's own process.
std::optional<std::string> processEnvironment(const std::string& name);

// Completes at the next SIGINT or SIGTERM the session's signal set receives.
orchestrator::oneoff::InterruptWait interruptWait(boost::asio::signal_set& signals);

}  // namespace stack::cli
