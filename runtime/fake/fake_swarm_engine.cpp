// FakeSwarmEngine: the in-memory swarm (see fake_swarm_engine.hpp).

#include "runtime/fake/fake_swarm_engine.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "runtime/fake/fake_engine.hpp"

namespace stack::runtime::fake {
namespace {

using Json = nlohmann::json;

Error notFound(const std::string& what) {
  return Error(ErrorKind::NotFound, what);
}

// The engine's name filter matches prefixes.
bool matchesNames(const std::string& name, const std::vector<std::string>& names) {
  if (names.empty()) return true;
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return name.rfind(n, 0) == 0; });
}

const Json& containerSpecOf(const Json& spec) {
  static const Json kEmpty = Json::object();
  if (!spec.contains("TaskTemplate") || !spec["TaskTemplate"].contains("ContainerSpec")) {
    return kEmpty;
  }
  return spec["TaskTemplate"]["ContainerSpec"];
}

}  // namespace

bool FakeSwarmEngine::matchesLabels(const StringMap& labels,
                                    const std::vector<std::string>& filters) {
  for (const std::string& filter : filters) {
    const size_t eq = filter.find('=');
    auto it = labels.find(filter.substr(0, eq));
    if (it == labels.end()) return false;
    if (eq != std::string::npos && it->second != filter.substr(eq + 1)) return false;
  }
  return true;
}

FakeSwarmEngine::FakeSwarmEngine(FakeEngine* engine) : engine_(engine) {
  nodes_.push_back({"node1id", "fake-node", "manager", "active", "ready", {}});
}

std::vector<std::string> FakeSwarmEngine::writes() const {
  std::vector<std::string> out;
  for (const std::string& call : calls_) {
    if (call.rfind("create", 0) == 0 || call.rfind("update", 0) == 0 ||
        call.rfind("remove", 0) == 0) {
      out.push_back(call);
    }
  }
  return out;
}

std::string FakeSwarmEngine::nextId(const char* prefix) {
  return std::string(prefix) + std::to_string(++ids_) + "xxxxxxxxxxxxxxxxxxxxx";
}

void FakeSwarmEngine::requireManager(const char* what) const {
  if (active_ && manager_) return;
  Error error(ErrorKind::Engine,
              "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm "
              "join\" to connect this node to swarm and try again.");
  error.addContext(what);
  throw error;
}

SwarmService* FakeSwarmEngine::findService(const std::string& id_or_name) {
  for (auto& [id, service] : services_) {
    if (id == id_or_name || service.name == id_or_name) return &service;
  }
  return nullptr;
}

std::optional<SwarmService> FakeSwarmEngine::service(const std::string& name) const {
  for (const auto& [id, service] : services_) {
    if (service.name == name) return service;
  }
  return std::nullopt;
}

std::vector<SwarmTask> FakeSwarmEngine::tasks(const std::string& service_name) const {
  auto found = service(service_name);
  std::vector<SwarmTask> out;
  for (const Task& task : tasks_) {
    if (found && task.task.service_id == found->id) out.push_back(task.task);
  }
  return out;
}

std::optional<std::string> FakeSwarmEngine::secretData(const std::string& name) const {
  for (const auto& [id, object] : secrets_) {
    if (object.object.name == name) return object.data;
  }
  return std::nullopt;
}

std::optional<std::string> FakeSwarmEngine::configData(const std::string& name) const {
  for (const auto& [id, object] : configs_) {
    if (object.object.name == name) return object.data;
  }
  return std::nullopt;
}

Awaitable<SwarmInfo> FakeSwarmEngine::swarmInfo() {
  calls_.push_back("swarmInfo");
  SwarmInfo info;
  info.local_node_state = active_ ? "active" : "inactive";
  if (!active_) co_return info;
  info.node_id = nodes_.front().id;
  info.node_address = "127.0.0.1";
  info.control_available = manager_;
  if (manager_) {
    info.nodes = static_cast<int>(nodes_.size());
    info.managers = static_cast<int>(
        std::count_if(nodes_.begin(), nodes_.end(), [](auto& n) { return n.role == "manager"; }));
  }
  co_return info;
}

Awaitable<std::vector<SwarmNode>> FakeSwarmEngine::listNodes() {
  calls_.push_back("listNodes");
  requireManager("list nodes");
  std::vector<SwarmNode> out;
  for (const FakeNode& n : nodes_) {
    out.push_back({n.id, n.hostname, n.role, n.availability, n.state, "127.0.0.1", n.labels});
  }
  co_return out;
}

Awaitable<std::vector<SwarmService>> FakeSwarmEngine::listServices(const ListFilter& filter,
                                                                   bool status) {
  calls_.push_back("listServices");
  requireManager("list services");
  advanceTasks();
  std::vector<SwarmService> out;
  for (const auto& [id, service] : services_) {
    if (!matchesLabels(service.labels, filter.labels) || !matchesNames(service.name, filter.names))
      continue;
    SwarmService copy = service;
    if (status) {
      uint64_t running = 0, desired = 0;
      for (const Task& task : tasks_) {
        if (task.task.service_id != id || task.version != service.version) continue;
        if (task.task.desired_state == "running") ++desired;
        if (task.task.state == "running") ++running;
      }
      copy.running_tasks = running;
      copy.desired_tasks = desired;
    }
    out.push_back(std::move(copy));
  }
  co_return out;
}

Awaitable<SwarmService> FakeSwarmEngine::inspectService(const std::string& id) {
  calls_.push_back("inspectService " + id);
  requireManager("inspect service");
  advanceTasks();
  SwarmService* service = findService(id);
  if (!service) throw notFound("service " + id + " not found");
  co_return *service;
}

void FakeSwarmEngine::checkSpec(const Json& spec) const {
  const Json& container = containerSpecOf(spec);
  if (!container.contains("Image") || container["Image"].get<std::string>().empty()) {
    throw Error(ErrorKind::Engine, "ContainerSpec: image reference must be provided");
  }
  auto checkRefs = [&](const char* list, const char* id_field, const auto& objects) {
    if (!container.contains(list)) return;
    for (const auto& ref : container[list]) {
      const std::string id = ref.value(id_field, "");
      if (!objects.count(id)) {
        throw Error(ErrorKind::Engine, std::string(list) + " reference not found: " + id);
      }
    }
  };
  checkRefs("Secrets", "SecretID", secrets_);
  checkRefs("Configs", "ConfigID", configs_);
  if (!engine_ || !spec["TaskTemplate"].contains("Networks")) return;
  for (const auto& network : spec["TaskTemplate"]["Networks"]) {
    const std::string target = network.value("Target", "");
    if (target == "host" || target == "none") continue;
    if (!engine_->state().network(target)) {
      throw Error(ErrorKind::NotFound, "network " + target + " not found");
    }
  }
}

Awaitable<ServiceWriteResult> FakeSwarmEngine::createService(const Json& spec,
                                                             const RegistryAuth&) {
  const std::string name = spec.value("Name", "");
  calls_.push_back("createService " + name);
  requireManager("create service");
  if (findService(name)) {
    throw Error(ErrorKind::Conflict,
                "rpc error: code = AlreadyExists desc = name conflicts "
                "with an existing object: service " +
                    name + " already exists");
  }
  checkSpec(spec);
  SwarmService service;
  service.id = nextId("svc");
  service.version = ++index_;
  service.name = name;
  service.spec = spec;
  service.labels = spec.value("Labels", StringMap{});
  service.endpoint = spec.value("EndpointSpec", Json::object());
  service.created_at = service.updated_at = "2026-12-02T00:00:00Z";
  schedule(service);
  const std::string id = service.id;
  services_[id] = std::move(service);
  co_return ServiceWriteResult{id, {}};
}

Awaitable<ServiceWriteResult> FakeSwarmEngine::updateService(const std::string& id,
                                                             uint64_t version, const Json& spec,
                                                             const RegistryAuth&) {
  SwarmService* service = findService(id);
  calls_.push_back("updateService " + (service ? service->name : id));
  requireManager("update service");
  if (!service) throw notFound("service " + id + " not found");
  if (version != service->version) {
    throw Error(ErrorKind::Engine, "rpc error: code = Unknown desc = update out of sequence");
  }
  checkSpec(spec);
  service->version = ++index_;
  service->spec = spec;
  service->labels = spec.value("Labels", StringMap{});
  service->endpoint = spec.value("EndpointSpec", Json::object());
  service->update_state = "completed";
  schedule(*service);
  co_return ServiceWriteResult{service->id, {}};
}

Awaitable<void> FakeSwarmEngine::removeService(const std::string& id) {
  SwarmService* service = findService(id);
  calls_.push_back("removeService " + (service ? service->name : id));
  requireManager("remove service");
  if (!service) throw notFound("service " + id + " not found");
  const std::string key = service->id;
  std::erase_if(tasks_, [&](const Task& t) { return t.task.service_id == key; });
  services_.erase(key);
  co_return;
}

}  // namespace stack::runtime::fake
