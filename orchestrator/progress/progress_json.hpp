#pragma once

// Progress events as JSON, for programs: the lines `--progress json` prints, and the same
// objects for library users who want to forward events rather than render them.
//   {"resource":"Service","name":"web","status":"Building","state":"working",
//    "detail":"RUN make","current":3,"total":7,"unit":"steps"}
// `detail` is present when non-empty; current/total/unit when total > 0.

#include <nlohmann/json.hpp>

#include "orchestrator/progress/progress.hpp"

namespace stack::orchestrator::progress {

inline const char* progressStateName(ProgressState state) {
  switch (state) {
    case ProgressState::Working:
      return "working";
    case ProgressState::Done:
      return "done";
    case ProgressState::Warning:
      return "warning";
    case ProgressState::Error:
      return "error";
  }
  return "working";
}

inline nlohmann::json toJson(const ProgressEvent& event) {
  nlohmann::json line = {{"resource", event.resource},
                         {"name", event.name},
                         {"status", event.status},
                         {"state", progressStateName(event.state)}};
  if (!event.detail.empty()) line["detail"] = event.detail;
  if (event.total > 0) {
    line["current"] = event.current;
    line["total"] = event.total;
    if (event.unit == ProgressUnit::Steps) line["unit"] = "steps";
    if (event.unit == ProgressUnit::Bytes) line["unit"] = "bytes";
  }
  return line;
}

}  // namespace stack::orchestrator::progress
