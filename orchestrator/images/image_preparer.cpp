#include "orchestrator/images/image_preparer.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/images/bounded_tasks.hpp"
#include "orchestrator/images/build_inputs.hpp"
#include "orchestrator/images/image_builder.hpp"

namespace stack::orchestrator::images {
namespace {

using Task = std::function<boost::asio::awaitable<void>(size_t)>;

bool passesThrough(ErrorKind kind) {
  return kind == ErrorKind::Cancelled || kind == ErrorKind::EngineUnavailable ||
         kind == ErrorKind::Internal;
}

void sortByService(std::vector<ImageOutcome>& outcomes) {
  std::stable_sort(outcomes.begin(), outcomes.end(),
                   [](const auto& a, const auto& b) { return a.service < b.service; });
}

}  // namespace

std::filesystem::path defaultDigestCachePath() {
  const char* cache = std::getenv("XDG_CACHE_HOME");
  if (cache && *cache) return std::filesystem::path(cache) / "stack" / "digests";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::filesystem::path(home) / ".cache" / "stack" / "digests";
  return {};
}

const ImageOutcome* ImageReport::find(const std::string& service) const {
  for (const auto& outcome : outcomes) {
    if (outcome.service == service) return &outcome;
  }
  return nullptr;
}

ImagePreparer::ImagePreparer(runtime::Engine& engine, progress::ProgressSink& progress,
                             ImagePreparerOptions options)
    : engine_(engine),
      progress_(progress),
      options_(std::move(options)),
      transfer_(engine, progress) {
  if (options_.digest_cache.empty()) options_.digest_cache = defaultDigestCachePath();
}

std::set<std::string> ImagePreparer::selected(const compose::Project& project,
                                              const std::set<std::string>& services) const {
  if (services.empty()) {
    std::set<std::string> all;
    for (const auto& [name, _] : project.services) all.insert(name);
    return all;
  }
  for (const auto& name : services) {
    if (!project.services.count(name)) {
      throw Error(ErrorKind::Usage, "no such service: " + name,
                  "`stack config --services` lists the project's services");
    }
  }
  return services;
}

boost::asio::awaitable<std::map<std::string, LocalImage>> ImagePreparer::inspectAll(
    const std::set<std::string>& references) {
  const std::vector<std::string> list(references.begin(), references.end());
  std::vector<LocalImage> found(list.size());
  Task inspect = [&](size_t i) -> boost::asio::awaitable<void> {
    found[i] = co_await inspectLocal(engine_, list[i]);
  };
  co_await runBounded(list.size(), options_.parallel_limit, std::move(inspect));
  std::map<std::string, LocalImage> out;
  for (size_t i = 0; i < list.size(); ++i) out[list[i]] = std::move(found[i]);
  co_return out;
}

void ImagePreparer::reportDryRun(const std::vector<ImageTask>& tasks) {
  for (const auto& task : tasks) {
    std::string what = task.pull ? "Would pull " + task.image : std::string();
    if (task.build) what += std::string(what.empty() ? "Would" : ", then") + " build " + task.image;
    progress_.emit(
        {"DRY-RUN", task.service, what + " (" + task.reason + ")", progress::ProgressState::Done});
  }
}

boost::asio::awaitable<ImageReport> ImagePreparer::prepare(const compose::Project& project,
                                                           const std::set<std::string>& services,
                                                           const ImageOptions& options) {
  const std::set<std::string> chosen = selected(project, services);
  std::set<std::string> references;
  for (const auto& name : chosen)
    references.insert(serviceImage(project, project.services.at(name)));
  std::map<std::string, LocalImage> local = co_await inspectAll(references);
  std::vector<ImageTask> tasks =
      planImages(project, chosen, options, local, std::chrono::system_clock::now());
  ImageReport report;
  if (tasks.empty()) co_return report;
  if (options_.dry_run) {
    reportDryRun(tasks);
    co_return report;
  }
  co_await runPulls(tasks, options.quiet_pull, report);
  // A pulled image is not what was inspected: the builder looks at it again.
  for (const auto& outcome : report.outcomes) local.erase(outcome.image);
  co_await runBuilds(project, tasks, options, std::move(local), report);
  sortByService(report.outcomes);
  co_return report;
}

boost::asio::awaitable<void> ImagePreparer::runPulls(std::vector<ImageTask>& tasks, bool quiet,
                                                     ImageReport& report) {
  std::vector<size_t> pulls;
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].pull) pulls.push_back(i);
  }
  std::vector<std::optional<ImageOutcome>> pulled(pulls.size());
  Task pull = [&](size_t k) -> boost::asio::awaitable<void> {
    ImageTask& task = tasks[pulls[k]];
    const TransferSubject subject{"Service", task.service, quiet};
    std::optional<std::string> fallback;
    try {
      const std::string id = co_await transfer_.pull(subject, task.image);
      pulled[k] = ImageOutcome{task.service, task.image, ImageResult::Pulled, id, task.reason};
    } catch (Error& error) {
      if (passesThrough(error.kind())) throw;
      if (!task.build_if_pull_fails) {
        error.addContext("service \"" + task.service + "\"");
        throw;
      }
      fallback = error.message();
    }
    if (fallback) {
      // The service can build what the registry would not give.
      progress_.emit({"Service", task.service, "Pull failed", progress::ProgressState::Warning,
                      *fallback + "; building it instead"});
      task.build = true;
    }
  };
  std::function<void(std::exception_ptr)> warn = [this](std::exception_ptr other) {
    try {
      std::rethrow_exception(other);
    } catch (const std::exception& error) {
      progress_.warn(error.what());
    }
  };
  co_await runBounded(pulls.size(), options_.parallel_limit, std::move(pull), std::move(warn));
  for (auto& outcome : pulled) {
    if (outcome) report.outcomes.push_back(std::move(*outcome));
  }
}

boost::asio::awaitable<void> ImagePreparer::runBuilds(const compose::Project& project,
                                                      const std::vector<ImageTask>& tasks,
                                                      const ImageOptions& options,
                                                      std::map<std::string, LocalImage> known,
                                                      ImageReport& report) {
  std::vector<BuildInputs> builds;
  for (const auto& task : tasks) {
    if (!task.build) continue;
    try {
      builds.push_back(BuildInputs::resolve(project, project.services.at(task.service), options));
    } catch (const Error& error) {
      progress_.emit(
          {"Service", task.service, "Error", progress::ProgressState::Error, error.message()});
      throw;
    }
  }
  if (builds.empty()) co_return;
  ImageBuilderOptions builder_options;
  builder_options.parallel_limit = options_.parallel_limit;
  builder_options.digest_cache = options_.digest_cache;
  ImageBuilder builder(engine_, progress_, transfer_, builder_options);
  std::vector<ImageOutcome> outcomes = co_await builder.run(builds, known);
  report.hash_stats = builder.hashStats();
  for (auto& outcome : outcomes) report.outcomes.push_back(std::move(outcome));
}

boost::asio::awaitable<ImageReport> ImagePreparer::build(const compose::Project& project,
                                                         const std::set<std::string>& services,
                                                         const ImageOptions& options) {
  std::vector<ImageTask> tasks;
  std::set<std::string> images;
  for (const auto& name : selected(project, services)) {
    const compose::Service& service = project.services.at(name);
    if (!service.build) continue;
    ImageTask task{name, serviceImage(project, service), false, true, false, "stack build"};
    if (images.insert(task.image).second) tasks.push_back(std::move(task));
  }
  ImageReport report;
  if (tasks.empty()) co_return report;
  if (options_.dry_run) {
    reportDryRun(tasks);
    co_return report;
  }
  std::map<std::string, LocalImage> known = co_await inspectAll(images);
  co_await runBuilds(project, tasks, options, std::move(known), report);
  sortByService(report.outcomes);
  co_return report;
}

}  // namespace stack::orchestrator::images
