// The engine client's networks, volumes and images against dockerd, including the error
// kinds the orchestrator relies on.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "tests/support/engine_fixture.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace asio = boost::asio;

namespace {

template <class F>
ErrorKind kindOf(EngineFixture& fixture, F&& call) {
  try {
    fixture.run(call());
  } catch (const Error& error) {
    return error.kind();
  }
  return ErrorKind::Internal;  // no error at all
}

}  // namespace

TEST_CASE("networks: create, duplicate, connect with an alias, in-use removal, disconnect") {
  EngineFixture f;
  auto& engine = f.engine();
  runtime::NetworkCreateRequest request;
  request.name = f.name("net");
  request.labels = f.labels();
  request.internal = true;
  const std::string network_id = f.run(engine.createNetwork(request));
  CHECK_FALSE(network_id.empty());
  CHECK(kindOf(f, [&] { return engine.createNetwork(request); }) == ErrorKind::Conflict);

  const std::string container =
      f.run(engine.createContainer(f.container("member", {"sleep", "600"})));
  runtime::EndpointSettings endpoint;
  endpoint.aliases = {"db-alias"};
  f.run(engine.connectNetwork(request.name, container, endpoint));
  f.run(engine.startContainer(container));
  auto details = f.run(engine.inspectContainer(container));
  REQUIRE(details.networks.count(request.name));
  auto& aliases = details.networks.at(request.name).aliases;
  CHECK(std::find(aliases.begin(), aliases.end(), "db-alias") != aliases.end());
  auto inspected = f.run(engine.inspectNetwork(request.name));
  CHECK(inspected.internal);
  CHECK(inspected.containers.size() == 1);

  CHECK(kindOf(f, [&] { return engine.removeNetwork(request.name); }) == ErrorKind::Conflict);
  f.run(engine.disconnectNetwork(request.name, container, true));
  runtime::ListFilter filter;
  filter.labels = {"dev.stack.test=" + f.id()};
  CHECK(f.run(engine.listNetworks(filter)).size() == 1);
  f.run(engine.removeNetwork(request.name));
  CHECK(kindOf(f, [&] { return engine.inspectNetwork(request.name); }) == ErrorKind::NotFound);
}

TEST_CASE("volumes: create is idempotent, removal while in use is a Conflict") {
  EngineFixture f;
  auto& engine = f.engine();
  runtime::VolumeCreateRequest request{f.name("vol"), "", {}, f.labels()};
  auto created = f.run(engine.createVolume(request));
  CHECK(created.name == request.name);
  CHECK(f.run(engine.createVolume(request)).name == request.name);
  CHECK(f.run(engine.inspectVolume(request.name)).labels.at("dev.stack.test") == f.id());
  runtime::ListFilter filter;
  filter.labels = {"dev.stack.test=" + f.id()};
  CHECK(f.run(engine.listVolumes(filter)).size() == 1);

  auto user = f.container("user", {"true"});
  user.host_config.mounts.push_back({.type = "volume", .source = request.name, .target = "/data"});
  const std::string container = f.run(engine.createContainer(user));
  CHECK(kindOf(f, [&] { return engine.removeVolume(request.name, false); }) == ErrorKind::Conflict);
  f.run(engine.removeContainer(container, {.force = true}));
  f.run(engine.removeVolume(request.name, false));
  CHECK(kindOf(f, [&] { return engine.inspectVolume(request.name); }) == ErrorKind::NotFound);
}

TEST_CASE("images: inspect, tag, list by label, remove, and NotFound for a missing one") {
  EngineFixture f;
  auto& engine = f.engine();
  auto base = f.run(engine.inspectImage(kTestImage));
  CHECK(base.id.rfind("sha256:", 0) == 0);
  f.run(engine.tagImage(kTestImage, f.name("tagged"), "v1"));
  auto tagged = f.run(engine.inspectImage(f.name("tagged") + ":v1"));
  CHECK(tagged.id == base.id);
  auto images = f.run(engine.listImages({}));
  bool found = false;
  for (const auto& image : images) {
    for (const auto& tag : image.repo_tags) found |= tag == f.name("tagged") + ":v1";
  }
  CHECK(found);
  auto removed = f.run(engine.removeImage(f.name("tagged") + ":v1", false));
  CHECK(removed.untagged.size() == 1);
  CHECK(removed.deleted.empty());  // the base image still holds the layers
  // A named string: the awaitable keeps a reference to its argument until awaited.
  const std::string removed_tag = f.name("tagged") + ":v1";
  CHECK(kindOf(f, [&] { return engine.inspectImage(removed_tag); }) == ErrorKind::NotFound);
}

}  // namespace stack::test
