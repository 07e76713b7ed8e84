#pragma once

// The orchestrator's parts swarm/ builds on, by their short names inside stack::swarm
// (compose::Project, images::ImagePreparer, progress::ProgressSink).

namespace stack::orchestrator {
namespace compose {}
namespace images {}
namespace progress {}
}  // namespace stack::orchestrator

namespace stack::swarm {
namespace compose = orchestrator::compose;
namespace images = orchestrator::images;
namespace progress = orchestrator::progress;
}  // namespace stack::swarm
