#include "orchestrator/images/build_tracker.hpp"

#include <cstdlib>

#include "core/error.hpp"
#include "core/log.hpp"
#include "runtime/decode/buildkit_decoder.hpp"

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

// Both builders may colour a step's stderr; a report wants text.
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

void BuildTracker::Lines::add(const std::string& text) {
  std::string all = partial + text;
  partial.clear();
  size_t start = 0;
  while (start < all.size()) {
    const size_t end = all.find('\n', start);
    if (end == std::string::npos) {
      partial = all.substr(start);
      break;
    }
    std::string line = all.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    start = end + 1;
    lines.push_back(stripAnsi(line));
    while (lines.size() > kTailLines) lines.pop_front();
  }
}

std::vector<std::string> BuildTracker::Lines::tail() const {
  std::vector<std::string> out(lines.begin(), lines.end());
  if (std::string rest = stripAnsi(partial); !rest.empty()) out.push_back(rest);
  if (out.size() > kTailLines) out.erase(out.begin(), out.end() - kTailLines);
  return out;
}

bool BuildTracker::feed(const runtime::ProgressMessage& message) {
  if (!message.aux_id.empty()) image_id_ = message.aux_id;
  if (!message.error.empty()) error_ = message.error;
  if (message.id == "moby.buildkit.trace") {
    const auto aux = message.raw.find("aux");
    if (aux != message.raw.end() && aux->is_string()) {
      try {
        return feedBuildkit(runtime::decode::decodeBuildkitStatus(
            runtime::decode::decodeBase64(aux->get<std::string>())));
      } catch (const Error& error) {
        // One unreadable status costs a progress update, not the build.
        log::get("images")->warn("{}", error.what());
        return false;
      }
    }
  }
  bool started = false;
  std::string text = classic_.partial + message.stream;
  classic_.partial.clear();
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      classic_.partial = text.substr(start);
      break;
    }
    std::string line = text.substr(start, end - start + 1);
    start = end + 1;
    std::string bare = line.substr(0, line.size() - 1);
    if (!bare.empty() && bare.back() == '\r') bare.pop_back();
    if (parseStep(bare, step_, steps_, instruction_)) {
      classic_.lines.clear();
      started = true;
      continue;
    }
    classic_.add(line);
  }
  return started;
}

bool BuildTracker::feedBuildkit(const runtime::BuildkitStatus& status) {
  buildkit_ = true;
  const int old_step = step_;
  const std::string old_running = running_;
  for (const auto& v : status.vertexes) {
    Vertex& vertex = vertexes_[v.digest];
    if (!v.name.empty()) vertex.name = v.name;
    if (v.started != 0 && !vertex.started) {
      vertex.started = true;
      running_ = v.digest;
    }
    if (v.completed != 0 && !vertex.completed) {
      vertex.completed = true;
      ++step_;
    }
    if (!v.error.empty()) {
      vertex.error = v.error;
      if (failed_.empty()) failed_ = v.digest;
    }
  }
  for (const auto& log : status.logs) vertexes_[log.vertex].output.add(log.data);
  steps_ = static_cast<int>(vertexes_.size());
  if (const Vertex* shown = reportedVertex()) instruction_ = shown->name;
  return step_ != old_step || running_ != old_running;
}

const BuildTracker::Vertex* BuildTracker::reportedVertex() const {
  for (const std::string& digest : {failed_, running_}) {
    if (auto it = vertexes_.find(digest); !digest.empty() && it != vertexes_.end()) {
      return &it->second;
    }
  }
  return nullptr;
}

std::string BuildTracker::where() const {
  if (buildkit_) {
    const Vertex* shown = reportedVertex();
    return shown ? shown->name : std::string();
  }
  if (step_ == 0) return "";
  return "step " + std::to_string(step_) + "/" + std::to_string(steps_) + " (" + instruction_ + ")";
}

std::vector<std::string> BuildTracker::tail() const {
  if (!buildkit_) return classic_.tail();
  const Vertex* shown = reportedVertex();
  return shown ? shown->output.tail() : std::vector<std::string>();
}

}  // namespace stack::orchestrator::images
