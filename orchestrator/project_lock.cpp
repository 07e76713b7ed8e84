#include "orchestrator/project_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"

namespace stack::orchestrator {
namespace {

std::string lockDirectory() {
  const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR");
  std::string base = runtime_dir && *runtime_dir ? runtime_dir : "/tmp";
  return base + "/stack-locks-" + std::to_string(::getuid());
}

struct LockFile {
  std::string path;
  int fd = -1;
};

LockFile openLockFile(const std::string& project) {
  const std::string dir = lockDirectory();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(ErrorKind::Io,
                "cannot create the lock directory " + dir + ": " + std::strerror(errno));
  }
  LockFile file{dir + "/" + project + ".lock"};
  file.fd = ::open(file.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (file.fd < 0) {
    throw Error(ErrorKind::Io,
                "cannot open the project lock " + file.path + ": " + std::strerror(errno));
  }
  return file;
}

// Takes the lock if it is free; false when another process holds it.
bool lockAtOnce(const LockFile& file) {
  if (::flock(file.fd, LOCK_EX | LOCK_NB) == 0) return true;
  if (errno == EWOULDBLOCK) return false;
  const int error = errno;
  ::close(file.fd);
  throw Error(ErrorKind::Io, "cannot lock " + file.path + ": " + std::strerror(error));
}

}  // namespace

ProjectLock::ProjectLock(const std::string& project, const std::function<void()>& on_wait) {
  const LockFile file = openLockFile(project);
  fd_ = file.fd;
  if (lockAtOnce(file)) return;
  if (on_wait) on_wait();
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      const int error = errno;
      ::close(fd_);
      throw Error(ErrorKind::Io, "cannot lock " + file.path + ": " + std::strerror(error));
    }
  }
}

std::unique_ptr<ProjectLock> ProjectLock::tryAcquire(const std::string& project) {
  const LockFile file = openLockFile(project);
  if (lockAtOnce(file)) return std::unique_ptr<ProjectLock>(new ProjectLock(file.fd));
  ::close(file.fd);
  return nullptr;
}

ProjectLock::~ProjectLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace stack::orchestrator
