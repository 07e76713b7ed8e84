#pragma once

// Builds compose projects and observed engine states in code, for planner tests that
// should read like the scenario they check.

#include <ostream>
#include <string>
#include <vector>

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/model.hpp"
#include "orchestrator/planner/planner.hpp"

namespace std {
// Lets doctest print the vectors that plan assertions compare.
inline ostream& operator<<(ostream& out, const vector<string>& values) {
  out << "[";
  for (size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << '"' << values[i] << '"';
  return out << "]";
}
}  // namespace std

namespace stack::test {

inline orchestrator::compose::Service service(const std::string& name,
                                              const std::string& image = "app:1") {
  orchestrator::compose::Service s;
  s.name = name;
  s.image = image;
  return s;
}

inline orchestrator::compose::Project project(std::vector<orchestrator::compose::Service> services,
                                              const std::string& name = "demo") {
  orchestrator::compose::Project p;
  p.name = name;
  p.working_dir = "/src/" + name;
  p.config_files = {"/src/" + name + "/compose.yaml"};
  for (auto& s : services) p.services[s.name] = std::move(s);
  p.networks["default"].name = name + "_default";
  return p;
}

inline void dependsOn(orchestrator::compose::Project& p, const std::string& service,
                      const std::string& on, const std::string& condition = "service_started",
                      bool restart = false) {
  p.services.at(service).depends_on[on] = {condition, restart, true};
}

// A container as the engine lists it, created by stack for `service`.
inline runtime::ContainerSummary container(const orchestrator::compose::Project& p,
                                           const std::string& service, int number,
                                           const std::string& hash,
                                           const std::string& state = "running") {
  runtime::ContainerSummary c;
  c.name = orchestrator::compose::labels::containerName(p.name, service, number);
  c.id = "id" + service + std::to_string(number) + "000000000000000";
  c.state = state;
  c.labels = {
      {std::string(orchestrator::compose::labels::kProject), p.name},
      {std::string(orchestrator::compose::labels::kService), service},
      {std::string(orchestrator::compose::labels::kContainerNumber), std::to_string(number)},
      {std::string(orchestrator::compose::labels::kOneoff), "False"},
      {std::string(orchestrator::compose::labels::kConfigHash), hash}};
  c.networks = {p.name + "_default"};
  return c;
}

inline runtime::NetworkDetails network(const std::string& project, const std::string& name) {
  runtime::NetworkDetails n;
  n.name = name;
  n.labels = {{std::string(orchestrator::compose::labels::kProject), project}};
  return n;
}

}  // namespace stack::test
