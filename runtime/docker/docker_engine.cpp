// DockerEngine: version negotiation, the request helpers and error classification.

#include "runtime/docker/docker_engine.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "runtime/docker/docker_json.hpp"

namespace stack::runtime::docker {
namespace {

constexpr const char* kMaxApiVersion = "1.41";

// Compares "1.41" style versions numerically.
bool versionLess(const std::string& a, const std::string& b) {
  auto parse = [](const std::string& v) {
    int major = 0, minor = 0;
    std::sscanf(v.c_str(), "%d.%d", &major, &minor);
    return std::pair(major, minor);
  };
  return parse(a) < parse(b);
}

std::string errorMessageOf(const std::string& body) {
  auto json = Json::parse(body, nullptr, false);
  if (json.is_object() && json.contains("message") && json["message"].is_string()) {
    return json["message"].get<std::string>();
  }
  std::string text = body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text.empty() ? "no error message" : text;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

Error engineError(long status, const std::string& body, const std::string& what) {
  const std::string message = errorMessageOf(body);
  ErrorKind kind = ErrorKind::Engine;
  if (status == 404) {
    kind = ErrorKind::NotFound;
  } else if (status == 409 || status == 403) {
    kind = ErrorKind::Conflict;
  } else if (status == 500) {
    // Podman reports conflicts and missing objects as 500; classify by text.
    if (contains(message, "already in use") || contains(message, "is in use") ||
        contains(message, "already exists") || contains(message, "is not running")) {
      kind = ErrorKind::Conflict;
    } else if (contains(message, "no such") || contains(message, "No such")) {
      kind = ErrorKind::NotFound;
    }
  }
  Error error(kind, message);
  error.addContext(what);
  return error;
}

DockerEngine::DockerEngine(boost::asio::any_io_executor executor, Endpoint endpoint)
    : http_(std::move(executor), std::move(endpoint)) {}

DockerEngine::~DockerEngine() = default;

Awaitable<runtime::EngineInfo> DockerEngine::ping() {
  if (info_) co_return *info_;
  HttpRequest request;
  request.target = "/_ping";
  request.timeout = std::chrono::seconds(30);
  HttpResponse response = co_await http_.send(std::move(request));
  if (response.status != 200) {
    throw Error(ErrorKind::EngineUnavailable,
                "the engine at " + http_.endpoint().host + " answered /_ping with HTTP " +
                    std::to_string(response.status) + ": " + errorMessageOf(response.body),
                engineUnavailableHint(http_.endpoint()));
  }
  runtime::EngineInfo info;
  std::string server_api = response.header("api-version");
  if (server_api.empty()) server_api = "1.24";  // what the docker client assumes
  info.api_version = versionLess(server_api, kMaxApiVersion) ? server_api : kMaxApiVersion;
  info.server_version = response.header("server");
  info.os = response.header("ostype");
  info.is_podman = !response.header("libpod-api-version").empty();
  log::get("docker")->debug("engine {} at {}, api {}", info.server_version, http_.endpoint().host,
                            info.api_version);
  info_ = info;
  co_return info;
}

Awaitable<std::string> DockerEngine::prefix() {
  auto info = co_await ping();
  co_return "/v" + info.api_version;
}

Awaitable<HttpResponse> DockerEngine::call(std::string method, std::string path, std::string body,
                                           std::string what, std::chrono::milliseconds timeout) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = co_await prefix() + path;
  request.body = std::move(body);
  request.timeout = timeout;
  HttpResponse response = co_await http_.send(std::move(request));
  if ((response.status >= 200 && response.status < 300) || response.status == 304) {
    co_return response;
  }
  throw engineError(response.status, response.body, what);
}

Awaitable<std::unique_ptr<HttpStream>> DockerEngine::openStream(HttpRequest request,
                                                                std::string what) {
  request.target = co_await prefix() + request.target;
  auto stream = co_await http_.open(std::move(request));
  const long status = stream->status();
  if ((status >= 200 && status < 300) || status == 101) co_return stream;
  std::string body = co_await stream->readAll();
  throw engineError(status, body, what);
}

Awaitable<nlohmann::json> DockerEngine::version() {
  auto response = co_await call("GET", "/version", "", "get engine version");
  co_return parseBody(response.body, "GET /version");
}

}  // namespace stack::runtime::docker
