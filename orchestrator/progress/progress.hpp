#pragma once

// Progress for people and for programs, separate from logging. The orchestrator reports
// what it does to resources ("Container demo-web-1  Started") through a ProgressSink; the
// CLI renders events as live TTY lines, plain lines or JSON lines, and library users get
// the same events as values.

#include <cstdint>
#include <string>

namespace stack::orchestrator::progress {

enum class ProgressState { Working, Done, Warning, Error };

// What `current` and `total` count: build steps ("step 3/7") or bytes of a pull or push.
enum class ProgressUnit { None, Steps, Bytes };

struct ProgressEvent {
  std::string resource;  // "Container", "Network", "Volume", "Image", "Service"
  std::string name;      // engine name, or service name
  std::string status;    // "Creating", "Created", "Starting", "Started", "Healthy", ...
  ProgressState state = ProgressState::Working;
  std::string detail;   // an error message, or extra text
  int64_t current = 0;  // bytes or steps done, for pull and build
  int64_t total = 0;
  ProgressUnit unit = ProgressUnit::None;
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void emit(const ProgressEvent& event) = 0;
  // A warning that belongs to no resource ("Found orphan containers ...").
  virtual void warn(const std::string& message) = 0;
  // A plain message for people ("Gracefully stopping...").
  virtual void info(const std::string& message) { (void)message; }
};

// Discards everything; for callers that want no progress.
class NullProgress final : public ProgressSink {
 public:
  void emit(const ProgressEvent&) override {}
  void warn(const std::string&) override {}
};

}  // namespace stack::orchestrator::progress
