#pragma once

// `stack attach`: the local stdin, stdout and stderr on a service's running container, as
// docker compose attach (docker attach on the chosen replica) does it.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "orchestrator/oneoff/oneoff_requests.hpp"
#include "orchestrator/oneoff/process_io.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator {

struct ContainerAttachRequest {
  std::string service;
  int index = 0;                      // --index: this container-number; 0: the lowest
  bool no_stdin = false;              // --no-stdin
  bool sig_proxy = true;              // --sig-proxy: an interrupt is sent on as SIGINT (no TTY)
  oneoff::InterruptWait interrupted;  // completes at the next user interrupt; unset: never
};

// Attaches to the running container of request.service (the lowest container-number, or
// request.index): its stdin when it was created with one open and no_stdin is false, its
// stdout and stderr, and its TTY size when it has a TTY. Returns when its output ends:
// the container's exit code when it stopped, else 0 (130 after an interrupt that did not
// stop it). Throws NotFound ("service \"web\" is not running") when there is no such
// container.
boost::asio::awaitable<int> attachContainer(runtime::Engine& engine,
                                            const std::string& project_name,
                                            const ContainerAttachRequest& request,
                                            oneoff::ProcessIo& io);

}  // namespace stack::orchestrator
