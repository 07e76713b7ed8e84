#pragma once

// Internals of the converter shared by its translation units (converter*.cpp).

#include <string>
#include <vector>

#include "swarm/converter.hpp"

namespace stack::swarm::detail {

struct ConvertContext {
  const compose::Project& project;
  const ConvertInputs& inputs;
  std::vector<Finding>& findings;

  void note(const compose::Service& service, std::string key, FindingAction action,
            std::string detail) const {
    findings.push_back({service.name, std::move(key), action, std::move(detail)});
  }
  // Throws stack::Error (Config) at `services.<service>.<key>`.
  [[noreturn]] void fail(const compose::Service& service, const std::string& key,
                         const std::string& message, const std::string& hint = {}) const;
};

// converter_container.cpp: TaskTemplate.ContainerSpec.
Json containerSpec(const ConvertContext& context, const compose::Service& service);
// converter_deploy.cpp: Mode, TaskTemplate.Resources/RestartPolicy/Placement,
// UpdateConfig, RollbackConfig and EndpointSpec, into `spec`.
void applyDeploy(const ConvertContext& context, const compose::Service& service, Json& spec);
// dropped_keys.cpp: findings for the keys no converter reads.
void noteDroppedKeys(const ConvertContext& context, const compose::Service& service);

// "1.5" cpus -> 1500000000 nano cpus.
int64_t nanoCpus(double cpus);
// Duration -> nanoseconds, as the Engine API counts them.
int64_t nanos(compose::Duration duration);

}  // namespace stack::swarm::detail
