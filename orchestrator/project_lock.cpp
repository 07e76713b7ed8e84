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

}  // namespace

ProjectLock::ProjectLock(const std::string& project, const std::function<void()>& on_wait) {
  const std::string dir = lockDirectory();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(ErrorKind::Io,
                "cannot create the lock directory " + dir + ": " + std::strerror(errno));
  }
  const std::string path = dir + "/" + project + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw Error(ErrorKind::Io,
                "cannot open the project lock " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (errno != EWOULDBLOCK) {
    throw Error(ErrorKind::Io, "cannot lock " + path + ": " + std::strerror(errno));
  }
  if (on_wait) on_wait();
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      throw Error(ErrorKind::Io, "cannot lock " + path + ": " + std::strerror(errno));
    }
  }
}

ProjectLock::~ProjectLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace stack::orchestrator
