// `stack logs`: the output of the project's containers. Works from labels alone.

#include "cli/command.hpp"
#include "cli/log_printer.hpp"
#include "orchestrator/logs/project_logs.hpp"

namespace stack::cli {
namespace {

struct LogsFlags {
  bool follow = false;
  std::string tail = "all";
  std::string since;
  std::string until;
  bool timestamps = false;
  bool no_color = false;
  bool no_prefix = false;
  int index = 0;
  std::vector<std::string> services;
};

int runLogs(const GlobalOptions& globals, const LogsFlags& flags) {
  Session session(globals);
  const std::string project = session.identity().name;
  orchestrator::logs::LogsRequest request;
  request.services = {flags.services.begin(), flags.services.end()};
  request.follow = flags.follow;
  request.tail = flags.tail;
  request.since = flags.since;
  request.until = flags.until;
  request.timestamps = flags.timestamps;
  if (flags.index > 0) request.index = flags.index;
  LogPrinter printer({.project = project,
                      .color = session.colorEnabled() && !flags.no_color,
                      .prefix = !flags.no_prefix});
  return session.run([&]() -> boost::asio::awaitable<int> {
    co_await orchestrator::logs::projectLogs(session.engine(), project, request, printer);
    co_return 0;
  });
}

}  // namespace

void addLogsCommand(CommandSetup setup) {
  auto flags = std::make_shared<LogsFlags>();
  CLI::App* logs = setup.app.add_subcommand("logs", "View output from containers");
  logs->add_flag("-f,--follow", flags->follow, "Follow log output");
  logs->add_option("-n,--tail", flags->tail,
                   "Number of lines to show from the end of the logs for each container");
  logs->add_option("--since", flags->since,
                   "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)");
  logs->add_option(
      "--until", flags->until,
      "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)");
  logs->add_flag("-t,--timestamps", flags->timestamps, "Show timestamps");
  logs->add_flag("--no-color", flags->no_color, "Produce monochrome output");
  logs->add_flag("--no-log-prefix", flags->no_prefix, "Don't print prefix in logs");
  logs->add_option("--index", flags->index,
                   "index of the container if service has multiple replicas");
  logs->add_option("services", flags->services, "Services to show");
  auto& globals = setup.globals;
  logs->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runLogs(globals, *flags); };
  });
}

}  // namespace stack::cli
