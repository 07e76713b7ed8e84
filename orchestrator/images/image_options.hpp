#pragma once

// How `up`, `build` and `pull` make a project's images ready (see image_preparer.hpp).
// Kept free of dependencies so that planner.hpp can carry it inside UpOptions.

#include <map>
#include <string>

namespace stack::orchestrator::images {

// When a service with a `build` section is built.
enum class BuildMode {
  Missing,  // `up`: only when its image is missing
  Changed,  // `up --build`, `stack build`: unless the build-hash label shows no input changed
  Never,    // `up --no-build`: never; a missing image is an error naming the service
};

struct ImageOptions {
  BuildMode build = BuildMode::Missing;
  // `up --pull always|missing|never`: overrides every service's pull_policy; "" keeps them.
  std::string pull;
  bool quiet_pull = false;  // `up --quiet-pull`: no pull progress lines
  // `stack build --no-cache`: build even when unchanged, without the builder cache.
  bool no_cache = false;
  // `stack build --pull`: the builder pulls newer base images, so the build always runs
  // (stack cannot know whether the registry has a newer base without pulling it).
  bool pull_bases = false;
  // `stack build --build-arg K=V`: over build.args, for services that build.
  std::map<std::string, std::string> build_args;
};

}  // namespace stack::orchestrator::images
