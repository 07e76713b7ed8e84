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

#include <utility>

#include "stack/testing/compose_fixture.hpp"

namespace stack::testing {

struct DoctestCompose {
  explicit DoctestCompose(ComposeFixture configured) : fixture(std::move(configured)) {
    INFO("compose fixture start");
    fixture.start();
    MESSAGE("compose project " << fixture.projectName() << (fixture.reused() ? " (reused)" : ""));
  }
  ComposeFixture fixture;
};

}  // namespace stack::testing
