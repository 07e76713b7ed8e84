#pragma once

// The GoogleTest adapters of ComposeFixture. Include <gtest/gtest.h> first.
//
// One project for the whole test binary (started before the first test, torn down after
// the last):
//   auto* env = ::testing::AddGlobalTestEnvironment(new stack::testing::ComposeEnvironment(
//       stack::testing::ComposeFixture({"compose.yaml"}).waitFor("redis",
//           stack::Wait::port(6379))));
//   ... env->fixture().endpoint("redis", 6379)
//
// One project per test: derive the test fixture from ComposeTest and configure it in
// the constructor (`ComposeTest(ComposeFixture(...))`); SetUp() starts it, TearDown()
// and the destructor tear it down.

#include <exception>
#include <optional>
#include <utility>

#include "stack/testing/compose_fixture.hpp"

namespace stack::testing {

class ComposeEnvironment : public ::testing::Environment {
 public:
  // Takes over the configured fixture; the lvalue form accepts a chain of options on a
  // temporary (`ComposeFixture({...}).waitFor(...)` is an lvalue).
  explicit ComposeEnvironment(ComposeFixture&& configured) : fixture_(std::move(configured)) {}
  explicit ComposeEnvironment(ComposeFixture& configured) : fixture_(std::move(configured)) {}
  void SetUp() override {
    try {
      fixture_.start();
    } catch (const std::exception& error) {
      FAIL() << error.what();
    }
  }
  void TearDown() override { fixture_.stop(); }
  ComposeFixture& fixture() { return fixture_; }

 private:
  ComposeFixture fixture_;
};

class ComposeTest : public ::testing::Test {
 protected:
  explicit ComposeTest(ComposeFixture&& configured) : fixture(std::move(configured)) {}
  explicit ComposeTest(ComposeFixture& configured) : fixture(std::move(configured)) {}
  void SetUp() override {
    try {
      fixture.start();
    } catch (const std::exception& error) {
      FAIL() << error.what();
    }
  }
  void TearDown() override { fixture.stop(); }
  ComposeFixture fixture;
};

}  // namespace stack::testing
