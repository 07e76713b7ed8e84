#pragma once

// Formatting shared by the lifecycle and view commands (ls, images, top, events): sizes,
// timestamps and aligned columns the way docker compose prints them.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stack::cli {

// "1.24MB", "12.3kB", "123B": decimal units with three significant digits (go-units
// HumanSizeWithPrecision(size, 3), as `docker compose images` prints sizes).
std::string humanSize(int64_t bytes);

// RFC 3339 in local time. `fixed`: nine fraction digits and a numeric offset
// ("2024-01-01T00:00:00.000000000+00:00"); otherwise Go's RFC3339Nano, as JSON carries
// times: trailing zeros of the fraction dropped and "Z" for UTC.
std::string rfc3339(int64_t unix_nanos, bool fixed);

// Seconds since the epoch of an RFC 3339 time ("2024-01-01T00:00:00.5+01:00"), or nullopt
// when it does not parse.
std::optional<int64_t> parseRfc3339(const std::string& text);

// Prints rows as left-aligned columns, like Go's tabwriter: each column is as wide as its
// widest cell plus `padding`, and at least `min_width`; the last column is not padded.
void printColumns(const std::vector<std::vector<std::string>>& rows, size_t padding,
                  size_t min_width);

// Checks a --format value: "table" or "json".
void requireTableOrJson(const std::string& format);

template <class Container>
std::set<std::string> toSet(const Container& values) {
  return std::set<std::string>(values.begin(), values.end());
}

}  // namespace stack::cli
