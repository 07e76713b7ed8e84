#pragma once

// A ProcessIo in memory for the one-off tests (exec, run, attach): scripted input,
// collected output, counted begin/end.

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include "orchestrator/oneoff/process_io.hpp"

namespace stack::test {

using namespace std::chrono_literals;

inline runtime::Awaitable<void> sleepFor(std::chrono::milliseconds duration) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

// The local end in memory: scripted input, collected output.
class MemoryIo final : public orchestrator::oneoff::ProcessIo {
 public:
  void begin(bool tty) override {
    ++begins;
    began_tty = tty;
  }
  void end() override { ++ends; }
  runtime::Awaitable<std::optional<std::string>> read() override {
    while (input.empty() && keep_open) co_await sleepFor(5ms);
    if (input.empty()) co_return std::nullopt;
    std::string data = std::move(input.front());
    input.pop_front();
    co_return data;
  }
  void write(runtime::OutputKind kind, std::string_view data) override {
    (kind == runtime::OutputKind::Stdout ? out : err).append(data);
  }
  std::optional<orchestrator::oneoff::TerminalSize> terminalSize() override { return size; }
  runtime::Awaitable<void> resized() override { co_await sleepFor(24h); }

  std::deque<std::string> input;
  bool keep_open = false;  // no end of input: read() waits
  std::optional<orchestrator::oneoff::TerminalSize> size;
  std::string out;
  std::string err;
  int begins = 0;
  int ends = 0;
  bool began_tty = false;
};

}  // namespace stack::test
