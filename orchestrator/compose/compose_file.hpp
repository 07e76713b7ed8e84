#pragma once

// One compose file through the per-file half of the pipeline:
//   parse -> interpolate -> canonical form -> include -> extends
// Each document of the file goes through it and the documents are merged in order. The
// result is a canonical tree ready to merge with the other `-f` files.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

struct FileSettings {
  bool interpolate = true;
  std::string home;                          // for `~` in paths
  std::vector<std::string>* warnings;        // never null
  std::vector<std::string>* env_files_read;  // absolute paths of included .env files
};

struct FileScope {
  std::string path;              // absolute path, or "-" for standard input
  std::string base_dir;          // the project directory relative paths of this file resolve to
  const StringMap* environment;  // interpolation variables
  std::vector<std::string> include_chain;  // files including this one, outermost first
};

// Loads a file whose text is `content`. Throws Config errors located in the file.
yaml::Node loadComposeFile(const std::string& content, const FileScope& scope,
                           const FileSettings& settings);

}  // namespace stack::orchestrator::compose
