#include "runtime/fake/fake_streams.hpp"

#include <boost/system/system_error.hpp>

namespace stack::runtime::fake::detail {
namespace {

Error unavailable() {
  return Error(ErrorKind::EngineUnavailable,
               "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the "
               "docker daemon running?");
}

// What every stream shares: the daemon link, the connection epoch and the ended flag.
class StreamLink {
 public:
  explicit StreamLink(std::weak_ptr<Daemon> daemon)
      : daemon_(std::move(daemon)), epoch_(lock() ? lock()->connectionEpoch() : 0) {}

  std::shared_ptr<Daemon> lock() const { return daemon_.lock(); }
  bool ended() const {
    auto d = lock();
    return ended_ || !d || d->shutDown();
  }
  void end() { ended_ = true; }
  // Throws EngineUnavailable when the connection this stream rides on has dropped.
  void checkConnection() const {
    auto d = lock();
    if (d && (d->connectionEpoch() != epoch_ || d->faults.unavailable())) throw unavailable();
  }
  // Suspends until `signal` fires. A cancelled wait ends the stream and throws Cancelled.
  Awaitable<void> wait(Signal& signal) {
    try {
      co_await signal.wait();
    } catch (const Error&) {
      ended_ = true;
      throw;
    } catch (const boost::system::system_error&) {
      // Asio refuses to start any await in a coroutine that is already cancelled.
      ended_ = true;
      throw cancelledError();
    }
  }

 private:
  std::weak_ptr<Daemon> daemon_;
  uint64_t epoch_;
  bool ended_ = false;
};

class ContainerStream final : public AttachedStream {
 public:
  ContainerStream(std::weak_ptr<Daemon> daemon, std::shared_ptr<ContainerRecord> c, OutputPlan plan)
      : link_(std::move(daemon)), c_(std::move(c)), plan_(std::move(plan)) {
    if (plan_.until) {
      if (auto d = link_.lock())
        d->clock.scheduleAt(*plan_.until, [weak = std::weak_ptr<ContainerRecord>(c_)] {
          if (auto c = weak.lock()) c->changed.notify();
        });
    }
  }

  Awaitable<std::optional<OutputChunk>> next() override {
    for (;;) {
      if (link_.ended()) co_return std::nullopt;
      link_.checkConnection();
      if (!plan_.backlog.empty()) {
        OutputChunk chunk = std::move(plan_.backlog.front());
        plan_.backlog.pop_front();
        co_return chunk;
      }
      if (plan_.follow_run == 0) co_return std::nullopt;
      if (auto chunk = nextFollowed()) co_return chunk;
      if (followEnded()) co_return std::nullopt;
      co_await link_.wait(c_->changed);
    }
  }

  void cancel() override {
    link_.end();
    c_->changed.notify();
  }

  Awaitable<void> write(std::string_view data) override {
    requireStdin();
    if (auto d = link_.lock(); d && !c_->removed) d->writeStdin(*c_, std::string(data));
    co_return;
  }

  Awaitable<void> closeWrite() override {
    requireStdin();
    if (auto d = link_.lock(); d && !c_->removed) d->closeStdin(*c_);
    co_return;
  }

 private:
  void requireStdin() const {
    if (!plan_.stdin) throw Error(ErrorKind::Internal, "stdin was not attached to this stream");
    link_.checkConnection();
  }

  std::optional<OutputChunk> nextFollowed() {
    while (plan_.cursor < c_->output.size()) {
      const LogEntry& entry = c_->output[plan_.cursor++];
      if (plan_.only_run && entry.run != plan_.follow_run) continue;
      if (plan_.until && entry.time > *plan_.until) {
        plan_.follow_run = 0;
        return std::nullopt;
      }
      if (entry.kind == OutputKind::Stdout ? plan_.stdout : plan_.stderr)
        return toChunk(entry, plan_.timestamps);
    }
    return std::nullopt;
  }

  bool followEnded() const {
    if (plan_.follow_run == 0 || c_->removed || c_->runs_ended >= plan_.follow_run) return true;
    auto d = link_.lock();
    return plan_.until && d && d->clock.now() >= *plan_.until;
  }

  StreamLink link_;
  std::shared_ptr<ContainerRecord> c_;
  OutputPlan plan_;
};

class ExecStream final : public AttachedStream {
 public:
  ExecStream(std::weak_ptr<Daemon> daemon, std::shared_ptr<ExecRecord> e, bool detached, bool stdin)
      : link_(std::move(daemon)), e_(std::move(e)), detached_(detached), stdin_(stdin) {}

  Awaitable<std::optional<OutputChunk>> next() override {
    for (;;) {
      if (detached_ || link_.ended()) co_return std::nullopt;
      link_.checkConnection();
      if (cursor_ < e_->output.size()) co_return toChunk(e_->output[cursor_++], false);
      if (!e_->running) co_return std::nullopt;
      co_await link_.wait(e_->changed);
    }
  }

  void cancel() override {
    link_.end();
    e_->changed.notify();
  }

  Awaitable<void> write(std::string_view data) override {
    if (!stdin_) throw Error(ErrorKind::Internal, "stdin was not attached to this exec");
    link_.checkConnection();
    if (e_->running) e_->stdin_data.append(data);
    co_return;
  }

  Awaitable<void> closeWrite() override {
    if (!stdin_) throw Error(ErrorKind::Internal, "stdin was not attached to this exec");
    co_return;
  }

 private:
  StreamLink link_;
  std::shared_ptr<ExecRecord> e_;
  size_t cursor_ = 0;
  bool detached_;
  bool stdin_;
};

class EventFollower final : public EventStream {
 public:
  EventFollower(std::weak_ptr<Daemon> daemon, EventFilter filter, size_t start,
                std::optional<Timestamp> until)
      : link_(std::move(daemon)), filter_(std::move(filter)), cursor_(start), until_(until) {
    auto d = link_.lock();
    if (until_ && d)
      d->clock.scheduleAt(*until_, [weak = std::weak_ptr<Daemon>(d)] {
        if (auto live = weak.lock()) live->eventsChanged().notify();
      });
  }

  Awaitable<std::optional<EngineEvent>> next() override {
    for (;;) {
      if (link_.ended()) co_return std::nullopt;
      link_.checkConnection();
      auto d = link_.lock();
      const auto& history = d->eventHistory();
      while (cursor_ < history.size()) {
        const EngineEvent& event = history[cursor_++];
        if (until_ && event.time_nano > until_->count()) {
          link_.end();
          co_return std::nullopt;
        }
        if (eventMatches(event, filter_)) co_return event;
      }
      if (until_ && d->clock.now() >= *until_) co_return std::nullopt;
      co_await link_.wait(d->eventsChanged());
    }
  }

  void cancel() override {
    link_.end();
    if (auto d = link_.lock()) d->eventsChanged().notify();
  }

 private:
  StreamLink link_;
  EventFilter filter_;
  size_t cursor_;
  std::optional<Timestamp> until_;
};

class ProgressPlayer final : public ProgressStream {
 public:
  ProgressPlayer(std::weak_ptr<Daemon> daemon, std::vector<ProgressStep> steps, ErrorKind kind)
      : link_(std::move(daemon)), steps_(std::move(steps)), kind_(kind) {}

  Awaitable<std::optional<ProgressMessage>> next() override {
    if (link_.ended()) co_return std::nullopt;
    if (!error_.empty()) {
      link_.end();
      throw Error(kind_, error_);
    }
    link_.checkConnection();
    if (index_ >= steps_.size()) co_return std::nullopt;
    ProgressStep& step = steps_[index_];
    if (step.delay.count() > 0 && !co_await delay(step.delay)) co_return std::nullopt;
    ++index_;
    if (step.action) step.action();
    if (!step.message.error.empty()) error_ = step.message.error;
    co_return step.message;
  }

  void cancel() override {
    link_.end();
    if (auto d = link_.lock()) d->eventsChanged().notify();
  }

 private:
  // Waits `duration` of model time on the daemon's wake-up signal, which cancel(), a
  // dropped connection and the engine's shutdown also fire. False when the stream ended.
  Awaitable<bool> delay(nanoseconds duration) {
    auto d = link_.lock();
    auto fired = std::make_shared<bool>(false);
    const auto id = d->clock.schedule(duration, [weak = std::weak_ptr<Daemon>(d), fired] {
      *fired = true;
      if (auto live = weak.lock()) live->eventsChanged().notify();
    });
    struct Forget {
      Daemon& d;
      FakeClock::TimerId id;
      ~Forget() { d.clock.cancel(id); }
    } forget{*d, id};
    while (!*fired) {
      if (link_.ended()) co_return false;
      link_.checkConnection();
      co_await link_.wait(d->eventsChanged());
    }
    co_return !link_.ended();
  }

  StreamLink link_;
  std::vector<ProgressStep> steps_;
  size_t index_ = 0;
  ErrorKind kind_;
  std::string error_;
};

bool actionMatches(const std::string& action, const std::vector<std::string>& wanted) {
  if (wanted.empty()) return true;
  // daemon/events/filter.go: these three match by prefix ("health_status: healthy").
  bool fuzzy = false;
  for (const auto& w : wanted)
    fuzzy = fuzzy || w == "health_status" || w == "exec_create" || w == "exec_start";
  for (const auto& w : wanted)
    if (action == w || (fuzzy && action.rfind(w, 0) == 0)) return true;
  return false;
}

}  // namespace

bool eventMatches(const EngineEvent& event, const EventFilter& filter) {
  if (!filter.types.empty() &&
      std::find(filter.types.begin(), filter.types.end(), event.type) == filter.types.end())
    return false;
  return actionMatches(event.action, filter.events) && matchLabels(event.attributes, filter.labels);
}

OutputChunk toChunk(const LogEntry& entry, bool timestamps) {
  if (!timestamps) return OutputChunk{entry.kind, entry.data};
  return OutputChunk{entry.kind, rfc3339NanoFixed(entry.time) + " " + entry.data};
}

std::unique_ptr<AttachedStream> makeContainerStream(std::weak_ptr<Daemon> daemon,
                                                    std::shared_ptr<ContainerRecord> container,
                                                    OutputPlan plan) {
  return std::make_unique<ContainerStream>(std::move(daemon), std::move(container),
                                           std::move(plan));
}

std::unique_ptr<AttachedStream> makeExecStream(std::weak_ptr<Daemon> daemon,
                                               std::shared_ptr<ExecRecord> exec, bool detached,
                                               bool stdin) {
  return std::make_unique<ExecStream>(std::move(daemon), std::move(exec), detached, stdin);
}

std::unique_ptr<EventStream> makeEventStream(std::weak_ptr<Daemon> daemon, EventFilter filter,
                                             size_t start, std::optional<Timestamp> until) {
  return std::make_unique<EventFollower>(std::move(daemon), std::move(filter), start, until);
}

std::unique_ptr<ProgressStream> makeProgressStream(std::weak_ptr<Daemon> daemon,
                                                   std::vector<ProgressStep> steps,
                                                   ErrorKind error_kind) {
  return std::make_unique<ProgressPlayer>(std::move(daemon), std::move(steps), error_kind);
}

ProgressMessage streamMessage(std::string text) {
  ProgressMessage m;
  m.raw = {{"stream", text}};
  m.stream = std::move(text);
  return m;
}

ProgressMessage statusMessage(std::string status, std::string id, int64_t current, int64_t total) {
  ProgressMessage m;
  m.raw = {{"status", status}};
  if (!id.empty()) m.raw["id"] = id;
  if (total > 0) {
    m.raw["progressDetail"] = {{"current", current}, {"total", total}};
    const int width = 50;
    const int64_t filled = total > 0 ? current * width / total : 0;
    m.progress = "[" + std::string(static_cast<size_t>(std::max<int64_t>(filled - 1, 0)), '=') +
                 (filled > 0 ? ">" : "") + std::string(static_cast<size_t>(width - filled), ' ') +
                 "]";
    m.raw["progress"] = m.progress;
  } else {
    m.raw["progressDetail"] = nlohmann::json::object();
  }
  m.status = std::move(status);
  m.id = std::move(id);
  m.current = current;
  m.total = total;
  return m;
}

ProgressMessage auxMessage(std::string image_id) {
  ProgressMessage m;
  m.raw = {{"aux", {{"ID", image_id}}}};
  m.aux_id = std::move(image_id);
  return m;
}

ProgressMessage errorMessage(std::string error, int code) {
  ProgressMessage m;
  nlohmann::json detail = {{"message", error}};
  if (code != 0) detail["code"] = code;
  m.raw = {{"errorDetail", detail}, {"error", error}};
  m.error = std::move(error);
  return m;
}

}  // namespace stack::runtime::fake::detail
