#pragma once

// Small pure helpers of the FakeEngine: hashing, time formats as dockerd prints them,
// label filters, signals and image references. Internal to runtime/fake.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/engine_types.hpp"

namespace stack::runtime::fake {

// Model time: nanoseconds since the Unix epoch, as the FakeClock reports it.
using Timestamp = std::chrono::nanoseconds;

// Lowercase hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);
// JSON text for hashing; invalid UTF-8 is replaced instead of throwing.
std::string hashableJson(const nlohmann::json& value);

// Go's time.RFC3339Nano (trailing zeros of the fraction trimmed), which dockerd uses for
// Created, StartedAt and FinishedAt. A zero timestamp prints as Go's zero time
// "0001-01-01T00:00:00Z", as dockerd does for a container that never started.
std::string rfc3339Nano(Timestamp time);
// dockerd's RFC3339NanoFixed (always nine digits), used by `logs --timestamps`.
std::string rfc3339NanoFixed(Timestamp time);
// Parses "unix seconds[.nanos]" or an RFC 3339 time, as the events and logs `since` do.
std::optional<Timestamp> parseTimestamp(std::string_view text);

// go-units HumanDuration ("Less than a second", "3 seconds", "About a minute"...), used in
// a container summary's Status.
std::string humanDuration(std::chrono::nanoseconds duration);
// Go's time.Duration.String() ("30s", "1m30s", "500ms"), used in health check messages.
std::string goDuration(std::chrono::nanoseconds duration);

// True when every filter ("key" or "key=value") matches `labels`: filters are ANDed.
bool matchLabels(const StringMap& labels, const std::vector<std::string>& filters);
// True when `id` starts with one of `prefixes`, or there are none.
bool matchIdPrefix(const std::string& id, const std::vector<std::string>& prefixes);
// True when `name` contains one of `fragments`, or there are none (the engine's name filter).
bool matchNameFragment(const std::string& name, const std::vector<std::string>& fragments);
// Shell-style glob (fnmatch without FNM_PATHNAME).
bool globMatch(const std::string& pattern, const std::string& text);

// Signal number for "SIGTERM", "TERM" or "15"; nullopt when unknown.
std::optional<int> parseSignal(std::string_view text);

// dockerd's container name rule: ^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$
bool validContainerName(std::string_view name);
// dockerd's volume name rule: ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$
bool validVolumeName(std::string_view name);

// An image reference split as the engine reads it. `repository` is familiar (no
// "docker.io/library/"); `tag` is empty when a digest is given.
struct ImageReference {
  std::string repository;
  std::string tag;
  std::string digest;
  // "repository:tag" or "repository@digest".
  std::string familiar() const;
};
// Parses "alpine", "alpine:3.18", "docker.io/library/alpine", "host:5000/app:1",
// "app@sha256:..."; adds the tag "latest" when neither tag nor digest is given. Nullopt
// when the text is not a valid reference.
std::optional<ImageReference> parseImageReference(std::string_view text);
// "library/alpine" for "alpine", the path part otherwise: how pull progress names a repo.
std::string repositoryPath(const std::string& repository);

// "a b c" from argv, as `docker ps` shows a command.
std::string joinCommand(const std::vector<std::string>& argv);
// "exec_create: cat /etc/hostname": dockerd joins the entrypoint, a space and the
// arguments, so a command without arguments keeps a trailing space ("exec_start: true ").
std::string execAction(const std::string& action, const std::vector<std::string>& argv);

// Splits "8080/tcp" into port and protocol; a missing protocol is tcp.
std::pair<uint16_t, std::string> splitPortProto(const std::string& spec);

// Converts "a.b.c.d" to a host-order integer; nullopt when malformed.
std::optional<uint32_t> parseIpv4(std::string_view text);
std::string formatIpv4(uint32_t address);

}  // namespace stack::runtime::fake
