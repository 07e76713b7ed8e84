#pragma once

// BuildKit's build progress as dockerd relays it for `POST /build?version=2`: each
// `{"id":"moby.buildkit.trace","aux":"<base64>"}` line carries one protobuf
// moby.buildkit.v1.StatusResponse (buildkit api/services/control/control.proto). These are
// its fields stack reads; a vertex is one step of the solve ("[2/4] RUN make",
// "exporting to image"), repeated in later messages as it starts and completes.
// Times are nanoseconds since the epoch, 0 when unset.

#include <cstdint>
#include <string>
#include <vector>

namespace stack::runtime {

struct BuildkitVertex {
  std::string digest;               // 1
  std::vector<std::string> inputs;  // 2: digests of the vertexes it depends on
  std::string name;                 // 3
  bool cached = false;              // 4
  int64_t started = 0;              // 5
  int64_t completed = 0;            // 6
  std::string error;                // 7: non-empty when the step failed
};

struct BuildkitVertexStatus {
  std::string id;         // 1: "exporting layers", a layer digest...
  std::string vertex;     // 2
  std::string name;       // 3
  int64_t current = 0;    // 4
  int64_t total = 0;      // 5
  int64_t timestamp = 0;  // 6
  int64_t started = 0;    // 7
  int64_t completed = 0;  // 8
};

struct BuildkitLog {
  std::string vertex;     // 1
  int64_t timestamp = 0;  // 2
  int64_t stream = 0;     // 3: 1 stdout, 2 stderr
  std::string data;       // 4: raw bytes, not split into lines
};

struct BuildkitStatus {
  std::vector<BuildkitVertex> vertexes;        // 1
  std::vector<BuildkitVertexStatus> statuses;  // 2
  std::vector<BuildkitLog> logs;               // 3
};

}  // namespace stack::runtime
