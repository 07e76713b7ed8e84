#include "orchestrator/images/image_transfer.hpp"

#include <chrono>
#include <utility>

#include "core/error.hpp"
#include "orchestrator/images/image_reference.hpp"
#include "orchestrator/images/pull_tracker.hpp"

namespace stack::orchestrator::images {
namespace {

bool mentions(const std::string& text, std::initializer_list<const char*> needles) {
  for (const char* needle : needles) {
    if (text.find(needle) != std::string::npos) return true;
  }
  return false;
}

bool passesThrough(ErrorKind kind) {
  return kind == ErrorKind::Cancelled || kind == ErrorKind::EngineUnavailable ||
         kind == ErrorKind::Internal;
}

}  // namespace

Error transferError(const std::string& verb, const std::string& image, const std::string& registry,
                    const std::string& engine_message, const std::string& note) {
  const std::string login = "add credentials for " + registry +
                            " to `auths` in ~/.docker/config.json (`docker login " + registry +
                            "` writes them)";
  std::string message;
  std::string hint;
  if (mentions(engine_message, {"connection refused", "no such host", "dial tcp", "i/o timeout",
                                "no route to host", "network is unreachable", "TLS handshake",
                                "server gave HTTP response", "connection reset"})) {
    message = "the registry " + registry + " cannot be reached to " + verb + " \"" + image +
              "\": " + engine_message;
    hint =
        "check that the registry runs and that the engine can reach it (address, proxy, DNS; "
        "a plain-HTTP registry must be in the engine's insecure-registries)";
  } else if (mentions(engine_message, {"manifest unknown", "not found", "does not exist"})) {
    message =
        verb == "push"
            ? "the image \"" + image + "\" does not exist locally: " + engine_message
            : "the image \"" + image + "\" was not found in " + registry + ": " + engine_message;
    hint = verb == "push" ? "build or tag it first (`stack build`)"
                          : "check the image name and tag; if the repository is private, " + login;
  } else if (mentions(engine_message, {"unauthorized", "authentication required", "denied",
                                       "no basic auth credentials"})) {
    message = "the registry " + registry + " refused to let stack " + verb + " \"" + image +
              "\": " + engine_message;
    hint = login;
  } else {
    message = verb + " of \"" + image + "\" failed: " + engine_message;
  }
  if (!note.empty()) hint += (hint.empty() ? "" : "; ") + note;
  return Error(ErrorKind::Pull, message, hint);
}

ImageTransfer::ImageTransfer(runtime::Engine& engine, progress::ProgressSink& progress)
    : engine_(engine), progress_(progress) {}

const RegistryCredentials& ImageTransfer::credentials() {
  if (!credentials_) {
    credentials_ = RegistryCredentials::load();
    for (const auto& warning : credentials_->warnings()) progress_.warn(warning);
  }
  return *credentials_;
}

boost::asio::awaitable<std::pair<int64_t, int64_t>> ImageTransfer::follow(
    runtime::ProgressStream& stream, const TransferSubject& subject, const char* working) {
  using Clock = std::chrono::steady_clock;
  PullTracker tracker;
  Clock::time_point last_emit{};
  int64_t last_total = 0;
  while (true) {
    std::optional<runtime::ProgressMessage> message = co_await stream.next();
    if (!message) break;
    if (!tracker.feed(*message) || subject.quiet || tracker.total() == 0) continue;
    // A pull sends a line per layer per chunk: redraw when a layer's size becomes known,
    // else at most ten times a second.
    const auto now = Clock::now();
    if (tracker.total() == last_total && now - last_emit < std::chrono::milliseconds(100)) {
      continue;
    }
    last_emit = now;
    last_total = tracker.total();
    progress::ProgressEvent event{subject.resource, subject.name, working,
                                  progress::ProgressState::Working};
    event.current = tracker.current();
    event.total = tracker.total();
    event.unit = progress::ProgressUnit::Bytes;
    progress_.emit(event);
  }
  co_return std::make_pair(tracker.current(), tracker.total());
}

boost::asio::awaitable<std::string> ImageTransfer::pull(const TransferSubject& subject,
                                                        const std::string& image) {
  const ImageReference reference = ImageReference::parse(image);
  const RegistryCredentials::Match match = credentials().find(reference.registry());
  progress_.emit(
      {subject.resource, subject.name, "Pulling", progress::ProgressState::Working, image});
  std::optional<std::string> failure;
  std::pair<int64_t, int64_t> bytes;
  try {
    const std::string repository = reference.repository;
    const std::string tag = reference.tagOrDigest();
    auto stream = co_await engine_.pullImage(repository, tag, match.auth);
    bytes = co_await follow(*stream, subject, "Pulling");
  } catch (const Error& error) {
    if (passesThrough(error.kind())) throw;
    failure = error.message();
  }
  if (failure) {
    Error error = transferError("pull", image, reference.registry(), *failure, match.note);
    progress_.emit(
        {subject.resource, subject.name, "Error", progress::ProgressState::Error, error.message()});
    throw error;
  }
  runtime::ImageDetails details = co_await engine_.inspectImage(image);
  progress::ProgressEvent done{subject.resource, subject.name, "Pulled",
                               progress::ProgressState::Done};
  done.current = bytes.first;
  done.total = bytes.second;
  done.unit = progress::ProgressUnit::Bytes;
  progress_.emit(done);
  co_return details.id;
}

boost::asio::awaitable<void> ImageTransfer::push(const TransferSubject& subject,
                                                 const std::string& image) {
  const ImageReference reference = ImageReference::parse(image);
  const RegistryCredentials::Match match = credentials().find(reference.registry());
  progress_.emit(
      {subject.resource, subject.name, "Pushing", progress::ProgressState::Working, image});
  std::optional<std::string> failure;
  std::pair<int64_t, int64_t> bytes;
  try {
    const std::string repository = reference.repository;
    const std::string tag = reference.tagOrDigest();
    auto stream = co_await engine_.pushImage(repository, tag, match.auth);
    bytes = co_await follow(*stream, subject, "Pushing");
  } catch (const Error& error) {
    if (passesThrough(error.kind())) throw;
    failure = error.message();
  }
  if (failure) {
    Error error = transferError("push", image, reference.registry(), *failure, match.note);
    progress_.emit(
        {subject.resource, subject.name, "Error", progress::ProgressState::Error, error.message()});
    throw error;
  }
  progress::ProgressEvent done{subject.resource, subject.name, "Pushed",
                               progress::ProgressState::Done};
  done.current = bytes.first;
  done.total = bytes.second;
  done.unit = progress::ProgressUnit::Bytes;
  progress_.emit(done);
}

}  // namespace stack::orchestrator::images
