// Executing a deploy plan (see deploy_executor.hpp).

#include "swarm/deploy_executor.hpp"

#include "core/error.hpp"
#include "orchestrator/images/bounded_tasks.hpp"
#include "orchestrator/images/image_reference.hpp"
#include "orchestrator/images/registry_credentials.hpp"

namespace stack::swarm {
namespace {

template <class T>
using Awaitable = boost::asio::awaitable<T>;
using progress::ProgressEvent;
using progress::ProgressState;

struct Ids {
  std::map<std::string, std::string> secrets;
  std::map<std::string, std::string> configs;
};

void addIds(Json& container, const char* list, const char* name_field, const char* id_field,
            const std::map<std::string, std::string>& ids) {
  if (!container.contains(list)) return;
  for (auto& ref : container[list]) {
    const std::string name = ref[name_field].get<std::string>();
    auto it = ids.find(name);
    if (it == ids.end()) {
      throw Error(ErrorKind::Internal, std::string(list) + " \"" + name + "\" has no id");
    }
    ref[id_field] = it->second;
  }
}

Json finalSpec(const PlannedService& planned, const Ids& ids,
               const runtime::SwarmService* current) {
  Json spec = planned.spec;
  Json& container = spec["TaskTemplate"]["ContainerSpec"];
  addIds(container, "Secrets", "SecretName", "SecretID", ids.secrets);
  addIds(container, "Configs", "ConfigName", "ConfigID", ids.configs);
  if (current && current->spec.contains("TaskTemplate")) {
    // Keep the counter: changing it would force a rollout the spec does not call for.
    const Json& task = current->spec["TaskTemplate"];
    if (task.contains("ForceUpdate")) spec["TaskTemplate"]["ForceUpdate"] = task["ForceUpdate"];
  }
  return spec;
}

class Executor {
 public:
  Executor(runtime::Engine& engine, runtime::SwarmEngine& swarm, progress::ProgressSink& progress,
           const DeployPlan& plan, const ObservedStack& observed, const ExecuteOptions& options)
      : engine_(engine),
        swarm_(swarm),
        progress_(progress),
        plan_(plan),
        observed_(observed),
        ids_{plan.secret_ids, plan.config_ids},
        parallel_limit_(options.parallel_limit) {
    if (options.with_registry_auth) credentials_ = images::RegistryCredentials::load();
  }

  Awaitable<std::map<std::string, std::string>> run() {
    std::map<std::string, std::string> services;
    for (const auto& service : observed_.services) services[service.name] = service.id;
    // Steps run in plan order, except that consecutive service writes (independent of
    // each other) run together, up to the parallel limit.
    const auto& steps = plan_.steps;
    for (size_t i = 0; i < steps.size();) {
      size_t end = i + 1;
      while (end < steps.size() && isServiceWrite(steps[i]) && isServiceWrite(steps[end])) ++end;
      std::vector<std::string> ids(end - i);
      // Named, not a temporary: g++ 12 mishandles temporaries inside co_await expressions.
      std::function<Awaitable<void>(size_t)> one = [&](size_t k) -> Awaitable<void> {
        ids[k] = co_await runStep(steps[i + k]);
      };
      co_await images::runBounded(end - i, parallel_limit_, std::move(one));
      for (size_t k = 0; k < ids.size(); ++k) {
        if (steps[i + k].kind == StepKind::CreateService) services[steps[i + k].name] = ids[k];
        if (steps[i + k].kind == StepKind::RemoveService) services.erase(steps[i + k].name);
      }
      i = end;
    }
    for (auto it = services.begin(); it != services.end();) {
      bool desired = false;
      for (const auto& s : plan_.services) desired = desired || s.name == it->first;
      it = desired ? std::next(it) : services.erase(it);
    }
    co_return services;
  }

 private:
  static bool isServiceWrite(const DeployStep& step) {
    return step.kind == StepKind::CreateService || step.kind == StepKind::UpdateService;
  }

  Awaitable<std::string> runStep(const DeployStep& step) {
    switch (step.kind) {
      case StepKind::CreateNetwork: {
        emit("Network", step.name, "Creating", ProgressState::Working);
        std::string id = co_await engine_.createNetwork(plan_.networks[step.index].create);
        emit("Network", step.name, "Created", ProgressState::Done);
        co_return id;
      }
      case StepKind::CreateSecret:
      case StepKind::CreateConfig:
        co_return co_await createObject(step);
      case StepKind::CreateService:
      case StepKind::UpdateService:
        co_return co_await writeService(step);
      case StepKind::RemoveService:
        emit("Service", step.name, "Removing", ProgressState::Working);
        co_await swarm_.removeService(step.id);
        emit("Service", step.name, "Removed", ProgressState::Done);
        co_return step.id;
      case StepKind::RemoveSecret:
      case StepKind::RemoveConfig:
        co_await removeStale(step);
        co_return step.id;
    }
    co_return "";
  }

  Awaitable<std::string> createObject(const DeployStep& step) {
    const bool secret = step.kind == StepKind::CreateSecret;
    const char* resource = secret ? "Secret" : "Config";
    emit(resource, step.name, "Creating", ProgressState::Working);
    const runtime::SwarmFileObjectSpec& spec =
        secret ? plan_.secrets[step.index] : plan_.configs[step.index];
    std::string id;
    if (secret) {
      id = co_await swarm_.createSecret(spec);
    } else {
      id = co_await swarm_.createConfig(spec);
    }
    (secret ? ids_.secrets : ids_.configs)[step.name] = id;
    emit(resource, step.name, "Created", ProgressState::Done);
    co_return id;
  }

  Awaitable<std::string> writeService(const DeployStep& step) {
    const PlannedService& planned = plan_.services[step.index];
    const runtime::SwarmService* current = nullptr;
    for (const auto& service : observed_.services) {
      if (service.id == step.id) current = &service;
    }
    Json spec = finalSpec(planned, ids_, current);
    const runtime::RegistryAuth auth = authFor(spec);
    const bool create = step.kind == StepKind::CreateService;
    emit("Service", step.name, create ? "Creating" : "Updating", ProgressState::Working);
    runtime::ServiceWriteResult result;
    try {
      if (create) {
        result = co_await swarm_.createService(spec, auth);
      } else {
        result = co_await swarm_.updateService(step.id, step.version, spec, auth);
      }
    } catch (Error& error) {
      if (create && error.kind() == ErrorKind::Conflict) {
        error.setHint("a service named \"" + step.name + "\" exists outside stack \"" +
                      plan_.stack + "\": remove it, or deploy under another project name");
      }
      throw;
    }
    for (const std::string& warning : result.warnings) progress_.warn(step.name + ": " + warning);
    emit("Service", step.name, create ? "Created" : "Updated", ProgressState::Done);
    co_return result.id;
  }

  Awaitable<void> removeStale(const DeployStep& step) {
    const bool secret = step.kind == StepKind::RemoveSecret;
    const char* resource = secret ? "Secret" : "Config";
    emit(resource, step.name, "Removing", ProgressState::Working);
    try {
      if (secret) {
        co_await swarm_.removeSecret(step.id);
      } else {
        co_await swarm_.removeConfig(step.id);
      }
      emit(resource, step.name, "Removed", ProgressState::Done);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::Cancelled) throw;
      emit(resource, step.name, "Kept", ProgressState::Warning, error.message());
    }
  }

  runtime::RegistryAuth authFor(const Json& spec) const {
    if (!credentials_) return {};
    const std::string image = spec["TaskTemplate"]["ContainerSpec"]["Image"].get<std::string>();
    if (image.rfind("sha256:", 0) == 0) return {};
    return credentials_->find(images::ImageReference::parse(image).registry()).auth;
  }

  void emit(const char* resource, const std::string& name, const char* status, ProgressState state,
            std::string detail = {}) {
    ProgressEvent event;
    event.resource = resource;
    event.name = name;
    event.status = status;
    event.state = state;
    event.detail = std::move(detail);
    progress_.emit(event);
  }

  runtime::Engine& engine_;
  runtime::SwarmEngine& swarm_;
  progress::ProgressSink& progress_;
  const DeployPlan& plan_;
  const ObservedStack& observed_;
  Ids ids_;
  size_t parallel_limit_;
  std::optional<images::RegistryCredentials> credentials_;
};

}  // namespace

Awaitable<std::map<std::string, std::string>> executePlan(
    runtime::Engine& engine, runtime::SwarmEngine& swarm, progress::ProgressSink& progress,
    const DeployPlan& plan, const ObservedStack& observed, const ExecuteOptions& options) {
  Executor executor(engine, swarm, progress, plan, observed, options);
  co_return co_await executor.run();
}

}  // namespace stack::swarm
