#pragma once

// Who owns a fixture project, as its labels say: this host, this process and the
// process's start time (so a recycled pid is not mistaken for the owner), and a lease.

#include <chrono>
#include <string>

namespace stack::testing {

inline constexpr const char* kOwnerLabel = "dev.stack.fixture.owner";
inline constexpr const char* kLeaseLabel = "dev.stack.fixture.lease";
inline constexpr const char* kReuseLabel = "dev.stack.fixture.reuse";

// "<host>/<pid>/<start time in clock ticks since boot>" of this process.
std::string currentOwner();

// Whether the project labelled with `owner` and `lease` (unix seconds) may be removed: its
// owner process is gone (same host), or its lease expired (any host).
bool ownerExpired(const std::string& owner, const std::string& lease,
                  std::chrono::system_clock::time_point now);

}  // namespace stack::testing
