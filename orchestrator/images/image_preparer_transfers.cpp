// ImagePreparer, part two: `stack pull` and `stack push`.

#include <functional>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/policies.hpp"
#include "orchestrator/images/bounded_tasks.hpp"
#include "orchestrator/images/image_builder.hpp"
#include "orchestrator/images/image_preparer.hpp"

namespace stack::orchestrator::images {
namespace {

using Task = std::function<boost::asio::awaitable<void>(size_t)>;

bool passesThrough(ErrorKind kind) {
  return kind == ErrorKind::Cancelled || kind == ErrorKind::EngineUnavailable ||
         kind == ErrorKind::Internal;
}

struct Transfer {
  std::string service;
  std::string image;
  bool buildable = false;  // a failure is only a warning: the service can build the image
};

// A second failure while the first one ends the transfers: shown, not lost.
std::function<void(std::exception_ptr)> warningsTo(progress::ProgressSink& progress) {
  return [&progress](std::exception_ptr other) {
    try {
      std::rethrow_exception(other);
    } catch (const std::exception& error) {
      progress.warn(error.what());
    }
  };
}

}  // namespace

boost::asio::awaitable<ImageReport> ImagePreparer::pull(const compose::Project& project,
                                                        const std::set<std::string>& services,
                                                        const PullOptions& options) {
  ImageReport report;
  std::vector<Transfer> candidates;
  std::set<std::string> presence_matters;
  std::set<std::string> images;
  for (const auto& name : selected(project, services)) {
    const compose::Service& service = project.services.at(name);
    auto skip = [&](const std::string& why) {
      progress_.emit({"Service", name, "Skipped", progress::ProgressState::Done, why});
      report.outcomes.push_back({name, service.image, ImageResult::Skipped, "", why});
    };
    const auto policy =
        compose::parsePullPolicy(service.pull_policy).value_or(compose::PullPolicy{});
    if (service.image.empty()) {
      skip("no image to pull");
    } else if (policy.mode == compose::PullMode::Never || policy.mode == compose::PullMode::Build) {
      skip("pull_policy: " + policy.name);
    } else if (service.build && options.ignore_buildable) {
      skip("the image can be built");
    } else if (images.insert(service.image).second) {
      if (policy.mode == compose::PullMode::Missing) presence_matters.insert(service.image);
      candidates.push_back({name, service.image, service.build.has_value()});
    }
  }
  const std::map<std::string, LocalImage> local = co_await inspectAll(presence_matters);
  std::vector<Transfer> transfers;
  for (auto& candidate : candidates) {
    auto it = local.find(candidate.image);
    if (it != local.end() && !it->second.id.empty()) {
      progress_.emit({"Service", candidate.service, "Skipped", progress::ProgressState::Done,
                      "the image is present locally"});
      report.outcomes.push_back(
          {candidate.service, candidate.image, ImageResult::Skipped, it->second.id, "present"});
    } else {
      transfers.push_back(std::move(candidate));
    }
  }
  if (options_.dry_run) {
    for (const auto& transfer : transfers) {
      progress_.emit({"DRY-RUN", transfer.service, "Would pull " + transfer.image,
                      progress::ProgressState::Done});
    }
    co_return report;
  }
  std::vector<ImageOutcome> results(transfers.size());
  std::vector<std::string> must_build;
  Task pull = [&](size_t i) -> boost::asio::awaitable<void> {
    const Transfer& transfer = transfers[i];
    const TransferSubject subject{"Service", transfer.service, options.quiet};
    results[i] = {transfer.service, transfer.image, ImageResult::Pulled};
    try {
      results[i].image_id = co_await transfer_.pull(subject, transfer.image);
    } catch (Error& error) {
      if (passesThrough(error.kind())) throw;
      error.addContext("service \"" + transfer.service + "\"");
      if (!transfer.buildable && !options.ignore_failures) throw;
      if (transfer.buildable) must_build.push_back(transfer.service);
      results[i].result = ImageResult::Failed;
      results[i].detail = error.what();
      progress_.warn(error.what());
    }
  };
  co_await runBounded(transfers.size(), options_.parallel_limit, std::move(pull),
                      warningsTo(progress_));
  if (!must_build.empty()) {
    std::sort(must_build.begin(), must_build.end());
    std::string names;
    for (const auto& name : must_build) names += " " + name;
    progress_.warn("some service images must be built from source: run `stack build" + names + "`");
  }
  for (auto& result : results) report.outcomes.push_back(std::move(result));
  std::stable_sort(report.outcomes.begin(), report.outcomes.end(),
                   [](const auto& a, const auto& b) { return a.service < b.service; });
  co_return report;
}

boost::asio::awaitable<ImageReport> ImagePreparer::push(const compose::Project& project,
                                                        const std::set<std::string>& services,
                                                        const PushOptions& options) {
  ImageReport report;
  std::vector<Transfer> transfers;
  std::set<std::string> images;
  for (const auto& name : selected(project, services)) {
    const compose::Service& service = project.services.at(name);
    // compose pushes what a project builds and names; anything else is someone else's.
    if (!service.build || service.image.empty()) continue;
    std::vector<std::string> tags{service.image};
    tags.insert(tags.end(), service.build->tags.begin(), service.build->tags.end());
    for (const auto& tag : tags) {
      if (images.insert(tag).second) transfers.push_back({name, tag, false});
    }
  }
  if (options_.dry_run) {
    for (const auto& transfer : transfers) {
      progress_.emit({"DRY-RUN", transfer.image, "Would push", progress::ProgressState::Done});
    }
    co_return report;
  }
  std::vector<ImageOutcome> results(transfers.size());
  Task push = [&](size_t i) -> boost::asio::awaitable<void> {
    const Transfer& transfer = transfers[i];
    const TransferSubject subject{"Image", transfer.image, options.quiet};
    results[i] = {transfer.service, transfer.image, ImageResult::Pushed};
    try {
      co_await transfer_.push(subject, transfer.image);
    } catch (Error& error) {
      if (passesThrough(error.kind())) throw;
      error.addContext("service \"" + transfer.service + "\"");
      if (!options.ignore_failures) throw;
      results[i].result = ImageResult::Failed;
      results[i].detail = error.what();
      progress_.warn(error.what());
    }
  };
  co_await runBounded(transfers.size(), options_.parallel_limit, std::move(push),
                      warningsTo(progress_));
  for (auto& result : results) report.outcomes.push_back(std::move(result));
  co_return report;
}

}  // namespace stack::orchestrator::images
