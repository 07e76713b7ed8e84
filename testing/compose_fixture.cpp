// ComposeFixture over the public stack::Project API (see the header for the contract).

#include "stack/testing/compose_fixture.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <future>
#include <optional>
#include <random>
#include <utility>

#include "core/log.hpp"
#include "testing/fixture_owner.hpp"

namespace stack::testing {
namespace {

std::atomic<int> fixture_counter{0};

std::string uniqueName() {
  std::random_device device;
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(device()));
  return "fx-" + std::to_string(::getpid()) + "-" + std::to_string(++fixture_counter) + "-" +
         suffix;
}

bool reuseFromEnvironment() {
  const char* value = std::getenv("STACK_FIXTURE_REUSE");
  return value && (std::string(value) == "1" || std::string(value) == "true");
}

// An error for test frameworks, which print what() only: the hint (the service's last log
// lines) goes into the message.
Error withDetails(const Error& error, const std::string& project) {
  Error out(error.kind(), "fixture project \"" + project + "\": " + error.describe());
  return out;
}

}  // namespace

struct ComposeFixture::Impl {
  ProjectOptions options;
  std::chrono::milliseconds up_timeout{std::chrono::seconds(60)};
  std::vector<std::pair<std::string, Wait>> waits;
  bool reuse = reuseFromEnvironment();
  bool keep_on_failure = false;
  std::chrono::seconds lease{std::chrono::hours(1)};
  std::optional<Project> project;
  bool started = false;
  bool reused = false;

  Project load(const std::string& name) {
    ProjectOptions load = options;
    load.project_name = name;
    return Project::load(load);
  }
  void loadProject();
  bool runningAsLoaded();
  void runWaits();
  void teardown();
};

void ComposeFixture::Impl::loadProject() {
  if (!reuse) {
    const auto expiry = std::chrono::system_clock::now() + lease;
    options.labels[kOwnerLabel] = currentOwner();
    options.labels[kLeaseLabel] = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(expiry.time_since_epoch()).count());
    project = load(uniqueName());
    return;
  }
  // The name comes from what the files say (config hash) and where they are, so the next
  // run of the same test finds the same project; the labels carry no time or owner, so
  // they do not change the hash.
  options.labels[kReuseLabel] = "true";
  Project probe = load("fx-reuse");
  std::string key = probe.configHash();
  for (const auto& file : options.files) key += "|" + file;
  for (const auto& profile : options.profiles) key += "|" + profile;
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ULL;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  options.labels[kReuseLabel] = text;
  project = load(std::string("fxr-") + text);
}

// Every service has a running container whose config hash is the current one.
bool ComposeFixture::Impl::runningAsLoaded() {
  const std::vector<ContainerInfo> containers = project->ps(false);
  for (const auto& service : project->services()) {
    bool found = false;
    for (const auto& container : containers) {
      if (container.service != service || container.state != "running") continue;
      auto label = container.labels.find(kReuseLabel);
      found = found ||
              (label != container.labels.end() && label->second == options.labels.at(kReuseLabel));
    }
    if (!found) return false;
  }
  return true;
}

void ComposeFixture::Impl::runWaits() {
  std::vector<std::future<void>> running;
  for (const auto& [service, wait] : waits) {
    running.push_back(std::async(std::launch::async, [this, service = service, wait = wait] {
      project->waitFor(service, wait);
    }));
  }
  std::exception_ptr first;
  for (auto& future : running) {
    try {
      future.get();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

void ComposeFixture::Impl::teardown() {
  if (!project || !started || reuse) return;
  started = false;
  DownOptions down;
  down.volumes = true;
  down.remove_orphans = true;
  project->down(down);
}

ComposeFixture::ComposeFixture(std::vector<std::string> files) : impl_(std::make_unique<Impl>()) {
  impl_->options.files = std::move(files);
}
ComposeFixture::ComposeFixture(ComposeFixture&&) noexcept = default;
ComposeFixture& ComposeFixture::operator=(ComposeFixture&&) noexcept = default;

ComposeFixture::~ComposeFixture() {
  if (!impl_) return;
  try {
    impl_->teardown();
  } catch (const std::exception& error) {
    log::get("testing")->error("tearing down fixture project \"{}\" failed: {}",
                               impl_->project ? impl_->project->name() : "", error.what());
  }
}

ComposeFixture& ComposeFixture::profiles(std::vector<std::string> names) {
  impl_->options.profiles = std::move(names);
  return *this;
}
ComposeFixture& ComposeFixture::env(const std::string& key, const std::string& value) {
  impl_->options.environment[key] = value;
  return *this;
}
ComposeFixture& ComposeFixture::projectDirectory(std::string directory) {
  impl_->options.project_directory = std::move(directory);
  return *this;
}
ComposeFixture& ComposeFixture::timeout(std::chrono::milliseconds value) {
  impl_->up_timeout = value;
  return *this;
}
ComposeFixture& ComposeFixture::waitFor(const std::string& service, Wait wait) {
  impl_->waits.emplace_back(service, std::move(wait));
  return *this;
}
ComposeFixture& ComposeFixture::reuse(bool on) {
  impl_->reuse = on;
  return *this;
}
ComposeFixture& ComposeFixture::keepOnFailure(bool on) {
  impl_->keep_on_failure = on;
  return *this;
}
ComposeFixture& ComposeFixture::lease(std::chrono::seconds value) {
  impl_->lease = value;
  return *this;
}

void ComposeFixture::start() {
  Impl& impl = *impl_;
  if (impl.started) throw Error(ErrorKind::Usage, "the fixture is already started");
  impl.loadProject();
  const std::vector<std::string> services = impl.project->services();
  for (const auto& [service, _] : impl.waits) {
    if (std::find(services.begin(), services.end(), service) == services.end()) {
      throw Error(ErrorKind::Usage, "cannot wait for service \"" + service + "\": project \"" +
                                        impl.project->name() + "\" has no such service");
    }
  }
  reapExpiredFixtures();
  impl.started = true;
  try {
    impl.reused = impl.reuse && impl.runningAsLoaded();
    if (!impl.reused) {
      UpOptions up;
      up.wait = true;
      up.timeout = impl.up_timeout;
      up.remove_orphans = true;
      impl.project->up(up);
    }
    impl.runWaits();
  } catch (const Error& error) {
    const Error detailed = withDetails(error, impl.project->name());
    if (!impl.keep_on_failure) {
      try {
        impl.reuse = false;  // a failed reused project is not worth keeping either
        impl.teardown();
      } catch (const Error& down) {
        log::get("testing")->error("tearing down after a failed start failed: {}", down.what());
      }
    }
    throw detailed;
  }
}

void ComposeFixture::stop() {
  impl_->teardown();
}

const std::string& ComposeFixture::projectName() const {
  if (!impl_->project) throw Error(ErrorKind::Usage, "the fixture is not started");
  return impl_->project->name();
}
bool ComposeFixture::reused() const {
  return impl_->reused;
}

Project& ComposeFixture::project() {
  if (!impl_->project) throw Error(ErrorKind::Usage, "the fixture is not started");
  return *impl_->project;
}

Endpoint ComposeFixture::endpoint(const std::string& service, uint16_t container_port) const {
  if (!impl_->project) throw Error(ErrorKind::Usage, "the fixture is not started");
  return impl_->project->endpoint(service, container_port);
}

std::string ComposeFixture::url(const std::string& service, uint16_t container_port,
                                const std::string& path) const {
  const Endpoint at = endpoint(service, container_port);
  const std::string host = at.host.find(':') != std::string::npos ? "[" + at.host + "]" : at.host;
  const std::string rest = path.empty() || path.front() != '/' ? "/" + path : path;
  return "http://" + host + ":" + std::to_string(at.port) + rest;
}

ExecResult ComposeFixture::exec(const std::string& service, const std::vector<std::string>& argv) {
  return project().exec(service, argv);
}

std::vector<std::string> ComposeFixture::logs(const std::string& service) const {
  if (!impl_->project) throw Error(ErrorKind::Usage, "the fixture is not started");
  std::vector<std::string> out;
  for (const auto& line : impl_->project->logs(service)) out.push_back(line.text);
  return out;
}

}  // namespace stack::testing
