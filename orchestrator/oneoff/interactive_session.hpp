#pragma once

// One interactive session over a hijacked engine stream (an exec's, or a container's
// attach): the process's output goes to the ProcessIo, local input goes to the process's
// stdin and its end is passed on as a half-close (EOF), the remote TTY keeps the local
// terminal's size, and user interrupts are handled. This is what `exec` and `run` share.

#include <boost/asio/awaitable.hpp>
#include <functional>

#include "orchestrator/oneoff/process_io.hpp"
#include "runtime/stream.hpp"

namespace stack::orchestrator::oneoff {

struct SessionOptions {
  bool tty = false;    // the process has a pseudo-TTY
  bool input = false;  // forward io.read() to the process's stdin
  // Sets the remote TTY's size (the engine's exec or container resize). Used with `tty`:
  // once at the start (retried briefly: the engine refuses until the process runs), then
  // at every change of the local terminal's size. Failures are logged, never fatal.
  std::function<boost::asio::awaitable<void>(TerminalSize)> resize;
  // Completes at the next user interrupt (SIGINT, SIGTERM). Unset: never.
  std::function<boost::asio::awaitable<void>()> interrupted;
  // Run at the first interrupt while the output keeps flowing (`run` stops its container
  // here; a further interrupt inside it may escalate). After it returns, the session goes
  // on until the output ends or one more interrupt arrives. Unset: the first interrupt
  // ends the session at once.
  std::function<boost::asio::awaitable<void>()> on_interrupt;
};

struct SessionEnd {
  bool interrupted = false;  // an interrupt arrived during the session
};

// Runs the session until the output ends (the process exited or closed its output) or
// an interrupt ends it. io.begin() and io.end() bracket it on every path, errors and
// cancellation included. Throws what forwarding the output throws (an Io error from the
// local side, an engine error); failing to forward input is not an error, because a
// process may close its stdin or exit before reading it all.
boost::asio::awaitable<SessionEnd> runInteractiveSession(runtime::AttachedStream& stream,
                                                         ProcessIo& io,
                                                         const SessionOptions& options);

// The forwarding part alone: returns when the output ends; input forwarding (with `input`)
// stops then.
boost::asio::awaitable<void> forwardStreams(runtime::AttachedStream& stream, ProcessIo& io,
                                            bool input);

}  // namespace stack::orchestrator::oneoff
