#include "cli/log_printer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "orchestrator/compose/labels.hpp"

namespace stack::cli {
namespace {

// The order docker compose hands out colours in.
constexpr const char* kPalette[] = {"\x1b[36m", "\x1b[33m", "\x1b[32m", "\x1b[35m", "\x1b[34m",
                                    "\x1b[96m", "\x1b[93m", "\x1b[92m", "\x1b[95m", "\x1b[94m"};
constexpr const char* kReset = "\x1b[0m";

std::string localTime() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char text[64];
  const size_t n = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof(text) - n, ".%06lld", static_cast<long long>(micros));
  return text;
}

}  // namespace

std::string LogPrinter::label(const orchestrator::logs::LogSource& source) const {
  const std::string canonical =
      orchestrator::compose::labels::containerName(options_.project, source.service, source.number);
  if (source.container == canonical) return source.service + "-" + std::to_string(source.number);
  return source.container;
}

const char* LogPrinter::colorOf(const std::string& service) {
  auto it = colors_.find(service);
  if (it == colors_.end()) {
    const size_t index = colors_.size() % std::size(kPalette);
    it = colors_.emplace(service, kPalette[index]).first;
  }
  return it->second;
}

void LogPrinter::reserve(const orchestrator::logs::LogSource& source) {
  width_ = std::max(width_, label(source).size());
  colorOf(source.service);
}

void LogPrinter::line(const orchestrator::logs::LogLine& line) {
  std::string out;
  if (options_.prefix) {
    reserve(line.source);
    std::string name = label(line.source);
    name.resize(width_, ' ');
    if (options_.color) out += colorOf(line.source.service);
    out += name + "  | ";
    if (options_.color) out += kReset;
  }
  if (options_.timestamps) out += localTime() + " ";
  out += line.text;
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void LogPrinter::flush() {
  std::fflush(stdout);
}

void LogPrinter::notice(const orchestrator::logs::LogSource& source, const std::string& message) {
  std::string out;
  if (options_.color) out += colorOf(source.service);
  out += label(source) + " " + message;
  if (options_.color) out += kReset;
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

}  // namespace stack::cli
