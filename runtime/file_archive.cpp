#include "runtime/file_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "core/error.hpp"

namespace stack::runtime {
namespace {

[[noreturn]] void fail(struct archive* archive, const std::string& what) {
  const char* reason = archive_error_string(archive);
  throw Error(ErrorKind::Engine, what + ": " + (reason ? reason : "unknown error"));
}

la_ssize_t append(struct archive*, void* out, const void* data, size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

}  // namespace

std::string tarOf(const std::vector<ContainerFile>& files) {
  std::unique_ptr<struct archive, decltype(&archive_write_free)> archive(archive_write_new(),
                                                                         archive_write_free);
  std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                             archive_entry_free);
  std::string out;
  if (archive_write_set_format_pax_restricted(archive.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(archive.get(), 1) != ARCHIVE_OK ||
      archive_write_open(archive.get(), &out, nullptr, append, nullptr) != ARCHIVE_OK) {
    fail(archive.get(), "cannot start a tar archive");
  }
  for (const auto& file : files) {
    archive_entry_clear(entry.get());
    std::string path = file.path;
    path.erase(0, std::min(path.find_first_not_of('/'), path.size()));
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), file.mode);
    archive_entry_set_uid(entry.get(), file.uid);
    archive_entry_set_gid(entry.get(), file.gid);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(file.content.size()));
    archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
    if (archive_write_header(archive.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(archive.get(), file.content.data(), file.content.size()) < 0) {
      fail(archive.get(), "cannot archive " + file.path);
    }
  }
  if (archive_write_close(archive.get()) != ARCHIVE_OK) fail(archive.get(), "cannot close a tar");
  return out;
}

std::vector<ContainerFile> filesOf(std::string_view tar) {
  std::unique_ptr<struct archive, decltype(&archive_read_free)> archive(archive_read_new(),
                                                                        archive_read_free);
  archive_read_support_format_tar(archive.get());
  if (archive_read_open_memory(archive.get(), tar.data(), tar.size()) != ARCHIVE_OK) {
    fail(archive.get(), "Error processing tar file");
  }
  std::vector<ContainerFile> files;
  struct archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(archive.get(), &entry)) == ARCHIVE_OK) {
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    ContainerFile file;
    file.path = archive_entry_pathname(entry);
    file.mode = archive_entry_perm(entry);
    file.uid = static_cast<uint32_t>(archive_entry_uid(entry));
    file.gid = static_cast<uint32_t>(archive_entry_gid(entry));
    char block[8192];
    for (la_ssize_t n = archive_read_data(archive.get(), block, sizeof block); n > 0;
         n = archive_read_data(archive.get(), block, sizeof block)) {
      file.content.append(block, static_cast<size_t>(n));
    }
    files.push_back(std::move(file));
  }
  if (status != ARCHIVE_EOF) fail(archive.get(), "Error processing tar file");
  return files;
}

size_t StringBody::read(char* buffer, size_t capacity) {
  const size_t n = std::min(capacity, data_.size() - offset_);
  std::memcpy(buffer, data_.data() + offset_, n);
  offset_ += n;
  return n;
}

}  // namespace stack::runtime
