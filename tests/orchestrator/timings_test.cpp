// The record of an up and its critical chain: the chain of a hand-made record, the record
// file, and what ProjectController::up records against the FakeEngine.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/async.hpp"
#include "core/error.hpp"
#include "orchestrator/project_controller.hpp"
#include "orchestrator/timings/critical_chain.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::timings::UpRecord;
using runtime::Awaitable;

// db (healthy at 900) gates api; cache (started at 300) gates api too; api gates web.
UpRecord threeLinks() {
  UpRecord record;
  record.project = "demo";
  record.planned_ms = 100;
  record.wall_ms = 1300;
  record.succeeded = true;
  record.services["db"] = {.image = "pulled",
                           .image_ready_ms = 80,
                           .created_ms = 150,
                           .starting_ms = 160,
                           .started_ms = 200,
                           .ready_ms = 900,
                           .ready_condition = "service_healthy",
                           .ready_by = "healthcheck"};
  record.services["cache"] = {.created_ms = 140, .starting_ms = 150, .started_ms = 300};
  record.services["api"] = {.created_ms = 160, .starting_ms = 950, .started_ms = 1000};
  record.services["web"] = {.created_ms = 170, .starting_ms = 1150, .started_ms = 1200};
  record.gates = {{"db", "service_healthy", 200, 900, "healthcheck", {"api"}},
                  {"cache", "service_started", 200, 300, "started", {"api"}},
                  {"api", "service_started", 1000, 1100, "started", {"web"}}};
  return record;
}

std::vector<std::string> steps(const orchestrator::timings::ChainReport& report) {
  std::vector<std::string> out;
  for (const auto& link : report.chain) {
    out.push_back(link.service.empty() ? link.step : link.service + " " + link.step);
  }
  return out;
}

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/stack-timings-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

}  // namespace

TEST_CASE("the critical chain follows the gate that opened last back to the preparation") {
  const UpRecord record = threeLinks();
  const auto report = orchestrator::timings::criticalChain(record);
  CHECK(steps(report) == std::vector<std::string>{"prepared", "db created", "db started",
                                                  "db healthy", "api started", "web started"});
  int64_t sum = 0;
  for (const auto& link : report.chain) sum += link.took_ms;
  CHECK(sum == report.chain_ms);
  CHECK(report.chain_ms == 1200);
  CHECK(report.chain[3].took_ms == 700);
  CHECK(report.chain[3].detail == "healthcheck");
  CHECK(report.chain[4].detail == "waited for db healthy");
  CHECK(report.probe_wait_chain_ms == 700);
  CHECK(report.gate_wait_total_ms == 700 + 100 + 100);
  REQUIRE(!report.slowest.empty());
  CHECK(report.slowest.front().first == "db");
  CHECK(report.slowest.front().second == 740);
  const std::string text = orchestrator::timings::renderChain(record, report);
  CHECK(text.find("critical chain of the last up of project \"demo\": 1.20s") != std::string::npos);
  CHECK(text.find("images: db pulled") != std::string::npos);

  auto view = orchestrator::graph::GraphView{
      "demo",
      {{.name = "db"}, {.name = "api"}, {.name = "cache"}},
      {{.dependency = "db", .dependent = "api"}, {.dependency = "cache", .dependent = "api"}}};
  orchestrator::timings::drawOnto(view, record, report);
  CHECK(view.node("db")->critical);
  CHECK_FALSE(view.node("cache")->critical);
  CHECK(view.edge("db", "api")->critical);
  CHECK_FALSE(view.edge("cache", "api")->critical);
  CHECK(view.node("db")->ready_ms == 900);
}

TEST_CASE("a record without starts has only the preparation on its chain") {
  UpRecord record;
  record.project = "demo";
  record.planned_ms = 40;
  record.wall_ms = 50;
  record.error = "pull access denied";
  const auto report = orchestrator::timings::criticalChain(record);
  CHECK(steps(report) == std::vector<std::string>{"prepared"});
  const std::string text = orchestrator::timings::renderChain(record, report);
  CHECK(text.find("no container was started") != std::string::npos);
  CHECK(text.find("the up failed: pull access denied") != std::string::npos);
}

TEST_CASE("a record survives its file, and a broken file is a clear error") {
  TempDir dir;
  const auto path = orchestrator::timings::lastUpPath(dir.path, "demo");
  CHECK_FALSE(orchestrator::timings::loadRecord(path));
  orchestrator::timings::saveRecord(path, threeLinks());
  const auto loaded = orchestrator::timings::loadRecord(path);
  REQUIRE(loaded);
  CHECK(orchestrator::timings::toJson(*loaded) == orchestrator::timings::toJson(threeLinks()));
  std::ofstream(path) << "{\"project\": 3";
  CHECK_THROWS_AS(orchestrator::timings::loadRecord(path), Error);
  std::ofstream(path) << "{\"project\": \"demo\"}";
  try {
    orchestrator::timings::loadRecord(path);
    FAIL("expected an error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Config);
    CHECK(std::string(error.what()).find("not a record of an up") != std::string::npos);
  }
}

TEST_CASE("up records when each service was created, started and ready, and what gated it") {
  TempDir dir;
  auto p = project({service("web"), service("db")});
  dependsOn(p, "web", "db", "service_healthy");
  orchestrator::compose::Healthcheck check;
  check.test = {"CMD", "true"};
  check.interval = std::chrono::seconds(1);
  p.services.at("db").healthcheck = check;
  runtime::fake::testing::Fixture fixture;
  fixture.image("app:1");
  fixture.engine.scripts().process("demo-db-1",
                                   {.health = runtime::fake::HealthScript::healthyAfterProbes(2)});
  orchestrator::progress::NullProgress progress;
  orchestrator::ProjectController controller(fixture.engine, progress, {.state_dir = dir.path});
  fixture.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions options;
    co_await controller.up(p, options);
  });
  const auto record = orchestrator::timings::loadRecord(dir.path / "demo" / "last-up.json");
  REQUIRE(record);
  CHECK(record->succeeded);
  CHECK(record->planned_ms);
  REQUIRE(record->gates.size() == 1);
  CHECK(record->gates[0].service == "db");
  CHECK(record->gates[0].condition == "service_healthy");
  CHECK(record->gates[0].dependents == std::vector<std::string>{"web"});
  CHECK(record->services.at("db").ready_condition == "service_healthy");
  CHECK(record->services.at("web").started_ms);
  CHECK(*record->services.at("web").started_ms >= record->gates[0].ready_ms);
  const auto report = orchestrator::timings::criticalChain(*record);
  CHECK(steps(report) == std::vector<std::string>{"prepared", "db created", "db started",
                                                  "db healthy", "web started"});
  CHECK(report.chain_ms <= record->wall_ms);
}

TEST_CASE("a failed up is recorded as failed, and a dry run is not recorded") {
  TempDir dir;
  auto p = project({service("web", "missing:1")});
  runtime::fake::testing::Fixture fixture;
  orchestrator::progress::NullProgress progress;
  orchestrator::ProjectController controller(fixture.engine, progress, {.state_dir = dir.path});
  fixture.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions options;
    auto outcome = co_await capture(controller.up(p, options));
    CHECK(outcome.failure);
  });
  const auto record = orchestrator::timings::loadRecord(dir.path / "demo" / "last-up.json");
  REQUIRE(record);
  CHECK_FALSE(record->succeeded);
  CHECK_FALSE(record->error.empty());
  CHECK(record->services.count("web") == 0);

  TempDir dry_dir;
  orchestrator::ProjectController dry(fixture.engine, progress,
                                      {.dry_run = true, .state_dir = dry_dir.path});
  fixture.io.restart();
  fixture.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions options;
    const auto dry_project = project({service("web")});
    auto outcome = co_await capture(dry.up(dry_project, options));
    (void)outcome;
  });
  CHECK_FALSE(std::filesystem::exists(dry_dir.path / "demo" / "last-up.json"));
}

}  // namespace stack::test
