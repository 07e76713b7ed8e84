// Removes what killed test processes left behind: fixture projects whose owner process is
// gone or whose lease has expired. No reaper container (Testcontainers' Ryuk needs a
// privileged one and a live connection): the labels alone say what may go.

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "core/log.hpp"
#include "stack/project.hpp"
#include "stack/testing/compose_fixture.hpp"
#include "testing/fixture_owner.hpp"

namespace stack::testing {
namespace {

std::string hostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// Field 22 of /proc/<pid>/stat (start time in clock ticks), "" when there is no such
// process. The command name (field 2) may contain spaces: count after its ')'.
std::string processStartTime(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  for (int index = 3; index <= 22 && (fields >> field); ++index) {
    if (index == 22) return field;
  }
  return {};
}

}  // namespace

std::string currentOwner() {
  const std::string pid = std::to_string(::getpid());
  return hostName() + "/" + pid + "/" + processStartTime(pid);
}

bool ownerExpired(const std::string& owner, const std::string& lease,
                  std::chrono::system_clock::time_point now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  const bool lease_over = !lease.empty() && std::atoll(lease.c_str()) < seconds.count();
  const auto first = owner.find('/');
  const auto second = owner.find('/', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) return lease_over;
  if (owner.substr(0, first) != hostName()) return lease_over;
  const std::string pid = owner.substr(first + 1, second - first - 1);
  const std::string started = owner.substr(second + 1);
  const std::string now_started = processStartTime(pid);
  return now_started.empty() || now_started != started;
}

std::vector<std::string> reapExpiredFixtures() {
  std::vector<std::string> reaped;
  auto logger = log::get("testing");
  try {
    const auto now = std::chrono::system_clock::now();
    for (const auto& project : findProjects(kOwnerLabel)) {
      auto label = [&](const char* key) {
        auto it = project.labels.find(key);
        return it == project.labels.end() ? std::string() : it->second;
      };
      if (!label(kReuseLabel).empty() || !ownerExpired(label(kOwnerLabel), label(kLeaseLabel), now))
        continue;
      // A network can refuse removal while an endpoint is still going away: retry.
      for (int attempt = 1; attempt <= 3; ++attempt) {
        try {
          removeProject(project.name, true);
          reaped.push_back(project.name);
          logger->info("removed leftover fixture project \"{}\" (owner {})", project.name,
                       label(kOwnerLabel));
          break;
        } catch (const Error& error) {
          logger->warn("removing leftover fixture project \"{}\" failed (attempt {}): {}",
                       project.name, attempt, error.what());
          std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
        }
      }
    }
  } catch (const Error& error) {
    logger->warn("looking for leftover fixture projects failed: {}", error.what());
  }
  return reaped;
}

}  // namespace stack::testing
