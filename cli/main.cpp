// stack: run multi-container applications from compose files.
//
// main() only wires the CLI: it declares the global flags (those of docker compose),
// lets each subcommand register itself, runs the chosen one, and maps any error to a
// message and an exit code (cli/exit_codes.cpp). No exception ever leaves main().

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/completion.hpp"
#include "cli/commands/project_commands.hpp"
#include "cli/exit_codes.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace {

using namespace stack;

void addGlobalFlags(CLI::App& app, cli::GlobalOptions& globals) {
  app.add_option("-f,--file", globals.files, "Compose configuration files");
  app.add_option("-p,--project-name", globals.project_name, "Project name");
  app.add_option("--profile", globals.profiles, "Specify a profile to enable");
  app.add_option("--env-file", globals.env_files, "Specify an alternate environment file");
  app.add_option("--project-directory", globals.project_directory,
                 "Specify an alternate working directory (default: the path of the first "
                 "specified Compose file)");
  app.add_option("--progress", globals.progress,
                 "Set type of progress output (auto, tty, plain, json, quiet)");
  app.add_option("--ansi", globals.ansi,
                 "Control when to print ANSI control characters "
                 "(\"never\"|\"always\"|\"auto\")");
  app.add_flag("--dry-run", globals.dry_run, "Execute command in dry run mode");
  app.add_option("--parallel", globals.parallel, "Control max parallelism, -1 for unlimited");
  app.add_option("--log-level", globals.log_level,
                 "Set the logging level (trace, debug, info, warn, error, off)");
  // As docker compose, `--version` prints what `stack version` prints. Not `-v`: with
  // fallthrough it would turn a mistyped `stack up -v` into a version banner.
  app.set_version_flag("--version", std::string("stack version ") + STACK_VERSION,
                       "Show the stack version information");
}

void printError(const Error& error, bool json) {
  if (json) {
    nlohmann::json line = {
        {"level", "error"}, {"kind", errorKindName(error.kind())}, {"message", error.what()}};
    if (!error.hint().empty()) line["hint"] = error.hint();
    std::fprintf(stderr, "%s\n", line.dump().c_str());
    return;
  }
  std::fprintf(stderr, "%s\n", error.what());
  if (!error.hint().empty()) std::fprintf(stderr, "hint: %s\n", error.hint().c_str());
}

// As docker's CLI: a repeatable flag takes one value per occurrence, so in
// `up --scale web=2 web` the trailing `web` is a service, not a second scale.
void oneValuePerFlag(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (!option->get_positional() && option->get_items_expected_max() > 1) {
      option->allow_extra_args(false);
    }
  }
  for (CLI::App* command : app.get_subcommands({})) oneValuePerFlag(*command);
}

int run(int argc, char** argv, cli::GlobalOptions& globals) {
  CLI::App app{"stack: run multi-container applications from compose files", "stack"};
  app.fallthrough();  // global flags may follow the subcommand, as with docker compose
  // As docker compose: no subcommand prints the help and succeeds; an unknown one is a
  // usage error (CLI11 reports it as an unexpected argument).
  app.require_subcommand(0, 1);
  addGlobalFlags(app, globals);
  std::function<int()> action;
  cli::CommandSetup setup{app, globals, action};
  cli::addConfigCommand(setup);
  cli::addUpCommand(setup);
  cli::addDownCommand(setup);
  cli::addLogsCommand(setup);
  cli::addPsCommand(setup);
  cli::addStopCommand(setup);
  cli::addVersionCommand(setup);
  cli::addCreateCommand(setup);
  cli::addStartCommand(setup);
  cli::addRestartCommand(setup);
  cli::addPauseCommand(setup);
  cli::addUnpauseCommand(setup);
  cli::addKillCommand(setup);
  cli::addRmCommand(setup);
  cli::addLsCommand(setup);
  cli::addEventsCommand(setup);
  cli::addPortCommand(setup);
  cli::addTopCommand(setup);
  cli::addImagesCommand(setup);
  cli::addBuildCommand(setup);
  cli::addPullCommand(setup);
  cli::addPushCommand(setup);
  cli::addExecCommand(setup);
  cli::addRunCommand(setup);
  cli::addWaitCommand(setup);
  cli::addScaleCommand(setup);
  cli::addVolumesCommand(setup);
  cli::addCpCommand(setup);
  cli::addAttachCommand(setup);
  cli::addGraphCommand(setup);
  cli::addTimingsCommand(setup);
  cli::addDeployCommand(setup);
  cli::addSwarmCommand(setup);
  cli::addCompletionCommand(setup);
  oneValuePerFlag(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    throw Error(ErrorKind::Usage, error.what(), "run `stack --help` for the usage");
  }
  if (!globals.log_level.empty() && !log::setLevel(globals.log_level)) {
    throw Error(ErrorKind::Usage, "unknown log level \"" + globals.log_level + "\"",
                "use one of trace, debug, info, warn, error, off");
  }
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stdout);
    return cli::kExitSuccess;
  }
  return action ? action() : cli::kExitSuccess;
}

}  // namespace

int main(int argc, char** argv) {
  cli::GlobalOptions globals;
  const char* env_progress = std::getenv("COMPOSE_PROGRESS");
  auto json = [&] {
    return globals.progress == "json" ||
           (globals.progress.empty() && env_progress && std::string(env_progress) == "json");
  };
  try {
    return run(argc, argv, globals);
  } catch (const Error& error) {
    printError(error, json());
    return cli::exitCodeFor(error);
  } catch (const std::exception& error) {
    printError(Error(ErrorKind::Internal, std::string("internal error: ") + error.what(),
                     "this is a bug in stack; please report it with the command you ran"),
               json());
    return cli::kExitFailure;
  } catch (...) {
    std::fprintf(stderr, "internal error: unknown exception\n");
    return cli::kExitFailure;
  }
}
