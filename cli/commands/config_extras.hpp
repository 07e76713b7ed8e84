#pragma once

// The parts of `stack config` beyond rendering the model: --variables (the variables the
// files use, with their defaults), --environment, --resolve-image-digests and the `$$`
// escaping of the rendered output, as docker compose's cmd/compose/config.go does them.

#include <string>

#include "orchestrator/compose/model.hpp"
#include "runtime/engine.hpp"

namespace stack::cli {

// Every `$` of rendered output doubled, so the output can be fed back as a compose file
// (compose does this unless --no-interpolate).
std::string escapeDollars(const std::string& text);

// The variables used in the values of a project loaded without interpolation, as
// compose's `config --variables`: a table (NAME, REQUIRED, DEFAULT VALUE, ALTERNATE
// VALUE), or `format` json or yaml.
std::string renderVariables(const orchestrator::compose::Project& uninterpolated,
                            const std::string& format);

// "KEY=VALUE" lines of the environment interpolation saw.
std::string renderEnvironment(const orchestrator::compose::Project& project);

// Pins every service image to the digest the local engine knows for it (RepoDigests of
// its image inspect): "docker.io/library/busybox:latest@sha256:...". Throws a Config error
// naming the service and image when the engine has the image without a repository digest
// (built locally, or loaded without a registry), NotFound when it lacks the image.
runtime::Awaitable<void> resolveImageDigests(runtime::Engine& engine,
                                             orchestrator::compose::Project& project);

}  // namespace stack::cli
