#pragma once

// FakeContainerArchive: ContainerArchive over a FakeEngine, for unit tests. Each
// container's filesystem is a map of the files, directories and symlinks copied into it
// ("/" and the parents of stored entries exist); containers are resolved (and refused
// with NotFound) through the FakeEngine's inspectContainer, so removed and unknown
// containers behave as in the engine. Messages are dockerd's ("Could not find the file
// /x in container web-1", "extraction point is not a directory", "cannot overwrite
// directory ... with non-directory ...", "container rootfs is marked read-only").
// Symlinks in the middle of a path are not followed (dockerd follows them).

#include <map>
#include <optional>
#include <string>

#include "runtime/container_archive.hpp"
#include "runtime/fake/fake_engine.hpp"
#include "runtime/local_archive.hpp"

namespace stack::runtime::fake {

class FakeContainerArchive final : public ContainerArchive {
 public:
  // `engine` must outlive this object.
  explicit FakeContainerArchive(FakeEngine& engine) : engine_(engine) {}

  Awaitable<PathStat> statPath(const std::string& id, const std::string& path) override;
  Awaitable<ArchiveDownload> download(const std::string& id, const std::string& path) override;
  Awaitable<void> upload(const std::string& id, const std::string& path,
                         std::shared_ptr<BodySource> tar, CopyToOptions options) override;

  // --- test side ---------------------------------------------------------------------
  // The entry at the absolute `path` of a container (by name or id), if any.
  std::optional<ArchiveEntry> file(const std::string& container, const std::string& path) const;

 private:
  using Tree = std::map<std::string, ArchiveEntry>;  // by absolute path
  Awaitable<ContainerDetails> resolve(const std::string& id);

  FakeEngine& engine_;
  std::map<std::string, Tree> trees_;         // by container id
  std::map<std::string, std::string> names_;  // container name -> id
};

}  // namespace stack::runtime::fake
