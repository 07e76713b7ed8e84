// `stack timings [--format text|json]`: the critical chain of the project's last `up` (the
// path of waits that decided its duration, each link with its time), the slowest services
// and the time spent waiting for readiness probes. Needs no compose file and no engine.

#include "cli/commands/timings.hpp"

#include <cstdio>

#include "cli/command.hpp"
#include "cli/commands/project_commands.hpp"
#include "core/error.hpp"
#include "orchestrator/timings/critical_chain.hpp"

namespace stack::cli {

orchestrator::timings::UpRecord lastUp(const std::string& project) {
  const auto state_dir = orchestrator::timings::defaultStateDir();
  if (state_dir.empty()) {
    throw Error(ErrorKind::NotFound, "no recorded up: neither XDG_STATE_HOME nor HOME is set",
                "set one of them; each `stack up` then records its timings there");
  }
  const auto path = orchestrator::timings::lastUpPath(state_dir, project);
  auto record = orchestrator::timings::loadRecord(path);
  if (!record) {
    throw Error(ErrorKind::NotFound,
                "no recorded up for project \"" + project + "\" (no " + path.string() + ")",
                "run `stack up` first: every up records its timings");
  }
  return *record;
}

void printTimings(const orchestrator::timings::UpRecord& record, const std::string& format) {
  const auto report = orchestrator::timings::criticalChain(record);
  const std::string text = format == "json"
                               ? orchestrator::timings::chainJson(record, report).dump() + "\n"
                               : orchestrator::timings::renderChain(record, report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

namespace {

struct TimingsFlags {
  std::string format = "text";
};

int runTimings(const GlobalOptions& globals, const TimingsFlags& flags) {
  if (flags.format != "text" && flags.format != "json") {
    throw Error(ErrorKind::Usage, "unsupported --format \"" + flags.format + "\"",
                "use --format text or --format json");
  }
  Session session(globals);
  printTimings(lastUp(session.identity().name), flags.format);
  return 0;
}

}  // namespace

void addTimingsCommand(CommandSetup setup) {
  auto flags = std::make_shared<TimingsFlags>();
  CLI::App* command = setup.app.add_subcommand(
      "timings", "Show the critical chain of the last up: what decided how long it took");
  command->add_option("--format", flags->format, "Output format: text or json");
  auto& globals = setup.globals;
  command->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runTimings(globals, *flags); };
  });
}

}  // namespace stack::cli
