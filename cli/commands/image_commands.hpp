#pragma once

// What `build`, `pull` and `push` share: the image preparer configured from the session,
// and the global options with progress silenced by -q.

#include "cli/session.hpp"
#include "orchestrator/images/image_preparer.hpp"

namespace stack::cli {

inline orchestrator::images::ImagePreparerOptions preparerOptions(const Session& session) {
  const orchestrator::ControllerOptions controller = session.controllerOptions();
  orchestrator::images::ImagePreparerOptions options;
  options.parallel_limit = controller.parallel_limit;
  options.dry_run = controller.dry_run;
  options.digest_cache = controller.digest_cache;
  return options;
}

// -q: no progress at all (errors still reach stderr through main()).
inline GlobalOptions quietIf(const GlobalOptions& globals, bool quiet) {
  GlobalOptions out = globals;
  if (quiet) out.progress = "quiet";
  return out;
}

}  // namespace stack::cli
