#pragma once

// Which builder runs a project's builds: BuildKit (`POST /build?version=2`) or the classic
// builder (version=1). docker compose and the docker CLI decide the same way:
//   - DOCKER_BUILDKIT=0|false: classic; DOCKER_BUILDKIT=1|true: BuildKit (also over a
//     daemon configured for the classic builder, as the docker CLI does);
//   - otherwise BuildKit, unless the engine cannot: podman (buildah serves /build), a
//     Windows engine, or API < 1.38. Like the docker CLI since 23.0, the `Builder-Version`
//     header of `_ping` is not consulted.
// An explicit BuildKit request the engine cannot serve falls back to classic too, and the
// reason says so. The Docker engine (runtime/docker) and the image builder
// (orchestrator/images) both decide with these functions from the same inputs, so the
// warnings about build keys match the builder that runs.

#include <string>
#include <string_view>

#include "runtime/engine_types.hpp"

namespace stack::runtime {

// Which builder the user asked for.
enum class BuilderRequest {
  Auto,      // DOCKER_BUILDKIT unset: BuildKit where the engine has it
  BuildKit,  // DOCKER_BUILDKIT=1
  Classic,   // DOCKER_BUILDKIT=0
};

struct BuilderChoice {
  bool buildkit = false;
  std::string reason;  // for the log: why this builder
};

// DOCKER_BUILDKIT's value (empty: unset). Throws stack::Error (kind Config) for a value
// that is not a boolean, as the docker CLI refuses it.
BuilderRequest builderRequestFromEnv(std::string_view value);

BuilderChoice chooseBuilder(const EngineInfo& engine, BuilderRequest request);

// "BuildKit" or "classic builder", for progress lines.
inline std::string builderName(bool buildkit) {
  return buildkit ? "BuildKit" : "classic builder";
}

// The request from the process environment's DOCKER_BUILDKIT.
BuilderRequest builderRequestFromEnvironment();

}  // namespace stack::runtime
