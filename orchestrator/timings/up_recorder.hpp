#pragma once

// Records an UpRecord while an `up` runs. It is fed three ways: the up's progress events
// (through RecordingSink: images built, pulled or skipped; containers created, starting,
// started), its plan (which container belongs to which service, which gate holds which
// dependent), and the dependency waiter (when each gate began and ended, and what said
// the dependency was ready).

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "orchestrator/planner/plan.hpp"
#include "orchestrator/progress/progress.hpp"
#include "orchestrator/timings/up_record.hpp"

namespace stack::orchestrator::timings {

class UpRecorder {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Time 0 is now.
  explicit UpRecorder(std::string project, Clock clock = std::chrono::steady_clock::now);

  // Milliseconds since time 0.
  int64_t now() const;

  void observe(const progress::ProgressEvent& event);
  // The plan is made: images are ready and the engine was observed.
  void planned(const planner::Plan& plan);
  void gateWaiting(const std::string& service, const std::string& condition);
  void gateReady(const std::string& service, const std::string& condition, const std::string& by);
  // The up returned (or attached): `error` is empty when it succeeded.
  void finish(const std::string& error = {});

  const UpRecord& record() const { return record_; }

 private:
  GateRecord& gate(const std::string& service, const std::string& condition);

  Clock clock_;
  std::chrono::steady_clock::time_point start_;
  UpRecord record_;
  std::map<std::string, std::string> container_services_;  // container name -> service
  std::map<std::pair<std::string, std::string>, std::set<std::string>> gate_dependents_;
};

// Passes every event on to `inner` and shows it to `recorder`.
class RecordingSink final : public progress::ProgressSink {
 public:
  RecordingSink(progress::ProgressSink& inner, UpRecorder& recorder)
      : inner_(inner), recorder_(recorder) {}
  void emit(const progress::ProgressEvent& event) override {
    recorder_.observe(event);
    inner_.emit(event);
  }
  void warn(const std::string& message) override { inner_.warn(message); }
  void info(const std::string& message) override { inner_.info(message); }

 private:
  progress::ProgressSink& inner_;
  UpRecorder& recorder_;
};

}  // namespace stack::orchestrator::timings
