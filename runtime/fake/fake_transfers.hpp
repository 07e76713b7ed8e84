#pragma once

// Internal to runtime/fake: builds, pulls and pushes as lists of progress steps. Failures
// dockerd reports before its response starts are thrown here; later ones become in-band
// error messages. The model changes (images appear, registries receive pushes) as the
// client reads the stream.

#include <memory>
#include <vector>

#include "runtime/fake/fake_daemon.hpp"
#include "runtime/fake/fake_streams.hpp"

namespace stack::runtime::fake::detail {

// Reads the whole build context first, as dockerd does before it answers.
std::vector<ProgressStep> planBuild(const std::shared_ptr<Daemon>& daemon,
                                    const BuildRequest& request);
std::vector<ProgressStep> planPull(const std::shared_ptr<Daemon>& daemon,
                                   const ImageReference& reference, const RegistryAuth& auth);
std::vector<ProgressStep> planPush(const std::shared_ptr<Daemon>& daemon,
                                   const ImageReference& reference, const RegistryAuth& auth);

// Steps that make `reference` local from the registry entry (used by pull and by a
// build's FROM of an image that is not local yet).
void appendPullSteps(const std::shared_ptr<Daemon>& daemon, const ImageReference& reference,
                     const FakeRegistry::Entry& entry, std::vector<ProgressStep>& steps);

// The in-band error a pull of a reference the registry does not offer gets, or "" when
// the pull may go ahead.
std::string pullRefusal(const Daemon& daemon, const ImageReference& reference,
                        const RegistryAuth& auth);

}  // namespace stack::runtime::fake::detail
