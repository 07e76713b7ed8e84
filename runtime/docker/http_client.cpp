#include "runtime/docker/http_client.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <cstring>

#include "core/error.hpp"
#include "core/log.hpp"

namespace stack::runtime::docker {
namespace asio = boost::asio;

namespace {

constexpr size_t kStreamHighWater = 1 << 20;  // pause a stream beyond 1 MiB unread
constexpr long kConnectTimeoutMs = 5000;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

}  // namespace

// One HTTP request/response on the multi handle, and the state a coroutine waits on.
class Exchange : public CurlTransfer {
 public:
  Exchange(CurlMulti& multi, const Endpoint& endpoint, HttpRequest request, bool streaming)
      : multi_(multi),
        endpoint_(endpoint),
        request_(std::move(request)),
        streaming_(streaming),
        signal_(multi.executor()) {
    configure();
  }

  ~Exchange() override {
    if (active_) multi_.remove(*this);
    if (header_list_) curl_slist_free_all(header_list_);
  }

  void start() {
    active_ = true;
    multi_.add(*this);
  }

  // Suspends until the headers are complete or the transfer ended.
  Awaitable<void> awaitHeaders() {
    while (!headers_complete_ && !done_) co_await waitForProgress();
    if (done_ && result_ != CURLE_OK) throwTransferError();
  }

  // Suspends until the whole response is in.
  Awaitable<void> awaitDone() {
    while (!done_) co_await waitForProgress();
    if (result_ != CURLE_OK) throwTransferError();
  }

  Awaitable<std::optional<std::string>> readChunk() {
    while (pending_.empty() && !done_ && !cancelled_) co_await waitForProgress();
    if (!pending_.empty()) {
      std::string chunk = std::move(pending_);
      pending_.clear();
      if (paused_) {
        paused_ = false;
        multi_.resume(*this);
      }
      co_return chunk;
    }
    if (cancelled_) co_return std::nullopt;
    if (result_ != CURLE_OK) throwTransferError();
    co_return std::nullopt;
  }

  void cancel() {
    if (active_) multi_.remove(*this);
    active_ = false;
    cancelled_ = true;
    signal_.cancel();
  }

  long status() const { return status_; }
  const std::map<std::string, std::string>& headers() const { return headers_; }
  std::string takeBody() { return std::move(pending_); }

 protected:
  void onDone(CURLcode result) override {
    active_ = false;
    done_ = true;
    result_ = result;
    curl_easy_getinfo(easy(), CURLINFO_RESPONSE_CODE, &status_);
    signal_.cancel();
  }

 private:
  void configure();
  void addHeader(const std::string& line) {
    header_list_ = curl_slist_append(header_list_, line.c_str());
  }

  Awaitable<void> waitForProgress() {
    signal_.expires_at(asio::steady_timer::time_point::max());
    co_await signal_.async_wait(asio::as_tuple(asio::use_awaitable));
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) {
      cancel();
      throw Error(ErrorKind::Cancelled,
                  "request cancelled: " + request_.method + " " + request_.target);
    }
  }

  [[noreturn]] void throwTransferError() const;

  static size_t onWrite(char* data, size_t size, size_t count, void* self);
  static size_t onHeader(char* data, size_t size, size_t count, void* self);
  static size_t onRead(char* buffer, size_t size, size_t count, void* self);

  CurlMulti& multi_;
  const Endpoint& endpoint_;
  HttpRequest request_;
  bool streaming_;
  asio::steady_timer signal_;
  curl_slist* header_list_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = {};

  bool active_ = false;
  bool headers_complete_ = false;
  bool done_ = false;
  bool cancelled_ = false;
  bool paused_ = false;
  CURLcode result_ = CURLE_OK;
  long status_ = 0;
  std::map<std::string, std::string> headers_;
  std::string pending_;
  std::exception_ptr upload_error_;
};

void Exchange::configure() {
  CURL* handle = easy();
  const std::string url = endpoint_.base_url + request_.target;
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  if (endpoint_.isUnix()) {
    curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH, endpoint_.socket_path.c_str());
  }
  if (endpoint_.tls) {
    curl_easy_setopt(handle, CURLOPT_SSLCERT, endpoint_.cert_file.c_str());
    curl_easy_setopt(handle, CURLOPT_SSLKEY, endpoint_.key_file.c_str());
    if (endpoint_.tls_verify) {
      curl_easy_setopt(handle, CURLOPT_CAINFO, endpoint_.ca_file.c_str());
    } else {
      curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request_.method.c_str());
  // A HEAD response has headers only: without NOBODY curl would wait for the body.
  if (request_.method == "HEAD") curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  if (request_.timeout.count() > 0) {
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request_.timeout.count()));
  }
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Exchange::onWrite);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &Exchange::onHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, this);

  // curl would otherwise add "Expect: 100-continue" to large or chunked bodies.
  addHeader("Expect:");
  if (request_.upload) {
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, &Exchange::onRead);
    curl_easy_setopt(handle, CURLOPT_READDATA, this);
    addHeader("Content-Type: " +
              (request_.content_type.empty() ? "application/x-tar" : request_.content_type));
    addHeader("Transfer-Encoding: chunked");
  } else if (!request_.body.empty() || request_.method == "POST") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request_.body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(request_.body.size()));
    addHeader("Content-Type: " +
              (request_.content_type.empty() ? "application/json" : request_.content_type));
  }
  if (request_.upgrade) {
    addHeader("Connection: Upgrade");
    addHeader("Upgrade: tcp");
  }
  for (const auto& line : request_.headers) addHeader(line);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list_);
}

size_t Exchange::onWrite(char* data, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  const size_t bytes = size * count;
  if (exchange->streaming_ && exchange->pending_.size() >= kStreamHighWater) {
    // curl keeps this chunk and hands it to us again after curl_easy_pause(CONT).
    exchange->paused_ = true;
    return CURL_WRITEFUNC_PAUSE;
  }
  exchange->pending_.append(data, bytes);
  exchange->signal_.cancel();
  return bytes;
}

size_t Exchange::onHeader(char* data, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    exchange->headers_.clear();  // a new response, e.g. after an interim 1xx
    return bytes;
  }
  if (trim(line).empty()) {
    long code = 0;
    curl_easy_getinfo(exchange->easy(), CURLINFO_RESPONSE_CODE, &code);
    if (code >= 200 || code == 101) {
      exchange->status_ = code;
      exchange->headers_complete_ = true;
      exchange->signal_.cancel();
    }
    return bytes;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    exchange->headers_[lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return bytes;
}

size_t Exchange::onRead(char* buffer, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  try {
    return exchange->request_.upload->read(buffer, size * count);
  } catch (...) {
    // Exceptions must not cross curl's C frames; rethrown by throwTransferError().
    exchange->upload_error_ = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

void Exchange::throwTransferError() const {
  if (upload_error_) std::rethrow_exception(upload_error_);
  std::string detail = error_buffer_[0] ? error_buffer_ : curl_easy_strerror(result_);
  long os_errno = 0;
  curl_easy_getinfo(easy(), CURLINFO_OS_ERRNO, &os_errno);
  // curl describes a unix-socket failure as "connect to localhost port 80"; the errno
  // ("No such file or directory", "Permission denied") is what the user needs.
  if (endpoint_.isUnix() && os_errno != 0) detail = std::strerror(static_cast<int>(os_errno));
  const std::string what = request_.method + " " + request_.target;
  switch (result_) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_PEER_FAILED_VERIFICATION:
      throw Error(ErrorKind::EngineUnavailable,
                  "cannot connect to the Docker engine at " + endpoint_.host + ": " + detail,
                  engineUnavailableHint(endpoint_));
    case CURLE_OPERATION_TIMEDOUT:
      throw Error(ErrorKind::Timeout, "the engine did not answer in time: " + what + ": " + detail);
    default:
      throw Error(ErrorKind::Engine,
                  "connection to the engine failed during " + what + ": " + detail);
  }
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpStream::HttpStream(std::unique_ptr<Exchange> exchange) : exchange_(std::move(exchange)) {}
HttpStream::~HttpStream() = default;
long HttpStream::status() const {
  return exchange_->status();
}
const std::map<std::string, std::string>& HttpStream::headers() const {
  return exchange_->headers();
}
Awaitable<std::optional<std::string>> HttpStream::read() {
  return exchange_->readChunk();
}

Awaitable<std::string> HttpStream::readAll() {
  std::string body;
  while (auto chunk = co_await exchange_->readChunk()) body += *chunk;
  co_return body;
}

void HttpStream::cancel() {
  exchange_->cancel();
}

HttpClient::HttpClient(asio::any_io_executor executor, Endpoint endpoint)
    : endpoint_(std::move(endpoint)), multi_(std::move(executor)) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<Exchange> HttpClient::prepare(HttpRequest request, bool streaming) {
  log::get("docker")->debug("{} {}", request.method, request.target);
  return std::make_unique<Exchange>(multi_, endpoint_, std::move(request), streaming);
}

Awaitable<HttpResponse> HttpClient::send(HttpRequest request) {
  auto exchange = prepare(std::move(request), false);
  exchange->start();
  co_await exchange->awaitDone();
  HttpResponse response;
  response.status = exchange->status();
  response.headers = exchange->headers();
  response.body = exchange->takeBody();
  co_return response;
}

Awaitable<std::unique_ptr<HttpStream>> HttpClient::open(HttpRequest request) {
  auto exchange = prepare(std::move(request), true);
  exchange->start();
  co_await exchange->awaitHeaders();
  co_return std::make_unique<HttpStream>(std::move(exchange));
}

}  // namespace stack::runtime::docker
