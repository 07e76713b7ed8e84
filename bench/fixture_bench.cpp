// The fixture side of bench/fixture_bench.py: times ComposeFixture start() and teardown
// (or a reused start) of one compose file and prints one JSON object per run.
//   stack_fixture_bench <compose file> <runs> plain|reuse
// plain: {"start_ms":..,"teardown_ms":..}; reuse: the first start brings the project up
// (not timed), then each run times a start() that finds it running; the project is removed
// at the end.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "stack/project.hpp"
#include "stack/testing/compose_fixture.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <compose file> <runs> plain|reuse\n", argv[0]);
    return 2;
  }
  const std::string file = argv[1];
  const int runs = std::atoi(argv[2]);
  const bool reuse = std::string(argv[3]) == "reuse";
  try {
    std::string reused_name;
    if (reuse) {
      stack::testing::ComposeFixture warm({file});
      warm.reuse().start();
      reused_name = warm.projectName();
    }
    for (int run = 0; run < runs; ++run) {
      const auto started = Clock::now();
      auto fixture =
          std::make_unique<stack::testing::ComposeFixture>(std::vector<std::string>{file});
      fixture->reuse(reuse).start();
      const double start_ms = msSince(started);
      if (reuse && !fixture->reused()) throw std::runtime_error("the reused start did not reuse");
      const auto teardown = Clock::now();
      fixture.reset();
      std::printf("{\"start_ms\": %.2f, \"teardown_ms\": %.2f}\n", start_ms, msSince(teardown));
      std::fflush(stdout);
    }
    if (reuse) {
      stack::Project::load({.files = {file}, .project_name = reused_name}).down({.volumes = true});
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
