// FakeSwarmEngine: scheduling tasks, and the secrets and configs.

#include <algorithm>

#include "core/error.hpp"
#include "runtime/fake/fake_engine.hpp"
#include "runtime/fake/fake_swarm_engine.hpp"

namespace stack::runtime::fake {
namespace {

using Json = nlohmann::json;

bool satisfiesOne(const FakeNode& node, const std::string& constraint) {
  const bool negated = constraint.find("!=") != std::string::npos;
  const size_t op = constraint.find(negated ? "!=" : "==");
  if (op == std::string::npos) return true;
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
  };
  const std::string key = trim(constraint.substr(0, op));
  const std::string value = trim(constraint.substr(op + 2));
  std::optional<std::string> actual;
  if (key == "node.role") actual = node.role;
  if (key == "node.hostname") actual = node.hostname;
  if (key == "node.id") actual = node.id;
  if (key.rfind("node.labels.", 0) == 0) {
    auto it = node.labels.find(key.substr(12));
    actual = it == node.labels.end() ? std::string() : it->second;
  }
  if (!actual) return true;
  return negated ? *actual != value : *actual == value;
}

bool satisfiesAll(const FakeNode& node, const Json& constraints) {
  if (!constraints.is_array()) return true;
  return std::all_of(constraints.begin(), constraints.end(), [&](const Json& c) {
    return !c.is_string() || satisfiesOne(node, c.get<std::string>());
  });
}

}  // namespace

std::vector<const FakeNode*> FakeSwarmEngine::eligibleNodes(const Json& spec) const {
  Json constraints = Json::array();
  if (spec.contains("TaskTemplate") && spec["TaskTemplate"].contains("Placement")) {
    constraints = spec["TaskTemplate"]["Placement"].value("Constraints", Json::array());
  }
  std::vector<const FakeNode*> out;
  for (const FakeNode& node : nodes_) {
    if (node.availability == "active" && node.state == "ready" && satisfiesAll(node, constraints)) {
      out.push_back(&node);
    }
  }
  return out;
}

FakeSwarmEngine::Task FakeSwarmEngine::newTask(const SwarmService& service, int slot,
                                               const std::string& node_id, bool job) {
  Task task;
  task.version = service.version;
  task.job = job;
  task.task.id = nextId("task");
  task.task.service_id = service.id;
  task.task.slot = slot;
  task.task.node_id = node_id;
  task.task.desired_state = job ? "complete" : "running";
  task.task.timestamp = "2026-12-02T00:00:" + std::to_string(10 + index_ % 50) + "Z";
  const std::string image = service.spec["TaskTemplate"]["ContainerSpec"].value("Image", "");
  task.task.image = image;
  if (node_id.empty()) {
    task.task.state = "pending";
    task.task.error = "no suitable node (scheduling constraints not satisfied on " +
                      std::to_string(nodes_.size()) + " node" + (nodes_.size() == 1 ? "" : "s") +
                      ")";
    return task;
  }
  auto script = scripts_.find(image);
  std::string reject;
  if (engine_ && !engine_->state().image(image)) reject = "No such image: " + image;
  if (script != scripts_.end() && !script->second.reject.empty()) reject = script->second.reject;
  if (!reject.empty()) {
    task.task.state = "rejected";
    task.task.desired_state = "shutdown";
    task.task.error = reject;
  } else {
    task.polls_left = script == scripts_.end() ? 0 : script->second.polls_until_running;
    task.task.state = "starting";
    task.task.container_id = "ctr" + task.task.id;
  }
  return task;
}

void FakeSwarmEngine::schedule(SwarmService& service) {
  for (Task& task : tasks_) {
    if (task.task.service_id != service.id || task.version == service.version) continue;
    task.task.desired_state = "shutdown";
    if (task.task.state != "failed" && task.task.state != "rejected") task.task.state = "shutdown";
  }
  const Json& mode = service.spec.value("Mode", Json::object());
  const auto nodes = eligibleNodes(service.spec);
  const std::string first = nodes.empty() ? "" : nodes.front()->id;
  if (mode.contains("Global") || mode.contains("GlobalJob")) {
    for (const FakeNode* node : nodes) {
      tasks_.push_back(newTask(service, 0, node->id, mode.contains("GlobalJob")));
    }
    return;
  }
  const bool job = mode.contains("ReplicatedJob");
  const int count = job ? mode["ReplicatedJob"].value("TotalCompletions", 1)
                        : mode.value("Replicated", Json::object()).value("Replicas", 1);
  for (int slot = 1; slot <= count; ++slot) tasks_.push_back(newTask(service, slot, first, job));
}

// Each listing moves starting tasks one poll nearer to running (or failed).
void FakeSwarmEngine::advanceTasks() {
  for (Task& task : tasks_) {
    if (task.task.state != "starting") continue;
    if (task.polls_left-- > 0) continue;
    auto script = scripts_.find(task.task.image);
    if (script != scripts_.end() && script->second.fail) {
      task.task.state = "failed";
      task.task.error = script->second.error;
      task.task.exit_code = script->second.exit_code;
    } else {
      task.task.state = task.job ? "complete" : "running";
      task.task.message = task.job ? "finished" : "started";
    }
  }
}

Awaitable<std::vector<SwarmTask>> FakeSwarmEngine::listTasks(const TaskFilter& filter) {
  calls_.push_back("listTasks");
  requireManager("list tasks");
  advanceTasks();
  std::vector<SwarmTask> out;
  for (const Task& task : tasks_) {
    auto service = services_.find(task.task.service_id);
    if (service == services_.end()) continue;
    if (!matchesLabels(service->second.labels, filter.labels)) continue;
    if (!filter.services.empty() &&
        std::none_of(filter.services.begin(), filter.services.end(), [&](const std::string& s) {
          return s == service->second.id || s == service->second.name;
        })) {
      continue;
    }
    if (!filter.desired_state.empty() && task.task.desired_state != filter.desired_state) continue;
    if (filter.up_to_date && task.version != service->second.version) continue;
    out.push_back(task.task);
  }
  co_return out;
}

bool FakeSwarmEngine::referenced(const std::string& id, const char* list,
                                 const char* id_field) const {
  for (const auto& [sid, service] : services_) {
    const Json& task = service.spec.value("TaskTemplate", Json::object());
    const Json refs = task.value("ContainerSpec", Json::object()).value(list, Json::array());
    for (const auto& ref : refs) {
      if (ref.value(id_field, "") == id) return true;
    }
  }
  return false;
}

std::vector<SwarmFileObject> FakeSwarmEngine::listObjects(
    const std::map<std::string, Object>& objects, const ListFilter& filter) const {
  std::vector<SwarmFileObject> out;
  for (const auto& [id, object] : objects) {
    if (!matchesLabels(object.object.labels, filter.labels)) continue;
    if (!filter.names.empty() &&
        std::none_of(filter.names.begin(), filter.names.end(),
                     [&](const std::string& n) { return object.object.name.rfind(n, 0) == 0; })) {
      continue;
    }
    out.push_back(object.object);
  }
  return out;
}

std::string FakeSwarmEngine::createObject(std::map<std::string, Object>& objects,
                                          const SwarmFileObjectSpec& spec, const char* kind) {
  for (const auto& [id, object] : objects) {
    if (object.object.name == spec.name) {
      throw Error(ErrorKind::Conflict, "rpc error: code = AlreadyExists desc = " +
                                           std::string(kind) + " " + spec.name + " already exists");
    }
  }
  Object object;
  object.object.id = nextId(kind);
  object.object.version = ++index_;
  object.object.name = spec.name;
  object.object.labels = spec.labels;
  object.data = spec.data;
  const std::string id = object.object.id;
  objects[id] = std::move(object);
  return id;
}

Awaitable<std::vector<SwarmFileObject>> FakeSwarmEngine::listSecrets(const ListFilter& filter) {
  calls_.push_back("listSecrets");
  requireManager("list secrets");
  co_return listObjects(secrets_, filter);
}

Awaitable<std::string> FakeSwarmEngine::createSecret(const SwarmFileObjectSpec& spec) {
  calls_.push_back("createSecret " + spec.name);
  requireManager("create secret");
  co_return createObject(secrets_, spec, "secret");
}

Awaitable<void> FakeSwarmEngine::removeSecret(const std::string& id) {
  auto it = secrets_.find(id);
  calls_.push_back("removeSecret " + (it == secrets_.end() ? id : it->second.object.name));
  requireManager("remove secret");
  if (it == secrets_.end()) throw Error(ErrorKind::NotFound, "secret " + id + " not found");
  if (referenced(id, "Secrets", "SecretID")) {
    throw Error(ErrorKind::Engine, "rpc error: code = InvalidArgument desc = secret '" +
                                       it->second.object.name + "' is in use by a service");
  }
  secrets_.erase(it);
  co_return;
}

Awaitable<std::vector<SwarmFileObject>> FakeSwarmEngine::listConfigs(const ListFilter& filter) {
  calls_.push_back("listConfigs");
  requireManager("list configs");
  co_return listObjects(configs_, filter);
}

Awaitable<std::string> FakeSwarmEngine::createConfig(const SwarmFileObjectSpec& spec) {
  calls_.push_back("createConfig " + spec.name);
  requireManager("create config");
  co_return createObject(configs_, spec, "config");
}

Awaitable<void> FakeSwarmEngine::removeConfig(const std::string& id) {
  auto it = configs_.find(id);
  calls_.push_back("removeConfig " + (it == configs_.end() ? id : it->second.object.name));
  requireManager("remove config");
  if (it == configs_.end()) throw Error(ErrorKind::NotFound, "config " + id + " not found");
  if (referenced(id, "Configs", "ConfigID")) {
    throw Error(ErrorKind::Engine, "rpc error: code = InvalidArgument desc = config '" +
                                       it->second.object.name + "' is in use by a service");
  }
  configs_.erase(it);
  co_return;
}

}  // namespace stack::runtime::fake
