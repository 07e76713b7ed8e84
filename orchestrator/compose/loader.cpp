#include "orchestrator/compose/loader.hpp"

#include <algorithm>
#include <cctype>

#include "orchestrator/compose/canonical.hpp"
#include "orchestrator/compose/compose_file.hpp"
#include "orchestrator/compose/merge.hpp"
#include "orchestrator/compose/normalize.hpp"
#include "orchestrator/compose/paths.hpp"
#include "orchestrator/compose/project_files.hpp"

namespace stack::orchestrator::compose {
namespace {

std::vector<std::string> activeProfiles(const LoadOptions& options, const StringMap& env) {
  std::vector<std::string> profiles = options.profiles;
  auto it = env.find("COMPOSE_PROFILES");
  if (it != env.end()) {
    size_t start = 0;
    while (start <= it->second.size()) {
      size_t end = std::min(it->second.find(',', start), it->second.size());
      std::string profile = it->second.substr(start, end - start);
      if (!profile.empty()) profiles.push_back(profile);
      start = end + 1;
    }
  }
  return profiles;
}

std::string homeDirectory(const StringMap& env) {
  auto it = env.find("HOME");
  return it == env.end() ? std::string("/") : it->second;
}

}  // namespace

std::string normalizeProjectName(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_' ||
        lower == '-') {
      out.push_back(lower);
    }
  }
  size_t start = out.find_first_not_of("_-");
  return start == std::string::npos ? std::string() : out.substr(start);
}

ProjectIdentity resolveProjectIdentity(const LoadOptions& options) {
  ProjectFiles files = resolveProjectFiles(options, false);
  std::vector<std::string> contents;
  std::vector<std::string> readable;
  for (const auto& file : files.files) {
    if (file != "-") readable.push_back(file);
  }
  if (options.project_name.empty()) contents = readComposeFiles(readable);
  resolveProjectName(files, options, contents);
  return ProjectIdentity{files.name, files.project_dir, files.files};
}

LoadResult loadProject(const LoadOptions& options) {
  ProjectFiles files = resolveProjectFiles(options, true);
  std::vector<std::string> contents = readComposeFiles(files.files);
  resolveProjectName(files, options, contents);
  return loadResolvedProject(files, contents, options);
}

LoadResult loadResolvedProject(const ProjectFiles& files, const std::vector<std::string>& contents,
                               const LoadOptions& options) {
  LoadResult result;
  Project& project = result.project;
  project.name = files.name;
  project.working_dir = files.project_dir;
  project.config_files = files.files;
  project.env_files = files.env_files;
  project.environment = files.environment;

  std::string home = homeDirectory(files.environment);
  FileSettings settings{options.interpolate, home, &result.warnings, &project.env_files};
  yaml::Node merged;
  for (size_t i = 0; i < files.files.size() && i < contents.size(); ++i) {
    FileScope scope{files.files[i], files.project_dir, &files.environment, {}};
    mergeFile(merged, loadComposeFile(contents[i], scope, settings));
  }
  enforceUnicity(merged);
  if (options.resolve_paths) resolveFilePaths(merged, files.project_dir, home);

  buildProject(project, merged);
  // As compose: a file with no services (only volumes, say) is a valid project; `up`
  // says there is nothing to run. A file with nothing in it at all is not.
  if (merged.entries.empty()) {
    throw configError(SourceLocation{files.files.front(), 0, 0, {}}, "empty compose file",
                      "add a `services:` section with at least one service");
  }
  NormalizeOptions normalize{activeProfiles(options, files.environment), options.selected_services,
                             options.interpolate, options.normalize, options.check_consistency};
  normalizeProject(project, normalize, merged, result.warnings);
  return result;
}

}  // namespace stack::orchestrator::compose
