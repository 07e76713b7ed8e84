#pragma once

// Direct access to the FakeEngine's model for tests, through FakeEngine::state(). Reads
// here are not engine calls: they are not logged, not subject to faults, and work while
// the engine is "unavailable". The actions are things that happen in the world rather
// than through the API (a process crashes, a host process holds a port).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"
#include "runtime/fake/fake_scripts.hpp"

namespace stack::runtime::fake {

namespace detail {
class Daemon;
}

class FakeState {
 public:
  explicit FakeState(std::weak_ptr<detail::Daemon> daemon) : daemon_(std::move(daemon)) {}

  // Puts an image in the local store, as `docker load` would (no event). Returns its id,
  // which is stable for the same tags and config. Tags move from any image holding them.
  std::string addImage(const FakeImage& image);

  std::vector<ContainerDetails> containers() const;
  std::optional<ContainerDetails> container(const std::string& ref) const;
  std::vector<NetworkDetails> networks() const;  // with their active endpoints
  std::optional<NetworkDetails> network(const std::string& ref) const;
  std::vector<VolumeDetails> volumes() const;
  std::optional<VolumeDetails> volume(const std::string& name) const;
  std::vector<ImageDetails> images() const;
  std::optional<ImageDetails> image(const std::string& ref) const;
  // Every event emitted since construction (not limited to the replay buffer).
  std::vector<EngineEvent> events() const;
  // "type action name" for each event, e.g. "container start web": compact assertions.
  std::vector<std::string> eventSummary() const;
  // Everything the container printed, all runs, stdout and stderr interleaved.
  std::string output(const std::string& container) const;
  // Names of containers using the volume, as the engine's in-use check sees them.
  std::vector<std::string> volumeUsers(const std::string& volume) const;
  // Number of execs ever created in the container (health probes included).
  size_t execCount(const std::string& container) const;
  // A file copied into the container with copyToContainer, by absolute path.
  std::optional<ContainerFile> file(const std::string& container, const std::string& path) const;

  // The container's main process exits now with `exit_code`, as if it crashed. The
  // restart policy applies. Throws NotFound/Conflict like kill would.
  void exitProcess(const std::string& container, int exit_code);
  // The container's process prints `text` now.
  void print(const std::string& container, OutputKind stream, const std::string& text);
  // A process outside the engine holds this host port: starting a container that
  // publishes it fails with "port is already allocated".
  void reserveHostPort(uint16_t port, const std::string& host_ip = "",
                       const std::string& protocol = "tcp");

 private:
  std::shared_ptr<detail::Daemon> daemon() const;
  std::weak_ptr<detail::Daemon> daemon_;
};

}  // namespace stack::runtime::fake
