#pragma once

// Container output as lines, for people (the CLI prefixes them "web-1  | ") and for
// library users. Every pump delivers whole lines, so output of concurrent containers
// interleaves by line, never within one.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "runtime/stream.hpp"

namespace stack::orchestrator::logs {

struct LogSource {
  std::string container;  // engine name, "demo-web-1"
  std::string service;
  int number = 0;
};

struct LogLine {
  LogSource source;
  runtime::OutputKind kind = runtime::OutputKind::Stdout;
  std::string text;  // without the line end
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void line(const LogLine& line) = 0;
  // Something happened to a container: "exited with code 0", "restarting".
  virtual void notice(const LogSource& source, const std::string& message) = 0;
  // Called after each batch of lines (one engine chunk), so a sink can write in batches.
  virtual void flush() {}
};

// Reads `stream` to its end, delivering each line to `sink`. A last line without a line
// end is delivered too.
boost::asio::awaitable<void> pumpLines(runtime::OutputStream& stream, const LogSource& source,
                                       LogSink& sink);

}  // namespace stack::orchestrator::logs
