#include "cli/commands/view_format.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "core/error.hpp"

namespace stack::cli {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Counts UTF-8 code points, so "…" takes one column.
size_t displayWidth(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string humanSize(int64_t bytes) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  double size = static_cast<double>(bytes);
  size_t unit = 0;
  while (size >= 1000.0 && unit + 1 < std::size(units)) {
    size /= 1000.0;
    ++unit;
  }
  char text[64];
  std::snprintf(text, sizeof text, "%.3g%s", size, units[unit]);
  return text;
}

std::string rfc3339(int64_t unix_nanos, bool fixed) {
  int64_t seconds = unix_nanos / kNanosPerSecond;
  int64_t fraction = unix_nanos % kNanosPerSecond;
  if (fraction < 0) {
    fraction += kNanosPerSecond;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm local{};
  localtime_r(&t, &local);
  char date[40];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &local);
  char digits[16];
  std::snprintf(digits, sizeof digits, "%09lld", static_cast<long long>(fraction));
  std::string text = date;
  std::string decimals = digits;
  if (!fixed) {
    while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
  }
  if (!decimals.empty()) text += "." + decimals;
  const long offset = local.tm_gmtoff;
  if (offset == 0 && !fixed) return text + "Z";
  const int minutes = static_cast<int>((offset < 0 ? -offset : offset) / 60 % (24 * 60));
  char zone[32];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', minutes / 60,
                minutes % 60);
  return text + zone;
}

std::optional<int64_t> parseRfc3339(const std::string& text) {
  std::tm parts{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  int64_t seconds = static_cast<int64_t>(timegm(&parts));
  size_t at = static_cast<size_t>(consumed);
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
  }
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int hours = 0;
    int minutes = 0;
    if (std::sscanf(text.c_str() + at + 1, "%2d:%2d", &hours, &minutes) != 2) return std::nullopt;
    const int64_t offset = hours * 3600 + minutes * 60;
    seconds -= text[at] == '+' ? offset : -offset;
  } else if (at >= text.size() || text[at] != 'Z') {
    return std::nullopt;
  }
  return seconds;
}

void printColumns(const std::vector<std::vector<std::string>>& rows, size_t padding,
                  size_t min_width) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max({widths[i], displayWidth(row[i]) + padding, min_width});
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - displayWidth(row[i]), ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

void requireTableOrJson(const std::string& format) {
  if (format != "table" && format != "json") {
    throw Error(ErrorKind::Usage, "unsupported --format \"" + format + "\"",
                "use --format table or --format json");
  }
}

}  // namespace stack::cli
