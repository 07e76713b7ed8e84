#pragma once

// ContainerArchive: moving files in and out of a container's filesystem as tar archives
// (the engine's /containers/{id}/archive endpoints), for `stack cp`. Like SwarmEngine it
// is an interface of its own beside Engine, implemented for dockerd (runtime/docker,
// sharing the Engine's endpoint and negotiated API version) and in memory
// (runtime/fake's FakeContainerArchive over a FakeEngine).
//
// Contract: the common contract of runtime/engine.hpp (coroutines on the caller's loop;
// errors are stack::Error: NotFound for a missing container or path, EngineUnavailable
// when nothing answers, Engine for anything else). Every call works on stopped
// containers too. `id` is a container id or name.

#include <memory>
#include <string>

#include "runtime/container_io_types.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime {

class ContainerArchive {
 public:
  virtual ~ContainerArchive() = default;

  // What `path` is (HEAD .../archive), without following a final symlink. NotFound
  // ("Could not find the file /x in container web-1") when it does not exist.
  virtual Awaitable<PathStat> statPath(const std::string& id, const std::string& path) = 0;
  // A tar archive of `path` (GET .../archive); see ArchiveDownload.
  virtual Awaitable<ArchiveDownload> download(const std::string& id, const std::string& path) = 0;
  // Extracts `tar` into the existing directory `path` (PUT .../archive). NotFound when
  // the directory is missing; Engine when it is not a directory, the root filesystem is
  // read-only, or (with no_overwrite_dir_non_dir) an entry would replace a directory with
  // a non-directory or the reverse.
  virtual Awaitable<void> upload(const std::string& id, const std::string& path,
                                 std::shared_ptr<BodySource> tar, CopyToOptions options) = 0;
};

}  // namespace stack::runtime
