#include "orchestrator/images/image_builder.hpp"

#include <functional>

#include "core/error.hpp"
#include "core/log.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/images/bounded_tasks.hpp"
#include "orchestrator/images/image_reference.hpp"

namespace stack::orchestrator::images {
namespace {

bool passesThrough(ErrorKind kind) {
  return kind == ErrorKind::Cancelled || kind == ErrorKind::EngineUnavailable ||
         kind == ErrorKind::Internal;
}

std::string shortId(const std::string& id) {
  const size_t start = id.rfind("sha256:", 0) == 0 ? 7 : 0;
  return id.substr(start, 12);
}

// Waves of builds: a build comes after every build that produces one of its bases.
std::vector<std::vector<size_t>> buildWaves(const std::vector<BuildInputs>& builds) {
  std::map<std::string, size_t> producer;  // normalized tag -> build
  for (size_t i = 0; i < builds.size(); ++i) {
    for (const auto& tag : builds[i].tags()) producer[normalizeImageReference(tag)] = i;
  }
  std::vector<size_t> level(builds.size(), 0);
  for (size_t round = 0; round <= builds.size(); ++round) {
    bool changed = false;
    for (size_t i = 0; i < builds.size(); ++i) {
      for (const auto& base : builds[i].bases()) {
        auto it = producer.find(normalizeImageReference(base));
        if (it == producer.end() || it->second == i) continue;
        if (level[i] <= level[it->second]) {
          level[i] = level[it->second] + 1;
          changed = true;
        }
      }
    }
    if (!changed) {
      std::vector<std::vector<size_t>> waves;
      for (size_t i = 0; i < builds.size(); ++i) {
        if (waves.size() <= level[i]) waves.resize(level[i] + 1);
        waves[level[i]].push_back(i);
      }
      return waves;
    }
  }
  throw Error(ErrorKind::Config,
              "the services' Dockerfiles use each other's images as bases in a "
              "cycle",
              "check the FROM lines of the services that build");
}

}  // namespace

boost::asio::awaitable<LocalImage> inspectLocal(runtime::Engine& engine,
                                                const std::string& reference) {
  std::optional<runtime::ImageDetails> details;
  try {
    details = co_await engine.inspectImage(reference);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::NotFound) throw;
  }
  LocalImage local;
  if (!details) co_return local;
  local.id = details->id;
  local.created = details->created;
  if (auto it = details->config.labels.find(std::string(compose::labels::kBuildHash));
      it != details->config.labels.end()) {
    local.build_hash = it->second;
  }
  co_return local;
}

namespace {

// What to do, for the engine errors that have a known cause.
std::string buildHint(const std::string& service, const std::string& message) {
  if (message.find("no active sessions") != std::string::npos) {
    return "the Dockerfile mounts a secret or an SSH agent (RUN --mount=type=secret|ssh), "
           "which needs a BuildKit client session stack does not open; build it with "
           "`docker compose build " +
           service + "`";
  }
  if (message.find("requires BuildKit") != std::string::npos ||
      message.find("--chmod option requires") != std::string::npos) {
    return "this Dockerfile needs BuildKit: unset DOCKER_BUILDKIT=0 (or enable BuildKit in "
           "the engine)";
  }
  if (message.find("not supported by buildkit") != std::string::npos) {
    return "BuildKit builds on the default network, host or none; change build.network or set "
           "DOCKER_BUILDKIT=0";
  }
  return "fix the Dockerfile or the context, then run `stack build " + service + "`";
}

}  // namespace

Error buildError(const std::string& service, const BuildTracker& tracker,
                 const std::string& engine_message) {
  std::string message = "build failed";
  if (const std::string where = tracker.where(); !where.empty()) message += " at " + where;
  const std::string cause = tracker.error().empty() ? engine_message : tracker.error();
  message += ": " + cause;
  const auto tail = tracker.tail();
  if (!tail.empty()) {
    message += "\noutput of the failing step:";
    for (const auto& line : tail) message += "\n  " + line;
  }
  return Error(ErrorKind::Build, message, buildHint(service, cause + " " + engine_message))
      .addContext("service \"" + service + "\"");
}

ImageBuilder::ImageBuilder(runtime::Engine& engine, progress::ProgressSink& progress,
                           ImageTransfer& transfer, ImageBuilderOptions options)
    : engine_(engine), progress_(progress), transfer_(transfer), options_(std::move(options)) {}

runtime::context::DigestCache& ImageBuilder::cache() {
  if (!cache_) {
    cache_ = options_.digest_cache.empty()
                 ? runtime::context::DigestCache()
                 : runtime::context::DigestCache::load(options_.digest_cache);
  }
  return *cache_;
}

void ImageBuilder::saveCache() {
  if (!cache_ || options_.digest_cache.empty() || stats_.cache_hits == stats_.files) return;
  try {
    cache_->save(options_.digest_cache);
  } catch (const Error& error) {
    // A cache that cannot be written costs the next run a cold hash, nothing more.
    log::get("images")->warn("{}", error.what());
  }
}

boost::asio::awaitable<std::vector<ImageOutcome>> ImageBuilder::run(
    const std::vector<BuildInputs>& builds, const std::map<std::string, LocalImage>& known) {
  std::vector<ImageOutcome> outcomes(builds.size());
  std::exception_ptr failure;
  try {
    co_await chooseBuilderOnce();
    const std::vector<std::vector<size_t>> waves = buildWaves(builds);
    for (const auto& wave : waves) {
      std::vector<const BuildInputs*> members;
      for (size_t index : wave) members.push_back(&builds[index]);
      co_await resolveBases(members);
      // Named first: g++ 12 may destroy a temporary inside a co_await expression twice.
      std::function<boost::asio::awaitable<void>(size_t)> build =
          [&](size_t i) -> boost::asio::awaitable<void> {
        const BuildInputs& inputs = builds[wave[i]];
        auto it = known.find(inputs.image());
        std::optional<LocalImage> local;
        if (it != known.end()) local = it->second;
        outcomes[wave[i]] = co_await buildOne(inputs, local);
      };
      std::function<void(std::exception_ptr)> warn = [&](std::exception_ptr other) {
        try {
          std::rethrow_exception(other);
        } catch (const std::exception& error) {
          progress_.warn(error.what());
        }
      };
      co_await runBounded(wave.size(), options_.parallel_limit, std::move(build), std::move(warn));
      // Later waves build FROM what this one made: look their ids up again.
      for (size_t index : wave) {
        for (const auto& tag : builds[index].tags()) {
          std::erase_if(base_ids_, [&](const auto& entry) {
            return normalizeImageReference(entry.first) == normalizeImageReference(tag);
          });
        }
      }
    }
  } catch (...) {
    failure = std::current_exception();
  }
  saveCache();
  if (failure) std::rethrow_exception(failure);
  co_return outcomes;
}

boost::asio::awaitable<void> ImageBuilder::chooseBuilderOnce() {
  if (builder_) co_return;
  const runtime::EngineInfo info = co_await engine_.ping();
  builder_ = runtime::chooseBuilder(info, runtime::builderRequestFromEnvironment());
  log::get("images")->info("building with the {}: {}", runtime::builderName(builder_->buildkit),
                           builder_->reason);
}

void ImageBuilder::checkKeys(const BuildInputs& inputs) {
  const std::string where = "service \"" + inputs.service() + "\"";
  for (const auto& issue : inputs.keyIssues(builder_->buildkit)) {
    const std::string text = "build." + issue.key + " " + issue.message;
    if (issue.error) {
      progress_.emit({"Service", inputs.service(), "Error", progress::ProgressState::Error, text});
      throw Error(ErrorKind::Build, text, issue.hint).addContext(where);
    }
    progress_.warn(where + ": " + text + " (" + issue.hint + ")");
  }
}

boost::asio::awaitable<void> ImageBuilder::resolveBases(
    const std::vector<const BuildInputs*>& wave) {
  std::vector<std::string> wanted;
  std::map<std::string, std::string> needed_by;  // base -> first service that needs it
  for (const BuildInputs* inputs : wave) {
    for (const auto& base : inputs->bases()) {
      if (base_ids_.count(base) || needed_by.count(base)) continue;
      wanted.push_back(base);
      needed_by[base] = inputs->service();
    }
  }
  std::function<boost::asio::awaitable<void>(size_t)> resolve =
      [&](size_t i) -> boost::asio::awaitable<void> {
    const std::string& base = wanted[i];
    LocalImage local = co_await inspectLocal(engine_, base);
    if (local.id.empty()) {
      const TransferSubject subject{"Image", base, false};
      try {
        local.id = co_await transfer_.pull(subject, base);
      } catch (Error& error) {
        error.addContext("service \"" + needed_by[base] + "\": base image");
        throw;
      }
    }
    base_ids_[base] = local.id;
  };
  co_await runBounded(wanted.size(), options_.parallel_limit, std::move(resolve));
}

boost::asio::awaitable<ImageOutcome> ImageBuilder::buildOne(const BuildInputs& inputs,
                                                            std::optional<LocalImage> local) {
  if (!local) local = co_await inspectLocal(engine_, inputs.image());
  ImageOutcome outcome{inputs.service(), inputs.image(), ImageResult::Built};
  try {
    outcome.detail = inputs.hash(base_ids_, &cache(), &stats_);
  } catch (Error& error) {  // an unreadable file, a file changing while it is read
    error.addContext("service \"" + inputs.service() + "\": hash the build context");
    throw;
  }
  if (!inputs.forced() && !local->id.empty() && local->build_hash == outcome.detail) {
    co_await ensureTags(inputs, local->id);
    outcome.result = ImageResult::Unchanged;
    outcome.image_id = local->id;
    progress_.emit({"Service", inputs.service(), "Skipped", progress::ProgressState::Done,
                    "build inputs unchanged (" + shortId(local->id) + ")"});
    co_return outcome;
  }
  checkKeys(inputs);
  outcome.image_id = co_await runBuild(inputs, outcome.detail);
  co_return outcome;
}

boost::asio::awaitable<std::string> ImageBuilder::runBuild(const BuildInputs& inputs,
                                                           const std::string& hash) {
  const std::string& service = inputs.service();
  const bool buildkit = builder_->buildkit;
  progress_.emit({"Service", service, "Building", progress::ProgressState::Working,
                  inputs.image() + " (" + runtime::builderName(buildkit) + ")"});
  runtime::BuildRequest request = inputs.request(hash);
  if (request.pull) request.registry_config = transfer_.credentials().all();
  BuildTracker tracker;
  std::optional<std::string> failure;
  try {
    auto stream = co_await engine_.buildImage(std::move(request));
    while (true) {
      std::optional<runtime::ProgressMessage> message = co_await stream->next();
      if (!message) break;
      if (!tracker.feed(*message)) continue;
      progress::ProgressEvent event{"Service", service, "Building",
                                    progress::ProgressState::Working, tracker.instruction()};
      event.current = tracker.step();
      event.total = tracker.steps();
      event.unit = progress::ProgressUnit::Steps;
      progress_.emit(event);
    }
  } catch (const Error& error) {
    if (passesThrough(error.kind())) throw;
    failure = error.message();
  }
  if (failure) {
    Error error = buildError(service, tracker, *failure);
    progress_.emit({"Service", service, "Error", progress::ProgressState::Error,
                    tracker.error().empty() ? *failure : tracker.error()});
    throw error;
  }
  std::string id = tracker.imageId();
  if (id.empty()) {
    const runtime::ImageDetails details = co_await engine_.inspectImage(inputs.image());
    id = details.id;
  }
  progress_.emit({"Service", service, "Built", progress::ProgressState::Done,
                  shortId(id) + " (" + runtime::builderName(buildkit) + ")"});
  co_return id;
}

boost::asio::awaitable<void> ImageBuilder::ensureTags(const BuildInputs& inputs,
                                                      const std::string& id) {
  for (size_t i = 1; i < inputs.tags().size(); ++i) {
    const std::string& tag = inputs.tags()[i];
    const LocalImage local = co_await inspectLocal(engine_, tag);
    if (local.id == id) continue;
    const ImageReference reference = ImageReference::parse(tag);
    const std::string repository = reference.repository;
    const std::string name = reference.tag;
    co_await engine_.tagImage(id, repository, name);
  }
}

}  // namespace stack::orchestrator::images
