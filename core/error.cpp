#include "core/error.hpp"

#include <utility>

namespace stack {

std::string SourceLocation::position() const {
  if (file.empty()) return {};
  if (line <= 0) return file;
  std::string out = file + ":" + std::to_string(line);
  if (column > 0) out += ":" + std::to_string(column);
  return out;
}

Error::Error(ErrorKind kind, std::string message, std::string hint)
    : kind_(kind), message_(std::move(message)), hint_(std::move(hint)) {
  render();
}

Error& Error::addContext(std::string frame) {
  context_.insert(context_.begin(), std::move(frame));
  render();
  return *this;
}

Error& Error::setLocation(SourceLocation location) {
  location_ = std::move(location);
  render();
  return *this;
}

Error& Error::setHint(std::string hint) {
  hint_ = std::move(hint);
  return *this;
}

const char* Error::what() const noexcept {
  return rendered_.c_str();
}

std::string Error::describe() const {
  if (hint_.empty()) return rendered_;
  return rendered_ + "\n" + hint_;
}

void Error::render() {
  std::string out;
  auto append = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += ": ";
    out += part;
  };
  append(location_.position());
  append(location_.key_path);
  for (const auto& frame : context_) append(frame);
  append(message_);
  rendered_ = std::move(out);
}

Error configError(SourceLocation location, std::string message, std::string hint) {
  Error error(ErrorKind::Config, std::move(message), std::move(hint));
  error.setLocation(std::move(location));
  return error;
}

const char* errorKindName(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Usage:
      return "usage";
    case ErrorKind::Config:
      return "config";
    case ErrorKind::ConfigMissing:
      return "config-missing";
    case ErrorKind::NotFound:
      return "not-found";
    case ErrorKind::Conflict:
      return "conflict";
    case ErrorKind::EngineUnavailable:
      return "engine-unavailable";
    case ErrorKind::Engine:
      return "engine";
    case ErrorKind::Build:
      return "build";
    case ErrorKind::Pull:
      return "pull";
    case ErrorKind::Dependency:
      return "dependency";
    case ErrorKind::Timeout:
      return "timeout";
    case ErrorKind::Cancelled:
      return "cancelled";
    case ErrorKind::Io:
      return "io";
    case ErrorKind::Internal:
      return "internal";
  }
  return "unknown";
}

}  // namespace stack
