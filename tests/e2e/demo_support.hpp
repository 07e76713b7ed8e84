#pragma once

// Support for the end-to-end tests of examples/: a TestProject holding a copy of an
// example, the demo's offline base image, a free loopback port, HTTP to 127.0.0.1 and
// headless Chromium (Debian's `chromium`).

#include <string>
#include <vector>

#include "tests/support/test_project.hpp"

namespace stack::test {

// The repository's root directory (set by CMake).
std::string sourceDir();

std::string readFile(const std::string& path);

// A TestProject whose directory holds a copy of examples/<name>: compose.yaml and
// everything next to it (Dockerfiles, pages). Its project name is unique, as always.
// Its cleanup removes the images built for it by name (<project>-<service>), untagging
// them: parallel projects built from the same Dockerfiles share image IDs, so removing by
// ID could take another test's images.
class ExampleProject : public TestProject {
 public:
  explicit ExampleProject(const std::string& example);
  ~ExampleProject();
};

// Builds stack-demo/debian:bookworm with scripts/build-debian-base.sh when it is missing or
// stale (a no-op otherwise); fails the test with the script's output if that fails.
void requireDemoBaseImage();

// True when the container's healthcheck test, run now through `docker exec`, passes; the
// reason otherwise. `up --wait` trusts stack's own probe of that same test, so right after
// it the engine may still report "starting" until its next scheduled check.
struct Readiness {
  bool ready = false;
  std::string why;  // the engine's health status and the test's output
};
Readiness readyNow(const TestProject& project, const std::string& container);

// A TCP port on 127.0.0.1 that nothing listens on right now, for a published port that
// must not clash with parallel tests.
int freeLoopbackPort();

struct HttpResponse {
  long status = 0;  // 0 when no response came
  std::string body;
  std::string location;  // the absolute redirect target, if any
  std::string error;     // why no response came
};

// One HTTP request to http://127.0.0.1:<port><path>, never through a proxy, 10 s at most.
HttpResponse httpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body = "", const std::string& content_type = "");

// GETs until the status is `expected`, at most `attempts` times, 200 ms apart.
HttpResponse httpGetExpecting(int port, const std::string& path, long expected, int attempts);

// Runs headless Chromium as root on a page, with a fresh profile in `profile_dir` and no
// network access besides the page: `extra` holds --screenshot=... or --dump-dom.
CommandResult runChromium(const std::string& url, const std::string& profile_dir,
                          const std::vector<std::string>& extra);

}  // namespace stack::test
