// FakeEngine: construction, identity and the container lifecycle calls. Every call goes
// through enter() (call log, availability, latency, faults), resolves its subject like
// dockerd (id, name, unique id prefix), then applies the Daemon model. Coroutines keep
// their own reference to the Daemon, so a call in flight survives the engine's
// destruction without touching freed memory.
#include "runtime/fake/fake_engine.hpp"

#include <boost/system/system_error.hpp>

#include "runtime/fake/fake_call.hpp"
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake {

using detail::Daemon;
using detail::enter;

FakeEngine::FakeEngine(boost::asio::any_io_executor executor, FakeEngineOptions options)
    : daemon_(std::make_shared<Daemon>(executor, options)), state_(daemon_) {
  daemon_->faults.onAvailabilityChange([weak = std::weak_ptr<Daemon>(daemon_)](bool unavailable) {
    if (auto d = weak.lock(); d && unavailable) d->breakConnections();
  });
}

FakeEngine::~FakeEngine() {
  daemon_->shutdown();
}

FakeClock& FakeEngine::clock() {
  return daemon_->clock;
}
FakeScripts& FakeEngine::scripts() {
  return daemon_->scripts;
}
FakeFaults& FakeEngine::faults() {
  return daemon_->faults;
}
FakeRegistry& FakeEngine::registry() {
  return daemon_->registry;
}
FakeCallLog& FakeEngine::calls() {
  return daemon_->calls;
}

Awaitable<EngineInfo> FakeEngine::ping() {
  auto d = daemon_;
  (co_await enter(d, Method::Ping, "")).done();
  co_return EngineInfo{"1.41", "20.10.24+dfsg1", "linux", "amd64", false};
}

Awaitable<nlohmann::json> FakeEngine::version() {
  auto d = daemon_;
  (co_await enter(d, Method::Version, "")).done();
  const nlohmann::json details = {
      {"ApiVersion", "1.41"}, {"Arch", "amd64"}, {"MinAPIVersion", "1.12"}, {"Os", "linux"}};
  co_return nlohmann::json{
      {"Version", "20.10.24+dfsg1"},
      {"ApiVersion", "1.41"},
      {"MinAPIVersion", "1.12"},
      {"Os", "linux"},
      {"Arch", "amd64"},
      {"KernelVersion", "6.1.0-fake"},
      {"Components", {{{"Name", "Engine"}, {"Version", "20.10.24+dfsg1"}, {"Details", details}}}}};
}

Awaitable<std::string> FakeEngine::createContainer(const ContainerCreateRequest& request) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::CreateContainer, request.name);
  std::string id = d->createContainer(request);
  call.done();
  co_return id;
}

Awaitable<void> FakeEngine::startContainer(const std::string& id) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::StartContainer, id);
  auto c = d->requireContainer(id);
  d->startContainer(*c);
  call.done();
}

Awaitable<void> FakeEngine::stopContainer(const std::string& id,
                                          std::optional<int> timeout_seconds) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::StopContainer, id);
  auto c = d->requireContainer(id);
  co_await detail::stopContainer(d, c, timeout_seconds);
  call.done();
}

Awaitable<void> FakeEngine::killContainer(const std::string& id, const std::string& signal) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::KillContainer, id);
  auto c = d->requireContainer(id);
  d->killContainer(*c, signal);
  call.done();
}

Awaitable<void> FakeEngine::restartContainer(const std::string& id,
                                             std::optional<int> timeout_seconds) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::RestartContainer, id);
  auto c = d->requireContainer(id);
  if (c->running()) {
    // daemon/restart.go: AutoRemove is off while the container stops for the restart.
    const bool auto_remove = c->host_config.auto_remove;
    c->host_config.auto_remove = false;
    try {
      co_await detail::stopContainer(d, c, timeout_seconds);
    } catch (...) {
      c->host_config.auto_remove = auto_remove;
      throw;
    }
    c->host_config.auto_remove = auto_remove;
  }
  if (c->removed) throw detail::notFound("container", id);
  if (!c->running()) d->runContainer(*c, true);
  d->containerEvent(*c, "restart");
  call.done();
}

Awaitable<void> FakeEngine::pauseContainer(const std::string& id) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::PauseContainer, id);
  d->pauseContainer(*d->requireContainer(id));
  call.done();
}

Awaitable<void> FakeEngine::unpauseContainer(const std::string& id) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::UnpauseContainer, id);
  d->unpauseContainer(*d->requireContainer(id));
  call.done();
}

Awaitable<void> FakeEngine::removeContainer(const std::string& id, RemoveOptions options) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::RemoveContainer, id);
  auto c = d->requireContainer(id);
  d->removeContainer(*c, options);
  call.done();
}

Awaitable<void> FakeEngine::renameContainer(const std::string& id, const std::string& name) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::RenameContainer, id);
  d->renameContainer(*d->requireContainer(id), name);
  call.done();
}

Awaitable<void> FakeEngine::copyToContainer(const std::string& id, const std::string& path,
                                            std::shared_ptr<BodySource> tar) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::CopyToContainer, id);
  d->copyToContainer(*d->requireContainer(id), path, tar.get());
  call.done();
}

Awaitable<ContainerDetails> FakeEngine::inspectContainer(const std::string& id) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::InspectContainer, id);
  ContainerDetails details = d->details(*d->requireContainer(id));
  call.done();
  co_return details;
}

Awaitable<std::vector<ContainerSummary>> FakeEngine::listContainers(const ListFilter& filter) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::ListContainers, "");
  std::vector<ContainerSummary> out;
  for (const auto& c : d->containersInOrder()) {
    if (!filter.all && !c->running()) continue;
    if (!matchLabels(c->config.labels, filter.labels)) continue;
    if (!matchNameFragment(c->name, filter.names) || !matchIdPrefix(c->id, filter.ids)) continue;
    out.push_back(d->summary(*c));
  }
  call.done();
  co_return out;
}

Awaitable<WaitResult> FakeEngine::waitContainer(const std::string& id, WaitCondition condition) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::WaitContainer, id);
  auto c = d->requireContainer(id);
  call.done();
  // container/state.go Wait: not-running returns at once when the container is not
  // running; otherwise the next stop (or entering "restarting"), or the removal.
  const uint64_t ended = c->runs_ended;
  const uint64_t epoch = d->connectionEpoch();
  const bool immediate = condition == WaitCondition::NotRunning && !c->running();
  for (;;) {
    const bool stopped = condition != WaitCondition::Removed && c->runs_ended > ended;
    if (immediate || stopped || c->removed) co_return WaitResult{c->exit_code, c->error};
    if (d->connectionEpoch() != epoch || d->shutDown()) throw detail::unavailableError();
    try {
      co_await c->changed.wait();
    } catch (const boost::system::system_error&) {
      throw cancelledError();  // cancelled before the wait could start
    }
  }
}

}  // namespace stack::runtime::fake
