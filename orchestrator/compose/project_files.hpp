#pragma once

// Everything the loader decides before reading a compose file: the environment
// (OS, --env-file, .env), which files to load (-f, COMPOSE_FILE, discovery plus override)
// and the project directory and name.

#include <string>
#include <vector>

#include "orchestrator/compose/loader.hpp"

namespace stack::orchestrator::compose {

struct ProjectFiles {
  std::vector<std::string> files;      // absolute paths ("-" for standard input)
  std::string project_dir;             // absolute
  StringMap environment;               // OS environment over the env files
  std::vector<std::string> env_files;  // the env files read
  std::string name;                    // resolved and validated project name
};

// Resolves files, directory and environment. With `require_files`, no file found is an
// error; otherwise files stays empty and the directory is the working directory.
// `read_name` is given the file contents' `name:` candidates when no -p or
// COMPOSE_PROJECT_NAME is set.
ProjectFiles resolveProjectFiles(const LoadOptions& options, bool require_files);

// The text of each file, read once ("-" reads standard input).
std::vector<std::string> readComposeFiles(const std::vector<std::string>& files);

// Picks the project name: -p, COMPOSE_PROJECT_NAME, the last `name:` in `contents`,
// then the directory name. Sets files.name and files.environment[COMPOSE_PROJECT_NAME].
void resolveProjectName(ProjectFiles& files, const LoadOptions& options,
                        const std::vector<std::string>& contents);

// The second half of loadProject, on files already resolved and read. The fuzzer calls it
// directly so that it needs no files on disk.
LoadResult loadResolvedProject(const ProjectFiles& files, const std::vector<std::string>& contents,
                               const LoadOptions& options);

}  // namespace stack::orchestrator::compose
