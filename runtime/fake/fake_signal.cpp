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

Awaitable<void> throwIfCancelled() {
  auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none)
    throw Error(ErrorKind::Cancelled, "the operation was cancelled");
}

Awaitable<void> Signal::wait() {
  co_await throwIfCancelled();
  try {
    // The only completion is operation_aborted: from notify() or from cancellation.
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  } catch (const boost::system::system_error&) {
    // Asio throws instead of initiating when the coroutine was already cancelled.
    throw Error(ErrorKind::Cancelled, "the operation was cancelled");
  }
  co_await throwIfCancelled();
}

}  // namespace stack::runtime::fake
