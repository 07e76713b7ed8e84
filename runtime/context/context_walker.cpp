#include "runtime/context/context_walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace stack::runtime::context {

namespace {

constexpr int kOpenDir = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
constexpr int kOpenFile = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

std::string readLink(int dir_fd, const std::string& name, const std::string& path) {
  std::string target(256, '\0');
  while (true) {
    ssize_t n = ::readlinkat(dir_fd, name.c_str(), target.data(), target.size());
    if (n < 0) throwIo("symlink", path, errno);
    if (static_cast<size_t>(n) < target.size()) {
      target.resize(static_cast<size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);  // possibly truncated: retry with more room
  }
}

}  // namespace

void throwIo(const std::string& what, const std::string& path, int err) {
  throw Error(
      ErrorKind::Io,
      "cannot read " + what + " \"" + path + "\" in the build context: " + std::strerror(err),
      "check its permissions, or exclude it in .dockerignore");
}

ContextWalker::ContextWalker(const std::filesystem::path& root,
                             std::shared_ptr<const IgnoreMatcher> matcher,
                             std::vector<std::string> hidden)
    : root_(root), matcher_(std::move(matcher)), hidden_(std::move(hidden)) {
  UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throwIo("directory", root.string(), errno);
  push(std::move(fd), "", {});
}

std::string ContextWalker::describe(const std::string& path) const {
  return (root_ / path).string();
}

void ContextWalker::push(UniqueFd fd, std::string prefix, IgnoreMatcher::ParentMatches matches) {
  Frame frame{std::move(fd), std::move(prefix), {}, 0, std::move(matches)};
  // fdopendir takes over the descriptor it is given; the frame keeps its own for *at calls.
  DIR* dir = ::fdopendir(::fcntl(frame.fd.get(), F_DUPFD_CLOEXEC, 0));
  std::string where = frame.prefix.empty() ? "." : frame.prefix;
  if (!dir) throwIo("directory", describe(where), errno);
  errno = 0;
  while (const dirent* ent = ::readdir(dir)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..") continue;
    if (frame.prefix.empty() && std::find(hidden_.begin(), hidden_.end(), name) != hidden_.end()) {
      continue;
    }
    bool directory = ent->d_type == DT_DIR;
    if (ent->d_type == DT_UNKNOWN) {
      struct stat info {};
      directory = ::fstatat(frame.fd.get(), ent->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0 &&
                  S_ISDIR(info.st_mode);
    }
    frame.children.push_back({directory ? name + "/" : name, directory});
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) throwIo("directory", describe(where), err);
  std::sort(frame.children.begin(), frame.children.end(),
            [](const Child& a, const Child& b) { return a.key < b.key; });
  frames_.push_back(std::move(frame));
}

bool ContextWalker::next(ContextEntry& entry) {
  while (!frames_.empty()) {
    Frame& frame = frames_.back();
    if (frame.next == frame.children.size()) {
      frames_.pop_back();
      continue;
    }
    // Copy: visit() may push a frame, which invalidates `frame`.
    Child child = frame.children[frame.next++];
    if (visit(frame, child, entry)) return true;
  }
  return false;
}

// Classifies one child; returns true when it is an entry to report.
bool ContextWalker::visit(Frame& frame, const Child& child, ContextEntry& entry) {
  std::string name(child.name());
  std::string path = frame.prefix + name;
  struct stat info {};
  if (::fstatat(frame.fd.get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return false;
    throwIo("entry", describe(path), errno);
  }
  IgnoreMatcher::ParentMatches matches;
  bool excluded = matcher_->excludes(path, frame.matches, &matches);
  if (S_ISDIR(info.st_mode)) {
    if (excluded && !matcher_->mayReinclude(path)) return false;
    UniqueFd fd(::openat(frame.fd.get(), name.c_str(), kOpenDir));
    if (!fd) throwIo("directory", describe(path), errno);
    int parent_fd = frame.fd.get();
    push(std::move(fd), path + "/", std::move(matches));  // `frame` is invalid from here
    if (excluded) return false;
    entry = ContextEntry{std::move(path), EntryType::Directory, info, {}};
    last_parent_fd_ = parent_fd;
    last_name_ = std::move(name);
    return true;
  }
  if (excluded) return false;
  EntryType type;
  switch (info.st_mode & S_IFMT) {
    case S_IFREG:
      type = EntryType::Regular;
      break;
    case S_IFLNK:
      type = EntryType::Symlink;
      break;
    case S_IFCHR:
      type = EntryType::CharDevice;
      break;
    case S_IFBLK:
      type = EntryType::BlockDevice;
      break;
    default:
      return false;  // sockets and FIFOs cannot travel in a build context
  }
  std::string target =
      type == EntryType::Symlink ? readLink(frame.fd.get(), name, describe(path)) : std::string();
  entry = ContextEntry{std::move(path), type, info, std::move(target)};
  last_parent_fd_ = frame.fd.get();
  last_name_ = std::move(name);
  return true;
}

UniqueFd ContextWalker::openFile(const ContextEntry& entry) const {
  UniqueFd fd(::openat(last_parent_fd_, last_name_.c_str(), kOpenFile));
  if (!fd) throwIo("file", describe(entry.path), errno);
  struct stat now {};
  if (::fstat(fd.get(), &now) != 0) throwIo("file", describe(entry.path), errno);
  if (!S_ISREG(now.st_mode) || now.st_dev != entry.info.st_dev || now.st_ino != entry.info.st_ino) {
    throw Error(ErrorKind::Io,
                "\"" + describe(entry.path) + "\" changed while the build context was read",
                "retry once the files stop changing");
  }
  return fd;
}

}  // namespace stack::runtime::context
