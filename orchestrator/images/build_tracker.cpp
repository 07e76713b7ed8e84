#include "orchestrator/images/build_tracker.hpp"

#include <cstdlib>

namespace stack::orchestrator::images {
namespace {

// "Step 3/7 : RUN make" -> (3, 7, "RUN make"); false for any other line.
bool parseStep(const std::string& line, int& step, int& steps, std::string& instruction) {
  if (line.rfind("Step ", 0) != 0) return false;
  char* end = nullptr;
  const long n = std::strtol(line.c_str() + 5, &end, 10);
  if (end == line.c_str() + 5 || *end != '/') return false;
  char* total_end = nullptr;
  const long m = std::strtol(end + 1, &total_end, 10);
  if (total_end == end + 1 || n <= 0 || m < n) return false;
  std::string rest = total_end;
  if (rest.rfind(" : ", 0) == 0) rest = rest.substr(3);
  step = static_cast<int>(n);
  steps = static_cast<int>(m);
  instruction = rest;
  return true;
}

// The classic builder wraps a RUN step's stderr in colour codes; a report wants text.
std::string stripAnsi(const std::string& line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      i += 2;
      while (i < line.size() && !(line[i] >= '@' && line[i] <= '~')) ++i;
      continue;
    }
    out += line[i];
  }
  return out;
}

}  // namespace

bool BuildTracker::feed(const runtime::ProgressMessage& message) {
  if (!message.aux_id.empty()) image_id_ = message.aux_id;
  if (!message.error.empty()) error_ = message.error;
  bool started = false;
  std::string text = partial_ + message.stream;
  partial_.clear();
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      partial_ = text.substr(start);
      break;
    }
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    start = end + 1;
    if (parseStep(line, step_, steps_, instruction_)) {
      lines_.clear();
      started = true;
      continue;
    }
    addLine(std::move(line));
  }
  return started;
}

void BuildTracker::addLine(std::string line) {
  lines_.push_back(stripAnsi(line));
  while (lines_.size() > kTailLines) lines_.pop_front();
}

std::vector<std::string> BuildTracker::tail() const {
  std::vector<std::string> out(lines_.begin(), lines_.end());
  if (std::string partial = stripAnsi(partial_); !partial.empty()) out.push_back(partial);
  if (out.size() > kTailLines) out.erase(out.begin(), out.end() - kTailLines);
  return out;
}

}  // namespace stack::orchestrator::images
