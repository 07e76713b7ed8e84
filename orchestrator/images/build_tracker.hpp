#pragma once

// Follows the output of a classic-builder build (version=1): which "Step N/M : ..." is
// running, what the current step printed, and the image id from the last aux message.
// It feeds the live progress line ("step 3/7") and, when a step fails, the error report:
// the failing step and the last lines of its output.

#include <deque>
#include <string>
#include <vector>

#include "runtime/stream.hpp"

namespace stack::orchestrator::images {

class BuildTracker {
 public:
  static constexpr size_t kTailLines = 20;

  // Consumes one message; returns true when it started a new step.
  bool feed(const runtime::ProgressMessage& message);

  int step() const { return step_; }    // 0 before the first step
  int steps() const { return steps_; }  // M of "Step N/M"
  // The instruction of the current step, "RUN make" (without "Step N/M : ").
  const std::string& instruction() const { return instruction_; }
  // The last aux id: the built image once the stream ended without error.
  const std::string& imageId() const { return image_id_; }
  // The engine's error message, when the build failed in-band.
  const std::string& error() const { return error_; }
  // The last lines the current step printed (at most kTailLines), partial line included.
  std::vector<std::string> tail() const;

 private:
  void addLine(std::string line);

  int step_ = 0;
  int steps_ = 0;
  std::string instruction_;
  std::string image_id_;
  std::string error_;
  std::string partial_;
  std::deque<std::string> lines_;
};

}  // namespace stack::orchestrator::images
