#pragma once

// Relative paths in compose files resolve against the project directory of the file that
// declared them: the project directory for `-f` files, the extended file's directory for
// `extends.file`, the included project's directory for `include`. Resolving is idempotent,
// so a tree can be resolved against its own directory first and the project's later.

#include <string>

#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

// `~` and `~/x` expand to `home`; relative paths join `base_dir`; the result is normalized.
std::string resolvePath(const std::string& path, const std::string& base_dir,
                        const std::string& home);

// build.context (unless remote), build.additional_contexts, env_file paths, bind-mount
// sources, develop.watch paths.
void resolveServicePaths(yaml::Node& service, const std::string& base_dir, const std::string& home);

// Every service, plus the `file` of top-level secrets and configs.
void resolveFilePaths(yaml::Node& root, const std::string& base_dir, const std::string& home);

}  // namespace stack::orchestrator::compose
