#include "cli/progress_printer.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "orchestrator/progress/progress_json.hpp"

namespace stack::cli {
namespace {

using orchestrator::progress::ProgressEvent;
using orchestrator::progress::ProgressState;
using orchestrator::progress::ProgressUnit;

// 12345678 -> "12.3MB", as docker's HumanSize (decimal units) prints sizes.
std::string humanSize(int64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(units)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f%s" : "%.1f%s", value, units[unit]);
  return text;
}

// "Building step 3/7", "Pulling 12.3MB/45.6MB", or the bare status.
std::string statusWithCounts(const ProgressEvent& event) {
  std::string text = event.status;
  if (event.total <= 0 || event.state != ProgressState::Working) return text;
  if (event.unit == ProgressUnit::Steps) {
    text += " step " + std::to_string(event.current) + "/" + std::to_string(event.total);
  } else if (event.unit == ProgressUnit::Bytes) {
    text += " " + humanSize(event.current) + "/" + humanSize(event.total);
  }
  return text;
}

class PlainPrinter final : public orchestrator::progress::ProgressSink {
 public:
  void emit(const ProgressEvent& event) override {
    // Byte counts change many times a second: in a log, one line a second is plenty.
    const std::string key = event.resource + " " + event.name;
    const auto now = std::chrono::steady_clock::now();
    if (event.unit == ProgressUnit::Bytes && event.state == ProgressState::Working) {
      auto it = last_bytes_line_.find(key);
      if (it != last_bytes_line_.end() && now - it->second < std::chrono::seconds(1)) return;
      last_bytes_line_[key] = now;
    }
    std::string line = " " + key + "  " + statusWithCounts(event);
    if (!event.detail.empty()) line += ": " + event.detail;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  void warn(const std::string& message) override {
    std::fprintf(stderr, "WARN[0000] %s\n", message.c_str());
  }
  void info(const std::string& message) override { std::fprintf(stderr, "%s\n", message.c_str()); }

 private:
  std::map<std::string, std::chrono::steady_clock::time_point> last_bytes_line_;
};

class QuietPrinter final : public orchestrator::progress::ProgressSink {
 public:
  void emit(const ProgressEvent& event) override {
    if (event.state == ProgressState::Error) {
      std::fprintf(stderr, "%s %s: %s\n", event.resource.c_str(), event.name.c_str(),
                   event.detail.c_str());
    }
  }
  void warn(const std::string&) override {}
  void info(const std::string& message) override { std::fprintf(stderr, "%s\n", message.c_str()); }
};

// One JSON object per line; "time" (seconds since the epoch, microseconds) lets programs
// measure, e.g. from a service's readiness to its dependent's "Starting".
class JsonPrinter final : public orchestrator::progress::ProgressSink {
 public:
  void emit(const ProgressEvent& event) override { print(orchestrator::progress::toJson(event)); }
  void warn(const std::string& message) override {
    print({{"level", "warning"}, {"message", message}});
  }
  void info(const std::string& message) override {
    print({{"level", "info"}, {"message", message}});
  }

 private:
  static void print(nlohmann::json line) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    line["time"] = static_cast<double>(micros) / 1e6;
    std::fprintf(stderr, "%s\n", line.dump().c_str());
  }
};

// A live block: one line per resource, redrawn in place as its status changes.
class TtyPrinter final : public orchestrator::progress::ProgressSink {
 public:
  explicit TtyPrinter(bool color) : color_(color) {}
  ~TtyPrinter() override { redraw(); }

  void emit(const ProgressEvent& event) override {
    const std::string key = event.resource + " " + event.name;
    auto it = index_.find(key);
    if (it == index_.end()) {
      it = index_.emplace(key, lines_.size()).first;
      lines_.push_back({key, {}, std::chrono::steady_clock::now(), {}});
    }
    Line& line = lines_[it->second];
    line.event = event;
    if (event.state != ProgressState::Working) line.finished = std::chrono::steady_clock::now();
    redraw();
  }

  void warn(const std::string& message) override {
    clearBlock();
    std::fprintf(stderr, "WARN[0000] %s\n", message.c_str());
    drawn_ = 0;
    redraw();
  }

  void info(const std::string& message) override {
    clearBlock();
    std::fprintf(stderr, "%s\n", message.c_str());
    drawn_ = 0;
    redraw();
  }

 private:
  struct Line {
    std::string key;
    ProgressEvent event;
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point finished;
  };

  void clearBlock() {
    for (size_t i = 0; i < drawn_; ++i) std::fputs("\x1b[1A\x1b[2K", stderr);
  }

  void redraw() {
    if (lines_.empty()) return;
    clearBlock();
    size_t done = 0;
    for (const auto& line : lines_) done += line.event.state != ProgressState::Working;
    std::fprintf(stderr, "[+] Running %zu/%zu\n", done, lines_.size());
    const auto now = std::chrono::steady_clock::now();
    for (const auto& line : lines_) {
      const auto end = line.event.state == ProgressState::Working ? now : line.finished;
      const double seconds = std::chrono::duration<double>(end - line.started).count();
      const char* mark = "⠿";
      const char* paint = "";
      if (line.event.state == ProgressState::Done) mark = "✔", paint = "\x1b[32m";
      if (line.event.state == ProgressState::Error) mark = "✘", paint = "\x1b[31m";
      if (line.event.state == ProgressState::Warning) mark = "!", paint = "\x1b[33m";
      std::string text = line.key + "  " + statusWithCounts(line.event);
      if (!line.event.detail.empty() && line.event.state != ProgressState::Done) {
        text += ": " + line.event.detail;
      }
      // A line that wraps would break the cursor arithmetic of the redraw.
      if (size_t room = width() > 16 ? width() - 16 : 64; text.size() > room) {
        while (room > 0 && (static_cast<unsigned char>(text[room]) & 0xC0) == 0x80) --room;
        text.resize(room);
      }
      std::fprintf(stderr, " %s%s%s %s %.1fs\n", color_ ? paint : "", mark, color_ ? "\x1b[0m" : "",
                   text.c_str(), seconds);
    }
    drawn_ = lines_.size() + 1;
    std::fflush(stderr);
  }

  static size_t width() {
    struct winsize size {};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
  }

  bool color_;
  std::vector<Line> lines_;
  std::map<std::string, size_t> index_;
  size_t drawn_ = 0;
};

}  // namespace

ProgressMode parseProgressMode(const std::string& text) {
  if (text.empty() || text == "auto") return ProgressMode::Auto;
  if (text == "tty") return ProgressMode::Tty;
  if (text == "plain") return ProgressMode::Plain;
  if (text == "quiet") return ProgressMode::Quiet;
  if (text == "json") return ProgressMode::Json;
  throw Error(ErrorKind::Usage, "unsupported progress mode \"" + text + "\"",
              "use one of auto, tty, plain, quiet, json");
}

std::unique_ptr<orchestrator::progress::ProgressSink> makeProgressPrinter(ProgressMode mode,
                                                                          bool color) {
  if (mode == ProgressMode::Auto)
    mode = ::isatty(STDERR_FILENO) ? ProgressMode::Tty : ProgressMode::Plain;
  switch (mode) {
    case ProgressMode::Tty:
      return std::make_unique<TtyPrinter>(color);
    case ProgressMode::Quiet:
      return std::make_unique<QuietPrinter>();
    case ProgressMode::Json:
      return std::make_unique<JsonPrinter>();
    default:
      return std::make_unique<PlainPrinter>();
  }
}

}  // namespace stack::cli
