#include "runtime/fake/fake_container_archive.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace stack::runtime::fake {
namespace {

constexpr unsigned kDirectoryMode = 0755;

// "/a//b/" -> "/a/b"; "/a/." -> "/a"; "" -> "/".
std::string cleanPath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out.size() >= 2 && out.compare(out.size() - 2, 2, "/.") == 0) out.resize(out.size() - 2);
  return out.empty() ? "/" : out;
}

std::string baseName(const std::string& clean) {
  return clean == "/" ? "." : clean.substr(clean.rfind('/') + 1);
}

std::optional<ArchiveEntry> entryAt(const std::map<std::string, ArchiveEntry>& tree,
                                    const std::string& clean) {
  if (auto it = tree.find(clean); it != tree.end()) return it->second;
  const std::string prefix = clean == "/" ? "/" : clean + "/";
  auto child = tree.lower_bound(prefix);
  if (clean == "/" || (child != tree.end() && child->first.rfind(prefix, 0) == 0)) {
    ArchiveEntry dir;
    dir.path = clean;
    dir.kind = EntryKind::Directory;
    dir.mode = kDirectoryMode;
    return dir;
  }
  return std::nullopt;
}

Error missingFile(const std::string& container, const std::string& path) {
  return Error(ErrorKind::NotFound,
               "Could not find the file " + path + " in container " + container);
}

Error engineError(const std::string& message) {
  return Error(ErrorKind::Engine, message);
}

std::string readAll(BodySource& body) {
  std::string bytes;
  char buffer[65536];
  for (size_t n = body.read(buffer, sizeof buffer); n > 0; n = body.read(buffer, sizeof buffer)) {
    bytes.append(buffer, n);
  }
  return bytes;
}

class MemoryByteStream final : public ByteStream {
 public:
  explicit MemoryByteStream(std::string bytes) : bytes_(std::move(bytes)) {}
  Awaitable<std::optional<std::string>> next() override {
    if (offset_ >= bytes_.size()) co_return std::nullopt;
    const size_t n = std::min<size_t>(65536, bytes_.size() - offset_);
    std::string chunk = bytes_.substr(offset_, n);
    offset_ += n;
    co_return chunk;
  }
  void cancel() override { offset_ = bytes_.size(); }

 private:
  std::string bytes_;
  size_t offset_ = 0;
};

}  // namespace

Awaitable<ContainerDetails> FakeContainerArchive::resolve(const std::string& id) {
  ContainerDetails details = co_await engine_.inspectContainer(id);
  names_[details.name] = details.id;
  co_return details;
}

Awaitable<PathStat> FakeContainerArchive::statPath(const std::string& id, const std::string& path) {
  const ContainerDetails c = co_await resolve(id);
  const auto entry = entryAt(trees_[c.id], cleanPath(path));
  if (!entry) throw missingFile(c.name, path);
  PathStat stat;
  stat.name = baseName(cleanPath(path));
  stat.mode = entry->mode & 07777;
  if (entry->kind == EntryKind::Directory) stat.mode |= PathStat::kDirectory;
  if (entry->kind == EntryKind::Symlink) stat.mode |= PathStat::kSymlink;
  stat.size = static_cast<int64_t>(entry->content.size());
  stat.link_target = entry->link_target;
  co_return stat;
}

// dockerd names the entries after the path's base name ("." for "dir/.").
Awaitable<ArchiveDownload> FakeContainerArchive::download(const std::string& id,
                                                          const std::string& path) {
  ArchiveDownload out;
  out.stat = co_await statPath(id, path);
  const ContainerDetails c = co_await resolve(id);
  const Tree& tree = trees_[c.id];
  const std::string clean = cleanPath(path);
  const bool contents = path.size() >= 2 && path.compare(path.size() - 2, 2, "/.") == 0;
  const std::string base = contents ? "." : baseName(clean);
  std::vector<ArchiveEntry> entries;
  ArchiveEntry root = *entryAt(tree, clean);
  root.path = base;
  entries.push_back(root);
  if (root.kind == EntryKind::Directory) {
    const std::string prefix = clean == "/" ? "/" : clean + "/";
    for (auto it = tree.lower_bound(prefix); it != tree.end() && it->first.rfind(prefix, 0) == 0;
         ++it) {
      ArchiveEntry entry = it->second;
      entry.path = base + "/" + it->first.substr(prefix.size());
      entries.push_back(std::move(entry));
    }
  }
  out.tar = std::make_unique<MemoryByteStream>(tarOfEntries(entries));
  co_return out;
}

// daemon/archive.go containerExtractToDir.
Awaitable<void> FakeContainerArchive::upload(const std::string& id, const std::string& path,
                                             std::shared_ptr<BodySource> tar,
                                             CopyToOptions options) {
  const ContainerDetails c = co_await resolve(id);
  Tree& tree = trees_[c.id];
  const std::string dir = cleanPath(path);
  const auto target = entryAt(tree, dir);
  if (!target) throw missingFile(c.name, path);
  if (target->kind != EntryKind::Directory)
    throw engineError("extraction point is not a directory");
  if (c.host_config.read_only) throw engineError("container rootfs is marked read-only");
  auto entries = entriesOf(tar ? readAll(*tar) : std::string());
  for (auto& entry : entries) entry.path = cleanPath((dir == "/" ? "" : dir) + "/" + entry.path);
  for (const auto& entry : entries) {
    const auto existing = entryAt(tree, entry.path);
    if (!options.no_overwrite_dir_non_dir || !existing) continue;
    const bool was_dir = existing->kind == EntryKind::Directory;
    const bool is_dir = entry.kind == EntryKind::Directory;
    if (was_dir != is_dir) {
      throw engineError(was_dir ? "cannot overwrite directory \"" + entry.path +
                                      "\" with non-directory \"" + entry.path + "\""
                                : "cannot overwrite non-directory \"" + entry.path +
                                      "\" with directory \"" + entry.path + "\"");
    }
  }
  for (auto& entry : entries) {
    if (entry.path == "/") continue;
    const std::string key = entry.path;
    tree[key] = std::move(entry);
  }
}

std::optional<ArchiveEntry> FakeContainerArchive::file(const std::string& container,
                                                       const std::string& path) const {
  auto name = names_.find(container);
  const std::string id = name == names_.end() ? container : name->second;
  auto tree = trees_.find(id);
  if (tree == trees_.end()) return std::nullopt;
  auto it = tree->second.find(cleanPath(path));
  if (it == tree->second.end()) return std::nullopt;
  return it->second;
}

}  // namespace stack::runtime::fake
