// DockerContainerArchive: HEAD, GET and PUT /containers/{id}/archive. Downloads stream as
// raw bytes; the path stat comes base64-encoded in X-Docker-Container-Path-Stat.

#include "runtime/docker/docker_container_archive.hpp"

#include <openssl/evp.h>

#include "runtime/docker/docker_json.hpp"

namespace stack::runtime::docker {
namespace {

using namespace std::chrono_literals;

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string archiveTarget(const std::string& id, const std::string& path) {
  return "/containers/" + urlEncode(id) + "/archive?path=" + urlEncode(path);
}

// The engine's 404 on a HEAD has no body; say what its GET would.
Error missingPath(const std::string& id, const std::string& path) {
  return Error(ErrorKind::NotFound, "Could not find the file " + path + " in container " + id);
}

std::string base64Decode(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(text.data()),
                                   static_cast<int>(text.size()));
  if (size < 0) return {};
  out.resize(static_cast<size_t>(size));
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    if (!out.empty()) out.pop_back();
  }
  return out;
}

// X-Docker-Container-Path-Stat: base64 of {"name","size","mode","mtime","linkTarget"}.
runtime::PathStat parsePathStat(const std::string& header, const std::string& what) {
  runtime::PathStat stat;
  const Json json = Json::parse(base64Decode(header), nullptr, false);
  if (!json.is_object()) {
    throw Error(ErrorKind::Engine, "the engine sent no readable path stat").addContext(what);
  }
  stat.name = json.value("name", std::string());
  if (json.contains("size") && json["size"].is_number()) stat.size = json["size"].get<int64_t>();
  if (json.contains("mode") && json["mode"].is_number()) stat.mode = json["mode"].get<uint32_t>();
  stat.mtime = json.value("mtime", std::string());
  stat.link_target = json.value("linkTarget", std::string());
  return stat;
}

class HttpByteStream final : public runtime::ByteStream {
 public:
  explicit HttpByteStream(std::unique_ptr<HttpStream> http) : http_(std::move(http)) {}
  Awaitable<std::optional<std::string>> next() override {
    if (cancelled_) co_return std::nullopt;
    co_return co_await http_->read();
  }
  void cancel() override {
    cancelled_ = true;
    http_->cancel();
  }

 private:
  std::unique_ptr<HttpStream> http_;
  bool cancelled_ = false;
};

}  // namespace

DockerContainerArchive::DockerContainerArchive(boost::asio::any_io_executor executor,
                                               DockerEngine& engine)
    : engine_(engine), http_(std::move(executor), engine.endpoint()) {}

Awaitable<std::string> DockerContainerArchive::target(const std::string& id,
                                                      const std::string& path) {
  const runtime::EngineInfo info = co_await engine_.ping();
  co_return "/v" + info.api_version + archiveTarget(id, path);
}

Awaitable<void> DockerContainerArchive::upload(const std::string& id, const std::string& path,
                                               std::shared_ptr<runtime::BodySource> tar,
                                               runtime::CopyToOptions options) {
  HttpRequest request;
  request.method = "PUT";
  request.target = co_await target(id, path);
  request.target += std::string("&noOverwriteDirNonDir=") +
                    (options.no_overwrite_dir_non_dir ? "true" : "false") +
                    "&copyUIDGID=" + (options.copy_uid_gid ? "true" : "false");
  request.upload = std::move(tar);
  request.content_type = "application/x-tar";
  const HttpResponse response = co_await http_.send(std::move(request));
  if (response.status >= 200 && response.status < 300) co_return;
  throw engineError(response.status, response.body,
                    "copy files into container " + quoted(id) + " at " + path);
}

Awaitable<runtime::PathStat> DockerContainerArchive::statPath(const std::string& id,
                                                              const std::string& path) {
  HttpRequest request;
  request.method = "HEAD";
  request.target = co_await target(id, path);
  request.timeout = 60s;
  const HttpResponse response = co_await http_.send(std::move(request));
  const std::string what = "stat " + path + " in container " + quoted(id);
  if (response.status == 404) {
    // A HEAD's 404 has no body: tell "no such container" from a missing path.
    co_await engine_.inspectContainer(id);  // throws NotFound "No such container"
    throw missingPath(id, path);
  }
  if (response.status < 200 || response.status >= 300) {
    throw engineError(response.status, response.body, what);
  }
  co_return parsePathStat(response.header("x-docker-container-path-stat"), what);
}

Awaitable<runtime::ArchiveDownload> DockerContainerArchive::download(const std::string& id,
                                                                     const std::string& path) {
  HttpRequest request;
  request.target = co_await target(id, path);
  const std::string what = "copy " + path + " from container " + quoted(id);
  auto stream = co_await http_.open(std::move(request));
  if (stream->status() < 200 || stream->status() >= 300) {
    const std::string body = co_await stream->readAll();
    throw engineError(stream->status(), body, what);
  }
  runtime::ArchiveDownload out;
  const auto& headers = stream->headers();
  const auto stat = headers.find("x-docker-container-path-stat");
  out.stat = parsePathStat(stat == headers.end() ? "" : stat->second, what);
  out.tar = std::make_unique<HttpByteStream>(std::move(stream));
  co_return out;
}

}  // namespace stack::runtime::docker
