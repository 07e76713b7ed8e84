// A test process that starts a fixture and then waits to be killed: the SIGKILL test
// (fixture_integration_test.cpp) kills it and checks that the next start reaps what it left.
// Usage: stack_fixture_holder <compose file>; prints the project name once it is up.

#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "stack/testing/compose_fixture.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <compose file>\n", argv[0]);
    return 2;
  }
  try {
    stack::testing::ComposeFixture fixture({argv[1]});
    fixture.start();
    std::printf("%s\n", fixture.projectName().c_str());
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::minutes(5));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
