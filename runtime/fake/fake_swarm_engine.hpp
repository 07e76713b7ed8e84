#pragma once

// FakeSwarmEngine: an in-memory swarm behind the SwarmEngine interface, for unit tests of
// swarm/. Like FakeEngine it is a model, not a recorder: services carry versions that an
// update must name, secrets and configs keep their data immutable and cannot be removed
// while a service references them, names are unique (Conflict), and services get tasks.
//
// Tasks follow the service's mode: one per replica slot, one per node for global modes
// (placement constraints decide which nodes), completions for jobs. Each new spec version
// replaces the tasks of the previous one (those turn `shutdown` and stop being
// up-to-date). A new task is:
//   rejected  "No such image: X" when a FakeEngine is attached and has no such image, or
//             with the script's `reject` error;
//   pending   "no suitable node (scheduling constraints not satisfied on N nodes)" when no
//             node satisfies its constraints (node.role, node.hostname, node.id,
//             node.labels.K with == or !=; other constraints are satisfied);
//   starting  otherwise, and running (complete for a job) after `polls_until_running`
//             task listings, or failed when its script says so.
// Network targets must exist in the attached FakeEngine, as they must in dockerd.
//
// Known differences from dockerd 20.10: no raft, no node failures, no rolling-update
// timing (every task of a version is replaced at once), no health (a task is running or
// not), and stored specs keep network targets as names.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/swarm_engine.hpp"

namespace stack::runtime::fake {

class FakeEngine;

struct FakeNode {
  std::string id;
  std::string hostname;
  std::string role = "manager";
  std::string availability = "active";
  std::string state = "ready";
  StringMap labels;
};

// How the tasks of services running an image behave.
struct TaskScript {
  int polls_until_running = 0;  // task listings while "starting"
  std::string reject;           // non-empty: the task is rejected with this error at once
  bool fail = false;            // then "failed" instead of running
  std::string error = "task: non-zero exit (1)";
  int exit_code = 1;
};

class FakeSwarmEngine final : public SwarmEngine {
 public:
  // With `engine`, images and networks are checked against it (see above).
  explicit FakeSwarmEngine(FakeEngine* engine = nullptr);

  // --- the test's side -----------------------------------------------------------------
  void leaveSwarm() { active_ = false; }     // swarmInfo: inactive, no manager
  void becomeWorker() { manager_ = false; }  // active, but no manager
  void addNode(FakeNode node) { nodes_.push_back(std::move(node)); }
  void script(const std::string& image, TaskScript script) { scripts_[image] = script; }
  // "createService demo_web", "updateService demo_web", "removeSecret demo_key", ... and
  // the reads ("listServices", "listTasks", "swarmInfo"), in order.
  const std::vector<std::string>& calls() const { return calls_; }
  std::vector<std::string> writes() const;  // calls() restricted to create/update/remove
  void clearCalls() { calls_.clear(); }
  std::optional<SwarmService> service(const std::string& name) const;
  std::vector<SwarmTask> tasks(const std::string& service_name) const;
  std::optional<std::string> secretData(const std::string& name) const;
  std::optional<std::string> configData(const std::string& name) const;

  // --- SwarmEngine ---------------------------------------------------------------------
  Awaitable<SwarmInfo> swarmInfo() override;
  Awaitable<std::vector<SwarmNode>> listNodes() override;
  Awaitable<std::vector<SwarmService>> listServices(const ListFilter& filter, bool status) override;
  Awaitable<SwarmService> inspectService(const std::string& id) override;
  Awaitable<ServiceWriteResult> createService(const nlohmann::json& spec,
                                              const RegistryAuth& auth) override;
  Awaitable<ServiceWriteResult> updateService(const std::string& id, uint64_t version,
                                              const nlohmann::json& spec,
                                              const RegistryAuth& auth) override;
  Awaitable<void> removeService(const std::string& id) override;
  Awaitable<std::vector<SwarmTask>> listTasks(const TaskFilter& filter) override;
  Awaitable<std::vector<SwarmFileObject>> listSecrets(const ListFilter& filter) override;
  Awaitable<std::string> createSecret(const SwarmFileObjectSpec& spec) override;
  Awaitable<void> removeSecret(const std::string& id) override;
  Awaitable<std::vector<SwarmFileObject>> listConfigs(const ListFilter& filter) override;
  Awaitable<std::string> createConfig(const SwarmFileObjectSpec& spec) override;
  Awaitable<void> removeConfig(const std::string& id) override;

 private:
  struct Task {
    SwarmTask task;
    uint64_t version = 0;  // the service version it runs
    int polls_left = 0;
    bool job = false;
  };
  struct Object {
    SwarmFileObject object;
    std::string data;
  };

  // "key=value" or "key" label filters, ANDed.
  static bool matchesLabels(const StringMap& labels, const std::vector<std::string>& filters);
  void requireManager(const char* what) const;
  void checkSpec(const nlohmann::json& spec) const;
  void schedule(SwarmService& service);
  Task newTask(const SwarmService& service, int slot, const std::string& node_id, bool job);
  std::vector<const FakeNode*> eligibleNodes(const nlohmann::json& spec) const;
  void advanceTasks();
  SwarmService* findService(const std::string& id_or_name);
  bool referenced(const std::string& id, const char* list, const char* id_field) const;
  std::vector<SwarmFileObject> listObjects(const std::map<std::string, Object>& objects,
                                           const ListFilter& filter) const;
  std::string createObject(std::map<std::string, Object>& objects, const SwarmFileObjectSpec& spec,
                           const char* kind);
  std::string nextId(const char* prefix);

  FakeEngine* engine_;
  bool active_ = true;
  bool manager_ = true;
  uint64_t index_ = 10;  // raft-like version counter
  uint64_t ids_ = 0;
  std::vector<FakeNode> nodes_;
  std::map<std::string, SwarmService> services_;  // by id
  std::vector<Task> tasks_;
  std::map<std::string, Object> secrets_;  // by id
  std::map<std::string, Object> configs_;
  std::map<std::string, TaskScript> scripts_;
  std::vector<std::string> calls_;
};

}  // namespace stack::runtime::fake
