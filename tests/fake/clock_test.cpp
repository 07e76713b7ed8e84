#include <boost/asio/experimental/awaitable_operators.hpp>

#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

TEST_CASE("manual clock: callbacks run in deadline order and only when time is advanced") {
  Fixture f(manualClock());
  FakeClock& clock = f.engine.clock();
  const Timestamp start = clock.now();
  std::vector<std::string> fired;
  clock.schedule(3s, [&] { fired.push_back("c"); });
  clock.schedule(1s, [&] { fired.push_back("a"); });
  clock.schedule(2s, [&] { fired.push_back("b"); });
  f.run([&]() -> Awaitable<void> {
    co_await clock.settle();
    CHECK(fired.empty());
    co_await clock.advance(2s);
    CHECK(fired == std::vector<std::string>{"a", "b"});
    CHECK(clock.now() == start + 2s);
    co_await clock.advance(5s);
    CHECK(fired == std::vector<std::string>{"a", "b", "c"});
    CHECK(clock.now() == start + 7s);
  });
}

TEST_CASE("manual clock: a zero delay never runs inline but runs without advancing") {
  Fixture f(manualClock());
  FakeClock& clock = f.engine.clock();
  bool fired = false;
  clock.schedule(0s, [&] { fired = true; });
  CHECK_FALSE(fired);
  f.run([&]() -> Awaitable<void> { co_await clock.settle(); });
  CHECK(fired);
}

TEST_CASE("manual clock: sleep resumes when time passes its deadline") {
  Fixture f(manualClock());
  FakeClock& clock = f.engine.clock();
  f.run([&]() -> Awaitable<void> {
    bool woke = false;
    auto sleeper = [&]() -> Awaitable<void> {
      co_await clock.sleep(10s);
      woke = true;
    };
    auto driver = [&]() -> Awaitable<void> {
      co_await clock.advance(9s);
      CHECK_FALSE(woke);
      co_await clock.advance(1s);
      CHECK(woke);
    };
    co_await (sleeper() && driver());
  });
}

TEST_CASE("scaled clock: model time runs faster than real time") {
  Fixture f;  // speed 1000 by default
  FakeClock& clock = f.engine.clock();
  f.run([&]() -> Awaitable<void> {
    const Timestamp before = clock.now();
    const auto real_before = std::chrono::steady_clock::now();
    co_await clock.sleep(30s);
    CHECK(clock.now() - before >= 30s);
    // 30 s of model time is 30 ms of real time; allow a generous margin for slow hosts.
    CHECK(std::chrono::steady_clock::now() - real_before < 5s);
  });
}

TEST_CASE("sleep losing a race against a real timer is cancelled and leaves nothing behind") {
  Fixture f(manualClock());
  FakeClock& clock = f.engine.clock();
  f.run([&]() -> Awaitable<void> {
    boost::asio::steady_timer timer(f.io, 20ms);
    auto result = co_await (clock.sleep(1h) || timer.async_wait(boost::asio::use_awaitable));
    CHECK(result.index() == 1);
    CHECK(clock.pending() == 0);
  });
}

TEST_CASE("cancel forgets a scheduled callback") {
  Fixture f(manualClock());
  FakeClock& clock = f.engine.clock();
  bool fired = false;
  const auto id = clock.schedule(1s, [&] { fired = true; });
  clock.cancel(id);
  f.run([&]() -> Awaitable<void> { co_await clock.advance(2s); });
  CHECK_FALSE(fired);
}

}  // namespace
}  // namespace stack::runtime::fake::testing
