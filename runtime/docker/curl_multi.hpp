#pragma once

// Drives libcurl's multi-socket API from an Asio io_context, so any number of HTTP
// transfers run concurrently on the one loop thread without blocking it.
//
// Modelled on curl's hiperfifo.c / multi-uv.c, not on the removed asiohiper.cpp (curl
// issues #1191, #2407). The rules that make it correct:
// 1. curl owns every socket. We wrap its fd in a posix::stream_descriptor only to wait for
//    readiness, re-arm while curl still wants that direction, and release() the fd (never
//    close it) when curl says CURL_POLL_REMOVE.
// 2. One steady_timer serves curl's timer callback; -1 cancels it, 0 schedules a zero
//    timer, so curl is never re-entered from inside its own callback.
// 3. After every socket_action we drain curl_multi_info_read.
// 4. Transfers are removed from the loop, never from inside a curl callback.

#include <curl/curl.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>

namespace stack::runtime::docker {

// One transfer on the multi handle. Owns its easy handle; the subclass configures it and
// is told when it finishes.
class CurlTransfer {
 public:
  CurlTransfer();
  virtual ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  CURL* easy() const { return easy_; }

 protected:
  friend class CurlMulti;
  // Called on the loop, outside any curl callback, once the transfer has ended.
  virtual void onDone(CURLcode result) = 0;

 private:
  CURL* easy_;
};

class CurlMulti {
 public:
  explicit CurlMulti(boost::asio::any_io_executor executor);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts a transfer. It must stay alive until onDone() or remove().
  void add(CurlTransfer& transfer);
  // Stops a transfer that has not finished; onDone() is not called. Safe to call for a
  // finished or unknown transfer.
  void remove(CurlTransfer& transfer);

  // Lets a paused transfer continue (after its consumer drained buffered data).
  void resume(CurlTransfer& transfer);

  boost::asio::any_io_executor executor() const { return executor_; }

 private:
  struct SocketWatch;

  static int onSocketCallback(CURL* easy, curl_socket_t fd, int what, void* self, void*);
  static int onTimerCallback(CURLM*, long timeout_ms, void* self);
  void watchSocket(curl_socket_t fd, int what);
  void armWait(const std::shared_ptr<SocketWatch>& watch, bool for_read);
  void onSocketReady(curl_socket_t fd, int event_mask);
  void onTimeout();
  void drainCompletions();

  boost::asio::any_io_executor executor_;
  CURLM* multi_;
  boost::asio::steady_timer timer_;
  std::map<curl_socket_t, std::shared_ptr<SocketWatch>> watches_;
  std::map<CURL*, CurlTransfer*> transfers_;
  // Handlers hold a weak reference so they do nothing once this object is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace stack::runtime::docker
