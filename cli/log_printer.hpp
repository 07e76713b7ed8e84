#pragma once

// Prints container output as docker compose does: "web-1  | line", one colour per
// service, the prefix padded to the longest name seen so far.

#include <map>
#include <string>

#include "orchestrator/logs/log_sink.hpp"

namespace stack::cli {

struct LogPrinterOptions {
  std::string project;  // to shorten "demo-web-1" to "web-1"
  bool color = true;
  bool prefix = true;
  bool timestamps = false;  // prefix each line with the local time (attach carries none)
};

class LogPrinter final : public orchestrator::logs::LogSink {
 public:
  explicit LogPrinter(LogPrinterOptions options) : options_(std::move(options)) {}

  // Makes room for a name in the prefix column before its first line arrives.
  void reserve(const orchestrator::logs::LogSource& source);
  void line(const orchestrator::logs::LogLine& line) override;
  void notice(const orchestrator::logs::LogSource& source, const std::string& message) override;
  void flush() override;

 private:
  std::string label(const orchestrator::logs::LogSource& source) const;
  const char* colorOf(const std::string& service);

  LogPrinterOptions options_;
  size_t width_ = 0;
  std::map<std::string, const char*> colors_;  // by service
};

}  // namespace stack::cli
