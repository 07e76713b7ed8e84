#pragma once

// docker compose's labels and naming rules. Using exactly these is what lets docker
// compose (v2, and v1 for the labels it knows) see and manage stack's containers, and
// stack manage theirs.

#include <string>
#include <string_view>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose::labels {

inline constexpr std::string_view kProject = "com.docker.compose.project";
inline constexpr std::string_view kService = "com.docker.compose.service";
inline constexpr std::string_view kContainerNumber = "com.docker.compose.container-number";
inline constexpr std::string_view kOneoff = "com.docker.compose.oneoff";
inline constexpr std::string_view kSlug = "com.docker.compose.slug";
inline constexpr std::string_view kConfigHash = "com.docker.compose.config-hash";
inline constexpr std::string_view kImage = "com.docker.compose.image";
inline constexpr std::string_view kDependsOn = "com.docker.compose.depends_on";
inline constexpr std::string_view kReplace = "com.docker.compose.replace";
inline constexpr std::string_view kVersion = "com.docker.compose.version";
inline constexpr std::string_view kWorkingDir = "com.docker.compose.project.working_dir";
inline constexpr std::string_view kConfigFiles = "com.docker.compose.project.config_files";
inline constexpr std::string_view kEnvironmentFile = "com.docker.compose.project.environment_file";
inline constexpr std::string_view kNetwork = "com.docker.compose.network";
inline constexpr std::string_view kVolume = "com.docker.compose.volume";
// stack's own: the build-input hash stored on images it built (see images/).
inline constexpr std::string_view kBuildHash = "dev.stack.build-hash";

// The version written to com.docker.compose.version. docker compose reads this label
// only for display, so stack writes its own version.
inline constexpr std::string_view kStackVersion = STACK_VERSION;

// "key=value" for list filters.
inline std::string filter(std::string_view key, std::string_view value) {
  return std::string(key) + "=" + std::string(value);
}

// `<project>-<service>-<number>`, as docker compose v2 names containers.
inline std::string containerName(std::string_view project, std::string_view service, int number) {
  return std::string(project) + "-" + std::string(service) + "-" + std::to_string(number);
}

// `<project>_<key>`: the engine name of a project's network or volume.
inline std::string resourceName(std::string_view project, std::string_view key) {
  return std::string(project) + "_" + std::string(key);
}

// `<project>-<service>`: the image name of a service that builds and names no image.
inline std::string builtImageName(std::string_view project, std::string_view service) {
  return std::string(project) + "-" + std::string(service);
}

}  // namespace stack::orchestrator::compose::labels

namespace stack::orchestrator::compose {

// The image reference a service runs: `image`, or `<project>-<service>` when it only
// builds.
inline std::string serviceImage(const Project& project, const Service& service) {
  if (!service.image.empty()) return service.image;
  return labels::builtImageName(project.name, service.name);
}

}  // namespace stack::orchestrator::compose
