#include "cli/terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "core/async.hpp"
#include "core/error.hpp"

namespace stack::cli {
namespace asio = boost::asio;

bool isTerminal(int fd) {
  return ::isatty(fd) == 1;
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  if (::tcgetattr(fd_, &saved_) != 0) return;  // not a terminal: nothing to do or undo
  termios raw = saved_;
  ::cfmakeraw(&raw);
  active_ = ::tcsetattr(fd_, TCSANOW, &raw) == 0;
}

RawTerminal::~RawTerminal() {
  if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
}

// Reads stdin on its own thread, one chunk per request (see terminal.hpp).
class TerminalIo::StdinReader {
 public:
  explicit StdinReader(const asio::any_io_executor& executor)
      : executor_(executor), shared_(std::make_shared<Shared>(executor)) {
    if (::pipe2(wake_, O_CLOEXEC) != 0) {
      throw Error(ErrorKind::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    thread_ = std::thread([this] { loop(); });
  }

  ~StdinReader() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    [[maybe_unused]] auto written = ::write(wake_[1], "x", 1);
    thread_.join();
    ::close(wake_[0]);
    ::close(wake_[1]);
  }

  StdinReader(const StdinReader&) = delete;
  StdinReader& operator=(const StdinReader&) = delete;

  asio::awaitable<std::optional<std::string>> read() {
    for (;;) {
      std::optional<std::string> chunk;
      bool ended = false;
      {
        std::lock_guard lock(mutex_);
        if (!chunks_.empty()) {
          chunk = std::move(chunks_.front());
          chunks_.pop_front();
        } else {
          ended = eof_;
          want_ = !ended;
        }
      }
      if (chunk || ended) co_return chunk;
      cv_.notify_one();
      // The thread's notify is posted to this loop, so it cannot slip in before the wait.
      co_await shared_->arrived.wait();
    }
  }

 private:
  struct Shared {
    explicit Shared(const asio::any_io_executor& executor) : arrived(executor) {}
    Signal arrived;  // used on the loop's thread only
  };

  void loop() {
    std::array<char, 32 * 1024> buffer;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return stop_ || want_; });
        if (stop_) return;
      }
      pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0 && errno == EINTR) continue;
      if (fds[1].revents != 0) return;
      const ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      {
        std::lock_guard lock(mutex_);
        if (n > 0)
          chunks_.emplace_back(buffer.data(), static_cast<size_t>(n));
        else
          eof_ = true;  // the end, or an error that ends input all the same
        want_ = false;
      }
      asio::post(executor_, [weak = std::weak_ptr<Shared>(shared_)] {
        if (auto shared = weak.lock()) shared->arrived.notify();
      });
      if (n <= 0) return;
    }
  }

  asio::any_io_executor executor_;
  std::shared_ptr<Shared> shared_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  bool want_ = false;
  bool eof_ = false;
  bool stop_ = false;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

TerminalIo::TerminalIo(asio::any_io_executor executor) : executor_(std::move(executor)) {
  std::signal(SIGPIPE, SIG_IGN);
}

TerminalIo::~TerminalIo() = default;

void TerminalIo::begin(bool tty) {
  if (tty && isTerminal(STDIN_FILENO)) raw_.emplace(STDIN_FILENO);
}

void TerminalIo::end() {
  raw_.reset();
}

asio::awaitable<std::optional<std::string>> TerminalIo::read() {
  if (!reader_) reader_ = std::make_unique<StdinReader>(executor_);
  co_return co_await reader_->read();
}

void TerminalIo::write(runtime::OutputKind kind, std::string_view data) {
  const int fd = kind == runtime::OutputKind::Stderr ? STDERR_FILENO : STDOUT_FILENO;
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      pollfd writable{fd, POLLOUT, 0};  // someone else made it non-blocking
      ::poll(&writable, 1, -1);
    } else if (n < 0 && errno != EINTR) {
      throw Error(ErrorKind::Io, std::string("cannot write the output to ") +
                                     (fd == STDOUT_FILENO ? "stdout" : "stderr") + ": " +
                                     std::strerror(errno));
    }
  }
}

std::optional<orchestrator::oneoff::TerminalSize> TerminalIo::terminalSize() {
  winsize size{};
  for (int fd : {STDOUT_FILENO, STDIN_FILENO}) {
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0) {
      return orchestrator::oneoff::TerminalSize{size.ws_row, size.ws_col};
    }
  }
  return std::nullopt;
}

asio::awaitable<void> TerminalIo::resized() {
  if (!window_changes_) window_changes_.emplace(executor_, SIGWINCH);
  co_await window_changes_->async_wait(asio::use_awaitable);
}

}  // namespace stack::cli
