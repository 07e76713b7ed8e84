#pragma once

// The project-wide half of the pipeline, after every file is merged:
//   model building -> defaults and names -> implicit dependencies -> profiles ->
//   environment resolution -> consistency checks -> dependency graph.

#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/compose/service_builder.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

struct NormalizeOptions {
  std::vector<std::string> profiles;           // active profiles (with COMPOSE_PROFILES)
  std::vector<std::string> selected_services;  // enabled whatever their profiles
  bool resolve_environment = true;             // read env_file contents into environment
  bool normalize = true;                       // false: no default network, no implicit depends_on
  bool check_consistency = true;  // false: no cross-reference or dependency-cycle checks
};

// Builds the model from the merged tree of all files; `project.name`, `working_dir` and
// `environment` must already be set.
void buildProject(Project& project, const yaml::Node& root);

// Applies defaults, implicit dependencies, profiles and checks. Errors found on the model
// are located by their key path in `root`, the merged tree the model was built from.
void normalizeProject(Project& project, const NormalizeOptions& options, const yaml::Node& root,
                      std::vector<std::string>& warnings);

// Cross-reference checks (consistency.cpp).
void checkConsistency(const Project& project, const yaml::Node& root);

}  // namespace stack::orchestrator::compose
