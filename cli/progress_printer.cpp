#include "cli/progress_printer.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace stack::cli {
namespace {

using orchestrator::ProgressEvent;
using orchestrator::ProgressState;

const char* stateName(ProgressState state) {
  switch (state) {
    case ProgressState::Working: return "working";
    case ProgressState::Done: return "done";
    case ProgressState::Warning: return "warning";
    case ProgressState::Error: return "error";
  }
  return "working";
}

class PlainPrinter final : public orchestrator::ProgressSink {
 public:
  void emit(const ProgressEvent& event) override {
    std::string line = " " + event.resource + " " + event.name + "  " + event.status;
    if (!event.detail.empty()) line += ": " + event.detail;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  void warn(const std::string& message) override {
    std::fprintf(stderr, "WARN[0000] %s\n", message.c_str());
  }
  void info(const std::string& message) override { std::fprintf(stderr, "%s\n", message.c_str()); }
};

class QuietPrinter final : public orchestrator::ProgressSink {
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

class JsonPrinter final : public orchestrator::ProgressSink {
 public:
  void emit(const ProgressEvent& event) override {
    nlohmann::json line = {{"resource", event.resource}, {"name", event.name},
                           {"status", event.status}, {"state", stateName(event.state)}};
    if (!event.detail.empty()) line["detail"] = event.detail;
    if (event.total > 0) {
      line["current"] = event.current;
      line["total"] = event.total;
    }
    std::fprintf(stderr, "%s\n", line.dump().c_str());
  }
  void warn(const std::string& message) override {
    std::fprintf(stderr, "%s\n", nlohmann::json{{"level", "warning"}, {"message", message}}.dump().c_str());
  }
  void info(const std::string& message) override {
    std::fprintf(stderr, "%s\n", nlohmann::json{{"level", "info"}, {"message", message}}.dump().c_str());
  }
};

// A live block: one line per resource, redrawn in place as its status changes.
class TtyPrinter final : public orchestrator::ProgressSink {
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
      std::string text = line.key + "  " + line.event.status;
      if (!line.event.detail.empty() && line.event.state != ProgressState::Done) {
        text += ": " + line.event.detail;
      }
      std::fprintf(stderr, " %s%s%s %s %.1fs\n", color_ ? paint : "", mark, color_ ? "\x1b[0m" : "",
                   text.c_str(), seconds);
    }
    drawn_ = lines_.size() + 1;
    std::fflush(stderr);
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

std::unique_ptr<orchestrator::ProgressSink> makeProgressPrinter(ProgressMode mode, bool color) {
  if (mode == ProgressMode::Auto) mode = ::isatty(STDERR_FILENO) ? ProgressMode::Tty : ProgressMode::Plain;
  switch (mode) {
    case ProgressMode::Tty: return std::make_unique<TtyPrinter>(color);
    case ProgressMode::Quiet: return std::make_unique<QuietPrinter>();
    case ProgressMode::Json: return std::make_unique<JsonPrinter>();
    default: return std::make_unique<PlainPrinter>();
  }
}

}  // namespace stack::cli
