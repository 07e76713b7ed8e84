#pragma once

// The local end of `stack exec` and `stack run` (orchestrator/oneoff/process_io.hpp) over
// this process's stdin, stdout and stderr and its terminal.
//
// Standard input is read by a helper thread with blocking reads, never by making the file
// descriptor non-blocking: a terminal's stdin, stdout and stderr usually share one open
// file description, and O_NONBLOCK on it would make our own writes fail, and would stay
// behind for the shell. The thread reads only when asked (so a slow process slows the
// reading down) and is woken and joined on destruction.

#include <termios.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <optional>
#include <string>

#include "orchestrator/oneoff/process_io.hpp"

namespace stack::cli {

bool isTerminal(int fd);

// Raw mode on a terminal, as `docker exec -it` sets it (cfmakeraw: no echo, no line
// editing, no signal keys, no output processing); the old settings come back when the
// object is destroyed.
class RawTerminal {
 public:
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  int fd_;
  bool active_ = false;
  termios saved_{};
};

class TerminalIo final : public orchestrator::oneoff::ProcessIo {
 public:
  // Ignores SIGPIPE for the rest of the process: a closed stdout then fails a write with
  // EPIPE (an Io error that ends the session cleanly) instead of killing stack with the
  // terminal in raw mode or a --rm container left behind.
  explicit TerminalIo(boost::asio::any_io_executor executor);
  ~TerminalIo() override;

  void begin(bool tty) override;
  void end() override;
  boost::asio::awaitable<std::optional<std::string>> read() override;
  void write(runtime::OutputKind kind, std::string_view data) override;
  std::optional<orchestrator::oneoff::TerminalSize> terminalSize() override;
  boost::asio::awaitable<void> resized() override;

 private:
  class StdinReader;

  boost::asio::any_io_executor executor_;
  std::unique_ptr<StdinReader> reader_;  // started by the first read()
  std::optional<RawTerminal> raw_;
  std::optional<boost::asio::signal_set> window_changes_;  // SIGWINCH, once asked for
};

}  // namespace stack::cli
