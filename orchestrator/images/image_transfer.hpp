#pragma once

// Pulls and pushes of single images with registry credentials, live progress (bytes done
// against bytes known, summed over layers) and errors a person can act on: an unknown
// image, an unreachable registry and a refused login are told apart, name the service
// and the registry, and carry kind Pull (exit code 1, as every failure).

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "orchestrator/images/registry_credentials.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::images {

// Who a transfer is for, in progress lines and errors.
struct TransferSubject {
  std::string resource;  // "Service" or "Image"
  std::string name;      // the service, or the image reference
  bool quiet = false;    // no Working events (--quiet-pull); the final event still comes
};

class ImageTransfer {
 public:
  ImageTransfer(runtime::Engine& engine, progress::ProgressSink& progress);

  // Pulls `image`; returns the local image id afterwards.
  boost::asio::awaitable<std::string> pull(const TransferSubject& subject,
                                           const std::string& image);
  // Pushes the local image `image` to its registry.
  boost::asio::awaitable<void> push(const TransferSubject& subject, const std::string& image);

  // The credentials, read from the docker config on first use (warnings go to progress).
  const RegistryCredentials& credentials();

 private:
  // Follows the stream, reporting bytes; returns the final totals (current, total).
  boost::asio::awaitable<std::pair<int64_t, int64_t>> follow(runtime::ProgressStream& stream,
                                                             const TransferSubject& subject,
                                                             const char* working);

  runtime::Engine& engine_;
  progress::ProgressSink& progress_;
  std::optional<RegistryCredentials> credentials_;
};

// The error for a failed pull or push of `image`, classified from the engine's message.
// `note` (from RegistryCredentials) is added to the hint when credentials could matter.
Error transferError(const std::string& verb, const std::string& image, const std::string& registry,
                    const std::string& engine_message, const std::string& note);

}  // namespace stack::orchestrator::images
