// `stack ls`: the compose projects on this engine, from container labels (stack's and
// docker compose's alike).

#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/command.hpp"
#include "cli/commands/view_format.hpp"
#include "core/error.hpp"

namespace stack::cli {
namespace {

struct LsFlags {
  bool all = false;
  bool quiet = false;
  std::string format = "table";
  std::vector<std::string> filters;
};

// --filter name=VALUE (the only filter docker compose accepts), by filter key.
std::map<std::string, std::vector<std::string>> parseFilters(const std::vector<std::string>& raw) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& filter : raw) {
    const auto equals = filter.find('=');
    if (equals == std::string::npos) {
      throw Error(ErrorKind::Usage, "bad format of filter (expected name=value): " + filter);
    }
    const std::string key = filter.substr(0, equals);
    if (key != "name") {
      throw Error(ErrorKind::Usage, "invalid filter '" + key + "'", "use --filter name=PATTERN");
    }
    out[key].push_back(filter.substr(equals + 1));
  }
  return out;
}

// As docker compose: a name matches a value equal to it, or a regular expression found in it.
bool nameMatches(const std::string& name, const std::vector<std::string>& patterns) {
  for (const auto& pattern : patterns) {
    if (name == pattern) return true;
    try {
      if (std::regex_search(name, std::regex(pattern))) return true;
    } catch (const std::regex_error&) {
      // Not a regular expression: only the exact match counts.
    }
  }
  return false;
}

void print(const std::vector<orchestrator::ProjectSummary>& projects, const LsFlags& flags) {
  if (flags.quiet) {
    for (const auto& project : projects) std::printf("%s\n", project.name.c_str());
  } else if (flags.format == "json") {
    // Keys in docker compose's order.
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& project : projects) {
      list.push_back({{"Name", project.name},
                      {"Status", project.status},
                      {"ConfigFiles", project.config_files}});
    }
    std::printf("%s\n", list.dump().c_str());
  } else {
    std::vector<std::vector<std::string>> rows{{"NAME", "STATUS", "CONFIG FILES"}};
    for (const auto& project : projects) {
      rows.push_back({project.name, project.status, project.config_files});
    }
    printColumns(rows, 3, 20);
  }
}

int runLs(const GlobalOptions& globals, const LsFlags& flags) {
  requireTableOrJson(flags.format);
  const auto filters = parseFilters(flags.filters);
  Session session(globals);
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    auto projects = co_await controller.listProjects(flags.all);
    if (auto names = filters.find("name"); names != filters.end()) {
      std::erase_if(projects, [&](const auto& p) { return !nameMatches(p.name, names->second); });
    }
    print(projects, flags);
    co_return 0;
  });
}

}  // namespace

void addLsCommand(CommandSetup setup) {
  auto flags = std::make_shared<LsFlags>();
  CLI::App* ls = setup.app.add_subcommand("ls", "List running compose projects");
  ls->add_flag("-a,--all", flags->all, "Show all stopped Compose projects");
  ls->add_flag("-q,--quiet", flags->quiet, "Only display project names");
  ls->add_option("--format", flags->format, "Format the output. Values: [table | json]");
  ls->add_option("--filter", flags->filters, "Filter output based on conditions provided");
  auto& globals = setup.globals;
  ls->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runLs(globals, *flags); };
  });
}

}  // namespace stack::cli
