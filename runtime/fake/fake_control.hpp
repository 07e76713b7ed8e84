#pragma once

// The test-side controls of the FakeEngine, reached through FakeEngine::scripts(),
// faults(), registry() and calls(). They are plain stores: the engine consults them on
// every call. See fake_scripts.hpp for the value types.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/fake/fake_scripts.hpp"
#include "runtime/fake/fake_util.hpp"

namespace stack::runtime::fake {

// Behaviour of processes, execs and builds, by target (see fake_scripts.hpp for the
// lookup order: container name, image reference, image id, "").
class FakeScripts {
 public:
  // Every run of the matching containers behaves like `script`.
  void process(const std::string& target, ProcessScript script);
  // Run n of a container (0-based, counting every start, restarts included) behaves like
  // runs[n]; the last one repeats. For "fails twice, then stays up" scenarios.
  void processRuns(const std::string& target, std::vector<ProcessScript> runs);
  // Adds an exec script; earlier scripts of a target win over later ones.
  void exec(const std::string& target, ExecScript script);
  void build(const std::string& tag, BuildScript script);
  void clear();

  // --- lookups used by the engine --------------------------------------------------
  // The script of run `run` for the first target in `keys` that has one.
  std::optional<ProcessScript> findProcess(const std::vector<std::string>& keys, int run) const;
  struct ExecMatch {
    const ExecScript* script = nullptr;
    std::string key;  // identifies the script, for per-container call counters
  };
  std::optional<ExecMatch> findExec(const std::vector<std::string>& keys,
                                    const std::vector<std::string>& cmd) const;
  std::optional<BuildScript> findBuild(const std::string& tag) const;

 private:
  std::map<std::string, std::vector<ProcessScript>> processes_;
  std::map<std::string, std::vector<ExecScript>> execs_;
  std::map<std::string, BuildScript> builds_;
};

// Failure and delay injection, and engine availability.
class FakeFaults {
 public:
  void add(Fault fault);
  // The next `times` calls of `method` (whose subject matches `match`, when given) throw
  // stack::Error(kind, message) without doing anything.
  void failNext(Method method, ErrorKind kind, std::string message = "injected failure",
                int times = 1, std::string match = {});
  // The next `times` matching calls wait `delay` of model time first.
  void delayNext(Method method, nanoseconds delay, int times = 1, std::string match = {});
  // While unavailable, every call throws EngineUnavailable, and pending or later next()
  // of open streams and pending waits throw it too (the connection dropped). Containers
  // keep running: only the API is gone, as when dockerd restarts with live-restore.
  void setUnavailable(bool unavailable);
  bool unavailable() const { return unavailable_; }
  // Faults that still have calls to affect.
  size_t remaining() const { return faults_.size(); }
  void clear() { faults_.clear(); }

  // --- used by the engine ----------------------------------------------------------
  // Consumes one use of the first fault matching the call.
  std::optional<Fault> take(Method method, const std::vector<std::string>& subjects);
  void onAvailabilityChange(std::function<void(bool)> hook) { hook_ = std::move(hook); }

 private:
  std::vector<Fault> faults_;
  bool unavailable_ = false;
  std::function<void(bool)> hook_;
};

// The images a registry offers. Pulls of anything else fail in-band as dockerd's do;
// pushes add to it.
class FakeRegistry {
 public:
  struct Entry {
    RegistryImage image;
    std::string digest;  // sha256:..., stable for the entry's content
  };

  // Offers `reference` ("redis:7", "registry.local:5000/app:1"; no tag means latest).
  void add(const std::string& reference, RegistryImage image = {});
  void remove(const std::string& reference);
  bool has(const std::string& reference) const;
  // Pulls and pushes of `repository` need these credentials.
  void requireAuth(const std::string& repository, RegistryAuth auth);
  // Pushes to `repository` are refused ("denied: requested access to the resource is
  // denied").
  void denyPush(const std::string& repository);
  // Time one layer takes to download or upload (model time; default 0).
  void setLayerDuration(nanoseconds duration) { layer_duration_ = duration; }
  nanoseconds layerDuration() const { return layer_duration_; }

  // --- used by the engine ----------------------------------------------------------
  const Entry* find(const ImageReference& reference) const;
  bool repositoryExists(const std::string& repository) const;
  // True when `auth` satisfies the repository's requirement (or there is none).
  bool authorised(const std::string& repository, const RegistryAuth& auth) const;
  bool pushDenied(const std::string& repository) const;
  void store(const ImageReference& reference, RegistryImage image);
  // The manifest digest an entry gets: stable for the same reference and content.
  static std::string digestOf(const ImageReference& reference, const RegistryImage& image);

 private:
  std::map<std::string, Entry> images_;  // by familiar "repository:tag"
  std::map<std::string, RegistryAuth> auth_;
  std::vector<std::string> push_denied_;
  nanoseconds layer_duration_{0};
};

// Every call the engine received, in order. Setup calls count too: clear() after setup.
class FakeCallLog {
 public:
  const std::vector<CallRecord>& records() const { return records_; }
  size_t count(Method method) const;
  // Calls of `method` whose subject or resolved name is `name`.
  size_t count(Method method, const std::string& name) const;
  // "createContainer web", "startContainer web", ... in order.
  std::vector<std::string> describe() const;
  // describe(), restricted to calls that can change engine state (no ping, version,
  // inspect, list, wait, logs, top, resize or events): what a no-op `up` must leave empty.
  std::vector<std::string> mutations() const;
  void clear() { records_.clear(); }

  void record(CallRecord record) { records_.push_back(std::move(record)); }

 private:
  std::vector<CallRecord> records_;
};

// True for methods that can change engine state.
bool isMutation(Method method);

}  // namespace stack::runtime::fake
