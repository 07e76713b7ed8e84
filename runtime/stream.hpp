#pragma once

// Streams the engine produces (logs, attach, build and pull progress, events) and the
// upload body a build sends. A stream is consumed by one coroutine with `next()`; it ends
// with std::nullopt. Cancelling the awaiting coroutine (for example by racing it against
// a timer) or calling `cancel()` ends the underlying transfer cleanly.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace stack::runtime {

template <class T>
using Awaitable = boost::asio::awaitable<T>;

template <class T>
class Stream {
 public:
  virtual ~Stream() = default;
  // The next item, or std::nullopt at the end of the stream. Throws stack::Error when
  // the transfer fails or the engine reports an error in-band.
  virtual Awaitable<std::optional<T>> next() = 0;
  // Ends the stream; a pending or later next() returns std::nullopt. Idempotent.
  virtual void cancel() = 0;
};

// Container output. Multiplexed streams (Tty=false) tell stdout from stderr; raw TTY
// streams deliver everything as Stdout.
enum class OutputKind { Stdout, Stderr };

struct OutputChunk {
  OutputKind kind = OutputKind::Stdout;
  std::string data;
};

// One line of a build, pull or push JSON progress stream.
struct ProgressMessage {
  std::string id;        // layer or stage id, when present
  std::string status;    // "Downloading", "Pull complete", ...
  std::string progress;  // the engine's progress bar text
  int64_t current = 0;   // progressDetail.current
  int64_t total = 0;     // progressDetail.total
  std::string stream;    // build output text ("Step 1/4 : FROM ...\n")
  std::string aux_id;    // aux.ID of a finished build stage (the last one is the image)
  std::string error;     // errorDetail.message or error; non-empty means the step failed
  nlohmann::json raw;    // the whole line, for JSON progress output
};

// One engine event from GET /events.
struct EngineEvent {
  std::string type;    // container, network, volume, image, ...
  std::string action;  // create, start, die, health_status: healthy, ...
  std::string actor_id;
  std::map<std::string, std::string> attributes;  // name, image, labels, exitCode, ...
  int64_t time = 0;                               // seconds since the epoch
  int64_t time_nano = 0;  // nanoseconds since the epoch; resume from here on reconnect
  std::string scope;
};

// "seconds.nanoseconds", the form the engine's `since` and `until` take for exact times.
inline std::string unixTimeText(int64_t time_nano) {
  char text[40];
  std::snprintf(text, sizeof(text), "%lld.%09lld", static_cast<long long>(time_nano / 1000000000),
                static_cast<long long>(time_nano % 1000000000));
  return text;
}

using OutputStream = Stream<OutputChunk>;
using ProgressStream = Stream<ProgressMessage>;
using EventStream = Stream<EngineEvent>;

// A hijacked attach or exec connection: output as an OutputStream, plus stdin.
class AttachedStream : public OutputStream {
 public:
  // Sends bytes to the container's stdin. Throws if stdin was not attached.
  virtual Awaitable<void> write(std::string_view data) = 0;
  // Half-closes stdin, so the process sees EOF.
  virtual Awaitable<void> closeWrite() = 0;
};

// A request body produced on demand, e.g. a build context tar. read() is called on the
// event loop and must not block for long; it returns 0 at the end. It may throw
// stack::Error, which fails the request.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual size_t read(char* buffer, size_t capacity) = 0;
};

}  // namespace stack::runtime
