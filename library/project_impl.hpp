#pragma once

// What a stack::Project holds behind its pointer: the resolved compose model and the
// options it was loaded with. Shared by the .cpp files of library/ only.

#include <string>

#include "orchestrator/compose/model.hpp"
#include "stack/project.hpp"

namespace stack {

struct Project::Impl {
  ProjectOptions options;
  orchestrator::compose::Project model;
};

}  // namespace stack
