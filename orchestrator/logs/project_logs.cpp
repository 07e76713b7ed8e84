#include "orchestrator/logs/project_logs.hpp"

#include <algorithm>
#include <boost/asio/this_coro.hpp>
#include <map>

#include "core/error.hpp"
#include "core/task_group.hpp"
#include "orchestrator/compose/labels.hpp"

namespace stack::orchestrator::logs {
namespace asio = boost::asio;

namespace {

std::string labelOf(const runtime::StringMap& labels_map, std::string_view key) {
  auto it = labels_map.find(std::string(key));
  return it == labels_map.end() ? std::string() : it->second;
}

bool selected(const LogsRequest& request, const std::string& service, int number,
              const std::string& oneoff) {
  if (oneoff == "True") return false;
  if (!request.services.empty() && !request.services.count(service)) return false;
  return !request.index || *request.index == number;
}

struct Follower {
  runtime::Engine& engine;
  const LogsRequest& request;
  LogSink& sink;
  TaskGroup& tasks;
  std::set<std::string> streaming;  // container ids with an open stream

  asio::awaitable<void> pump(std::string id, LogSource source, runtime::LogsOptions options) {
    try {
      auto details = co_await engine.inspectContainer(id);
      options.tty = details.config.tty;
      auto stream = co_await engine.logs(id, options);
      co_await pumpLines(*stream, source, sink);
    } catch (const Error& error) {
      // A container removed while we read it is not an error for `logs`.
      if (error.kind() != ErrorKind::NotFound) {
        streaming.erase(id);
        throw;
      }
    }
    streaming.erase(id);
  }

  void start(const std::string& id, const LogSource& source, const std::string& since) {
    if (!streaming.insert(id).second) return;
    runtime::LogsOptions options;
    options.follow = request.follow;
    options.timestamps = request.timestamps;
    options.tail = since.empty() ? request.tail : "all";
    options.since = since.empty() ? request.since : since;
    options.until = request.until;
    tasks.spawn(pump(id, source, options));
  }

  // Picks up containers that start (or restart) while following.
  asio::awaitable<void> watch(std::unique_ptr<runtime::EventStream> events) {
    while (auto event = co_await events->next()) {
      if (event->action != "start") continue;
      auto& attrs = event->attributes;
      const std::string service = labelOf(attrs, compose::labels::kService);
      const int number = std::atoi(labelOf(attrs, compose::labels::kContainerNumber).c_str());
      if (!selected(request, service, number, labelOf(attrs, compose::labels::kOneoff))) continue;
      start(event->actor_id, {labelOf(attrs, "name"), service, number},
            runtime::unixTimeText(event->time_nano));
    }
  }
};

}  // namespace

asio::awaitable<void> projectLogs(runtime::Engine& engine, const std::string& project,
                                  const LogsRequest& request, LogSink& sink) {
  TaskGroup tasks(co_await asio::this_coro::executor);
  Follower follower{engine, request, sink, tasks, {}};
  std::unique_ptr<runtime::EventStream> events;
  if (request.follow) {
    // Subscribed before listing, so a container starting in between is not missed.
    runtime::EventFilter filter;
    filter.types = {"container"};
    filter.events = {"start"};
    filter.labels = {compose::labels::filter(compose::labels::kProject, project)};
    events = co_await engine.events(filter);
  }
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project)};
  auto containers = co_await engine.listContainers(filter);
  std::sort(containers.begin(), containers.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& container : containers) {
    const std::string service = labelOf(container.labels, compose::labels::kService);
    const int number =
        std::atoi(labelOf(container.labels, compose::labels::kContainerNumber).c_str());
    if (!selected(request, service, number, labelOf(container.labels, compose::labels::kOneoff)))
      continue;
    follower.start(container.id, {container.name, service, number}, "");
  }
  if (events) tasks.spawn(follower.watch(std::move(events)));
  co_await tasks.wait();
}

}  // namespace stack::orchestrator::logs
