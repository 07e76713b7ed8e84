#include "runtime/builder_choice.hpp"

#include <cstdlib>

#include "core/error.hpp"

namespace stack::runtime {
namespace {

// "1.41" < "1.38"? Compares major then minor numerically; unparsable reads as 0.
bool apiBelow(const std::string& version, int major, int minor) {
  char* end = nullptr;
  const long have_major = std::strtol(version.c_str(), &end, 10);
  const long have_minor = (end && *end == '.') ? std::strtol(end + 1, nullptr, 10) : 0;
  return have_major < major || (have_major == major && have_minor < minor);
}

}  // namespace

BuilderRequest builderRequestFromEnv(std::string_view value) {
  if (value.empty()) return BuilderRequest::Auto;
  // The values Go's strconv.ParseBool accepts, which the docker CLI uses.
  for (std::string_view yes : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (value == yes) return BuilderRequest::BuildKit;
  }
  for (std::string_view no : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (value == no) return BuilderRequest::Classic;
  }
  throw Error(ErrorKind::Config,
              "DOCKER_BUILDKIT=" + std::string(value) + " is not a boolean value",
              "set DOCKER_BUILDKIT to 1 (BuildKit) or 0 (the classic builder), or unset it");
}

BuilderChoice chooseBuilder(const EngineInfo& engine, BuilderRequest request) {
  if (request == BuilderRequest::Classic) return {false, "DOCKER_BUILDKIT=0"};
  const std::string suffix =
      request == BuilderRequest::BuildKit ? " (DOCKER_BUILDKIT=1 ignored)" : "";
  if (engine.is_podman) return {false, "podman builds with buildah, not BuildKit" + suffix};
  if (engine.os == "windows") return {false, "a Windows engine has no BuildKit" + suffix};
  if (apiBelow(engine.api_version, 1, 38)) {
    return {false, "engine API " + engine.api_version + " predates BuildKit (1.38)" + suffix};
  }
  if (request == BuilderRequest::BuildKit) return {true, "DOCKER_BUILDKIT=1"};
  return {true, "the engine supports BuildKit"};
}

BuilderRequest builderRequestFromEnvironment() {
  const char* value = std::getenv("DOCKER_BUILDKIT");
  return builderRequestFromEnv(value ? value : "");
}

}  // namespace stack::runtime
