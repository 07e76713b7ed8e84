// `stack port SERVICE PRIVATE_PORT`: the host address a container port is published on,
// "0.0.0.0:49153". Needs only the project name.

#include <cctype>
#include <charconv>
#include <cstdio>

#include "cli/command.hpp"
#include "core/error.hpp"

namespace stack::cli {
namespace {

struct PortFlags {
  std::string service;
  std::string private_port;
  std::string protocol = "tcp";
  int index = 0;
};

uint16_t parsePort(const std::string& text) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    throw Error(ErrorKind::Usage, "invalid port \"" + text + "\"",
                "give the container port as a number, e.g. `stack port web 80`");
  }
  return static_cast<uint16_t>(value);
}

int runPort(const GlobalOptions& globals, const PortFlags& flags) {
  const uint16_t private_port = parsePort(flags.private_port);
  std::string protocol = flags.protocol;
  for (auto& c : protocol) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (flags.index < 0) {
    throw Error(ErrorKind::Usage, "invalid --index " + std::to_string(flags.index),
                "give the container number, 1 for the first replica");
  }
  Session session(globals);
  const std::string project = session.identity().name;
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    const runtime::PortSummary binding =
        co_await controller.port(project, flags.service, private_port, protocol, flags.index);
    std::printf("%s:%u\n", binding.ip.c_str(), static_cast<unsigned>(binding.public_port));
    co_return 0;
  });
}

}  // namespace

void addPortCommand(CommandSetup setup) {
  auto flags = std::make_shared<PortFlags>();
  CLI::App* port = setup.app.add_subcommand("port", "Print the public port for a port binding");
  port->add_option("service", flags->service, "Service")->required();
  port->add_option("private_port", flags->private_port, "Container port")->required();
  port->add_option("--protocol", flags->protocol, "tcp or udp");
  port->add_option("--index", flags->index,
                   "Index of the container if service has multiple replicas");
  auto& globals = setup.globals;
  port->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runPort(globals, *flags); };
  });
}

}  // namespace stack::cli
