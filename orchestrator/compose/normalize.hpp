#pragma once

// The project-wide half of the pipeline, after every file is merged:
//   model building -> defaults and names -> implicit dependencies -> profiles ->
//   environment resolution -> consistency checks -> dependency graph.

#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/compose/service_builder.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::compose {

struct NormalizeOptions {
  std::vector<std::string> profiles;           // active profiles (with COMPOSE_PROFILES)
  std::vector<std::string> selected_services;  // enabled whatever their profiles
  bool resolve_environment = true;             // read env_file contents into environment
};

// Builds the model from the merged tree of all files; `project.name`, `working_dir` and
// `environment` must already be set.
void buildProject(Project& project, const yaml::Node& root, DeclarationMarks& marks);

// Applies defaults, implicit dependencies, profiles and checks. Throws Config errors
// located with `marks` where the tree is no longer at hand.
void normalizeProject(Project& project, const NormalizeOptions& options,
                      const DeclarationMarks& marks, std::vector<std::string>& warnings);

}  // namespace stack::compose
