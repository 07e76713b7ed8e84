#pragma once

// Value syntaxes shared by several compose keys: durations, byte sizes and shell words.
// Parsers return std::nullopt on bad input so the caller can report it with its location.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose {

// "1h30m", "10s", "1.5s", "500ms", "2d", "1w" (Go's time.ParseDuration plus days and weeks,
// as compose's str2duration). A bare number is only accepted when it is 0.
std::optional<Duration> parseDuration(std::string_view text);

// Go's time.Duration.String(): "1m30s", "1h0m0s", "1.5s", "500ms", "0s".
std::string formatDuration(Duration duration);

// "512m", "1g", "1.5GB", "100kb", "1024" (binary units, as docker's RAMInBytes).
std::optional<int64_t> parseByteSize(std::string_view text);

// Splits a command string into words as a POSIX shell would, without expansions:
// quotes group, backslash escapes. std::nullopt when a quote is left open.
std::optional<std::vector<std::string>> splitShellWords(std::string_view text);

// Levenshtein distance, for "did you mean" suggestions.
size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, when it is close enough to be a likely typo.
std::optional<std::string> closestMatch(std::string_view word,
                                        const std::vector<std::string_view>& candidates);

}  // namespace stack::orchestrator::compose
