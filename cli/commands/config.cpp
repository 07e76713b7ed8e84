// `stack config`: the project as docker compose normalizes it, or one of its listings.

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "cli/command.hpp"
#include "cli/commands/config_extras.hpp"
#include "core/error.hpp"
#include "orchestrator/compose/config_query.hpp"
#include "orchestrator/compose/loader.hpp"
#include "orchestrator/compose/serialize.hpp"

namespace stack::cli {
namespace {

struct ConfigFlags {
  std::string format;  // "" = yaml, or for --variables a table
  bool quiet = false;
  bool services = false;
  bool volumes = false;
  bool networks = false;
  bool images = false;
  bool profiles = false;
  std::string hash;
  bool no_interpolate = false;
  bool no_normalize = false;
  bool no_path_resolution = false;
  bool no_consistency = false;
  bool resolve_image_digests = false;
  bool variables = false;
  bool environment = false;
  std::string output;
  std::vector<std::string> selected;
};

std::string render(const orchestrator::compose::Project& project, const ConfigFlags& flags) {
  auto lines = [](const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += item + "\n";
    return text;
  };
  using orchestrator::compose::ConfigListing;
  if (flags.services)
    return lines(orchestrator::compose::listConfig(project, ConfigListing::Services));
  if (flags.volumes)
    return lines(orchestrator::compose::listConfig(project, ConfigListing::Volumes));
  if (flags.networks)
    return lines(orchestrator::compose::listConfig(project, ConfigListing::Networks));
  if (flags.images) return lines(orchestrator::compose::listConfig(project, ConfigListing::Images));
  if (flags.profiles)
    return lines(orchestrator::compose::listConfig(project, ConfigListing::Profiles));
  if (!flags.hash.empty()) return lines(orchestrator::compose::configHashes(project, flags.hash));
  if (flags.variables) return renderVariables(project, flags.format);
  if (flags.environment) return renderEnvironment(project);
  // As compose: the rendered model has every `$` doubled, so it can be fed back as a
  // file; with --no-interpolate the values are as written, escapes included.
  const std::string text = flags.format == "json"
                               ? orchestrator::compose::projectToJson(project).dump(2) + "\n"
                               : orchestrator::compose::projectToYaml(project);
  return flags.no_interpolate ? text : escapeDollars(text);
}

orchestrator::compose::Project load(Session& session, const ConfigFlags& flags) {
  orchestrator::compose::LoadOptions options = session.loadOptions();
  options.selected_services = flags.selected;
  // --variables lists what the files use, so nothing is substituted.
  options.interpolate = !flags.no_interpolate && !flags.variables;
  options.resolve_paths = !flags.no_path_resolution;
  options.normalize = !flags.no_normalize;
  options.check_consistency = !flags.no_consistency;
  orchestrator::compose::LoadResult result = orchestrator::compose::loadProject(options);
  for (const auto& warning : result.warnings) session.progress().warn(warning);
  return std::move(result.project);
}

int runConfig(const GlobalOptions& globals, const ConfigFlags& flags) {
  if (!flags.format.empty() && flags.format != "yaml" && flags.format != "json") {
    throw Error(ErrorKind::Usage, "unsupported --format \"" + flags.format + "\"",
                "use --format yaml or --format json");
  }
  Session session(globals);
  orchestrator::compose::Project project = load(session, flags);
  if (!flags.selected.empty()) {
    for (auto it = project.services.begin(); it != project.services.end();) {
      const bool keep = std::find(flags.selected.begin(), flags.selected.end(), it->first) !=
                        flags.selected.end();
      it = keep ? std::next(it) : project.services.erase(it);
    }
  }
  if (flags.resolve_image_digests) {
    session.run([&]() -> boost::asio::awaitable<int> {
      co_await resolveImageDigests(session.engine(), project);
      co_return 0;
    });
  }
  if (flags.quiet) return 0;  // loading validated everything
  const std::string text = render(project, flags);
  if (flags.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream file(flags.output, std::ios::binary);
  file << text;
  if (!file) throw Error(ErrorKind::Io, "cannot write " + flags.output);
  return 0;
}

}  // namespace

void addConfigCommand(CommandSetup setup) {
  auto flags = std::make_shared<ConfigFlags>();
  CLI::App* config = setup.app.add_subcommand(
      "config", "Parse, resolve and render compose file in canonical format");
  config->add_option("--format", flags->format, "Format the output. Values: [yaml | json]");
  config->add_flag("-q,--quiet", flags->quiet,
                   "Only validate the configuration, don't print anything");
  config->add_flag("--services", flags->services, "Print the service names, one per line");
  config->add_flag("--volumes", flags->volumes, "Print the volume names, one per line");
  config->add_flag("--networks", flags->networks, "Print the network names, one per line");
  config->add_flag("--images", flags->images, "Print the image names, one per line");
  config->add_flag("--profiles", flags->profiles, "Print the profile names, one per line");
  config->add_option("--hash", flags->hash, "Print the service config hash, one per line");
  config->add_flag("--no-interpolate", flags->no_interpolate,
                   "Don't interpolate environment variables");
  config->add_flag("--no-normalize", flags->no_normalize, "Don't normalize compose model");
  config->add_flag("--no-path-resolution", flags->no_path_resolution, "Don't resolve file paths");
  config->add_flag("--no-consistency", flags->no_consistency,
                   "Don't check model consistency - warning: may produce invalid Compose output");
  config->add_flag("--resolve-image-digests", flags->resolve_image_digests,
                   "Pin image tags to digests");
  config->add_flag("--variables", flags->variables, "Print model variables and default values.");
  config->add_flag("--environment", flags->environment,
                   "Print environment used for interpolation.");
  config->add_option("-o,--output", flags->output, "Save to file (default to stdout)");
  config->add_option("services", flags->selected, "Services to render");
  auto& globals = setup.globals;
  config->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runConfig(globals, *flags); };
  });
}

}  // namespace stack::cli
