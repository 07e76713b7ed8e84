#include "probes/probes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace stack::probes {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

const asio::ip::tcp::endpoint loopback(uint16_t port) {
  return {asio::ip::address_v4::loopback(), port};
}

asio::awaitable<ProbeResult> connectAndMaybeGet(uint16_t port, const std::string* path,
                                                int expect_status) {
  asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
  auto [connect_ec] =
      co_await socket.async_connect(loopback(port), asio::as_tuple(asio::use_awaitable));
  if (connect_ec) co_return ProbeResult{false, connect_ec.message()};
  if (!path) co_return ProbeResult{true, "connected"};

  http::request<http::empty_body> request(http::verb::get, *path, 11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::user_agent, "stack-readiness-probe");
  request.set(http::field::connection, "close");
  auto [write_ec, written] =
      co_await http::async_write(socket, request, asio::as_tuple(asio::use_awaitable));
  (void)written;
  if (write_ec) co_return ProbeResult{false, write_ec.message()};
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  auto [read_ec, read] =
      co_await http::async_read_header(socket, buffer, parser, asio::as_tuple(asio::use_awaitable));
  (void)read;
  if (read_ec) co_return ProbeResult{false, read_ec.message()};
  const int status = static_cast<int>(parser.get().result_int());
  const bool ready = expect_status ? status == expect_status : status >= 200 && status < 300;
  co_return ProbeResult{ready, "HTTP " + std::to_string(status)};
}

asio::awaitable<ProbeResult> withTimeout(asio::awaitable<ProbeResult> probe,
                                         std::chrono::milliseconds timeout) {
  asio::steady_timer timer(co_await asio::this_coro::executor, timeout);
  auto outcome =
      co_await (std::move(probe) || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (outcome.index() == 0) co_return std::get<0>(std::move(outcome));
  co_return ProbeResult{false, "timed out after " + std::to_string(timeout.count()) + " ms"};
}

}  // namespace

asio::awaitable<ProbeResult> probeTcp(uint16_t port, std::chrono::milliseconds timeout) {
  return withTimeout(connectAndMaybeGet(port, nullptr, 0), timeout);
}

asio::awaitable<ProbeResult> probeHttp(uint16_t port, std::string path, int expect_status,
                                       std::chrono::milliseconds timeout) {
  // The path lives in this frame while the probe runs.
  auto result = co_await withTimeout(connectAndMaybeGet(port, &path, expect_status), timeout);
  co_return result;
}

}  // namespace stack::probes
