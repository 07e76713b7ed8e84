#pragma once

// The doctest adapter of ComposeFixture. Include <doctest/doctest.h> first, then:
//
//   struct Redis : stack::testing::DoctestCompose {
//     Redis() : DoctestCompose(stack::testing::ComposeFixture({"compose.yaml"})
//                                  .waitFor("redis", stack::Wait::port(6379))) {}
//   };
//   TEST_CASE_FIXTURE(Redis, "answers PING") { auto at = fixture.endpoint("redis", 6379); }
//
// The constructor starts the project; a failed start fails the test case with the error
// (service and last log lines). The destructor tears it down, also after a failed CHECK
// or an exception in the test.

#include <string>
#include <utility>

#include "stack/testing/compose_fixture.hpp"

namespace stack::testing {

struct DoctestCompose {
  // Takes over the configured fixture and starts it; the lvalue form accepts a chain of
  // options on a temporary (`ComposeFixture({...}).waitFor(...)` is an lvalue).
  explicit DoctestCompose(ComposeFixture&& configured) : fixture(std::move(configured)) { begin(); }
  explicit DoctestCompose(ComposeFixture& configured) : fixture(std::move(configured)) { begin(); }
  void begin() {
    fixture.start();
    const std::string reused = fixture.reused() ? " (reused)" : "";
    MESSAGE("compose project " << fixture.projectName() << reused);
  }
  ComposeFixture fixture;
};

}  // namespace stack::testing
