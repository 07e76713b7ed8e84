#pragma once

// Adds up a pull's (or push's) per-layer progress into one figure, bytes done against
// bytes known, so a person sees "12.3MB/45.6MB" for the image instead of a line per
// layer. Layers that already exist locally (or remotely, for a push) count for nothing.

#include <cstdint>
#include <map>
#include <string>

#include "runtime/stream.hpp"

namespace stack::orchestrator::images {

class PullTracker {
 public:
  // Consumes one message; returns true when the totals or the status changed.
  bool feed(const runtime::ProgressMessage& message);

  int64_t current() const;
  int64_t total() const;
  // The last message without a layer id: "Status: Downloaded newer image for x",
  // "Digest: sha256:...", "1: digest: sha256:... size: 736".
  const std::string& status() const { return status_; }
  const std::string& error() const { return error_; }
  // True once the stream said the local image was already up to date.
  bool upToDate() const { return status_.find("Image is up to date") != std::string::npos; }

 private:
  struct Layer {
    int64_t current = 0;
    int64_t total = 0;
  };
  std::map<std::string, Layer> layers_;
  std::string status_;
  std::string error_;
};

}  // namespace stack::orchestrator::images
