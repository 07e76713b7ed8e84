// projectVolumes (`stack volumes`) against the FakeEngine: the project's volumes by label,
// or the ones a service's running containers mount.

#include "orchestrator/project_volumes.hpp"

#include <doctest/doctest.h>

#include "orchestrator/project_controller.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using runtime::Awaitable;
using runtime::fake::testing::Fixture;

struct Demo {
  Demo() {
    fixture.image("app:1");
    project = stack::test::project({service("web"), service("db")});
    project.volumes["data"].name = "demo_data";
    orchestrator::compose::ServiceVolume mount;
    mount.type = "volume";
    mount.source = "data";
    mount.target = "/data";
    project.services.at("db").volumes.push_back(mount);
  }
  void run(std::function<Awaitable<void>()> body) {
    fixture.io.restart();
    fixture.run(std::move(body));
  }
  orchestrator::compose::Project project;
  Fixture fixture;
  orchestrator::progress::NullProgress progress;
  orchestrator::ProjectController controller{fixture.engine, progress};
};

TEST_CASE("volumes lists the project's volumes, or those a service's containers mount") {
  Demo demo;
  demo.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions options;
    co_await demo.controller.up(demo.project, options);
    const std::set<std::string> none;
    const std::set<std::string> db{"db"};
    const std::set<std::string> web{"web"};
    const auto all = co_await orchestrator::projectVolumes(demo.fixture.engine, "demo", none);
    REQUIRE(all.size() == 1);
    CHECK(all[0].name == "demo_data");
    const auto of_db = co_await orchestrator::projectVolumes(demo.fixture.engine, "demo", db);
    CHECK(of_db.size() == 1);
    const auto of_web = co_await orchestrator::projectVolumes(demo.fixture.engine, "demo", web);
    CHECK(of_web.empty());
  });
}

TEST_CASE("volumes of another project, or of a stopped service, are not listed") {
  Demo demo;
  demo.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions options;
    co_await demo.controller.up(demo.project, options);
    const std::set<std::string> none;
    const std::set<std::string> db{"db"};
    const auto other = co_await orchestrator::projectVolumes(demo.fixture.engine, "other", none);
    CHECK(other.empty());
    const std::optional<int> now = 0;
    const auto stopped = co_await demo.controller.stop("demo", db, now);
    (void)stopped;
    const auto of_db = co_await orchestrator::projectVolumes(demo.fixture.engine, "demo", db);
    CHECK(of_db.empty());
  });
}

}  // namespace
}  // namespace stack::test
