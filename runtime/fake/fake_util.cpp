#include "runtime/fake/fake_util.hpp"

#include <fnmatch.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "core/sha256.hpp"

namespace stack::runtime::fake {
namespace {

using std::chrono::duration_cast;

// Howard Hinnant's civil-from-days and days-from-civil, for dates without time zones.
struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate civilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string formatTime(Timestamp time, bool fixed) {
  if (time.count() == 0) return "0001-01-01T00:00:00Z";
  const int64_t total = time.count();
  int64_t seconds = total / 1000000000;
  int64_t nanos = total % 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    seconds -= 1;
  }
  int64_t days = seconds / 86400;
  int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  const CivilDate date = civilFromDays(days);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                static_cast<long long>(rest % 60));
  std::string out = buffer;
  std::snprintf(buffer, sizeof buffer, ".%09lld", static_cast<long long>(nanos));
  std::string fraction = buffer;
  if (!fixed) {
    while (!fraction.empty() && (fraction.back() == '0')) fraction.pop_back();
    if (fraction == ".") fraction.clear();
  }
  return out + fraction + "Z";
}

std::optional<Timestamp> parseUnix(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (ec != std::errc() || end != whole.data() + whole.size() || whole.empty()) return {};
  int64_t nanos = 0;
  if (dot != std::string_view::npos) {
    std::string digits(text.substr(dot + 1));
    if (digits.empty() || digits.size() > 9) return {};
    for (char c : digits)
      if (!std::isdigit(static_cast<unsigned char>(c))) return {};
    digits.resize(9, '0');
    nanos = std::stoll(digits);
  }
  return Timestamp(seconds * 1000000000 + nanos);
}

std::optional<Timestamp> parseRfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6)
    return {};
  std::string_view rest = text.substr(static_cast<size_t>(consumed));
  int64_t nanos = 0;
  if (!rest.empty() && rest.front() == '.') {
    size_t n = 1;
    std::string digits;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n])))
      digits += rest[n++];
    if (digits.empty() || digits.size() > 9) return {};
    digits.resize(9, '0');
    nanos = std::stoll(digits);
    rest = rest.substr(n);
  }
  int64_t offset = 0;
  if (rest == "Z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(rest[1])) &&
             std::isdigit(static_cast<unsigned char>(rest[2])) &&
             std::isdigit(static_cast<unsigned char>(rest[4])) &&
             std::isdigit(static_cast<unsigned char>(rest[5]))) {
    const int oh = (rest[1] - '0') * 10 + (rest[2] - '0');
    const int om = (rest[4] - '0') * 10 + (rest[5] - '0');
    offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return {};
  }
  const int64_t days =
      daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset;
  return Timestamp(seconds * 1000000000 + nanos);
}

constexpr std::array<std::string_view, 32> kSignalNames = {
    "",     "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS"};

bool nameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  return stack::sha256Hex(data);
}

std::string hashableJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string rfc3339Nano(Timestamp time) {
  return formatTime(time, false);
}
std::string rfc3339NanoFixed(Timestamp time) {
  return formatTime(time, true);
}

std::optional<Timestamp> parseTimestamp(std::string_view text) {
  if (text.empty()) return {};
  if (text.find('T') != std::string_view::npos) return parseRfc3339(text);
  return parseUnix(text);
}

std::string humanDuration(std::chrono::nanoseconds duration) {
  const auto seconds = duration_cast<std::chrono::seconds>(duration).count();
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return std::to_string(seconds) + " seconds";
  const auto minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return std::to_string(minutes) + " minutes";
  const auto hours = static_cast<int64_t>(static_cast<double>(seconds) / 3600.0 + 0.5);
  if (hours == 1) return "About an hour";
  if (hours < 48) return std::to_string(hours) + " hours";
  if (hours < 24 * 7 * 2) return std::to_string(hours / 24) + " days";
  if (hours < 24 * 30 * 2) return std::to_string(hours / 24 / 7) + " weeks";
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24 / 30) + " months";
  return std::to_string(seconds / 3600 / 24 / 365) + " years";
}

std::string goDuration(std::chrono::nanoseconds duration) {
  const int64_t ns = duration.count();
  if (ns == 0) return "0s";
  if (ns < 1000) return std::to_string(ns) + "ns";
  auto trimmed = [](double value, const char* unit) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.9g%s", value, unit);
    return std::string(buffer);
  };
  if (ns < 1000000) return trimmed(static_cast<double>(ns) / 1e3, "µs");
  if (ns < 1000000000) return trimmed(static_cast<double>(ns) / 1e6, "ms");
  const int64_t hours = ns / 3600000000000;
  const int64_t minutes = ns / 60000000000 % 60;
  const double seconds = static_cast<double>(ns % 60000000000) / 1e9;
  std::string out;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  return out + trimmed(seconds, "s");
}

bool matchLabels(const StringMap& labels, const std::vector<std::string>& filters) {
  for (const auto& filter : filters) {
    const auto eq = filter.find('=');
    const std::string key = filter.substr(0, eq);
    const auto it = labels.find(key);
    if (it == labels.end()) return false;
    if (eq != std::string::npos && it->second != filter.substr(eq + 1)) return false;
  }
  return true;
}

bool matchIdPrefix(const std::string& id, const std::vector<std::string>& prefixes) {
  if (prefixes.empty()) return true;
  for (const auto& prefix : prefixes)
    if (id.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

bool matchNameFragment(const std::string& name, const std::vector<std::string>& fragments) {
  if (fragments.empty()) return true;
  for (const auto& fragment : fragments) {
    std::string_view f = fragment;
    if (!f.empty() && f.front() == '/') f.remove_prefix(1);
    if (name.find(f) != std::string::npos) return true;
  }
  return false;
}

bool globMatch(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::optional<int> parseSignal(std::string_view text) {
  if (text.empty()) return {};
  if (std::isdigit(static_cast<unsigned char>(text.front()))) {
    int number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end != text.data() + text.size()) return {};
    if (number <= 0 || number > 64) return {};
    return number;
  }
  std::string name;
  for (char c : text) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name.rfind("SIG", 0) == 0) name = name.substr(3);
  for (size_t i = 1; i < kSignalNames.size(); ++i)
    if (kSignalNames[i] == name) return static_cast<int>(i);
  return {};
}

bool validContainerName(std::string_view name) {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  if (name.size() < 2 || !std::isalnum(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name.substr(1))
    if (!nameChar(c)) return false;
  return true;
}

bool validVolumeName(std::string_view name) {
  if (name.size() < 2 || !std::isalnum(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name.substr(1))
    if (!nameChar(c)) return false;
  return true;
}

std::string ImageReference::familiar() const {
  if (!digest.empty()) return repository + "@" + digest;
  return repository + ":" + tag;
}

std::optional<ImageReference> parseImageReference(std::string_view text) {
  if (text.empty()) return {};
  ImageReference ref;
  std::string rest(text);
  if (const auto at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (ref.digest.rfind("sha256:", 0) != 0 || ref.digest.size() != 71) return {};
  }
  const auto slash = rest.rfind('/');
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (ref.tag.empty() || ref.tag.size() > 128) return {};
    for (char c : ref.tag)
      if (!nameChar(c)) return {};
  }
  if (rest.rfind("docker.io/", 0) == 0) rest = rest.substr(10);
  if (rest.rfind("index.docker.io/", 0) == 0) rest = rest.substr(16);
  if (rest.rfind("library/", 0) == 0 && rest.find('/', 8) == std::string::npos)
    rest = rest.substr(8);
  if (rest.empty()) return {};
  for (char c : rest) {
    const bool ok = std::islower(static_cast<unsigned char>(c)) ||
                    std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                    c == '-' || c == '/' || c == ':';
    if (!ok) return {};
  }
  ref.repository = rest;
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

std::string repositoryPath(const std::string& repository) {
  const auto slash = repository.find('/');
  if (slash == std::string::npos) return "library/" + repository;
  const std::string first = repository.substr(0, slash);
  const bool host = first.find('.') != std::string::npos || first.find(':') != std::string::npos ||
                    first == "localhost";
  return host ? repository.substr(slash + 1) : repository;
}

std::string joinCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    out += arg;
  }
  return out;
}

std::string execAction(const std::string& action, const std::vector<std::string>& argv) {
  if (argv.empty()) return action + ":  ";
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  return action + ": " + argv.front() + " " + joinCommand(args);
}

std::pair<uint16_t, std::string> splitPortProto(const std::string& spec) {
  const auto slash = spec.find('/');
  const std::string number = spec.substr(0, slash);
  std::string proto = slash == std::string::npos ? "tcp" : spec.substr(slash + 1);
  unsigned value = 0;
  std::from_chars(number.data(), number.data() + number.size(), value);
  return {static_cast<uint16_t>(value), proto};
}

std::optional<uint32_t> parseIpv4(std::string_view text) {
  uint32_t out = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || value > 255) return {};
    out = (out << 8) | value;
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    if (part < 3) {
      if (text.empty() || text.front() != '.') return {};
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return {};
  return out;
}

std::string formatIpv4(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

}  // namespace stack::runtime::fake
