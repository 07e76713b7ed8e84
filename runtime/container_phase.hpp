#pragma once

// A container's state as the engine names it (ContainerSummary::state,
// ContainerState::status), as a type: one parser and one meaning of "up" and "exited"
// for every reader (planner, attached logs, supervisor, library waits).

#include <string_view>

namespace stack::runtime {

enum class ContainerPhase { Created, Running, Paused, Restarting, Removing, Exited, Dead, Other };

inline ContainerPhase containerPhase(std::string_view state) {
  if (state == "created") return ContainerPhase::Created;
  if (state == "running") return ContainerPhase::Running;
  if (state == "paused") return ContainerPhase::Paused;
  if (state == "restarting") return ContainerPhase::Restarting;
  if (state == "removing") return ContainerPhase::Removing;
  if (state == "exited") return ContainerPhase::Exited;
  if (state == "dead") return ContainerPhase::Dead;
  return ContainerPhase::Other;  // podman's, or one a later engine adds
}

// Its main process runs, or will again by itself: running, paused or restarting. A stop
// has something to stop.
inline bool isUp(ContainerPhase phase) {
  return phase == ContainerPhase::Running || phase == ContainerPhase::Paused ||
         phase == ContainerPhase::Restarting;
}
inline bool isUp(std::string_view state) {
  return isUp(containerPhase(state));
}

// Its main process ended and nothing runs it now: exited or dead.
inline bool hasExited(ContainerPhase phase) {
  return phase == ContainerPhase::Exited || phase == ContainerPhase::Dead;
}
inline bool hasExited(std::string_view state) {
  return hasExited(containerPhase(state));
}

}  // namespace stack::runtime
