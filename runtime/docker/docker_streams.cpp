// DockerEngine: streaming calls. Logs, events, build, pull and push stream through
// libcurl with the runtime/decode decoders; attach and exec start use a hijacked
// connection (hijack.hpp) because they also carry stdin.

#include <deque>

#include "runtime/builder_choice.hpp"
#include "runtime/decode/event_decoder.hpp"
#include "runtime/decode/output_decoder.hpp"
#include "runtime/decode/progress_decoder.hpp"
#include "runtime/docker/docker_engine.hpp"
#include "runtime/docker/docker_json.hpp"
#include "runtime/docker/hijack.hpp"

namespace stack::runtime::docker {
namespace {

using namespace std::chrono_literals;

std::string inQuotes(const std::string& name) {
  return "\"" + name + "\"";
}

// Adapts an HTTP body and a decoder into a Stream<T>. `Decoder` has feed(bytes, out) and
// finish(out) appending T values.
template <class T, class Decoder>
class DecodedStream : public runtime::Stream<T> {
 public:
  DecodedStream(std::unique_ptr<HttpStream> http, Decoder decoder)
      : http_(std::move(http)), decoder_(std::move(decoder)) {}

  Awaitable<std::optional<T>> next() override {
    while (queue_.empty() && !ended_ && !cancelled_) {
      auto chunk = co_await http_->read();
      std::vector<T> decoded;
      if (!chunk) {
        ended_ = true;
        decoder_.finish(decoded);
      } else {
        decoder_.feed(*chunk, decoded);
      }
      for (auto& item : decoded) queue_.push_back(std::move(item));
    }
    if (cancelled_ || queue_.empty()) co_return std::nullopt;
    T item = std::move(queue_.front());
    queue_.pop_front();
    co_return item;
  }

  void cancel() override {
    cancelled_ = true;
    http_->cancel();
  }

 private:
  std::unique_ptr<HttpStream> http_;
  Decoder decoder_;
  std::deque<T> queue_;
  bool ended_ = false;
  bool cancelled_ = false;
};

// The output decoders finish without producing anything; give them the common shape.
struct OutputDecoding {
  std::unique_ptr<runtime::decode::OutputDecoder> decoder;
  void feed(std::string_view bytes, std::vector<runtime::OutputChunk>& out) {
    decoder->feed(bytes, out);
  }
  void finish(std::vector<runtime::OutputChunk>&) { decoder->finish(); }
};

// Build and pull report failures in-band: the failing message is delivered (so progress
// shows it), and the next call throws with `kind`.
class ProgressStreamImpl final : public runtime::ProgressStream {
 public:
  ProgressStreamImpl(std::unique_ptr<HttpStream> http, ErrorKind kind, std::string what)
      : inner_(std::move(http), runtime::decode::ProgressDecoder()),
        kind_(kind),
        what_(std::move(what)) {}

  Awaitable<std::optional<runtime::ProgressMessage>> next() override {
    if (!failure_.empty()) throw Error(kind_, failure_).addContext(what_);
    auto message = co_await inner_.next();
    if (message && !message->error.empty()) failure_ = message->error;
    co_return message;
  }
  void cancel() override { inner_.cancel(); }

 private:
  DecodedStream<runtime::ProgressMessage, runtime::decode::ProgressDecoder> inner_;
  ErrorKind kind_;
  std::string what_;
  std::string failure_;
};

class AttachedStreamImpl final : public runtime::AttachedStream {
 public:
  AttachedStreamImpl(std::unique_ptr<HijackedConnection> connection, bool tty)
      : connection_(std::move(connection)), decoder_(runtime::decode::makeOutputDecoder(tty)) {}

  Awaitable<std::optional<runtime::OutputChunk>> next() override {
    while (queue_.empty() && !ended_) {
      // Not a conditional expression: g++ 12 destroys a co_await result inside ?: twice.
      std::optional<std::string> bytes;
      if (connection_) bytes = co_await connection_->read();
      std::vector<runtime::OutputChunk> decoded;
      if (!bytes) {
        ended_ = true;
        decoder_->finish();
      } else {
        decoder_->feed(*bytes, decoded);
      }
      for (auto& chunk : decoded) queue_.push_back(std::move(chunk));
    }
    if (queue_.empty()) co_return std::nullopt;
    auto chunk = std::move(queue_.front());
    queue_.pop_front();
    co_return chunk;
  }
  void cancel() override {
    ended_ = true;
    if (connection_) connection_->cancel();
  }
  Awaitable<void> write(std::string_view data) override {
    if (!connection_) throw Error(ErrorKind::Engine, "stdin is not attached");
    co_await connection_->write(data);
  }
  Awaitable<void> closeWrite() override {
    if (connection_) co_await connection_->closeWrite();
  }

 private:
  std::unique_ptr<HijackedConnection> connection_;  // null for a detached exec
  std::unique_ptr<runtime::decode::OutputDecoder> decoder_;
  std::deque<runtime::OutputChunk> queue_;
  bool ended_ = false;
};

// version=2 selects BuildKit, which dockerd feeds the tar body as its context when no
// session is named (runtime/builder_choice.hpp says when).
std::string buildQuery(const runtime::BuildRequest& request, bool buildkit) {
  std::string query = buildkit ? "/build?version=2&rm=1" : "/build?version=1&rm=1";
  auto add = [&query](const std::string& key, const std::string& value) {
    query += "&" + key + "=" + urlEncode(value);
  };
  for (const auto& tag : request.tags) add("t", tag);
  if (!request.dockerfile.empty()) add("dockerfile", request.dockerfile);
  if (!request.build_args.empty()) add("buildargs", Json(request.build_args).dump());
  if (!request.labels.empty()) add("labels", Json(request.labels).dump());
  if (!request.cache_from.empty()) add("cachefrom", Json(request.cache_from).dump());
  if (!request.target.empty()) add("target", request.target);
  if (!request.network_mode.empty()) add("networkmode", request.network_mode);
  if (!request.platform.empty()) add("platform", request.platform);
  if (!request.extra_hosts.empty()) {
    std::string hosts;
    for (const auto& host : request.extra_hosts) hosts += (hosts.empty() ? "" : ",") + host;
    add("extrahosts", hosts);
  }
  if (request.shm_size > 0) add("shmsize", std::to_string(request.shm_size));
  if (request.no_cache) add("nocache", "1");
  if (request.pull) add("pull", "1");
  if (request.force_rm) add("forcerm", "1");
  if (request.quiet) add("q", "1");
  return query;
}

}  // namespace

Awaitable<std::unique_ptr<runtime::OutputStream>> DockerEngine::logs(
    const std::string& id, const runtime::LogsOptions& options) {
  std::string path =
      "/containers/" + urlEncode(id) + "/logs?follow=" + (options.follow ? "1" : "0") +
      "&stdout=" + (options.stdout ? "1" : "0") + "&stderr=" + (options.stderr ? "1" : "0") +
      "&timestamps=" + (options.timestamps ? "1" : "0") + "&tail=" + urlEncode(options.tail);
  if (!options.since.empty()) path += "&since=" + urlEncode(options.since);
  if (!options.until.empty()) path += "&until=" + urlEncode(options.until);
  HttpRequest request;
  request.target = path;
  auto http = co_await openStream(std::move(request), "logs of " + inQuotes(id));
  co_return std::make_unique<DecodedStream<runtime::OutputChunk, OutputDecoding>>(
      std::move(http), OutputDecoding{runtime::decode::makeOutputDecoder(options.tty)});
}

Awaitable<std::unique_ptr<runtime::AttachedStream>> DockerEngine::attach(
    const std::string& id, const runtime::AttachOptions& options) {
  auto flag = [](bool value) { return value ? "1" : "0"; };
  std::string target = co_await prefix() + "/containers/" + urlEncode(id) +
                       "/attach?stream=" + flag(options.stream) + "&logs=" + flag(options.logs) +
                       "&stdin=" + flag(options.stdin) + "&stdout=" + flag(options.stdout) +
                       "&stderr=" + flag(options.stderr);
  auto connection = co_await HijackedConnection::open(http_.executor(), http_.endpoint(), "POST",
                                                      target, "", "attach to " + inQuotes(id));
  co_return std::make_unique<AttachedStreamImpl>(std::move(connection), options.tty);
}

Awaitable<std::unique_ptr<runtime::AttachedStream>> DockerEngine::startExec(
    const std::string& exec_id, const runtime::ExecStartOptions& options) {
  Json body = {{"Detach", options.detach}, {"Tty", options.tty}};
  const std::string path = "/exec/" + urlEncode(exec_id) + "/start";
  if (options.detach) {
    co_await call("POST", path, body.dump(), "start exec " + inQuotes(exec_id));
    co_return std::make_unique<AttachedStreamImpl>(nullptr, options.tty);
  }
  auto connection = co_await HijackedConnection::open(http_.executor(), http_.endpoint(), "POST",
                                                      co_await prefix() + path, body.dump(),
                                                      "start exec " + inQuotes(exec_id));
  co_return std::make_unique<AttachedStreamImpl>(std::move(connection), options.tty);
}

Awaitable<std::unique_ptr<runtime::ProgressStream>> DockerEngine::buildImage(
    runtime::BuildRequest request) {
  const runtime::EngineInfo info = co_await ping();
  const bool buildkit =
      runtime::chooseBuilder(info, runtime::builderRequestFromEnvironment()).buildkit;
  HttpRequest http;
  http.method = "POST";
  http.target = buildQuery(request, buildkit);
  http.upload = request.context;
  if (!request.registry_config.empty()) {
    Json config = Json::object();
    for (const auto& [registry, auth] : request.registry_config) config[registry] = authJson(auth);
    http.headers.push_back("X-Registry-Config: " + base64(config.dump(), true));
  }
  const std::string what =
      "build " + (request.tags.empty() ? std::string("image") : inQuotes(request.tags[0]));
  auto stream = co_await openStream(std::move(http), what);
  co_return std::make_unique<ProgressStreamImpl>(std::move(stream), ErrorKind::Build, what);
}

Awaitable<std::unique_ptr<runtime::ProgressStream>> DockerEngine::pullImage(
    const std::string& image, const std::string& tag, const runtime::RegistryAuth& auth) {
  if (tag.empty()) throw Error(ErrorKind::Internal, "pull without a tag would pull every tag");
  HttpRequest http;
  http.method = "POST";
  http.target = "/images/create?fromImage=" + urlEncode(image) + "&tag=" + urlEncode(tag);
  http.headers.push_back(registryAuthHeader(auth));
  const std::string what = "pull " + inQuotes(image + ":" + tag);
  auto stream = co_await openStream(std::move(http), what);
  co_return std::make_unique<ProgressStreamImpl>(std::move(stream), ErrorKind::Pull, what);
}

Awaitable<std::unique_ptr<runtime::ProgressStream>> DockerEngine::pushImage(
    const std::string& image, const std::string& tag, const runtime::RegistryAuth& auth) {
  HttpRequest http;
  http.method = "POST";
  http.target = "/images/" + urlEncode(image) + "/push";
  if (!tag.empty()) http.target += "?tag=" + urlEncode(tag);
  http.headers.push_back(registryAuthHeader(auth));
  const std::string what = "push " + inQuotes(image + (tag.empty() ? "" : ":" + tag));
  auto stream = co_await openStream(std::move(http), what);
  co_return std::make_unique<ProgressStreamImpl>(std::move(stream), ErrorKind::Pull, what);
}

Awaitable<std::unique_ptr<runtime::EventStream>> DockerEngine::events(
    const runtime::EventFilter& filter) {
  std::string path = "/events?";
  if (!filter.since.empty()) path += "since=" + urlEncode(filter.since) + "&";
  if (!filter.until.empty()) path += "until=" + urlEncode(filter.until) + "&";
  Json filters = Json::object();
  if (!filter.types.empty()) filters["type"] = filter.types;
  if (!filter.labels.empty()) filters["label"] = filter.labels;
  if (!filter.events.empty()) filters["event"] = filter.events;
  if (!filters.empty()) path += "filters=" + urlEncode(filters.dump());
  HttpRequest http;
  http.target = path;
  auto stream = co_await openStream(std::move(http), "follow engine events");
  co_return std::make_unique<DecodedStream<runtime::EngineEvent, runtime::decode::EventDecoder>>(
      std::move(stream), runtime::decode::EventDecoder());
}

}  // namespace stack::runtime::docker
