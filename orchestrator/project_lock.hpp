#pragma once

// A per-project lock, so two stack runs on the same project (say, two terminals running
// `stack up`) are serialized and can never both create the same container. It is an
// advisory flock on a file under $XDG_RUNTIME_DIR (or /tmp), held for the life of the
// object; the kernel releases it if the process dies, even by SIGKILL.

#include <functional>
#include <memory>
#include <string>

namespace stack::orchestrator {

class ProjectLock {
 public:
  // Blocks until the lock is held. `on_wait` is called once if another process holds it.
  ProjectLock(const std::string& project, const std::function<void()>& on_wait = {});
  // Takes the lock only if it is free at once; nullptr when another process holds it.
  // For event loops, which must not block (retry on a timer).
  static std::unique_ptr<ProjectLock> tryAcquire(const std::string& project);
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

 private:
  explicit ProjectLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace stack::orchestrator
