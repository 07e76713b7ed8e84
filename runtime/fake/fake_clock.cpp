#include "runtime/fake/fake_clock.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "runtime/fake/fake_signal.hpp"

namespace stack::runtime::fake {

namespace asio = boost::asio;
using std::chrono::nanoseconds;
using std::chrono::steady_clock;

// Everything the loop's handlers touch lives here, so that a handler that runs after the
// clock was destroyed finds its weak_ptr expired instead of a dangling `this`.
struct FakeClock::State : std::enable_shared_from_this<FakeClock::State> {
  using Key = std::pair<int64_t, uint64_t>;  // deadline, sequence

  State(asio::any_io_executor executor, ClockOptions opts)
      : executor(executor),
        options(opts),
        now(opts.epoch),
        model_base(opts.epoch),
        real_base(steady_clock::now()),
        timer(executor) {}

  asio::any_io_executor executor;
  ClockOptions options;
  Timestamp now;
  Timestamp model_base;
  steady_clock::time_point real_base;
  asio::steady_timer timer;
  std::optional<int64_t> armed_for;  // scaled: the deadline the timer waits for
  bool drain_posted = false;         // a zero-delay drain is queued on the loop
  uint64_t next_sequence = 1;
  std::map<Key, Callback> queue;
  std::unordered_map<TimerId, Key> index;

  Timestamp current() {
    if (options.mode == ClockMode::Scaled) {
      const auto real = steady_clock::now() - real_base;
      const auto model = nanoseconds(static_cast<int64_t>(
          static_cast<double>(std::chrono::duration_cast<nanoseconds>(real).count()) *
          options.speed));
      now = std::max(now, model_base + model);
    }
    return now;
  }

  steady_clock::time_point realTimeFor(int64_t deadline) const {
    const double model = static_cast<double>(deadline - model_base.count());
    const auto real = nanoseconds(static_cast<int64_t>(model / options.speed));
    return real_base + real;
  }

  // Runs the callbacks of the earliest due deadline, then re-arms. One deadline per turn
  // of the loop, so coroutines woken at one instant run before the next instant fires.
  void fireDue(std::optional<int64_t> reached) {
    const int64_t limit = std::max(current().count(), reached.value_or(INT64_MIN));
    if (!queue.empty() && queue.begin()->first.first <= limit) {
      const int64_t deadline = queue.begin()->first.first;
      now = std::max(now, Timestamp(deadline));
      while (!queue.empty() && queue.begin()->first.first == deadline) {
        auto node = queue.extract(queue.begin());
        index.erase(node.key().second);
        node.mapped()();
      }
    }
    arm();
  }

  void arm() {
    if (queue.empty()) return;
    const int64_t deadline = queue.begin()->first.first;
    if (deadline <= current().count() || options.mode == ClockMode::Manual) {
      if (deadline > now.count() || drain_posted) return;
      drain_posted = true;
      asio::post(executor, [weak = weak_from_this()] {
        if (auto self = weak.lock()) {
          self->drain_posted = false;
          self->fireDue(std::nullopt);
        }
      });
      return;
    }
    if (armed_for && *armed_for <= deadline) return;
    armed_for = deadline;
    timer.expires_at(realTimeFor(deadline));
    timer.async_wait([weak = weak_from_this(), deadline](boost::system::error_code ec) {
      if (ec) return;  // re-armed for an earlier deadline, or the clock is gone
      if (auto self = weak.lock()) {
        self->armed_for.reset();
        self->fireDue(deadline);
      }
    });
  }
};

FakeClock::FakeClock(asio::any_io_executor executor, ClockOptions options)
    : executor_(executor), options_(options), state_(std::make_shared<State>(executor, options)) {
  if (options_.speed <= 0) options_.speed = state_->options.speed = 1000.0;
}

FakeClock::~FakeClock() {
  state_->queue.clear();
  state_->timer.cancel();
}

Timestamp FakeClock::now() {
  return state_->current();
}

FakeClock::TimerId FakeClock::schedule(nanoseconds delay, Callback callback) {
  return scheduleAt(now() + std::max(delay, nanoseconds(0)), std::move(callback));
}

FakeClock::TimerId FakeClock::scheduleAt(Timestamp deadline, Callback callback) {
  const TimerId id = state_->next_sequence++;
  const State::Key key{deadline.count(), id};
  state_->queue.emplace(key, std::move(callback));
  state_->index.emplace(id, key);
  state_->arm();
  return id;
}

void FakeClock::cancel(TimerId id) {
  const auto it = state_->index.find(id);
  if (it == state_->index.end()) return;
  state_->queue.erase(it->second);
  state_->index.erase(it);
}

size_t FakeClock::pending() const {
  return state_->queue.size();
}

std::optional<Timestamp> FakeClock::nextDeadline() const {
  if (state_->queue.empty()) return {};
  return Timestamp(state_->queue.begin()->first.first);
}

Awaitable<void> FakeClock::sleep(nanoseconds duration) {
  auto signal = std::make_shared<Signal>(executor_);
  auto fired = std::make_shared<bool>(false);
  const TimerId id = schedule(duration, [signal, fired] {
    *fired = true;
    signal->notify();
  });
  try {
    while (!*fired) co_await signal->wait();
  } catch (const boost::system::system_error&) {
    // Asio refuses to start any await in a coroutine that is already cancelled.
    cancel(id);
    throw cancelledError();
  } catch (...) {
    cancel(id);
    throw;
  }
}

Awaitable<void> FakeClock::settle() {
  for (int i = 0; i < options_.settle_rounds; ++i)
    co_await asio::post(executor_, asio::use_awaitable);
}

Awaitable<void> FakeClock::advance(nanoseconds duration) {
  if (options_.mode == ClockMode::Scaled) {
    co_await sleep(duration);
    co_return;
  }
  const Timestamp target = state_->now + std::max(duration, nanoseconds(0));
  co_await settle();
  for (auto next = nextDeadline(); next && *next <= target; next = nextDeadline()) {
    state_->now = std::max(state_->now, *next);
    state_->fireDue(std::nullopt);
    co_await settle();
  }
  state_->now = std::max(state_->now, target);
  co_await settle();
}

}  // namespace stack::runtime::fake
