#pragma once

// `stack cp`: copies between the host and the containers of one service (container side
// SERVICE:PATH) as docker compose cp does, with docker cp's rules for where things land
// (copy_paths.hpp): from the service's lowest-numbered container, or into every container
// of it (stopped ones too). Archives are packed and extracted locally through libarchive
// (runtime/local_archive.hpp) and moved with a runtime::ContainerArchive.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/container_archive.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator {

// `cp SOURCE DESTINATION`: one side is SERVICE:PATH, the other a local path or "-" (a tar
// archive on stdin or stdout).
struct CopyRequest {
  std::string source;
  std::string destination;
  int index = 0;             // --index: only this container-number
  bool all = false;          // --all: one-off containers too (copying into a service)
  bool archive = false;      // -a: the engine sets ownership from the container's user
  bool follow_link = false;  // -L: follow a symlink given as the source
};

// Where the "-" side of a copy reads or writes.
struct CopyStreams {
  std::function<void(std::string_view)> write_stdout;
  std::function<size_t(char*, size_t)> read_stdin;  // 0 at the end
};

// Progress names each container ("Copying", then "Copied"). `project` may be null (labels
// alone). Throws NotFound when the service has no container or the container path is
// missing, Io for local paths and placement errors, Usage for a bad pair of arguments or
// a service the project does not define.
boost::asio::awaitable<void> copyFiles(runtime::Engine& engine, runtime::ContainerArchive& archive,
                                       progress::ProgressSink& progress,
                                       const std::string& project_name,
                                       const compose::Project* project, const CopyRequest& request,
                                       const CopyStreams& streams);

}  // namespace stack::orchestrator
