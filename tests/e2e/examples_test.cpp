// The smaller examples, through the real `stack` binary: examples/profiles-demo (which
// services each profile brings) and examples/health-chain (a health-gated start order,
// and where the chain stops when a link fails).

#include <doctest/doctest.h>

#include <ctime>

#include "tests/e2e/demo_support.hpp"

namespace stack::test {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string state(const TestProject& project, const std::string& container,
                  const std::string& format) {
  auto values = lines(project.docker({"inspect", "--format", format, container}).out);
  return values.empty() ? "" : values.front();
}

// A container's start or finish time in nanoseconds since the epoch, from docker's
// RFC 3339 text (UTC, with a fraction of a second of up to nine digits).
int64_t instant(const TestProject& project, const std::string& container,
                const std::string& field) {
  const std::string text = state(project, container, "{{.State." + field + "}}");
  std::tm parts{};
  const char* rest = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &parts);
  REQUIRE_MESSAGE(rest, container << " has no " << field << ": \"" << text << "\"");
  int64_t fraction = 0;
  int digits = 0;
  if (*rest == '.') {
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest, ++digits)
      fraction = fraction * 10 + (*rest - '0');
  }
  for (; digits < 9; ++digits) fraction *= 10;
  return int64_t{::timegm(&parts)} * 1'000'000'000 + fraction;
}

}  // namespace

TEST_CASE("profiles-demo: web alone, then --profile debug or COMPOSE_PROFILES adds the tools") {
  requireEngine();
  ExampleProject project("profiles-demo");
  const std::string name = project.name();
  const CommandOptions port{.env = {{"WEB_PORT", std::to_string(freeLoopbackPort())}}};

  auto up = project.stack({"up", "-d"}, port);
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(project.containerNames() == std::vector<std::string>{name + "-web-1"});
  const auto web = project.containerIds();
  auto page = httpGetExpecting(std::stoi(port.env.at("WEB_PORT")), "/", 200, 25);
  CHECK_MESSAGE(contains(page.body, "<h1>profiles-demo</h1>"), page.error);

  auto debug = project.stack({"--profile", "debug", "up", "-d"}, port);
  REQUIRE_MESSAGE(debug.exit_code == 0, debug.err);
  const std::vector<std::string> all{name + "-probe-1", name + "-toolbox-1", name + "-web-1"};
  CHECK(project.containerNames() == all);
  CHECK(state(project, name + "-web-1", "{{.Id}}") ==
        web.front());  // enabling a profile leaves web as it was

  REQUIRE(project.stack({"down", "-t", "1"}).exit_code == 0);
  CHECK(project.containerIds().empty());
  CommandOptions from_env = port;
  from_env.env["COMPOSE_PROFILES"] = "debug";
  auto env_up = project.stack({"up", "-d"}, from_env);
  REQUIRE_MESSAGE(env_up.exit_code == 0, env_up.err);
  CHECK(project.containerNames() == all);
}

TEST_CASE("health-chain: up --wait starts db, migrate, api, frontend in order, each gated") {
  requireEngine();
  ExampleProject project("health-chain");
  const std::string name = project.name();
  const int port = freeLoopbackPort();
  auto up = project.stack({"up", "--wait"}, {.env = {{"FRONTEND_PORT", std::to_string(port)}}});
  REQUIRE_MESSAGE(up.exit_code == 0, "`stack up --wait` failed (exit "
                                         << up.exit_code << "); this test needs `up --wait`.\n"
                                         << up.err);
  for (const char* service : {"db", "api", "frontend"}) {
    const Readiness readiness = readyNow(project, name + "-" + service + "-1");
    CHECK_MESSAGE(readiness.ready, service << " is not ready after up --wait: " << readiness.why);
  }
  CHECK(state(project, name + "-migrate-1", "{{.State.Status}} {{.State.ExitCode}}") == "exited 0");
  // Each link starts only after the one before it is ready. db turns healthy no sooner
  // than DB_STARTUP_SECONDS (3) after it starts.
  const int64_t db = instant(project, name + "-db-1", "StartedAt");
  const int64_t migrate = instant(project, name + "-migrate-1", "StartedAt");
  const int64_t api = instant(project, name + "-api-1", "StartedAt");
  CHECK(migrate - db >= 3'000'000'000);
  CHECK(instant(project, name + "-migrate-1", "FinishedAt") <= api);
  CHECK(api < instant(project, name + "-frontend-1", "StartedAt"));
  auto page = httpGetExpecting(port, "/", 200, 5);
  CHECK_MESSAGE(contains(page.body, "The chain is up"), page.error);
}

TEST_CASE("health-chain: when migrate fails, up --wait fails naming it and api never starts") {
  requireEngine();
  ExampleProject project("health-chain");
  const std::string name = project.name();
  auto up = project.stack(
      {"up", "--wait"},
      {.env = {{"MIGRATE_EXIT_CODE", "3"}, {"FRONTEND_PORT", std::to_string(freeLoopbackPort())}}});
  CHECK(up.exit_code != 0);
  CHECK(up.exit_code < 128);  // an error exit, not a crash
  CHECK_MESSAGE(contains(up.err, "migrate"), "stack's error does not name migrate:\n" << up.err);
  CHECK(state(project, name + "-migrate-1", "{{.State.ExitCode}}") == "3");
  for (const char* service : {"api", "frontend"}) {
    // Never started: either not created at all, or created with no start time.
    const std::string started = state(project, name + "-" + service + "-1", "{{.State.StartedAt}}");
    CHECK_MESSAGE((started.empty() || started.starts_with("0001-01-01")),
                  service << " started although migrate failed");
  }
}

}  // namespace stack::test
