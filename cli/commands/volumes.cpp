// `stack volumes [SERVICE...]`: the project's volumes (those the services mount, when
// named), as docker compose volumes lists them: a DRIVER / VOLUME NAME table, one JSON
// object per line with --format json, names only with -q.

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/project_commands.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/view_format.hpp"
#include "core/error.hpp"
#include "orchestrator/project_volumes.hpp"

namespace stack::cli {
namespace {

struct VolumesFlags {
  std::vector<std::string> services;
  std::string format = "table";
  bool quiet = false;
};

// docker's volume formatter: labels as "k=v,k=v" sorted, "N/A" where it has no value.
nlohmann::json volumeJson(const runtime::VolumeDetails& volume) {
  std::string labels;
  for (const auto& [key, value] : volume.labels)
    labels += (labels.empty() ? "" : ",") + key + "=" + value;
  return {{"Availability", "N/A"}, {"Driver", volume.driver}, {"Group", "N/A"},
          {"Labels", labels},      {"Links", "N/A"},          {"Mountpoint", volume.mountpoint},
          {"Name", volume.name},   {"Scope", volume.scope},   {"Size", "N/A"},
          {"Status", "N/A"}};
}

int runVolumes(const GlobalOptions& globals, const VolumesFlags& flags) {
  requireTableOrJson(flags.format);
  Session session(globals);
  const ProjectScope scope = resolveScope(session, flags.services);
  if (const auto* model = scope.model()) {
    for (const auto& service : flags.services) {
      if (!model->services.count(service)) {
        throw Error(ErrorKind::Usage, "no such service: " + service,
                    "`stack config --services` lists the services");
      }
    }
  }
  return session.run([&]() -> boost::asio::awaitable<int> {
    const auto volumes =
        co_await orchestrator::projectVolumes(session.engine(), scope.name, toSet(flags.services));
    if (flags.quiet) {
      for (const auto& volume : volumes) std::printf("%s\n", volume.name.c_str());
    } else if (flags.format == "json") {
      for (const auto& volume : volumes) std::printf("%s\n", volumeJson(volume).dump().c_str());
    } else {
      std::vector<std::vector<std::string>> rows{{"DRIVER", "VOLUME NAME"}};
      for (const auto& volume : volumes) rows.push_back({volume.driver, volume.name});
      printColumns(rows, 3, 10);
    }
    co_return 0;
  });
}

}  // namespace

void addVolumesCommand(CommandSetup setup) {
  auto flags = std::make_shared<VolumesFlags>();
  CLI::App* command = setup.app.add_subcommand("volumes", "List volumes");
  command->add_option("services", flags->services, "Services");
  command->add_option("--format", flags->format, "Format the output: table or json");
  command->add_flag("-q,--quiet", flags->quiet, "Only display volume names");
  auto& globals = setup.globals;
  command->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runVolumes(globals, *flags); };
  });
}

}  // namespace stack::cli
