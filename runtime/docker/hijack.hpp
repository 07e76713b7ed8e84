#pragma once

// A hijacked engine connection, for attach and exec start: the HTTP request asks for
// `Upgrade: tcp`, the engine answers `101 UPGRADED`, and from then on the same socket
// carries the container's raw stream in both directions (stdin in, output out).
//
// libcurl cannot hand back an upgraded socket for writing, so this one exchange uses
// Boost.Beast over an Asio socket (unix, or plain tcp). Every other call goes through
// libcurl (http_client.hpp).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/docker/endpoint.hpp"

namespace stack::runtime::docker {

class HijackedConnection {
 public:
  // Connects, sends `method target` with a JSON `body`, and returns once the engine has
  // switched protocols. An error status throws the engine's error (see engineError);
  // `what` names the operation for messages.
  static boost::asio::awaitable<std::unique_ptr<HijackedConnection>> open(
      boost::asio::any_io_executor executor, const Endpoint& endpoint, std::string method,
      std::string target, std::string body, std::string what);

  ~HijackedConnection();

  // The next bytes from the engine, or std::nullopt at the end of the stream.
  boost::asio::awaitable<std::optional<std::string>> read();
  boost::asio::awaitable<void> write(std::string_view data);
  // Half-closes the connection so the process reads EOF on stdin.
  boost::asio::awaitable<void> closeWrite();
  // Closes the connection; a pending read ends.
  void cancel();

  struct State;

 private:
  explicit HijackedConnection(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace stack::runtime::docker
