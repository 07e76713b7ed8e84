#pragma once

// The record of a project's last `up` (orchestrator/timings/), shared by `stack timings`,
// `stack up --timings` and `stack graph --timings`.

#include <string>

#include "orchestrator/timings/up_record.hpp"

namespace stack::cli {

// The last up of `project`; throws NotFound (naming the file and what to do) when no up
// was recorded.
orchestrator::timings::UpRecord lastUp(const std::string& project);

// Prints its critical chain on stdout, as text or (`format` "json") one JSON object.
void printTimings(const orchestrator::timings::UpRecord& record, const std::string& format);

}  // namespace stack::cli
