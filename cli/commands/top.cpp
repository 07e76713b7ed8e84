// `stack top`: the processes of the project's running containers, in one table with the
// service and replica of each, as docker compose prints them. Needs only the project name.

#include <algorithm>
#include <map>

#include "cli/command.hpp"
#include "cli/commands/view_format.hpp"

namespace stack::cli {
namespace {

struct TopFlags {
  std::vector<std::string> services;
};

// One table over every container: SERVICE, #, then each process title in the order first
// seen (containers may report different ones), CMD last; "-" where a container lacks one.
std::vector<std::vector<std::string>> topTable(
    const std::vector<orchestrator::ContainerProcesses>& containers) {
  std::vector<std::string> header{"SERVICE", "#"};
  for (const auto& container : containers) {
    for (const auto& title : container.top.titles) {
      if (std::find(header.begin(), header.end(), title) == header.end()) header.push_back(title);
    }
  }
  if (auto cmd = std::find(header.begin(), header.end(), "CMD"); cmd != header.end()) {
    std::rotate(cmd, cmd + 1, header.end());
  }
  std::vector<std::vector<std::string>> rows{header};
  for (const auto& container : containers) {
    for (const auto& process : container.top.processes) {
      std::map<std::string, std::string> cells{{"SERVICE", container.service},
                                               {"#", container.replica}};
      for (size_t i = 0; i < container.top.titles.size() && i < process.size(); ++i) {
        cells[container.top.titles[i]] = process[i];
      }
      std::vector<std::string> row;
      for (const auto& title : header) {
        auto it = cells.find(title);
        row.push_back(it == cells.end() ? "-" : it->second);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

int runTop(const GlobalOptions& globals, const TopFlags& flags) {
  Session session(globals);
  const std::string project = session.identity().name;
  const std::set<std::string> services = toSet(flags.services);
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    const auto containers = co_await controller.top(project, services);
    const auto rows = topTable(containers);
    if (rows.size() > 1) printColumns(rows, 2, 4);
    co_return 0;
  });
}

}  // namespace

void addTopCommand(CommandSetup setup) {
  auto flags = std::make_shared<TopFlags>();
  CLI::App* top = setup.app.add_subcommand("top", "Display the running processes");
  top->add_option("services", flags->services, "Services to show");
  auto& globals = setup.globals;
  top->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runTop(globals, *flags); };
  });
}

}  // namespace stack::cli
