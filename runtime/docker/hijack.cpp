#include "runtime/docker/hijack.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "core/error.hpp"
#include "runtime/docker/docker_engine.hpp"

namespace stack::runtime::docker {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using Socket = asio::generic::stream_protocol::socket;

struct HijackedConnection::State {
  explicit State(asio::any_io_executor executor) : socket(std::move(executor)) {}
  Socket socket;
  boost::beast::flat_buffer buffer;  // bytes read past the response headers
};

namespace {

[[noreturn]] void throwUnavailable(const Endpoint& endpoint, const boost::system::error_code& ec) {
  throw Error(ErrorKind::EngineUnavailable,
              "cannot connect to the Docker engine at " + endpoint.host + ": " + ec.message(),
              engineUnavailableHint(endpoint));
}

asio::awaitable<void> connect(Socket& socket, const Endpoint& endpoint) {
  if (endpoint.isUnix()) {
    asio::local::stream_protocol::endpoint unix_endpoint(endpoint.socket_path);
    socket.open(asio::generic::stream_protocol(AF_UNIX, 0));
    auto [ec] = co_await socket.async_connect(unix_endpoint, asio::as_tuple(asio::use_awaitable));
    if (ec) throwUnavailable(endpoint, ec);
    co_return;
  }
  if (endpoint.tls) {
    throw Error(ErrorKind::Engine, "attach and exec over a TLS engine connection are not supported",
                "reach the engine through a unix socket (ssh -L) for attach and exec");
  }
  // base_url is "http://host:port".
  const std::string authority = endpoint.base_url.substr(endpoint.base_url.find("//") + 2);
  const auto colon = authority.rfind(':');
  asio::ip::tcp::resolver resolver(socket.get_executor());
  auto [resolve_ec, results] = co_await resolver.async_resolve(
      authority.substr(0, colon), authority.substr(colon + 1), asio::as_tuple(asio::use_awaitable));
  if (resolve_ec) throwUnavailable(endpoint, resolve_ec);
  boost::system::error_code ec = asio::error::host_not_found;
  for (const auto& entry : results) {
    socket.close();
    socket.open(asio::generic::stream_protocol(entry.endpoint().protocol().family(), IPPROTO_TCP));
    std::tie(ec) =
        co_await socket.async_connect(entry.endpoint(), asio::as_tuple(asio::use_awaitable));
    if (!ec) break;
  }
  if (ec) throwUnavailable(endpoint, ec);
}

}  // namespace

HijackedConnection::HijackedConnection(std::unique_ptr<State> state) : state_(std::move(state)) {}
HijackedConnection::~HijackedConnection() = default;

asio::awaitable<std::unique_ptr<HijackedConnection>> HijackedConnection::open(
    asio::any_io_executor executor, const Endpoint& endpoint, std::string method,
    std::string target, std::string body, std::string what) {
  auto state = std::make_unique<State>(executor);
  co_await connect(state->socket, endpoint);

  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, "localhost");
  request.set(http::field::connection, "Upgrade");
  request.set(http::field::upgrade, "tcp");
  request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  auto [write_ec, written] =
      co_await http::async_write(state->socket, request, asio::as_tuple(asio::use_awaitable));
  if (write_ec) throwUnavailable(endpoint, write_ec);

  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  auto [read_ec, read] = co_await http::async_read_header(state->socket, state->buffer, parser,
                                                          asio::as_tuple(asio::use_awaitable));
  if (read_ec) {
    throw Error(ErrorKind::Engine,
                "the engine closed the connection during " + what + ": " + read_ec.message());
  }
  const unsigned status = parser.get().result_int();
  if (status == 101 || status == 200) {
    (void)written;
    (void)read;
    co_return std::unique_ptr<HijackedConnection>(new HijackedConnection(std::move(state)));
  }
  // An error answer is an ordinary response with a JSON body.
  auto [body_ec, body_read] = co_await http::async_read(state->socket, state->buffer, parser,
                                                        asio::as_tuple(asio::use_awaitable));
  (void)body_ec;
  (void)body_read;
  throw engineError(status, parser.get().body(), what);
}

asio::awaitable<std::optional<std::string>> HijackedConnection::read() {
  if (state_->buffer.size() > 0) {
    // Output that arrived together with the response headers.
    auto data = state_->buffer.data();
    std::string out(static_cast<const char*>(data.data()), data.size());
    state_->buffer.consume(data.size());
    co_return out;
  }
  if (!state_->socket.is_open()) co_return std::nullopt;
  std::string chunk(64 * 1024, '\0');
  auto [ec, n] = co_await state_->socket.async_read_some(asio::buffer(chunk),
                                                         asio::as_tuple(asio::use_awaitable));
  if (ec == asio::error::eof || ec == asio::error::operation_aborted ||
      ec == asio::error::bad_descriptor || (ec && n == 0 && !state_->socket.is_open())) {
    co_return std::nullopt;
  }
  if (ec) throw Error(ErrorKind::Engine, "reading from the engine failed: " + ec.message());
  chunk.resize(n);
  co_return chunk;
}

asio::awaitable<void> HijackedConnection::write(std::string_view data) {
  auto [ec, n] = co_await asio::async_write(state_->socket, asio::buffer(data.data(), data.size()),
                                            asio::as_tuple(asio::use_awaitable));
  (void)n;
  if (ec)
    throw Error(ErrorKind::Engine, "writing to the container's stdin failed: " + ec.message());
}

asio::awaitable<void> HijackedConnection::closeWrite() {
  boost::system::error_code ignored;
  state_->socket.shutdown(Socket::shutdown_send, ignored);
  co_return;
}

void HijackedConnection::cancel() {
  boost::system::error_code ignored;
  state_->socket.close(ignored);
}

}  // namespace stack::runtime::docker
