#include "orchestrator/compose/project_files.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <iterator>
#include <sstream>

#include "orchestrator/compose/dotenv.hpp"
#include "orchestrator/compose/interpolation.hpp"
#include "orchestrator/compose/node_reader.hpp"

extern char** environ;

namespace stack::orchestrator::compose {
namespace {

namespace fs = std::filesystem;
using reader::quote;

constexpr const char* kFileNames[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
                                      "docker-compose.yaml"};
constexpr const char* kOverrideNames[] = {"compose.override.yml", "compose.override.yaml",
                                          "docker-compose.override.yml",
                                          "docker-compose.override.yaml"};

StringMap processEnvironment() {
  StringMap env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq != std::string_view::npos) env.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  return env;
}

// Without a trailing separator: "." and "dir/" normalise to ".../dir/", whose empty
// filename() would leave the default project name empty.
std::string absolute(const std::string& path, const std::string& cwd) {
  fs::path normal = (fs::path(cwd) / path).lexically_normal();
  if (!normal.has_filename() && normal.has_relative_path()) normal = normal.parent_path();
  return normal.string();
}

std::string workingDirectory(const LoadOptions& options) {
  if (!options.working_directory.empty()) return fs::absolute(options.working_directory).string();
  return fs::current_path().string();
}

// OS variables win over env files; among env files, later ones win.
void readEnvFiles(ProjectFiles& out, const StringMap& os_env,
                  const std::vector<std::string>& files) {
  out.environment = os_env;
  for (const auto& file : files) {
    LookupFn lookup = [&](const std::string& name) -> std::optional<std::string> {
      auto it = out.environment.find(name);
      if (it == out.environment.end()) return std::nullopt;
      return it->second;
    };
    for (auto& [key, value] : readDotenvFile(file, lookup)) {
      if (!os_env.count(key)) out.environment[key] = value;
    }
    out.env_files.push_back(file);
  }
}

std::vector<std::string> splitList(const std::string& text, const std::string& separator);

std::vector<std::string> envFilesFor(const LoadOptions& options, const StringMap& os_env,
                                     const std::string& dir, const std::string& cwd) {
  std::vector<std::string> files;
  for (const auto& file : options.env_files) {
    std::string path = absolute(file, cwd);
    if (!fs::is_regular_file(path)) {
      throw Error(ErrorKind::Usage, "env file " + quote(path) + " not found");
    }
    files.push_back(path);
  }
  if (files.empty()) {
    // COMPOSE_ENV_FILES stands for --env-file when no flag is given (comma-separated)
    auto listed = os_env.find("COMPOSE_ENV_FILES");
    if (listed != os_env.end()) {
      for (const auto& file : splitList(listed->second, ",")) files.push_back(absolute(file, cwd));
    }
  }
  if (!files.empty()) return files;
  auto disabled = os_env.find("COMPOSE_DISABLE_ENV_FILE");
  if (disabled != os_env.end() && (disabled->second == "1" || disabled->second == "true"))
    return files;
  if (fs::is_regular_file(dir + "/.env")) files.push_back(dir + "/.env");
  return files;
}

std::vector<std::string> discover(const std::string& start) {
  for (fs::path dir = start;; dir = dir.parent_path()) {
    for (const char* name : kFileNames) {
      if (!fs::is_regular_file(dir / name)) continue;
      std::vector<std::string> files{(dir / name).string()};
      for (const char* override_name : kOverrideNames) {
        if (fs::is_regular_file(dir / override_name)) {
          files.push_back((dir / override_name).string());
          break;
        }
      }
      return files;
    }
    if (dir == dir.parent_path()) return {};
  }
}

std::vector<std::string> splitList(const std::string& text, const std::string& separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    std::string part = text.substr(start, end == std::string::npos ? end : end - start);
    if (!part.empty()) out.push_back(part);
    if (end == std::string::npos) return out;
    start = end + separator.size();
  }
}

std::string checkedName(const std::string& name, const char* source) {
  if (normalizeProjectName(name) != name || name.empty()) {
    throw Error(ErrorKind::Usage,
                "invalid project name " + quote(name) + " (from " + source +
                    "): must consist only of lowercase alphanumeric characters, hyphens, and "
                    "underscores as well as start with a letter or number");
  }
  return name;
}

// The value of a top-level `name:` line, read without loading the whole file.
std::optional<std::string> nameLine(const std::string& content) {
  std::optional<std::string> found;
  for (size_t pos = 0; pos < content.size();) {
    size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    if (content.compare(pos, 5, "name:") == 0) {
      std::string line = content.substr(pos, end - pos);
      try {
        auto docs = yaml::parseDocuments(line, nullptr);
        const yaml::Node* value = docs.empty() ? nullptr : docs[0].find("name");
        if (value && value->isScalar()) found = value->value;
      } catch (const Error&) {
        // the full parse reports it with its location
      }
    }
    pos = end + 1;
  }
  return found;
}

}  // namespace

ProjectFiles resolveProjectFiles(const LoadOptions& options, bool require_files) {
  ProjectFiles out;
  std::string cwd = workingDirectory(options);
  StringMap os_env = options.environment ? *options.environment : processEnvironment();
  std::string first_dir = cwd;
  if (!options.project_directory.empty()) {
    first_dir = absolute(options.project_directory, cwd);
  } else if (!options.files.empty() && options.files[0] != "-") {
    first_dir = fs::path(absolute(options.files[0], cwd)).parent_path().string();
  }
  readEnvFiles(out, os_env, envFilesFor(options, os_env, first_dir, cwd));
  for (const auto& file : options.files)
    out.files.push_back(file == "-" ? file : absolute(file, cwd));
  if (out.files.empty()) {
    auto compose_file = out.environment.find("COMPOSE_FILE");
    if (compose_file != out.environment.end()) {
      auto sep = out.environment.find("COMPOSE_PATH_SEPARATOR");
      for (const auto& file :
           splitList(compose_file->second, sep == out.environment.end() ? ":" : sep->second)) {
        out.files.push_back(absolute(file, first_dir));
      }
    } else {
      out.files = discover(cwd);
    }
  }
  if (out.files.empty() && require_files) {
    throw Error(ErrorKind::ConfigMissing, "no configuration file provided: not found",
                "run in a directory with a compose.yaml, or pass one with -f");
  }
  for (const auto& file : out.files) {
    if (file != "-" && !fs::is_regular_file(file)) {
      throw Error(ErrorKind::Config, "compose file " + quote(file) + " not found");
    }
  }
  out.project_dir = first_dir;
  if (options.project_directory.empty() && !out.files.empty() && out.files[0] != "-") {
    out.project_dir = fs::path(out.files[0]).parent_path().string();
  }
  if (out.project_dir != first_dir && options.env_files.empty()) {
    out.env_files.clear();
    readEnvFiles(out, os_env, envFilesFor(options, os_env, out.project_dir, cwd));
  }
  return out;
}

std::vector<std::string> readComposeFiles(const std::vector<std::string>& files) {
  std::vector<std::string> contents;
  for (const auto& file : files) {
    if (file == "-") {
      contents.emplace_back(std::istreambuf_iterator<char>(std::cin),
                            std::istreambuf_iterator<char>());
    } else {
      contents.push_back(readTextFile(file));
    }
  }
  return contents;
}

void resolveProjectName(ProjectFiles& files, const LoadOptions& options,
                        const std::vector<std::string>& contents) {
  std::string name;
  auto env_name = files.environment.find("COMPOSE_PROJECT_NAME");
  if (!options.project_name.empty()) {
    name = checkedName(options.project_name, "-p");
  } else if (env_name != files.environment.end() && !env_name->second.empty()) {
    name = checkedName(env_name->second, "COMPOSE_PROJECT_NAME");
  } else {
    for (const auto& content : contents) {
      if (auto candidate = nameLine(content)) name = *candidate;
    }
    if (options.interpolate && !name.empty()) {
      LookupFn lookup = [&](const std::string& key) -> std::optional<std::string> {
        auto it = files.environment.find(key);
        if (it == files.environment.end()) return std::nullopt;
        return it->second;
      };
      name = substitute(name, lookup).text;
    }
    name = normalizeProjectName(name);
    if (name.empty()) name = normalizeProjectName(fs::path(files.project_dir).filename().string());
  }
  if (name.empty()) {
    throw Error(ErrorKind::Config, "project name must not be empty",
                "set one with -p, COMPOSE_PROJECT_NAME or a top-level `name:`");
  }
  files.name = name;
  files.environment["COMPOSE_PROJECT_NAME"] = name;
}

}  // namespace stack::orchestrator::compose
