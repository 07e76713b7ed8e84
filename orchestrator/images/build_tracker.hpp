#pragma once

// Follows the output of a build, from either builder:
// - the classic builder (version=1): which "Step N/M : ..." is running, what the current
//   step printed, and the image id from the last aux message;
// - BuildKit (version=2; "moby.buildkit.trace" lines, decoded with
//   runtime/decode/buildkit_decoder.hpp, a line that does not decode is logged and skipped): the
//   vertexes of the solve ("[2/4] RUN make"), which have completed, and each one's log lines; the
//   image id from the "moby.image.id" aux.
// It feeds the live progress line (classic: "step 3/7"; BuildKit: completed/known
// vertexes) and, when a build fails, the error report: where it failed and the last lines
// the failing step printed.

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "runtime/buildkit_status.hpp"
#include "runtime/stream.hpp"

namespace stack::orchestrator::images {

class BuildTracker {
 public:
  static constexpr size_t kTailLines = 20;

  // Consumes one message; returns true when the progress line changed (a new step began;
  // for BuildKit also a step completed).
  bool feed(const runtime::ProgressMessage& message);

  // Classic: N of "Step N/M" (0 before the first step). BuildKit: vertexes completed.
  int step() const { return step_; }
  // Classic: M of "Step N/M". BuildKit: vertexes known so far (grows as the solve runs).
  int steps() const { return steps_; }
  // The instruction of the current step, "RUN make" (classic, without "Step N/M : "), or
  // the running vertex's name "[2/4] RUN make" (BuildKit).
  const std::string& instruction() const { return instruction_; }
  // Where a failed build failed, for the error report: "step 3/7 (RUN make)", or the
  // failed vertex's name; empty before any step.
  std::string where() const;
  // True once a BuildKit status was seen.
  bool buildkit() const { return buildkit_; }
  // The last aux id: the built image once the stream ended without error.
  const std::string& imageId() const { return image_id_; }
  // The engine's error message, when the build failed in-band.
  const std::string& error() const { return error_; }
  // The last lines the current (BuildKit: the failed, else the running) step printed, at
  // most kTailLines, partial line included.
  std::vector<std::string> tail() const;

 private:
  struct Lines {
    std::deque<std::string> lines;
    std::string partial;
    void add(const std::string& text);
    std::vector<std::string> tail() const;
  };
  struct Vertex {
    std::string name;
    bool started = false;
    bool completed = false;
    std::string error;
    Lines output;
  };

  bool feedBuildkit(const runtime::BuildkitStatus& status);
  const Vertex* reportedVertex() const;

  int step_ = 0;
  int steps_ = 0;
  std::string instruction_;
  std::string image_id_;
  std::string error_;
  Lines classic_;
  bool buildkit_ = false;
  std::map<std::string, Vertex> vertexes_;  // by digest
  std::string running_;                     // digest of the vertex shown
  std::string failed_;                      // digest of the first vertex with an error
};

}  // namespace stack::orchestrator::images
