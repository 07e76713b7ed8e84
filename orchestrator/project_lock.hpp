#pragma once

// A per-project lock, so two stack runs on the same project (say, two terminals running
// `stack up`) are serialized and can never both create the same container. It is an
// advisory flock on a file under $XDG_RUNTIME_DIR (or /tmp), held for the life of the
// object; the kernel releases it if the process dies, even by SIGKILL.

#include <functional>
#include <string>

namespace stack::orchestrator {

class ProjectLock {
 public:
  // Blocks until the lock is held. `on_wait` is called once if another process holds it.
  ProjectLock(const std::string& project, const std::function<void()>& on_wait = {});
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace stack::orchestrator
