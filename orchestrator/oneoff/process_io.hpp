#pragma once

// The local end of an interactive process (`stack exec`, `stack run`): where the
// process's output goes, where its input comes from, and the terminal they may share.
// The CLI implements it over stdin/stdout/stderr and the controlling terminal; tests
// implement it in memory. Everything is called on the io_context's thread.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/stream.hpp"

namespace stack::orchestrator::oneoff {

struct TerminalSize {
  int rows = 0;
  int columns = 0;
  bool operator==(const TerminalSize&) const = default;
};

class ProcessIo {
 public:
  virtual ~ProcessIo() = default;

  // The session begins: called once, right before output can arrive. With `tty` the
  // process has a pseudo-TTY, so a local terminal goes into raw mode and every key (Ctrl-C
  // included) reaches the process. Each begin() is followed by end() on every path.
  virtual void begin(bool tty) = 0;
  // Undoes begin(): the local terminal is as it was.
  virtual void end() = 0;

  // The next bytes of input, or std::nullopt at its end. Cancelling the awaiting coroutine
  // throws Cancelled; input already read and not yet returned is kept for the next call.
  virtual boost::asio::awaitable<std::optional<std::string>> read() = 0;
  // Output of the process. Throws kind Io when nothing can take it any more (a closed
  // pipe); the session then ends.
  virtual void write(runtime::OutputKind kind, std::string_view data) = 0;

  // The local terminal's size, or std::nullopt without a terminal.
  virtual std::optional<TerminalSize> terminalSize() = 0;
  // Completes at the next change of the local terminal's size; never without a terminal.
  virtual boost::asio::awaitable<void> resized() = 0;
};

}  // namespace stack::orchestrator::oneoff
