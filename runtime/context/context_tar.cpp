#include "runtime/context/context_tar.hpp"

#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace stack::runtime::context {

namespace {

constexpr const char* kCapabilityXattr = "security.capability";

// The security.capability attribute of an open file, or "" when it has none.
std::string capabilityOf(int fd) {
  char value[256];
  ssize_t n = ::fgetxattr(fd, kCapabilityXattr, value, sizeof value);
  return n > 0 ? std::string(value, static_cast<size_t>(n)) : std::string();
}

}  // namespace

ContextTarSource::ContextTarSource(std::shared_ptr<const ResolvedContext> context)
    : context_(std::move(context)),
      walker_(context_->root, context_->matcher, context_->hiddenNames()),
      slice_(kSliceSize) {
  archive_ = archive_write_new();
  entry_ = archive_entry_new();
  links_ = archive_entry_linkresolver_new();
  if (!archive_ || !entry_ || !links_) throw std::bad_alloc();
  archive_entry_linkresolver_set_strategy(links_, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
  check(archive_write_set_format_pax_restricted(archive_));
  check(archive_write_open(archive_, this, nullptr, &ContextTarSource::onWrite, nullptr));
}

ContextTarSource::~ContextTarSource() {
  // Freeing an archive that is still open would try to finish it; it only goes to our
  // buffer, which is about to die, so that is harmless.
  archive_write_free(archive_);
  archive_entry_free(entry_);
  archive_entry_linkresolver_free(links_);
}

la_ssize_t ContextTarSource::onWrite(struct archive*, void* self, const void* data, size_t size) {
  auto* source = static_cast<ContextTarSource*>(self);
  source->pending_.append(static_cast<const char*>(data), size);
  source->peak_buffered_ = std::max(source->peak_buffered_, source->pending_.size());
  return static_cast<la_ssize_t>(size);
}

void ContextTarSource::check(int status) {
  // ARCHIVE_WARN covers e.g. a name that is not valid in the locale; it is still written.
  if (status >= ARCHIVE_WARN) return;
  const char* message = archive_error_string(archive_);
  throw Error(ErrorKind::Io, std::string("cannot write the build context tar: ") +
                                 (message ? message : "unknown libarchive error"));
}

size_t ContextTarSource::read(char* buffer, size_t capacity) {
  if (failure_) std::rethrow_exception(failure_);
  try {
    while (pending_pos_ == pending_.size() && !done_) {
      pending_.clear();
      pending_pos_ = 0;
      step();
    }
  } catch (...) {
    failure_ = std::current_exception();
    throw;
  }
  size_t n = std::min(capacity, pending_.size() - pending_pos_);
  std::memcpy(buffer, pending_.data() + pending_pos_, n);
  pending_pos_ += n;
  bytes_read_ += n;
  return n;
}

// Produces the next piece of the archive into pending_.
void ContextTarSource::step() {
  if (file_) {
    writeSlice();
    return;
  }
  if (next_virtual_ < context_->virtual_files.size()) {
    writeVirtual(context_->virtual_files[next_virtual_++]);
    return;
  }
  ContextEntry entry;
  if (walker_.next(entry)) {
    writeEntry(entry);
    return;
  }
  check(archive_write_close(archive_));
  done_ = true;
}

void ContextTarSource::resetEntry() {
  archive_entry_clear(entry_);
  archive_entry_set_uid(entry_, 0);
  archive_entry_set_gid(entry_, 0);
}

void ContextTarSource::writeVirtual(const VirtualFile& file) {
  resetEntry();
  archive_entry_set_pathname(entry_, file.name.c_str());
  archive_entry_set_filetype(entry_, AE_IFREG);
  archive_entry_set_perm(entry_, file.perm);
  archive_entry_set_mtime(entry_, file.mtime, 0);
  archive_entry_set_size(entry_, static_cast<la_int64_t>(file.content.size()));
  check(archive_write_header(archive_, entry_));
  if (!file.content.empty()) {
    la_ssize_t n = archive_write_data(archive_, file.content.data(), file.content.size());
    if (n < 0) check(static_cast<int>(n));
  }
  check(archive_write_finish_entry(archive_));
}

void ContextTarSource::writeEntry(const ContextEntry& entry) {
  resetEntry();
  archive_entry_copy_stat(entry_, &entry.info);
  archive_entry_set_uid(entry_, 0);
  archive_entry_set_gid(entry_, 0);
  archive_entry_set_mtime(entry_, entry.info.st_mtim.tv_sec, 0);
  archive_entry_unset_atime(entry_);
  archive_entry_unset_ctime(entry_);
  archive_entry_unset_birthtime(entry_);
  archive_entry_set_pathname(entry_, entry.path.c_str());
  if (entry.type != EntryType::Regular) archive_entry_set_size(entry_, 0);
  if (entry.type == EntryType::Symlink)
    archive_entry_set_symlink(entry_, entry.link_target.c_str());

  struct archive_entry* linked = entry_;
  struct archive_entry* spare = nullptr;
  archive_entry_linkify(links_, &linked, &spare);  // a later name of a hard link gets no body
  bool body = entry.type == EntryType::Regular && archive_entry_hardlink(entry_) == nullptr &&
              archive_entry_size(entry_) > 0;
  if (entry.type == EntryType::Regular && archive_entry_hardlink(entry_) == nullptr) {
    UniqueFd fd = walker_.openFile(entry);
    std::string capability = capabilityOf(fd.get());
    if (!capability.empty()) {
      archive_entry_xattr_add_entry(entry_, kCapabilityXattr, capability.data(), capability.size());
    }
    if (body) {
      file_ = std::move(fd);
      file_path_ = (context_->root / entry.path).string();
      file_remaining_ = static_cast<uint64_t>(entry.info.st_size);
    }
  }
  check(archive_write_header(archive_, entry_));
  if (!body) check(archive_write_finish_entry(archive_));
}

// Copies the next slice of the current file into the archive.
void ContextTarSource::writeSlice() {
  size_t want = static_cast<size_t>(std::min<uint64_t>(file_remaining_, slice_.size()));
  ssize_t n;
  do {
    n = ::read(file_.get(), slice_.data(), want);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throwIo("file", file_path_, errno);
  if (n == 0) {
    // The header already promised the size stat reported; the daemon would get a corrupt
    // tar if we padded it, so fail the build instead.
    throw Error(ErrorKind::Io, "\"" + file_path_ + "\" shrank while the build context was sent",
                "retry once the files stop changing");
  }
  la_ssize_t written = archive_write_data(archive_, slice_.data(), static_cast<size_t>(n));
  if (written < 0) check(static_cast<int>(written));
  file_remaining_ -= static_cast<uint64_t>(n);
  if (file_remaining_ == 0) {
    file_.reset();
    check(archive_write_finish_entry(archive_));
  }
}

}  // namespace stack::runtime::context
