#include "core/task_group.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/async.hpp"
#include "core/error.hpp"

namespace stack {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

struct TaskGroup::State {
  explicit State(const asio::any_io_executor& executor)
      : executor(executor), done(executor), stop(executor, asio::steady_timer::time_point::max()) {}
  asio::any_io_executor executor;
  Signal done;
  asio::steady_timer stop;  // cancelled to stop every child
  size_t running = 0;
  bool stopped = false;  // after cancel(), new children are not started
  std::exception_ptr first_failure;
};

TaskGroup::TaskGroup(const asio::any_io_executor& executor)
    : state_(std::make_shared<State>(executor)) {}

TaskGroup::~TaskGroup() {
  cancel();
}

void TaskGroup::spawn(asio::awaitable<void> task,
                      std::function<void(std::exception_ptr)> on_failure) {
  auto state = state_;
  if (state->stopped) return;
  ++state->running;
  auto guarded = [](std::shared_ptr<State> state,
                    asio::awaitable<void> task) -> asio::awaitable<void> {
    auto outcome = co_await (capture(std::move(task)) ||
                             state->stop.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (outcome.index() == 1) throw Error(ErrorKind::Cancelled, "cancelled");
    unwrap(std::get<0>(std::move(outcome)));
  };
  asio::co_spawn(state->executor, guarded(state, std::move(task)),
                 [state, on_failure = std::move(on_failure)](std::exception_ptr failure) {
                   --state->running;
                   if (failure) {
                     if (on_failure) {
                       on_failure(failure);
                     } else if (!state->first_failure) {
                       state->first_failure = failure;
                     }
                   }
                   state->done.notify();
                 });
}

asio::awaitable<void> TaskGroup::wait() {
  auto state = state_;
  co_await asio::this_coro::throw_if_cancelled(false);
  bool cancelled = false;
  while (state->running > 0) {
    co_await state->done.waitEvenIfCancelled();
    auto cancellation = co_await asio::this_coro::cancellation_state;
    if (!cancelled && cancellation.cancelled() != asio::cancellation_type::none) {
      cancelled = true;
      cancel();
      co_await asio::this_coro::reset_cancellation_state();
    }
  }
  if (cancelled) throw Error(ErrorKind::Cancelled, "interrupted");
  if (auto failure = std::exchange(state->first_failure, nullptr)) std::rethrow_exception(failure);
}

void TaskGroup::cancel() {
  state_->stopped = true;
  state_->stop.cancel();
}

size_t TaskGroup::running() const {
  return state_->running;
}

}  // namespace stack
