#include "orchestrator/images/pull_tracker.hpp"

#include <algorithm>

namespace stack::orchestrator::images {

bool PullTracker::feed(const runtime::ProgressMessage& message) {
  if (!message.error.empty()) {
    error_ = message.error;
    return true;
  }
  if (message.id.empty() || message.status.rfind("Pulling from", 0) == 0) {
    if (message.status.empty() || message.status == status_) return false;
    status_ = message.status;
    return true;
  }
  const std::string& status = message.status;
  Layer& layer = layers_[message.id];
  const Layer before = layer;
  if (status == "Downloading" || status == "Pushing") {
    if (message.total > 0) layer.total = message.total;
    layer.current = std::min(message.current, layer.total > 0 ? layer.total : message.current);
  } else if (status == "Download complete" || status == "Pull complete" || status == "Pushed" ||
             status == "Verifying Checksum") {
    layer.current = layer.total;
  }
  // "Already exists", "Layer already exists", "Mounted from ..." leave the layer at 0/0.
  return layer.current != before.current || layer.total != before.total;
}

int64_t PullTracker::current() const {
  int64_t sum = 0;
  for (const auto& [_, layer] : layers_) sum += layer.current;
  return sum;
}

int64_t PullTracker::total() const {
  int64_t sum = 0;
  for (const auto& [_, layer] : layers_) sum += layer.total;
  return sum;
}

}  // namespace stack::orchestrator::images
