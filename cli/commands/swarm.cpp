// `stack swarm ls|services|ps|rm|deploy`: docker stack's views and removal, next to
// stack's compose commands of the same names (`stack ps` lists containers; `stack swarm
// ps` lists a stack's Swarm tasks). They read the com.docker.stack.namespace label, so
// they show what `docker stack deploy` deployed as well as what `stack deploy` did.
// The stack is the project name (-p, or the directory) unless named on the command line.

#include <boost/asio/awaitable.hpp>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/swarm_commands.hpp"
#include "cli/commands/view_format.hpp"
#include "cli/format.hpp"
#include "core/error.hpp"
#include "swarm/stack_views.hpp"

namespace stack::cli {
namespace {

struct ViewFlags {
  std::vector<std::string> stacks;
  std::string format = "table";
  bool quiet = false;
  bool no_trunc = false;
};

std::string stackName(Session& session, const ViewFlags& flags) {
  if (flags.stacks.size() > 1) throw Error(ErrorKind::Usage, "name at most one stack");
  if (!flags.stacks.empty()) return flags.stacks.front();
  return session.identity().name;
}

std::string shortId(const std::string& id, bool no_trunc) {
  return no_trunc ? id : id.substr(0, 12);
}

// "Running 5 seconds ago", as docker stack ps prints the current state.
std::string currentState(const swarm::StackTask& task) {
  std::string state = task.current_state;
  if (!state.empty())
    state[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(state[0])));
  if (auto when = parseRfc3339(task.timestamp)) {
    std::string age = humanAge(*when);  // "Less than a second ago" reads "less" mid-sentence
    if (!age.empty()) age[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(age[0])));
    state += " " + age;
  }
  return state;
}

std::string capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

int runLs(const GlobalOptions& globals, const ViewFlags& flags) {
  requireTableOrJson(flags.format);
  Session session(globals);
  return session.run([&]() -> boost::asio::awaitable<int> {
    auto stacks = co_await swarm::listStacks(session.swarm());
    if (flags.format == "json") {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& s : stacks) list.push_back({{"Name", s.name}, {"Services", s.services}});
      std::printf("%s\n", list.dump().c_str());
      co_return 0;
    }
    std::vector<std::vector<std::string>> rows{{"NAME", "SERVICES"}};
    for (const auto& s : stacks) rows.push_back({s.name, std::to_string(s.services)});
    printColumns(rows, 3, 0);
    co_return 0;
  });
}

int runServices(const GlobalOptions& globals, const ViewFlags& flags) {
  requireTableOrJson(flags.format);
  Session session(globals);
  const std::string stack = stackName(session, flags);
  return session.run([&]() -> boost::asio::awaitable<int> {
    auto services = co_await swarm::stackServices(session.swarm(), stack);
    if (services.empty() && !flags.quiet) {
      std::fprintf(stderr, "Nothing found in stack: %s\n", stack.c_str());
    }
    if (flags.quiet) {
      for (const auto& s : services) std::printf("%s\n", s.id.c_str());
    } else if (flags.format == "json") {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& s : services) {
        list.push_back({{"ID", s.id},
                        {"Name", s.name},
                        {"Mode", s.mode},
                        {"Replicas", s.replicas},
                        {"Image", s.image},
                        {"Ports", s.ports}});
      }
      std::printf("%s\n", list.dump().c_str());
    } else {
      std::vector<std::vector<std::string>> rows{
          {"ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"}};
      for (const auto& s : services) {
        rows.push_back(
            {shortId(s.id, flags.no_trunc), s.name, s.mode, s.replicas, s.image, s.ports});
      }
      printColumns(rows, 3, 0);
    }
    co_return 0;
  });
}

int runPs(const GlobalOptions& globals, const ViewFlags& flags) {
  requireTableOrJson(flags.format);
  Session session(globals);
  const std::string stack = stackName(session, flags);
  return session.run([&]() -> boost::asio::awaitable<int> {
    auto tasks = co_await swarm::stackTasks(session.swarm(), stack);
    if (tasks.empty() && !flags.quiet) {
      std::fprintf(stderr, "Nothing found in stack: %s\n", stack.c_str());
    }
    if (flags.quiet) {
      for (const auto& t : tasks) std::printf("%s\n", t.id.c_str());
    } else if (flags.format == "json") {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& t : tasks) {
        list.push_back({{"ID", t.id},
                        {"Name", t.name},
                        {"Image", t.image},
                        {"Node", t.node},
                        {"DesiredState", capitalized(t.desired_state)},
                        {"CurrentState", currentState(t)},
                        {"Error", t.error},
                        {"Ports", t.ports}});
      }
      std::printf("%s\n", list.dump().c_str());
    } else {
      std::vector<std::vector<std::string>> rows{
          {"ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS"}};
      for (const auto& t : tasks) {
        std::string error = t.error;
        if (!flags.no_trunc && error.size() > 30) error = error.substr(0, 29) + "…";
        if (!error.empty()) error = "\"" + error + "\"";
        rows.push_back({shortId(t.id, flags.no_trunc), t.name, t.image, t.node,
                        capitalized(t.desired_state), currentState(t), error, t.ports});
      }
      printColumns(rows, 3, 0);
    }
    co_return 0;
  });
}

int runRm(const GlobalOptions& globals, const ViewFlags& flags) {
  Session session(globals);
  std::vector<std::string> stacks = flags.stacks;
  if (stacks.empty()) stacks.push_back(session.identity().name);
  return session.run([&]() -> boost::asio::awaitable<int> {
    for (const std::string& stack : stacks) {
      const bool removed = co_await swarm::removeStack(session.engine(), session.swarm(),
                                                       session.progress(), stack, {});
      if (!removed) std::fprintf(stderr, "Nothing found in stack: %s\n", stack.c_str());
    }
    co_return 0;
  });
}

using Runner = int (*)(const GlobalOptions&, const ViewFlags&);

CLI::App* addView(CLI::App& group, GlobalOptions& globals, std::function<int()>& action,
                  const char* name, const char* description, Runner runner,
                  std::shared_ptr<ViewFlags> flags) {
  CLI::App* command = group.add_subcommand(name, description);
  command->callback([flags, &globals, &action, runner] {
    action = [flags, &globals, runner] { return runner(globals, *flags); };
  });
  return command;
}

}  // namespace

void addSwarmCommand(CommandSetup setup) {
  CLI::App* group = setup.app.add_subcommand(
      "swarm", "Stacks on Docker Swarm: ls, services, ps, rm (and deploy)");
  group->require_subcommand(1);
  auto& globals = setup.globals;
  auto& action = setup.action;

  auto ls = std::make_shared<ViewFlags>();
  CLI::App* ls_cmd = addView(*group, globals, action, "ls", "List stacks", runLs, ls);
  ls_cmd->add_option("--format", ls->format, "Format the output. Values: [table | json]");

  auto services = std::make_shared<ViewFlags>();
  CLI::App* services_cmd = addView(*group, globals, action, "services",
                                   "List the services of a stack", runServices, services);
  services_cmd->add_option("stack", services->stacks, "Stack name (default: the project name)");
  services_cmd->add_option("--format", services->format,
                           "Format the output. Values: [table | json]");
  services_cmd->add_flag("-q,--quiet", services->quiet, "Only display IDs");

  auto ps = std::make_shared<ViewFlags>();
  CLI::App* ps_cmd = addView(*group, globals, action, "ps", "List the tasks of a stack", runPs, ps);
  ps_cmd->add_option("stack", ps->stacks, "Stack name (default: the project name)");
  ps_cmd->add_option("--format", ps->format, "Format the output. Values: [table | json]");
  ps_cmd->add_flag("-q,--quiet", ps->quiet, "Only display task IDs");
  ps_cmd->add_flag("--no-trunc", ps->no_trunc, "Do not truncate output");

  auto rm = std::make_shared<ViewFlags>();
  CLI::App* rm_cmd =
      addView(*group, globals, action, "rm",
              "Remove stacks: services, networks, secrets, configs (never volumes)", runRm, rm);
  rm_cmd->add_option("stacks", rm->stacks, "Stack names (default: the project name)");

  CLI::App* deploy = group->add_subcommand("deploy", "Same as `stack deploy`");
  addDeployFlags(*deploy, globals, action);
}

}  // namespace stack::cli
