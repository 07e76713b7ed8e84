#include "runtime/docker/curl_multi.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <mutex>

#include "core/error.hpp"
#include "core/log.hpp"

namespace stack::runtime::docker {
namespace asio = boost::asio;

namespace {

void globalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

struct CurlMulti::SocketWatch {
  SocketWatch(const asio::any_io_executor& executor, curl_socket_t fd)
      : fd(fd), descriptor(executor, fd) {}
  ~SocketWatch() {
    // curl owns the fd: never let the descriptor close it.
    if (descriptor.is_open()) descriptor.release();
  }
  curl_socket_t fd;
  asio::posix::stream_descriptor descriptor;
  int wanted = 0;  // CURL_POLL_IN / OUT / INOUT
  bool read_pending = false;
  bool write_pending = false;
  bool removed = false;
};

CurlTransfer::CurlTransfer() : easy_(nullptr) {
  globalInitOnce();
  easy_ = curl_easy_init();
  if (!easy_) throw Error(ErrorKind::Internal, "curl_easy_init failed");
  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
}

CurlTransfer::~CurlTransfer() {
  curl_easy_cleanup(easy_);
}

CurlMulti::CurlMulti(asio::any_io_executor executor)
    : executor_(std::move(executor)), multi_(nullptr), timer_(executor_) {
  globalInitOnce();
  multi_ = curl_multi_init();
  if (!multi_) throw Error(ErrorKind::Internal, "curl_multi_init failed");
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocketCallback);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimerCallback);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti() {
  *alive_ = false;
  for (auto& [easy, transfer] : transfers_) curl_multi_remove_handle(multi_, easy);
  transfers_.clear();
  watches_.clear();
  curl_multi_cleanup(multi_);
}

void CurlMulti::add(CurlTransfer& transfer) {
  transfers_[transfer.easy()] = &transfer;
  // Adding a handle makes curl call the timer callback, which starts the transfer from
  // the loop; nothing runs synchronously here.
  CURLMcode rc = curl_multi_add_handle(multi_, transfer.easy());
  if (rc != CURLM_OK) {
    transfers_.erase(transfer.easy());
    throw Error(ErrorKind::Internal,
                std::string("curl_multi_add_handle failed: ") + curl_multi_strerror(rc));
  }
}

void CurlMulti::remove(CurlTransfer& transfer) {
  if (transfers_.erase(transfer.easy()) == 0) return;
  curl_multi_remove_handle(multi_, transfer.easy());
}

void CurlMulti::resume(CurlTransfer& transfer) {
  if (!transfers_.count(transfer.easy())) return;
  // May deliver buffered data synchronously through the write callback; the callers
  // (consumer coroutines) are never inside a curl callback themselves.
  curl_easy_pause(transfer.easy(), CURLPAUSE_CONT);
  drainCompletions();
}

int CurlMulti::onSocketCallback(CURL*, curl_socket_t fd, int what, void* self, void*) {
  static_cast<CurlMulti*>(self)->watchSocket(fd, what);
  return 0;
}

int CurlMulti::onTimerCallback(CURLM*, long timeout_ms, void* self) {
  auto* multi = static_cast<CurlMulti*>(self);
  if (timeout_ms < 0) {
    multi->timer_.cancel();
    return 0;
  }
  multi->timer_.expires_after(std::chrono::milliseconds(timeout_ms));
  multi->timer_.async_wait([multi, alive = std::weak_ptr<bool>(multi->alive_)](auto ec) {
    if (ec || alive.expired()) return;
    multi->onTimeout();
  });
  return 0;
}

void CurlMulti::watchSocket(curl_socket_t fd, int what) {
  auto it = watches_.find(fd);
  if (what == CURL_POLL_REMOVE) {
    if (it == watches_.end()) return;
    it->second->removed = true;
    // release() aborts the pending waits; their handlers see `removed` and stop.
    it->second->descriptor.release();
    watches_.erase(it);
    return;
  }
  if (it == watches_.end()) {
    it = watches_.emplace(fd, std::make_shared<SocketWatch>(executor_, fd)).first;
  }
  auto watch = it->second;
  watch->wanted = what;
  if ((what & CURL_POLL_IN) && !watch->read_pending) armWait(watch, true);
  if ((what & CURL_POLL_OUT) && !watch->write_pending) armWait(watch, false);
}

void CurlMulti::armWait(const std::shared_ptr<SocketWatch>& watch, bool for_read) {
  (for_read ? watch->read_pending : watch->write_pending) = true;
  auto type = for_read ? asio::posix::stream_descriptor::wait_read
                       : asio::posix::stream_descriptor::wait_write;
  watch->descriptor.async_wait(
      type, [this, watch, for_read, alive = std::weak_ptr<bool>(alive_)](auto ec) {
        if (alive.expired()) return;
        (for_read ? watch->read_pending : watch->write_pending) = false;
        if (watch->removed) return;
        const int direction = for_read ? CURL_POLL_IN : CURL_POLL_OUT;
        if (ec) {
          // Aborted by release() of a replaced watch, or a descriptor error: let curl
          // find out by acting on the socket once.
          if (ec == asio::error::operation_aborted) return;
          onSocketReady(watch->fd, CURL_CSELECT_ERR);
          return;
        }
        onSocketReady(watch->fd, for_read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
        // Re-arm while curl still wants this direction on this very socket.
        if (!watch->removed && (watch->wanted & direction) &&
            !(for_read ? watch->read_pending : watch->write_pending)) {
          armWait(watch, for_read);
        }
      });
}

void CurlMulti::onSocketReady(curl_socket_t fd, int event_mask) {
  int running = 0;
  curl_multi_socket_action(multi_, fd, event_mask, &running);
  drainCompletions();
}

void CurlMulti::onTimeout() {
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  drainCompletions();
}

void CurlMulti::drainCompletions() {
  int remaining = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &remaining)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    CURLcode result = message->data.result;
    auto it = transfers_.find(easy);
    if (it == transfers_.end()) continue;
    CurlTransfer* transfer = it->second;
    transfers_.erase(it);
    curl_multi_remove_handle(multi_, easy);
    transfer->onDone(result);
  }
}

}  // namespace stack::runtime::docker
