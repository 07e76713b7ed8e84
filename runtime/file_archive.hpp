#pragma once

// Tar archives of small in-memory files, for Engine::copyToContainer: the orchestrator
// packs secrets and configs with tarOf(), the FakeEngine unpacks them with filesOf().

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/engine_types.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime {

// A ustar archive of the files, each at its path without the leading '/', with its mode,
// uid and gid. Parent directories are not included: the engine creates them.
std::string tarOf(const std::vector<ContainerFile>& files);

// The regular files of a tar archive, with paths as archived. Throws kind Engine
// ("Error processing tar file: ...") when the archive is malformed.
std::vector<ContainerFile> filesOf(std::string_view tar);

// A request body over a string held in memory.
class StringBody final : public BodySource {
 public:
  explicit StringBody(std::string data) : data_(std::move(data)) {}
  size_t read(char* buffer, size_t capacity) override;

 private:
  std::string data_;
  size_t offset_ = 0;
};

}  // namespace stack::runtime
