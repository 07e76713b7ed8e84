// Observing a stack (see stack_observer.hpp).

#include "swarm/stack_observer.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "core/error.hpp"

namespace stack::swarm {
namespace {

using namespace boost::asio::experimental::awaitable_operators;
template <class T>
using Awaitable = boost::asio::awaitable<T>;

Awaitable<void> findExternalNetworks(runtime::Engine& engine, const StackSpec& desired,
                                     ObservedStack& out) {
  for (const NetworkSpec& network : desired.networks) {
    if (!network.external) continue;
    try {
      runtime::NetworkDetails details = co_await engine.inspectNetwork(network.name);
      out.external_networks[network.name] = std::move(details);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::NotFound) throw;
    }
  }
}

// The engine's name filter matches prefixes: keep exact matches only.
void keepExact(const std::vector<std::string>& names,
               const std::vector<runtime::SwarmFileObject>& found,
               std::map<std::string, runtime::SwarmFileObject>& out) {
  for (const auto& object : found) {
    if (std::find(names.begin(), names.end(), object.name) != names.end())
      out[object.name] = object;
  }
}

Awaitable<void> findExternalObjects(runtime::SwarmEngine& swarm, const StackSpec& desired,
                                    ObservedStack& out) {
  if (!desired.external_secrets.empty()) {
    runtime::ListFilter filter;
    filter.names = desired.external_secrets;
    std::vector<runtime::SwarmFileObject> found = co_await swarm.listSecrets(filter);
    keepExact(desired.external_secrets, found, out.external_secrets);
  }
  if (!desired.external_configs.empty()) {
    runtime::ListFilter filter;
    filter.names = desired.external_configs;
    std::vector<runtime::SwarmFileObject> found = co_await swarm.listConfigs(filter);
    keepExact(desired.external_configs, found, out.external_configs);
  }
}

}  // namespace

Awaitable<ObservedStack> observeStack(runtime::Engine& engine, runtime::SwarmEngine& swarm,
                                      const StackSpec& desired) {
  runtime::ListFilter filter;
  filter.labels = {namespaceFilter(desired.stack)};
  ObservedStack out;
  auto services = [&]() -> Awaitable<void> {
    out.services = co_await swarm.listServices(filter, false);
  };
  auto networks = [&]() -> Awaitable<void> { out.networks = co_await engine.listNetworks(filter); };
  auto secrets = [&]() -> Awaitable<void> { out.secrets = co_await swarm.listSecrets(filter); };
  auto configs = [&]() -> Awaitable<void> { out.configs = co_await swarm.listConfigs(filter); };
  co_await (services() && networks() && secrets() && configs() &&
            findExternalNetworks(engine, desired, out) && findExternalObjects(swarm, desired, out));
  co_return out;
}

Awaitable<runtime::SwarmInfo> requireManager(runtime::SwarmEngine& swarm) {
  runtime::SwarmInfo info = co_await swarm.swarmInfo();
  if (info.control_available) co_return info;
  std::string state = info.local_node_state;
  if (!info.error.empty()) state += ": " + info.error;
  throw Error(ErrorKind::Engine, "this engine is not a swarm manager (swarm state: " + state + ")",
              info.local_node_state == "inactive"
                  ? "run `docker swarm init` to make this machine a single-node swarm, or point "
                    "DOCKER_HOST (or --context) at a swarm manager"
                  : "run stack deploy against a manager node of the swarm");
}

}  // namespace stack::swarm
