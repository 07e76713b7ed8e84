// Stack views and removal (see stack_views.hpp).

#include "swarm/stack_views.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "core/error.hpp"
#include "swarm/stack_spec.hpp"

namespace stack::swarm {
namespace {

namespace asio = boost::asio;
template <class T>
using Awaitable = asio::awaitable<T>;
using progress::ProgressState;

runtime::ListFilter stackFilter(const std::string& stack) {
  runtime::ListFilter filter;
  filter.labels = {namespaceFilter(stack)};
  return filter;
}

std::string modeOf(const Json& spec) {
  if (!spec.contains("Mode")) return "replicated";
  for (const auto& [key, mode] :
       {std::pair{"Replicated", "replicated"}, std::pair{"Global", "global"},
        std::pair{"ReplicatedJob", "replicated-job"}, std::pair{"GlobalJob", "global-job"}}) {
    if (spec["Mode"].contains(key)) return mode;
  }
  return "replicated";
}

std::string imageOf(const runtime::SwarmService& service) {
  auto it = service.labels.find(std::string(kImageLabel));
  if (it != service.labels.end()) return it->second;
  const Json& task = service.spec.value("TaskTemplate", Json::object());
  return task.value("ContainerSpec", Json::object()).value("Image", "");
}

std::string portsOf(const Json& spec) {
  std::string out;
  const Json ports = spec.value("EndpointSpec", Json::object()).value("Ports", Json::array());
  for (const auto& port : ports) {
    if (!out.empty()) out += ", ";
    out += "*:" + std::to_string(port.value("PublishedPort", 0)) + "->" +
           std::to_string(port.value("TargetPort", 0)) + "/" + port.value("Protocol", "tcp");
  }
  return out;
}

// dockerd lists a host-mode port once per address family: show it once.
std::string taskPorts(const std::vector<runtime::PortSummary>& ports) {
  std::vector<std::string> seen;
  for (const auto& port : ports) {
    std::string text = "*:" + std::to_string(port.public_port) + "->" +
                       std::to_string(port.private_port) + "/" + port.type;
    if (std::find(seen.begin(), seen.end(), text) == seen.end()) seen.push_back(std::move(text));
  }
  std::string out;
  for (const auto& text : seen) out += (out.empty() ? "" : ", ") + text;
  return out;
}

}  // namespace

Awaitable<std::vector<StackSummary>> listStacks(runtime::SwarmEngine& swarm) {
  runtime::ListFilter filter;
  filter.labels = {std::string(kNamespaceLabel)};
  std::vector<runtime::SwarmService> services = co_await swarm.listServices(filter, false);
  std::map<std::string, size_t> counts;
  for (const auto& service : services) ++counts[service.labels.at(std::string(kNamespaceLabel))];
  std::vector<StackSummary> out;
  for (const auto& [name, count] : counts) out.push_back({name, count});
  co_return out;
}

Awaitable<std::vector<StackService>> stackServices(runtime::SwarmEngine& swarm,
                                                   const std::string& stack) {
  const runtime::ListFilter filter = stackFilter(stack);
  std::vector<runtime::SwarmService> services = co_await swarm.listServices(filter, true);
  std::vector<StackService> out;
  for (const auto& service : services) {
    StackService row{service.id, service.name,     modeOf(service.spec),
                     "",         imageOf(service), portsOf(service.spec)};
    row.replicas = std::to_string(service.running_tasks.value_or(0)) + "/" +
                   std::to_string(service.desired_tasks.value_or(0));
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  co_return out;
}

Awaitable<std::vector<StackTask>> stackTasks(runtime::SwarmEngine& swarm,
                                             const std::string& stack) {
  const runtime::ListFilter filter = stackFilter(stack);
  std::vector<runtime::SwarmService> services = co_await swarm.listServices(filter, false);
  runtime::TaskFilter task_filter;
  task_filter.labels = filter.labels;
  std::vector<runtime::SwarmTask> tasks = co_await swarm.listTasks(task_filter);
  std::vector<runtime::SwarmNode> nodes = co_await swarm.listNodes();
  std::map<std::string, const runtime::SwarmService*> by_id;
  for (const auto& service : services) by_id[service.id] = &service;
  std::map<std::string, std::string> hostnames;
  for (const auto& node : nodes) hostnames[node.id] = node.hostname;
  std::vector<StackTask> out;
  for (const auto& task : tasks) {
    auto service = by_id.find(task.service_id);
    if (service == by_id.end()) continue;
    StackTask row;
    row.id = task.id;
    row.name =
        service->second->name + "." + (task.slot > 0 ? std::to_string(task.slot) : task.node_id);
    row.image = imageOf(*service->second);
    row.node = hostnames.count(task.node_id) ? hostnames[task.node_id] : task.node_id;
    row.desired_state = task.desired_state;
    row.current_state = task.state;
    row.timestamp = task.timestamp;
    row.error = task.error;
    row.ports = taskPorts(task.ports);
    out.push_back(std::move(row));
  }
  // As docker stack ps: by name, the newest task of a slot first.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.name != b.name ? a.name < b.name : a.timestamp > b.timestamp;
  });
  co_return out;
}

namespace {

void emit(progress::ProgressSink& progress, const char* resource, const std::string& name,
          const char* status, ProgressState state, std::string detail = {}) {
  progress::ProgressEvent event;
  event.resource = resource;
  event.name = name;
  event.status = status;
  event.state = state;
  event.detail = std::move(detail);
  progress.emit(event);
}

// Waits until the stack's tasks are gone (their containers hold the networks).
Awaitable<void> awaitNoTasks(runtime::SwarmEngine& swarm, const std::string& stack,
                             std::chrono::milliseconds timeout) {
  runtime::TaskFilter filter;
  filter.labels = {namespaceFilter(stack)};
  asio::steady_timer pause(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::vector<runtime::SwarmTask> tasks = co_await swarm.listTasks(filter);
    if (tasks.empty()) co_return;
    pause.expires_after(std::chrono::milliseconds(200));
    co_await pause.async_wait(asio::use_awaitable);
  }
}

}  // namespace

Awaitable<bool> removeStack(runtime::Engine& engine, runtime::SwarmEngine& swarm,
                            progress::ProgressSink& progress, const std::string& stack,
                            const RemoveOptions& options) {
  const runtime::ListFilter filter = stackFilter(stack);
  std::vector<runtime::SwarmService> services = co_await swarm.listServices(filter, false);
  std::vector<runtime::SwarmFileObject> secrets = co_await swarm.listSecrets(filter);
  std::vector<runtime::SwarmFileObject> configs = co_await swarm.listConfigs(filter);
  std::vector<runtime::NetworkDetails> networks = co_await engine.listNetworks(filter);
  if (services.empty() && secrets.empty() && configs.empty() && networks.empty()) co_return false;
  std::vector<std::string> failed;
  auto remove = [&](const char* resource, const std::string& id) -> Awaitable<void> {
    const std::string_view kind = resource;
    if (kind == "Service") co_await swarm.removeService(id);
    if (kind == "Secret") co_await swarm.removeSecret(id);
    if (kind == "Config") co_await swarm.removeConfig(id);
    if (kind == "Network") co_await engine.removeNetwork(id);
  };
  auto attempt = [&](const char* resource, std::string name, std::string id) -> Awaitable<void> {
    emit(progress, resource, name, "Removing", ProgressState::Working);
    try {
      co_await remove(resource, id);
      emit(progress, resource, name, "Removed", ProgressState::Done);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::Cancelled) throw;
      // Someone else removed it (dockerd answers 500 "not found" for a swarm network the
      // manager has already deleted while this node still lists it).
      if (error.kind() == ErrorKind::NotFound ||
          error.message().find("not found") != std::string::npos) {
        emit(progress, resource, name, "Removed", ProgressState::Done);
        co_return;
      }
      emit(progress, resource, name, "Error", ProgressState::Error, error.message());
      failed.push_back(std::string(resource) + " " + name);
    }
  };
  std::sort(services.begin(), services.end(), [](auto& a, auto& b) { return a.name < b.name; });
  for (const auto& s : services) co_await attempt("Service", s.name, s.id);
  for (const auto& s : secrets) co_await attempt("Secret", s.name, s.id);
  for (const auto& c : configs) co_await attempt("Config", c.name, c.id);
  if (!services.empty() && !networks.empty()) {
    co_await awaitNoTasks(swarm, stack, options.tasks_timeout);
  }
  for (const auto& n : networks) co_await attempt("Network", n.name, n.id);
  if (!failed.empty()) {
    std::string list;
    for (const auto& f : failed) list += (list.empty() ? "" : ", ") + f;
    throw Error(ErrorKind::Engine,
                "failed to remove some resources from stack \"" + stack + "\": " + list,
                "run the removal again once the engine's errors above are resolved");
  }
  co_return true;
}

}  // namespace stack::swarm
