#include "runtime/fake/fake_control.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

namespace stack::runtime::fake {
namespace {

// The familiar form of a target that looks like an image reference, so that "redis" and
// "redis:latest" name the same scripts; container names pass through unchanged.
std::string scriptKey(const std::string& target) {
  if (target.empty()) return target;
  if (auto ref = parseImageReference(target); ref && target.find(':') != std::string::npos)
    return ref->familiar();
  return target;
}

// CMD-SHELL probes run as ["/bin/sh", "-c", text]; `sh -c text` execs look the same.
bool commandMatches(const std::vector<std::string>& script, const std::vector<std::string>& cmd) {
  if (script.empty() || script == cmd) return true;
  const bool shell = cmd.size() == 3 && (cmd[0] == "/bin/sh" || cmd[0] == "sh") && cmd[1] == "-c";
  return shell && script.size() == 1 && script[0] == cmd[2];
}

}  // namespace

// --- FakeScripts -------------------------------------------------------------------------

void FakeScripts::process(const std::string& target, ProcessScript script) {
  processes_[scriptKey(target)] = {std::move(script)};
}

void FakeScripts::processRuns(const std::string& target, std::vector<ProcessScript> runs) {
  if (runs.empty()) runs.emplace_back();
  processes_[scriptKey(target)] = std::move(runs);
}

void FakeScripts::exec(const std::string& target, ExecScript script) {
  if (script.results.empty()) script.results.emplace_back();
  execs_[scriptKey(target)].push_back(std::move(script));
}

void FakeScripts::build(const std::string& tag, BuildScript script) {
  builds_[scriptKey(tag)] = std::move(script);
}

void FakeScripts::clear() {
  processes_.clear();
  execs_.clear();
  builds_.clear();
}

std::optional<ProcessScript> FakeScripts::findProcess(const std::vector<std::string>& keys,
                                                      int run) const {
  for (const auto& key : keys) {
    const auto it = processes_.find(key);
    if (it == processes_.end()) continue;
    const auto index = std::min(static_cast<size_t>(std::max(run, 0)), it->second.size() - 1);
    return it->second[index];
  }
  return std::nullopt;
}

std::optional<FakeScripts::ExecMatch> FakeScripts::findExec(
    const std::vector<std::string>& keys, const std::vector<std::string>& cmd) const {
  for (const auto& key : keys) {
    const auto it = execs_.find(key);
    if (it == execs_.end()) continue;
    for (size_t i = 0; i < it->second.size(); ++i)
      if (commandMatches(it->second[i].cmd, cmd))
        return ExecMatch{&it->second[i], key + "#" + std::to_string(i)};
  }
  return std::nullopt;
}

std::optional<BuildScript> FakeScripts::findBuild(const std::string& tag) const {
  if (auto it = builds_.find(scriptKey(tag)); it != builds_.end()) return it->second;
  if (auto it = builds_.find(""); it != builds_.end()) return it->second;
  return std::nullopt;
}

// --- FakeFaults --------------------------------------------------------------------------

void FakeFaults::add(Fault fault) {
  if (fault.times != 0) faults_.push_back(std::move(fault));
}

void FakeFaults::failNext(Method method, ErrorKind kind, std::string message, int times,
                          std::string match) {
  Fault fault;
  fault.method = method;
  fault.error = kind;
  fault.message = std::move(message);
  fault.times = times;
  fault.match = std::move(match);
  add(std::move(fault));
}

void FakeFaults::delayNext(Method method, nanoseconds delay, int times, std::string match) {
  Fault fault;
  fault.method = method;
  fault.delay = delay;
  fault.times = times;
  fault.match = std::move(match);
  add(std::move(fault));
}

void FakeFaults::setUnavailable(bool unavailable) {
  const bool changed = unavailable != unavailable_;
  unavailable_ = unavailable;
  if (changed && hook_) hook_(unavailable);
}

std::optional<Fault> FakeFaults::take(Method method, const std::vector<std::string>& subjects) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->method != method) continue;
    const bool matches = it->match.empty() ||
                         std::find(subjects.begin(), subjects.end(), it->match) != subjects.end();
    if (!matches) continue;
    Fault fault = *it;
    if (it->times > 0 && --it->times == 0) faults_.erase(it);
    return fault;
  }
  return std::nullopt;
}

// --- FakeRegistry ------------------------------------------------------------------------

void FakeRegistry::add(const std::string& reference, RegistryImage image) {
  const auto ref = parseImageReference(reference);
  if (!ref) throw Error(ErrorKind::Internal, "invalid registry reference \"" + reference + "\"");
  store(*ref, std::move(image));
}

std::string FakeRegistry::digestOf(const ImageReference& reference, const RegistryImage& image) {
  const nlohmann::json labels = image.config.labels;
  return "sha256:" +
         sha256Hex(reference.repository + "\n" + hashableJson(labels) + "\n" +
                   joinCommand(image.config.cmd.value_or(std::vector<std::string>{})) + "\n" +
                   joinCommand(image.config.env) + "\n" + std::to_string(image.layers));
}

void FakeRegistry::store(const ImageReference& reference, RegistryImage image) {
  const std::string digest = digestOf(reference, image);
  images_[reference.familiar()] = Entry{std::move(image), digest};
}

void FakeRegistry::remove(const std::string& reference) {
  if (const auto ref = parseImageReference(reference)) images_.erase(ref->familiar());
}

bool FakeRegistry::has(const std::string& reference) const {
  const auto ref = parseImageReference(reference);
  return ref && find(*ref) != nullptr;
}

void FakeRegistry::requireAuth(const std::string& repository, RegistryAuth auth) {
  auth_[repository] = std::move(auth);
}

void FakeRegistry::denyPush(const std::string& repository) {
  push_denied_.push_back(repository);
}

const FakeRegistry::Entry* FakeRegistry::find(const ImageReference& reference) const {
  if (!reference.digest.empty()) {
    for (const auto& [key, entry] : images_)
      if (entry.digest == reference.digest && key.rfind(reference.repository + ":", 0) == 0)
        return &entry;
    return nullptr;
  }
  const auto it = images_.find(reference.familiar());
  return it == images_.end() ? nullptr : &it->second;
}

bool FakeRegistry::repositoryExists(const std::string& repository) const {
  for (const auto& [key, entry] : images_)
    if (key.rfind(repository + ":", 0) == 0) return true;
  return false;
}

bool FakeRegistry::authorised(const std::string& repository, const RegistryAuth& auth) const {
  const auto it = auth_.find(repository);
  if (it == auth_.end()) return true;
  const RegistryAuth& need = it->second;
  if (!need.identity_token.empty()) return auth.identity_token == need.identity_token;
  return auth.username == need.username && auth.password == need.password;
}

bool FakeRegistry::pushDenied(const std::string& repository) const {
  return std::find(push_denied_.begin(), push_denied_.end(), repository) != push_denied_.end();
}

// --- FakeCallLog -------------------------------------------------------------------------

size_t FakeCallLog::count(Method method) const {
  return static_cast<size_t>(std::count_if(
      records_.begin(), records_.end(), [&](const CallRecord& r) { return r.method == method; }));
}

size_t FakeCallLog::count(Method method, const std::string& name) const {
  return static_cast<size_t>(
      std::count_if(records_.begin(), records_.end(), [&](const CallRecord& r) {
        return r.method == method && (r.name == name || r.subject == name);
      }));
}

std::vector<std::string> FakeCallLog::describe() const {
  std::vector<std::string> out;
  for (const auto& record : records_) out.push_back(record.describe());
  return out;
}

std::vector<std::string> FakeCallLog::mutations() const {
  std::vector<std::string> out;
  for (const auto& record : records_)
    if (isMutation(record.method)) out.push_back(record.describe());
  return out;
}

bool isMutation(Method method) {
  switch (method) {
    case Method::Ping:
    case Method::Version:
    case Method::InspectContainer:
    case Method::ListContainers:
    case Method::WaitContainer:
    case Method::Logs:
    case Method::Attach:
    case Method::Top:
    case Method::ResizeContainer:
    case Method::InspectExec:
    case Method::ResizeExec:
    case Method::InspectImage:
    case Method::ListImages:
    case Method::InspectNetwork:
    case Method::ListNetworks:
    case Method::InspectVolume:
    case Method::ListVolumes:
    case Method::Events:
      return false;
    default:
      return true;
  }
}

}  // namespace stack::runtime::fake
