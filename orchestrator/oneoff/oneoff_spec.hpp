#pragma once

// The one-off container of `stack run`, as pure functions: the service with the run's
// overrides applied, the container's name and labels, and its create request. They follow
// docker compose (pkg/compose/run.go): the name is `<project>-<service>-run-<12 hex>`; the
// labels add com.docker.compose.oneoff=True and a 64-hex com.docker.compose.slug and leave
// out the container number; restart policies and container_name are dropped; ports are
// published only with --service-ports or --publish; the network aliases are the
// container's name only, unless --use-aliases.

#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/oneoff/oneoff_requests.hpp"
#include "orchestrator/planner/container_spec.hpp"

namespace stack::orchestrator::oneoff {

struct OneOffIdentity {
  std::string name;
  std::string slug;         // 64 lowercase hex digits
  std::string config_hash;  // of the service as run (see oneOffService)
  std::string image_id;     // empty when unknown
};

// 64 random lowercase hex digits.
std::string newOneOffSlug();

// request.name, else `<project>-<service>-run-<first 12 digits of slug>`.
std::string oneOffName(const compose::Project& project, const RunRequest& request,
                       const std::string& slug);

// The service as `run` runs it. Throws Usage for a service the project does not have.
compose::Service oneOffService(const compose::Project& project, const RunRequest& request);

// The create request of the one-off container of `service` (from oneOffService).
planner::ContainerSpec oneOffSpec(const compose::Project& project, const compose::Service& service,
                                  const RunRequest& request, const OneOffIdentity& identity);

// `--publish` values in docker's forms ("8080:80", "127.0.0.1:8080:80/udp", "80").
// Throws Usage naming the value that does not parse.
std::vector<compose::PortConfig> parsePublishFlags(const std::vector<std::string>& values);

// `--volume` values ("SRC:DST[:MODE]", "DST"). Relative bind sources resolve against
// `base_dir` (the current directory, as compose does) and `~` against `home`. Throws
// Usage naming the value that does not parse.
std::vector<compose::ServiceVolume> parseVolumeFlags(const std::vector<std::string>& values,
                                                     const std::string& base_dir,
                                                     const std::string& home);

}  // namespace stack::orchestrator::oneoff
