#include "runtime/fake/fake_signal.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include "core/error.hpp"

namespace stack::runtime::fake {

namespace asio = boost::asio;

Signal::Signal(asio::any_io_executor executor)
    : timer_(std::move(executor), asio::steady_timer::time_point::max()) {}

void Signal::notify() {
  timer_.cancel();
}

Error cancelledError() {
  return Error(ErrorKind::Cancelled, "the operation was cancelled");
}

// The cancellation checks read this_coro::cancellation_state directly: after a
// cancellation, Asio throws system_error(operation_aborted) from any co_await of an async
// operation or of a nested awaitable, which would leak past the Engine contract.
Awaitable<void> Signal::wait() {
  auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none) throw cancelledError();
  try {
    // The only completion is operation_aborted: from notify() or from cancellation.
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  } catch (const boost::system::system_error&) {
    throw cancelledError();
  }
  state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none) throw cancelledError();
}

}  // namespace stack::runtime::fake
