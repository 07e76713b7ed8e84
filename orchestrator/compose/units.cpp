#include "orchestrator/compose/units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace stack::orchestrator::compose {
namespace {

struct Unit {
  std::string_view name;
  double nanos;
};

// Longest names first so "ms" wins over "m".
constexpr Unit kDurationUnits[] = {
    {"ns", 1.0}, {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"\xCE\xBCs", 1e3}, {"ms", 1e6},
    {"s", 1e9},  {"m", 60e9}, {"h", 3600e9},      {"d", 86400e9},     {"w", 604800e9},
};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads "12" or "1.5" at the front of `text`.
std::optional<double> readNumber(std::string_view& text) {
  size_t i = 0;
  while (i < text.size() && isDigit(text[i])) ++i;
  size_t int_end = i;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && isDigit(text[i])) ++i;
  }
  if (int_end == 0 && i <= 1) return std::nullopt;
  double value = std::strtod(std::string(text.substr(0, i)).c_str(), nullptr);
  text.remove_prefix(i);
  return value;
}

std::string trimZeros(std::string digits) {
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (!digits.empty() && digits.back() == '.') digits.pop_back();
  return digits;
}

// "%.*f" of value/unit with trailing zeros removed: 1500000 ns in ms -> "1.5".
std::string fraction(uint64_t value, uint64_t unit, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%llu.%0*llu", static_cast<unsigned long long>(value / unit),
                digits, static_cast<unsigned long long>(value % unit));
  return trimZeros(buffer);
}

}  // namespace

std::optional<Duration> parseDuration(std::string_view text) {
  if (text == "0" || text == "+0" || text == "-0") return Duration(0);
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    auto number = readNumber(text);
    if (!number) return std::nullopt;
    const Unit* unit = nullptr;
    for (const auto& candidate : kDurationUnits) {
      if (text.substr(0, candidate.name.size()) == candidate.name &&
          (!unit || candidate.name.size() > unit->name.size())) {
        unit = &candidate;
      }
    }
    if (!unit) return std::nullopt;
    text.remove_prefix(unit->name.size());
    total += *number * unit->nanos;
  }
  if (total > static_cast<double>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  auto nanos = static_cast<int64_t>(std::llround(total));
  return Duration(negative ? -nanos : nanos);
}

std::string formatDuration(Duration duration) {
  int64_t signed_nanos = duration.count();
  if (signed_nanos == 0) return "0s";
  std::string sign = signed_nanos < 0 ? "-" : "";
  uint64_t nanos = signed_nanos < 0 ? uint64_t(0) - static_cast<uint64_t>(signed_nanos)
                                    : static_cast<uint64_t>(signed_nanos);
  if (nanos < 1000) return sign + std::to_string(nanos) + "ns";
  if (nanos < 1000000) return sign + fraction(nanos, 1000, 3) + "\xC2\xB5s";
  if (nanos < 1000000000) return sign + fraction(nanos, 1000000, 6) + "ms";
  uint64_t seconds_part = nanos % 60000000000ULL;
  uint64_t minutes = nanos / 60000000000ULL;
  std::string out = fraction(seconds_part, 1000000000ULL, 9) + "s";
  if (minutes > 0) {
    out = std::to_string(minutes % 60) + "m" + out;
    if (minutes >= 60) out = std::to_string(minutes / 60) + "h" + out;
  }
  return sign + out;
}

std::optional<int64_t> parseByteSize(std::string_view text) {
  std::string_view rest = text;
  bool negative = !rest.empty() && rest[0] == '-';
  if (negative) rest.remove_prefix(1);
  auto number = readNumber(rest);
  if (!number) return std::nullopt;
  if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  double multiplier = 1;
  if (!rest.empty()) {
    constexpr std::string_view kUnits = "kmgtp";
    char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(rest[0])));
    if (auto index = kUnits.find(unit); index != std::string_view::npos) {
      multiplier = std::pow(1024.0, static_cast<double>(index + 1));
      rest.remove_prefix(1);
      if (!rest.empty() && (rest[0] == 'i' || rest[0] == 'I')) rest.remove_prefix(1);
    }
  }
  if (!rest.empty() && (rest[0] == 'b' || rest[0] == 'B')) rest.remove_prefix(1);
  if (!rest.empty()) return std::nullopt;
  if (negative && (multiplier != 1 || *number != 1)) return std::nullopt;  // only -1
  double bytes = *number * multiplier;
  if (bytes >= 9.2e18) return std::nullopt;
  auto value = static_cast<int64_t>(bytes);
  return negative ? -value : value;
}

std::optional<std::vector<std::string>> splitShellWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = '\0';
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = '\0';
      else
        word.push_back(c);
    } else if (quote == '"') {
      if (c == '"') {
        quote = '\0';
      } else if (c == '\\' && i + 1 < text.size() &&
                 std::string_view("\"\\$`\n").find(text[i + 1]) != std::string_view::npos) {
        word.push_back(text[++i]);
      } else {
        word.push_back(c);
      }
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      in_word = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < text.size()) {
        word.push_back(text[++i]);
      } else {
        word.push_back(c);
      }
    }
  }
  if (quote != '\0') return std::nullopt;
  if (in_word) words.push_back(std::move(word));
  return words;
}

size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closestMatch(std::string_view word,
                                        const std::vector<std::string_view>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (auto candidate : candidates) {
    size_t distance = editDistance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

}  // namespace stack::orchestrator::compose
