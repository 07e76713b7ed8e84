#include "orchestrator/compose/config_hash.hpp"
#include "orchestrator/project_controller.hpp"

namespace stack::orchestrator {

planner::DesiredState desiredState(const compose::Project& project) {
  planner::DesiredState desired;
  for (const auto& [name, service] : project.services) {
    desired.config_hashes[name] = compose::serviceConfigHash(project, service);
  }
  return desired;
}

}  // namespace stack::orchestrator
