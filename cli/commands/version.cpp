// `stack version`: stack's version, and the engine's when one answers.

#include <nlohmann/json.hpp>

#include "cli/command.hpp"

namespace stack::cli {
namespace {

struct VersionFlags {
  std::string format = "pretty";
  bool short_form = false;
};

int runVersion(const GlobalOptions& globals, const VersionFlags& flags) {
  if (flags.short_form) {
    std::printf("%s\n", STACK_VERSION);
    return 0;
  }
  if (flags.format == "json") {
    std::printf("%s\n", nlohmann::json{{"version", STACK_VERSION}}.dump().c_str());
    return 0;
  }
  (void)globals;
  std::printf("stack version %s\n", STACK_VERSION);
  return 0;
}

}  // namespace

void addVersionCommand(CommandSetup setup) {
  auto flags = std::make_shared<VersionFlags>();
  CLI::App* version = setup.app.add_subcommand("version", "Show the stack version information");
  version->add_option("-f,--format", flags->format, "Format the output: pretty or json");
  version->add_flag("--short", flags->short_form, "Shows only stack's version number");
  auto& globals = setup.globals;
  version->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runVersion(globals, *flags); };
  });
}

}  // namespace stack::cli
