#include "orchestrator/copy_paths.hpp"

#include <vector>

#include "core/error.hpp"

namespace stack::orchestrator {

CopyArgument parseCopyArgument(const std::string& argument) {
  if (!argument.empty() && argument.front() == '/') return {"", argument};
  const auto colon = argument.find(':');
  if (colon == std::string::npos || argument.front() == '.') return {"", argument};
  return {argument.substr(0, colon), argument.substr(colon + 1)};
}

std::string cleanPath(const std::string& path) {
  if (path.empty()) return ".";
  const bool rooted = path.front() == '/';
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string part = path.substr(start, slash - start);
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

namespace {

bool specifiesCurrentDir(const std::string& path) {
  return path == "." || (path.size() >= 2 && path.compare(path.size() - 2, 2, "/.") == 0);
}

std::string dirOf(const std::string& clean) {
  const auto slash = clean.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : clean.substr(0, slash);
}

std::string baseOf(const std::string& clean) {
  if (clean == "/") return "/";
  const auto slash = clean.rfind('/');
  return slash == std::string::npos ? clean : clean.substr(slash + 1);
}

}  // namespace

std::pair<std::string, std::string> splitPathDirEntry(const std::string& path) {
  std::string clean = cleanPath(path);
  if (specifiesCurrentDir(path)) clean += clean == "/" ? "." : "/.";
  return {dirOf(clean), baseOf(clean)};
}

bool assertsDirectory(const std::string& path) {
  return (!path.empty() && path.back() == '/') || specifiesCurrentDir(path);
}

std::string resolveLinkTarget(const std::string& link_path, const std::string& target) {
  if (!target.empty() && target.front() == '/') return cleanPath(target);
  return cleanPath(splitPathDirEntry(link_path).first + "/" + target);
}

CopyPlacement placeCopy(const CopySource& source, const CopyDestination& destination) {
  const auto [dst_dir, dst_base] = splitPathDirEntry(destination.path);
  if (destination.exists && destination.is_dir) return {destination.path, ""};
  if (destination.exists && source.is_dir) throw Error(ErrorKind::Io, "cannot copy directory");
  if (!destination.exists && !source.is_dir && assertsDirectory(destination.path)) {
    throw Error(ErrorKind::Io, "no such directory");
  }
  return {dst_dir, dst_base};
}

}  // namespace stack::orchestrator
