#include "orchestrator/oneoff/interactive_session.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "core/async.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace stack::orchestrator::oneoff {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
using runtime::AttachedStream;

namespace {

// Suspends until cancelled: the side of a race that must never win by itself.
asio::awaitable<void> never() {
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           asio::steady_timer::time_point::max());
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<void> sleepFor(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

bool cancelled(const Error& error) {
  return error.kind() == ErrorKind::Cancelled;
}

// Calls io.end() however the session's frame is left.
class SessionScope {
 public:
  SessionScope(ProcessIo& io, bool tty) : io_(io) { io_.begin(tty); }
  ~SessionScope() { io_.end(); }
  SessionScope(const SessionScope&) = delete;
  SessionScope& operator=(const SessionScope&) = delete;

 private:
  ProcessIo& io_;
};

asio::awaitable<void> pumpOutput(AttachedStream& stream, ProcessIo& io) {
  for (;;) {
    std::optional<runtime::OutputChunk> chunk = co_await stream.next();
    if (!chunk) co_return;
    io.write(chunk->kind, chunk->data);
  }
}

// Forwards input until its end, then half-closes; never completes by itself, so the
// output alone decides when forwarding is over.
asio::awaitable<void> pumpInput(AttachedStream& stream, ProcessIo& io, bool input) {
  if (input) {
    try {
      for (;;) {
        std::optional<std::string> data = co_await io.read();
        if (!data) break;
        co_await stream.write(*data);
      }
      co_await stream.closeWrite();
    } catch (const Error& error) {
      if (cancelled(error)) throw;
      // The process closed its stdin or exited: what it printed still matters.
      log::get("oneoff")->debug("stdin forwarding ended: {}", error.what());
    }
  }
  co_await never();
}

// Tries a resize a few times: the engine refuses it until the process has started.
asio::awaitable<bool> resizeWithRetries(const SessionOptions& options, TerminalSize size) {
  std::chrono::milliseconds delay(10);
  for (int attempt = 1;; ++attempt) {
    try {
      co_await options.resize(size);
      co_return true;
    } catch (const Error& error) {
      if (cancelled(error)) throw;
      if (attempt == 5) {
        log::get("oneoff")->debug("resizing the TTY failed: {}", error.what());
        co_return false;
      }
    }
    co_await sleepFor(delay);
    delay *= 2;
  }
}

asio::awaitable<void> followTerminalSize(ProcessIo& io, const SessionOptions& options) {
  if (!options.tty || !options.resize) co_await never();
  std::optional<TerminalSize> applied;
  for (;;) {
    const std::optional<TerminalSize> size = io.terminalSize();
    if (size && size != applied) {
      const bool done = co_await resizeWithRetries(options, *size);
      if (done) applied = size;
    }
    co_await io.resized();
  }
}

// Completes when the session must end because of interrupts (see SessionOptions).
asio::awaitable<void> handleInterrupts(const SessionOptions& options, SessionEnd& end) {
  if (!options.interrupted) co_await never();
  co_await options.interrupted();
  end.interrupted = true;
  if (!options.on_interrupt) co_return;
  try {
    co_await options.on_interrupt();
  } catch (const Error& error) {
    if (cancelled(error)) throw;
    log::get("oneoff")->warn("{}", error.what());
  }
  co_await options.interrupted();
}

}  // namespace

asio::awaitable<void> forwardStreams(AttachedStream& stream, ProcessIo& io, bool input) {
  auto outcome = co_await (capture(pumpOutput(stream, io)) || pumpInput(stream, io, input));
  unwrap(std::get<0>(std::move(outcome)));
}

asio::awaitable<SessionEnd> runInteractiveSession(AttachedStream& stream, ProcessIo& io,
                                                  const SessionOptions& options) {
  SessionScope scope(io, options.tty);
  SessionEnd end;
  auto control = [&]() -> asio::awaitable<void> {
    co_await (followTerminalSize(io, options) || handleInterrupts(options, end));
  };
  auto outcome = co_await (capture(forwardStreams(stream, io, options.input)) || control());
  if (outcome.index() == 0) unwrap(std::get<0>(std::move(outcome)));
  co_return end;
}

}  // namespace stack::orchestrator::oneoff
