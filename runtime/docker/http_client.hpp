#pragma once

// HTTP/1.1 to the engine through libcurl on the Asio loop (see curl_multi.hpp). Buffered
// requests for short calls; incremental, back-pressured, cancellable body streams for
// logs, events, wait, attach, build and pull.
//
// Lifetime: an HttpClient must outlive every HttpStream it opened.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/docker/curl_multi.hpp"
#include "runtime/docker/endpoint.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime::docker {

template <class T>
using Awaitable = boost::asio::awaitable<T>;

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/v1.41/containers/json?all=1"
  std::string body;    // sent as is; Content-Type defaults to application/json
  std::string content_type;
  std::shared_ptr<runtime::BodySource> upload;  // streamed (chunked) body instead of `body`
  std::vector<std::string> headers;             // extra "Name: value" lines
  std::chrono::milliseconds timeout{0};         // whole transfer; 0 = no limit
  bool upgrade = false;  // ask the engine to hijack the connection (attach, exec start)
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, or "" when absent. `name` in lower case.
  std::string header(const std::string& name) const;
};

class Exchange;

// A response whose body arrives incrementally. At most `high_water` bytes are buffered;
// beyond that the transfer is paused until read() drains it, so a fast producer (a log
// stream) cannot grow our memory.
class HttpStream {
 public:
  explicit HttpStream(std::unique_ptr<Exchange> exchange);
  ~HttpStream();
  HttpStream(const HttpStream&) = delete;
  HttpStream& operator=(const HttpStream&) = delete;

  long status() const;
  const std::map<std::string, std::string>& headers() const;

  // The next chunk of the body, or std::nullopt at its end. Throws stack::Error when the
  // transfer fails, and kind Cancelled when the awaiting coroutine is cancelled.
  Awaitable<std::optional<std::string>> read();
  // The rest of the body (used for error responses).
  Awaitable<std::string> readAll();
  // Stops the transfer; later read() calls return std::nullopt.
  void cancel();

 private:
  std::unique_ptr<Exchange> exchange_;
};

class HttpClient {
 public:
  HttpClient(boost::asio::any_io_executor executor, Endpoint endpoint);
  ~HttpClient();

  const Endpoint& endpoint() const { return endpoint_; }
  boost::asio::any_io_executor executor() const { return multi_.executor(); }

  // Sends a request and buffers the whole response. Throws stack::Error on transport
  // failure (EngineUnavailable when nothing answers, Timeout, Engine); HTTP error
  // statuses are returned, not thrown.
  Awaitable<HttpResponse> send(HttpRequest request);

  // Sends a request and returns once the response headers have arrived.
  Awaitable<std::unique_ptr<HttpStream>> open(HttpRequest request);

 private:
  std::unique_ptr<Exchange> prepare(HttpRequest request, bool streaming);

  Endpoint endpoint_;
  CurlMulti multi_;
};

}  // namespace stack::runtime::docker
