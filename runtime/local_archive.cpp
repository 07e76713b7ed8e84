#include "runtime/local_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace stack::runtime {
namespace {

namespace fs = std::filesystem;

using ReadArchive = std::unique_ptr<struct archive, decltype(&archive_read_free)>;
using WriteArchive = std::unique_ptr<struct archive, decltype(&archive_write_free)>;

[[noreturn]] void failIo(const std::string& what, const char* reason) {
  throw Error(ErrorKind::Io, what + ": " + (reason ? reason : "unknown error"));
}

void check(struct archive* archive, int status, const std::string& what) {
  if (status < ARCHIVE_WARN) failIo(what, archive_error_string(archive));
}

class SpoolBody final : public BodySource {
 public:
  explicit SpoolBody(std::FILE* file) : file_(file) { std::rewind(file_); }
  size_t read(char* buffer, size_t capacity) override {
    const size_t n = std::fread(buffer, 1, capacity, file_);
    if (n == 0 && std::ferror(file_)) failIo("read a temporary file", std::strerror(errno));
    return n;
  }

 private:
  std::FILE* file_;
};

// The entry's name inside the destination, or "" for the destination itself. Throws for a
// name that would leave it.
std::string safeName(std::string name, const ExtractOptions& options) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  while (!name.empty() && name.back() == '/') name.pop_back();
  if (name == ".") name.clear();
  if (!name.empty() && name.front() == '/') {
    throw Error(ErrorKind::Io, "refusing to extract the absolute path " + name);
  }
  for (const auto& part : fs::path(name)) {
    if (part == "..") throw Error(ErrorKind::Io, "refusing to extract " + name + " (it holds ..)");
  }
  const std::string& from = options.rebase_from;
  if (!from.empty() && from != "." &&
      (name == from || (name.size() > from.size() && name.rfind(from + "/", 0) == 0))) {
    name = options.rebase_to + name.substr(from.size());
  } else if (from == "." && !options.rebase_to.empty()) {
    name = name.empty() ? options.rebase_to : options.rebase_to + "/" + name;
  }
  return name;
}

// archive.go NoOverwriteDirNonDir, with its wording.
void checkOverwrite(const fs::path& target, bool entry_is_dir) {
  struct stat existing;
  if (::lstat(target.c_str(), &existing) != 0) return;
  const bool was_dir = S_ISDIR(existing.st_mode);
  if (was_dir && !entry_is_dir) {
    throw Error(ErrorKind::Io, "cannot overwrite directory \"" + target.string() +
                                   "\" with non-directory \"" + target.string() + "\"");
  }
  if (!was_dir && entry_is_dir) {
    throw Error(ErrorKind::Io, "cannot overwrite non-directory \"" + target.string() +
                                   "\" with directory \"" + target.string() + "\"");
  }
}

void copyData(struct archive* in, struct archive* out, const std::string& what) {
  const void* block = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  int status = ARCHIVE_OK;
  while ((status = archive_read_data_block(in, &block, &size, &offset)) == ARCHIVE_OK) {
    check(out, static_cast<int>(archive_write_data_block(out, block, size, offset)), what);
  }
  if (status != ARCHIVE_EOF) check(in, status, what);
}

}  // namespace

SpoolFile::SpoolFile() : file_(std::tmpfile()) {
  if (!file_) failIo("create a temporary file", std::strerror(errno));
}

SpoolFile::~SpoolFile() {
  if (file_) std::fclose(file_);
}

void SpoolFile::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    failIo("write a temporary file", std::strerror(errno));
  }
}

std::shared_ptr<BodySource> SpoolFile::body() {
  std::fflush(file_);
  return std::make_shared<SpoolBody>(file_);
}

void packLocalPath(const fs::path& source, const PackOptions& options, SpoolFile& spool) {
  std::string root = source.lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  struct stat info;
  const int found =
      options.follow_link ? ::stat(root.c_str(), &info) : ::lstat(root.c_str(), &info);
  if (found != 0) {
    failIo(std::string(options.follow_link ? "stat " : "lstat ") + root, std::strerror(errno));
  }
  ReadArchive disk(archive_read_disk_new(), archive_read_free);
  check(disk.get(),
        options.follow_link ? archive_read_disk_set_symlink_hybrid(disk.get())
                            : archive_read_disk_set_symlink_physical(disk.get()),
        "read " + root);
  check(disk.get(), archive_read_disk_open(disk.get(), root.c_str()), "read " + root);
  WriteArchive out(archive_write_new(), archive_write_free);
  check(out.get(), archive_write_set_format_pax_restricted(out.get()), "start a tar archive");
  check(out.get(), archive_write_open_FILE(out.get(), spool.file()), "start a tar archive");
  std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                             archive_entry_free);
  for (;;) {
    const int status = archive_read_next_header2(disk.get(), entry.get());
    if (status == ARCHIVE_EOF) break;
    check(disk.get(), status, "read " + root);
    const std::string name = archive_entry_pathname(entry.get());
    if (archive_entry_filetype(entry.get()) == AE_IFSOCK) continue;
    archive_read_disk_descend(disk.get());
    const std::string suffix = name.size() > root.size() ? name.substr(root.size()) : "";
    if (options.root_name == "." && suffix.empty()) continue;
    const std::string archived =
        options.root_name == "." ? suffix.substr(1) : options.root_name + suffix;
    archive_entry_set_pathname(entry.get(), archived.c_str());
    check(out.get(), archive_write_header(out.get(), entry.get()), "archive " + name);
    if (archive_entry_filetype(entry.get()) != AE_IFREG || archive_entry_size(entry.get()) == 0)
      continue;
    char buffer[65536];
    la_ssize_t n = 0;
    while ((n = archive_read_data(disk.get(), buffer, sizeof buffer)) > 0) {
      check(out.get(), static_cast<int>(archive_write_data(out.get(), buffer, size_t(n))),
            "archive " + name);
    }
    if (n < 0) check(disk.get(), static_cast<int>(n), "read " + name);
  }
  check(out.get(), archive_write_close(out.get()), "finish a tar archive");
  std::fflush(spool.file());
}

void extractArchive(SpoolFile& spool, const fs::path& destination, const ExtractOptions& options) {
  std::error_code error;
  const fs::path root = fs::canonical(destination, error);
  if (error) failIo("stat " + destination.string(), error.message().c_str());
  std::fflush(spool.file());
  std::rewind(spool.file());
  ReadArchive in(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(in.get());
  check(in.get(), archive_read_open_FILE(in.get(), spool.file()), "read the archive");
  WriteArchive disk(archive_write_disk_new(), archive_write_free);
  archive_write_disk_set_options(disk.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                 ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  struct archive_entry* entry = nullptr;
  for (;;) {
    const int status = archive_read_next_header(in.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    check(in.get(), status, "read the archive");
    const std::string name = safeName(archive_entry_pathname(entry), options);
    if (name.empty()) continue;  // the destination directory itself
    const fs::path target = root / name;
    checkOverwrite(target, archive_entry_filetype(entry) == AE_IFDIR);
    archive_entry_set_pathname(entry, target.c_str());
    if (const char* link = archive_entry_hardlink(entry)) {
      const fs::path linked = root / safeName(link, options);
      archive_entry_set_hardlink(entry, linked.c_str());
    }
    check(disk.get(), archive_write_header(disk.get(), entry), "extract " + target.string());
    if (archive_entry_size(entry) > 0) copyData(in.get(), disk.get(), "extract " + target.string());
    check(disk.get(), archive_write_finish_entry(disk.get()), "extract " + target.string());
  }
  check(disk.get(), archive_write_close(disk.get()), "extract into " + root.string());
}

namespace {

la_ssize_t appendTo(struct archive*, void* out, const void* data, size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

[[noreturn]] void badTar(struct archive* archive) {
  const char* reason = archive_error_string(archive);
  throw Error(ErrorKind::Engine,
              std::string("Error processing tar file: ") + (reason ? reason : "unknown error"));
}

}  // namespace

std::string tarOfEntries(const std::vector<ArchiveEntry>& entries) {
  WriteArchive out(archive_write_new(), archive_write_free);
  std::string bytes;
  check(out.get(), archive_write_set_format_pax_restricted(out.get()), "start a tar archive");
  check(out.get(), archive_write_open(out.get(), &bytes, nullptr, appendTo, nullptr),
        "start a tar archive");
  std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                             archive_entry_free);
  for (const auto& item : entries) {
    archive_entry_clear(entry.get());
    archive_entry_set_pathname(entry.get(), item.path.c_str());
    const bool regular = item.kind == EntryKind::Regular;
    archive_entry_set_filetype(entry.get(), item.kind == EntryKind::Directory ? AE_IFDIR
                                            : regular                         ? AE_IFREG
                                                                              : AE_IFLNK);
    if (item.kind == EntryKind::Symlink)
      archive_entry_set_symlink(entry.get(), item.link_target.c_str());
    archive_entry_set_perm(entry.get(), item.mode);
    archive_entry_set_size(entry.get(), regular ? static_cast<la_int64_t>(item.content.size()) : 0);
    check(out.get(), archive_write_header(out.get(), entry.get()), "archive " + item.path);
    if (regular && !item.content.empty()) {
      check(
          out.get(),
          static_cast<int>(archive_write_data(out.get(), item.content.data(), item.content.size())),
          "archive " + item.path);
    }
  }
  check(out.get(), archive_write_close(out.get()), "finish a tar archive");
  return bytes;
}

std::vector<ArchiveEntry> entriesOf(std::string_view tar) {
  ReadArchive in(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(in.get());
  if (archive_read_open_memory(in.get(), tar.data(), tar.size()) != ARCHIVE_OK) badTar(in.get());
  std::vector<ArchiveEntry> out;
  struct archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(in.get(), &entry)) == ARCHIVE_OK) {
    const auto type = archive_entry_filetype(entry);
    if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) continue;
    ArchiveEntry item;
    item.kind = type == AE_IFREG   ? EntryKind::Regular
                : type == AE_IFDIR ? EntryKind::Directory
                                   : EntryKind::Symlink;
    item.path = archive_entry_pathname(entry);
    while (item.path.rfind("./", 0) == 0) item.path.erase(0, 2);
    while (item.path.size() > 1 && item.path.back() == '/') item.path.pop_back();
    item.mode = archive_entry_perm(entry);
    if (const char* link = archive_entry_symlink(entry)) item.link_target = link;
    char block[8192];
    for (la_ssize_t n = archive_read_data(in.get(), block, sizeof block); n > 0;
         n = archive_read_data(in.get(), block, sizeof block)) {
      item.content.append(block, static_cast<size_t>(n));
    }
    out.push_back(std::move(item));
  }
  if (status != ARCHIVE_EOF) badTar(in.get());
  return out;
}

}  // namespace stack::runtime
