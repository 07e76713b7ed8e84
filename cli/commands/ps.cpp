// `stack ps`: the project's containers, from one list call and no inspects.

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "cli/command.hpp"
#include "cli/format.hpp"
#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"

namespace stack::cli {
namespace {

struct PsFlags {
  bool all = false;
  bool quiet = false;
  bool services = false;
  std::vector<std::string> status;
  std::vector<std::string> filters;  // --filter status=VALUE
  bool no_trunc = false;
  std::string format = "table";
  std::vector<std::string> selected;
};

std::string labelOf(const runtime::ContainerSummary& c, std::string_view key) {
  auto it = c.labels.find(std::string(key));
  return it == c.labels.end() ? "" : it->second;
}

// "Up 3 minutes (healthy)" -> "healthy"; "(health: starting)" -> "starting".
std::string healthOf(const std::string& status) {
  if (status.find("(healthy)") != std::string::npos) return "healthy";
  if (status.find("(unhealthy)") != std::string::npos) return "unhealthy";
  if (status.find("(health: starting)") != std::string::npos) return "starting";
  return "";
}

int exitCodeOf(const std::string& status) {
  static const std::regex exited(R"(Exited \((-?\d+)\))");
  std::smatch match;
  return std::regex_search(status, match, exited) ? std::stoi(match[1].str()) : 0;
}

std::string quotedCommand(const std::string& command, bool truncate = true) {
  std::string text = truncate && command.size() > 20 ? command.substr(0, 19) + "…" : command;
  return "\"" + text + "\"";
}

// docker compose's --filter: only `status=VALUE`, which adds to --status.
void applyFilters(PsFlags& flags) {
  for (const auto& filter : flags.filters) {
    const auto equals = filter.find('=');
    if (equals == std::string::npos) {
      throw Error(ErrorKind::Usage, "arguments to --filter should be in form KEY=VAL",
                  "use --filter status=running");
    }
    const std::string key = filter.substr(0, equals);
    if (key != "status") {
      throw Error(ErrorKind::Usage, "unknown filter " + key, "the supported filter is status");
    }
    flags.status.push_back(filter.substr(equals + 1));
  }
}

// As docker compose prints JSON: the short ID and command unless --no-trunc.
nlohmann::json toJson(const runtime::ContainerSummary& c, bool no_trunc) {
  nlohmann::json publishers = nlohmann::json::array();
  for (const auto& port : c.ports) {
    publishers.push_back({{"URL", port.ip},
                          {"TargetPort", port.private_port},
                          {"PublishedPort", port.public_port},
                          {"Protocol", port.type}});
  }
  std::string label_text;
  for (const auto& [key, value] : c.labels)
    label_text += (label_text.empty() ? "" : ",") + key + "=" + value;
  std::string networks;
  for (const auto& network : c.networks) networks += (networks.empty() ? "" : ",") + network;
  return {{"ID", no_trunc ? c.id : c.id.substr(0, 12)},
          {"Name", c.name},
          {"Names", c.name},
          {"Image", c.image},
          {"Command", quotedCommand(c.command, !no_trunc)},
          {"Project", labelOf(c, orchestrator::compose::labels::kProject)},
          {"Service", labelOf(c, orchestrator::compose::labels::kService)},
          {"Created", c.created},
          {"RunningFor", humanAge(c.created)},
          {"State", c.state},
          {"Status", c.status},
          {"Health", healthOf(c.status)},
          {"ExitCode", exitCodeOf(c.status)},
          {"Publishers", publishers},
          {"Ports", formatPorts(c.ports)},
          {"Networks", networks},
          {"Labels", label_text}};
}

void print(std::vector<runtime::ContainerSummary> containers, const PsFlags& flags) {
  std::sort(containers.begin(), containers.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  if (flags.services) {
    std::set<std::string> names;
    for (const auto& c : containers)
      names.insert(labelOf(c, orchestrator::compose::labels::kService));
    for (const auto& name : names) std::printf("%s\n", name.c_str());
  } else if (flags.quiet) {
    for (const auto& c : containers) std::printf("%s\n", c.id.c_str());
  } else if (flags.format == "json") {
    for (const auto& c : containers) std::printf("%s\n", toJson(c, flags.no_trunc).dump().c_str());
  } else {
    std::vector<std::vector<std::string>> rows{
        {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"}};
    for (const auto& c : containers) {
      rows.push_back({c.name, c.image, quotedCommand(c.command, !flags.no_trunc),
                      labelOf(c, orchestrator::compose::labels::kService), humanAge(c.created),
                      c.status, formatPorts(c.ports)});
    }
    printTable(rows);
  }
}

int runPs(const GlobalOptions& globals, PsFlags flags) {
  applyFilters(flags);
  if (flags.format != "table" && flags.format != "json") {
    throw Error(ErrorKind::Usage, "unsupported --format \"" + flags.format + "\"",
                "use --format table or --format json");
  }
  Session session(globals);
  const std::string project = session.identity().name;
  const std::set<std::string> selected(flags.selected.begin(), flags.selected.end());
  const std::set<std::string> statuses(flags.status.begin(), flags.status.end());
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    auto containers = co_await controller.ps(project, flags.all || !statuses.empty());
    std::erase_if(containers, [&](const runtime::ContainerSummary& c) {
      return (!selected.empty() &&
              !selected.count(labelOf(c, orchestrator::compose::labels::kService))) ||
             (!statuses.empty() && !statuses.count(c.state));
    });
    print(std::move(containers), flags);
    co_return 0;
  });
}

}  // namespace

void addPsCommand(CommandSetup setup) {
  auto flags = std::make_shared<PsFlags>();
  CLI::App* ps = setup.app.add_subcommand("ps", "List containers");
  ps->add_flag("-a,--all", flags->all, "Show all stopped containers");
  ps->add_flag("-q,--quiet", flags->quiet, "Only display IDs");
  ps->add_flag("--services", flags->services, "Display services");
  ps->add_option("--status", flags->status,
                 "Filter services by status: paused, restarting, removing, running, dead, "
                 "created, exited");
  ps->add_option("--filter", flags->filters,
                 "Filter services by a property (supported filters: status)");
  ps->add_flag("--no-trunc", flags->no_trunc, "Don't truncate output");
  ps->add_option("--format", flags->format, "Format the output: table or json");
  ps->add_option("services", flags->selected, "Services to list");
  auto& globals = setup.globals;
  ps->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runPs(globals, *flags); };
  });
}

}  // namespace stack::cli
