#include "cli/commands/oneoff_flags.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>

#include "cli/terminal.hpp"
#include "core/error.hpp"

namespace stack::cli {

void keepArgumentsAfterService(CLI::App& command, GlobalOptions& globals) {
  command.prefix_command();
  command.fallthrough(false);
  // The global flags of main.cpp, bound to the same variables, except for a short name
  // the command uses itself (`run -p` publishes a port, as in compose).
  auto names = [&command](const std::string& short_name, const std::string& long_name) {
    if (short_name.empty() || command.get_option_no_throw(short_name)) return long_name;
    return short_name + "," + long_name;
  };
  const std::string hidden;
  command.add_option(names("-f", "--file"), globals.files)->group(hidden);
  command.add_option(names("-p", "--project-name"), globals.project_name)->group(hidden);
  command.add_option("--profile", globals.profiles)->group(hidden);
  command.add_option("--env-file", globals.env_files)->group(hidden);
  command.add_option("--project-directory", globals.project_directory)->group(hidden);
  command.add_option("--progress", globals.progress)->group(hidden);
  command.add_option("--ansi", globals.ansi)->group(hidden);
  command.add_flag("--dry-run", globals.dry_run)->group(hidden);
  command.add_option("--parallel", globals.parallel)->group(hidden);
  command.add_option("--log-level", globals.log_level)->group(hidden);
}

ServiceCommand serviceAndCommand(const std::vector<std::string>& arguments, bool need_command,
                                 const std::string& usage) {
  if (arguments.empty()) {
    throw Error(ErrorKind::Usage, "a service name is required", "usage: " + usage);
  }
  ServiceCommand out;
  out.service = arguments.front();
  if (out.service.size() > 1 && out.service.front() == '-') {
    throw Error(ErrorKind::Usage, "unknown flag: " + out.service, "usage: " + usage);
  }
  out.command.assign(arguments.begin() + 1, arguments.end());
  if (need_command && out.command.empty()) {
    throw Error(ErrorKind::Usage, "a command is required after the service name",
                "usage: " + usage);
  }
  return out;
}

bool wantTty(bool tty_flag, bool no_tty_flag) {
  if (tty_flag && no_tty_flag) {
    throw Error(ErrorKind::Usage, "--tty and --no-tty can't be used together");
  }
  if (no_tty_flag) return false;
  return tty_flag || (isTerminal(STDIN_FILENO) && isTerminal(STDOUT_FILENO));
}

std::vector<std::string> resolveEnvFlags(
    const std::vector<std::string>& values,
    const std::function<std::optional<std::string>(const std::string&)>& lookup) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    if (value.find('=') != std::string::npos) {
      out.push_back(value);
      continue;
    }
    const std::optional<std::string> found = lookup(value);
    out.push_back(found ? value + "=" + *found : value);
  }
  return out;
}

std::optional<std::string> processEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

orchestrator::oneoff::InterruptWait interruptWait(boost::asio::signal_set& signals) {
  return [&signals]() -> boost::asio::awaitable<void> {
    co_await signals.async_wait(boost::asio::use_awaitable);
  };
}

}  // namespace stack::cli
