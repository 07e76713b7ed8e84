// `stack cp` (container_copy.hpp).

#include "orchestrator/container_copy.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/copy_paths.hpp"
#include "orchestrator/planner/planner_support.hpp"
#include "runtime/local_archive.hpp"

namespace stack::orchestrator {
namespace {

namespace fs = std::filesystem;

template <class T>
using Awaitable = boost::asio::awaitable<T>;

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// Go's wording ("lstat /x: no such file or directory"), as docker cp prints it.
[[noreturn]] void systemError(const std::string& call, const std::string& path) {
  std::string reason = std::strerror(errno);
  if (!reason.empty())
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  throw Error(ErrorKind::Io, call + " " + path + ": " + reason);
}

// An absolute local path that keeps what the user typed at its end ("dir/", "dir/.").
std::string absoluteLocal(const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  return (fs::current_path() / path).string();
}

// ResolveHostSourcePath and CopyInfoSourcePath: the parent's symlinks are resolved, the
// source itself only with -L.
CopySource localSource(const std::string& typed, bool follow_link) {
  const std::string path = absoluteLocal(typed);
  const auto [parent, base] = splitPathDirEntry(path);
  CopySource source;
  std::error_code error;
  if (follow_link) {
    const fs::path real = fs::canonical(path, error);
    if (error) systemError("lstat", cleanPath(path));
    source.path = real.string();
    if (base == ".") source.path += "/.";
    if (splitPathDirEntry(source.path).second != base) source.rebase_name = base;
  } else {
    const fs::path real_parent = fs::canonical(parent, error);
    if (error) systemError("lstat", cleanPath(path));
    source.path = (real_parent / base).string();
  }
  struct stat info;
  if (::lstat(source.path.c_str(), &info) != 0) systemError("lstat", cleanPath(path));
  source.is_dir = S_ISDIR(info.st_mode);
  return source;
}

// CopyInfoDestinationPath: a final symlink is followed (up to 10 times); a missing path is
// fine when its parent is a directory.
CopyDestination localDestination(const std::string& typed) {
  std::string path = absoluteLocal(typed);
  struct stat info;
  int found = ::lstat(path.c_str(), &info);
  for (int hops = 0; found == 0 && S_ISLNK(info.st_mode); ++hops) {
    if (hops == 10) throw Error(ErrorKind::Io, "too many symlinks in " + typed);
    std::error_code error;
    const fs::path target = fs::read_symlink(path, error);
    if (error) systemError("readlink", path);
    path = resolveLinkTarget(path, target.string());
    found = ::lstat(path.c_str(), &info);
  }
  if (found == 0) return {path, true, S_ISDIR(info.st_mode)};
  if (errno != ENOENT) systemError("lstat", path);
  const std::string parent = splitPathDirEntry(path).first;
  if (::stat(parent.c_str(), &info) != 0) systemError("stat", parent);
  if (!S_ISDIR(info.st_mode)) throw Error(ErrorKind::Io, "not a directory");
  return {path, false, false};
}

// command.ValidateOutputPath: the parent directory of the output must exist.
void validateOutputPath(const std::string& path) {
  const std::string dir = splitPathDirEntry(cleanPath(path)).first;
  struct stat info;
  if (dir != "." && ::stat(dir.c_str(), &info) != 0 && errno == ENOENT) {
    throw Error(ErrorKind::Io, "invalid output path: directory " + quoted(dir) + " does not exist");
  }
}

// The containers a copy acts on (compose's listContainersTargetedForCopy): stopped ones
// too, lowest number first; one-off containers only with --all.
Awaitable<std::vector<runtime::ContainerSummary>> copyTargets(runtime::Engine& engine,
                                                              const std::string& project,
                                                              const std::string& service,
                                                              const CopyRequest& request) {
  runtime::ListFilter filter;
  filter.all = true;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project),
                   compose::labels::filter(compose::labels::kService, service)};
  if (request.index > 0) {
    filter.labels.push_back(
        compose::labels::filter(compose::labels::kContainerNumber, std::to_string(request.index)));
  }
  auto containers = co_await engine.listContainers(filter);
  if (request.index > 0 || !request.all) {
    std::erase_if(containers, [](const auto& c) {
      return planner::label(c, compose::labels::kOneoff) == "True";
    });
  }
  if (containers.empty()) {
    if (request.index > 0) {
      throw Error(ErrorKind::NotFound,
                  "service " + quoted(service) + " is not running container #" +
                      std::to_string(request.index),
                  "`stack ps -a " + service + "` lists its containers");
    }
    throw Error(ErrorKind::NotFound, "no container found for service " + quoted(service),
                "create it with `stack up -d " + service + "` or `stack create " + service + "`");
  }
  std::stable_sort(containers.begin(), containers.end(), [](const auto& a, const auto& b) {
    return planner::numberOf(a) < planner::numberOf(b);
  });
  co_return containers;
}

// What the destination path is inside the container, a final symlink followed once.
Awaitable<CopyDestination> containerDestination(runtime::ContainerArchive& archive,
                                                const runtime::ContainerSummary& target,
                                                const std::string& path) {
  CopyDestination destination{path, false, false};
  std::optional<runtime::PathStat> stat;
  try {
    stat = co_await archive.statPath(target.id, path);
    if (stat->isSymlink()) {
      destination.path = resolveLinkTarget(path, stat->link_target);
      stat = co_await archive.statPath(target.id, destination.path);
    }
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::NotFound) throw;
    stat.reset();  // missing: extraction into its parent may still create it
  }
  if (stat) {
    if (!stat->isDirectory() && !stat->isRegular()) {
      throw Error(ErrorKind::Io, "destination " + quoted(target.name + ":" + path) +
                                     " must be a directory or a regular file");
    }
    destination.exists = true;
    destination.is_dir = stat->isDirectory();
  }
  co_return destination;
}

Awaitable<void> copyInto(runtime::ContainerArchive& archive,
                         const runtime::ContainerSummary& target, const std::string& source,
                         const std::string& destination, const CopyRequest& request,
                         runtime::SpoolFile* stdin_tar) {
  const CopyDestination where = co_await containerDestination(archive, target, destination);
  runtime::CopyToOptions options;
  options.copy_uid_gid = request.archive;
  if (stdin_tar) {
    if (!where.is_dir) {
      throw Error(ErrorKind::Io, "destination " + quoted(target.name + ":" + destination) +
                                     " must be a directory");
    }
    co_await archive.upload(target.id, where.path, stdin_tar->body(), options);
    co_return;
  }
  const CopySource from = localSource(source, request.follow_link);
  const CopyPlacement placement = placeCopy(from, where);
  runtime::PackOptions pack;
  const std::string base = splitPathDirEntry(from.path).second;
  pack.root_name = !placement.top_name.empty() ? placement.top_name
                   : !from.rebase_name.empty() ? from.rebase_name
                                               : base;
  runtime::SpoolFile spool;
  std::string root = from.path;
  if (base == ".") root.resize(root.size() - 2);  // "dir/.": the directory, named "."
  runtime::packLocalPath(root, pack, spool);
  co_await archive.upload(target.id, placement.directory, spool.body(), options);
}

Awaitable<void> copyFrom(runtime::ContainerArchive& archive,
                         const runtime::ContainerSummary& target, const std::string& source,
                         const std::string& destination, const CopyRequest& request,
                         const CopyStreams& streams) {
  const bool to_stdout = destination == "-";
  if (!to_stdout) validateOutputPath(absoluteLocal(destination));
  std::string path = source;
  std::string rebase_name;
  if (request.follow_link) {
    const runtime::PathStat stat = co_await archive.statPath(target.id, source);
    if (stat.isSymlink()) {
      path = resolveLinkTarget(source, stat.link_target);
      // GetRebaseName: keep what the user asked for as the top name.
      if (splitPathDirEntry(source).second == ".") path += "/.";
      if (!source.empty() && source.back() == '/') path += "/";
      if (splitPathDirEntry(path).second != splitPathDirEntry(source).second) {
        rebase_name = splitPathDirEntry(source).second;
      }
    }
  }
  runtime::ArchiveDownload download = co_await archive.download(target.id, path);
  if (to_stdout) {
    while (auto chunk = co_await download.tar->next()) streams.write_stdout(*chunk);
    co_return;
  }
  runtime::SpoolFile spool;
  while (auto chunk = co_await download.tar->next()) spool.write(*chunk);
  const CopySource from{path, download.stat.isDirectory(), rebase_name};
  const CopyPlacement placement = placeCopy(from, localDestination(destination));
  runtime::ExtractOptions extract;
  extract.rebase_from = splitPathDirEntry(path).second;
  extract.rebase_to = !placement.top_name.empty() ? placement.top_name : rebase_name;
  if (extract.rebase_to.empty()) extract.rebase_from.clear();
  runtime::extractArchive(spool, placement.directory, extract);
}

}  // namespace

Awaitable<void> copyFiles(runtime::Engine& engine, runtime::ContainerArchive& archive,
                          progress::ProgressSink& progress, const std::string& project_name,
                          const compose::Project* project, const CopyRequest& request,
                          const CopyStreams& streams) {
  const CopyArgument source = parseCopyArgument(request.source);
  const CopyArgument destination = parseCopyArgument(request.destination);
  if (!source.service.empty() && !destination.service.empty()) {
    throw Error(ErrorKind::Usage, "copying between services is not supported");
  }
  if (source.service.empty() && destination.service.empty()) {
    throw Error(ErrorKind::Usage, "unknown copy direction",
                "name a container side as SERVICE:PATH, e.g. `stack cp web:/etc/hosts .`");
  }
  const bool from_service = !source.service.empty();
  if (from_service && request.all) {
    throw Error(ErrorKind::Usage, "cannot use the --all flag when copying from a service");
  }
  const std::string& service = from_service ? source.service : destination.service;
  if (project && !project->services.count(service)) {
    throw Error(ErrorKind::Usage, "no such service: " + service,
                "`stack config --services` lists the services");
  }
  auto targets = co_await copyTargets(engine, project_name, service, request);
  if (from_service) targets.resize(1);  // copying from several containers makes no sense
  std::optional<runtime::SpoolFile> stdin_tar;
  if (!from_service && source.path == "-") {
    stdin_tar.emplace();
    char buffer[65536];
    for (size_t n = streams.read_stdin(buffer, sizeof buffer); n > 0;
         n = streams.read_stdin(buffer, sizeof buffer)) {
      stdin_tar->write(std::string_view(buffer, n));
    }
  }
  for (const auto& target : targets) {
    const std::string what = from_service
                                 ? target.name + ":" + source.path + " to " + destination.path
                                 : source.path + " to " + target.name + ":" + destination.path;
    progress.emit({"Container", target.name, "Copying", progress::ProgressState::Working, what});
    try {
      if (from_service) {
        co_await copyFrom(archive, target, source.path, destination.path, request, streams);
      } else {
        co_await copyInto(archive, target, source.path, destination.path, request,
                          stdin_tar ? &*stdin_tar : nullptr);
      }
    } catch (Error& error) {
      progress.emit(
          {"Container", target.name, "Error", progress::ProgressState::Error, error.message()});
      throw;
    }
    progress.emit({"Container", target.name, "Copied", progress::ProgressState::Done, what});
  }
}

}  // namespace stack::orchestrator
