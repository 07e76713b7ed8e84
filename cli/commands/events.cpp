// `stack events`: follow the project's container events, as text lines or JSON lines
// (docker compose's --json fields). Needs only the project name.

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/view_format.hpp"

namespace stack::cli {
namespace {

struct EventsFlags {
  bool json = false;
  std::string since;
  std::string until;
  std::vector<std::string> services;
};

// "2024-01-01T00:00:00.000000000+00:00 container start <id> (image=busybox, name=x-web-1)"
std::string textLine(const orchestrator::ProjectEvent& event) {
  std::string attributes;
  for (const auto& [key, value] : event.attributes) {
    attributes += (attributes.empty() ? "" : ", ") + key + "=" + value;
  }
  return rfc3339(event.time_nano, true) + " container " + event.action + " " + event.container +
         " (" + attributes + ")";
}

std::string jsonLine(const orchestrator::ProjectEvent& event) {
  const nlohmann::json line = {{"time", rfc3339(event.time_nano, false)},
                               {"type", "container"},
                               {"service", event.service},
                               {"id", event.container},
                               {"action", event.action},
                               {"attributes", event.attributes}};
  return line.dump();
}

int runEvents(const GlobalOptions& globals, const EventsFlags& flags) {
  Session session(globals);
  const std::string project = session.identity().name;
  orchestrator::EventsOptions options;
  options.services = flags.services;
  options.since = flags.since;
  options.until = flags.until;
  const orchestrator::ProjectEventSink sink = [&](const orchestrator::ProjectEvent& event) {
    const std::string line = flags.json ? jsonLine(event) : textLine(event);
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);  // a follower reads each event as it happens
  };
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    co_await controller.events(project, options, sink);
    co_return 0;
  });
}

}  // namespace

void addEventsCommand(CommandSetup setup) {
  auto flags = std::make_shared<EventsFlags>();
  CLI::App* events = setup.app.add_subcommand("events", "Receive real time events from containers");
  events->add_flag("--json", flags->json, "Output events as a stream of json objects");
  events->add_option("--since", flags->since, "Show all events created since timestamp");
  events->add_option("--until", flags->until, "Stream events until this timestamp");
  events->add_option("services", flags->services, "Services to follow");
  auto& globals = setup.globals;
  events->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runEvents(globals, *flags); };
  });
}

}  // namespace stack::cli
