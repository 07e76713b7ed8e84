#pragma once

// Loading a compose project: discovery, .env, interpolation, merge, extends, include,
// profiles and normalization, with errors that name file:line:col and the key path.
//
// The loader is pure with respect to the engine: it reads files and the environment
// passed in LoadOptions, and never talks to dockerd.

#include <optional>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose {

struct LoadOptions {
  // `-f` files in order; "-" reads standard input. Empty: COMPOSE_FILE, then discovery
  // (compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml, searching
  // upwards from `working_directory`), plus the matching override file.
  std::vector<std::string> files;
  std::string project_name;            // `-p`; empty: COMPOSE_PROJECT_NAME, `name:`, directory
  std::string project_directory;       // `--project-directory`; empty: directory of first file
  std::vector<std::string> env_files;  // `--env-file`, later ones win
  std::vector<std::string> profiles;   // `--profile`; COMPOSE_PROFILES is added
  // Services named on the command line: they are enabled whatever their profiles.
  std::vector<std::string> selected_services;
  bool interpolate = true;  // false for `config --no-interpolate`
  bool resolve_paths =
      true;  // make relative paths absolute; false for `config --no-path-resolution`
  // false for `config --no-normalize`: no default network, no implicit depends_on or
  // resource names, as written after merging
  bool normalize = true;
  // false for `config --no-consistency`: references to undefined networks, volumes,
  // secrets, configs and services are not checked
  bool check_consistency = true;
  // The process environment. std::nullopt: read it from `environ`.
  std::optional<StringMap> environment;
  // Where discovery starts. Empty: the current directory.
  std::string working_directory;
};

struct LoadResult {
  Project project;
  // Things compose warns about: unset variables, obsolete `version`, ...
  std::vector<std::string> warnings;
};

// Loads and resolves a project. Throws stack::Error (kind Config) with a SourceLocation on
// any problem in the files, and kind Io when a file cannot be read.
LoadResult loadProject(const LoadOptions& options);

// The identity of a project when there may be no compose file at all: `stack down`,
// `ps` and `stop` work from labels alone, as docker compose's do.
struct ProjectIdentity {
  std::string name;
  std::string working_dir;
  std::vector<std::string> config_files;  // empty when no file was found
};

// Resolves the project name without requiring a compose file. Throws only when a name
// given by `-p` or COMPOSE_PROJECT_NAME is invalid, or when no name can be derived.
ProjectIdentity resolveProjectIdentity(const LoadOptions& options);

// Compose's normalization of a project name: lowercase, keep [a-z0-9_-], trim leading
// '_' and '-'. Returns empty when nothing is left.
std::string normalizeProjectName(std::string_view raw);

}  // namespace stack::orchestrator::compose
