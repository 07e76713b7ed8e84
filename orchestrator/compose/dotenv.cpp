#include "orchestrator/compose/dotenv.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace stack::orchestrator::compose {
namespace {

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

class DotenvParser {
 public:
  DotenvParser(std::string_view text, const std::string& file, const LookupFn& lookup)
      : src_(text), file_(file), lookup_(lookup) {}

  StringMap parse();

 private:
  [[noreturn]] void error(const std::string& message) const {
    throw configError(SourceLocation{file_, line_, 0, {}}, message);
  }
  bool skipToStatement();
  std::string readKey(bool& inherited);
  std::string readUnquoted();
  std::string readQuoted(char quote);
  std::string expand(const std::string& value);
  static std::string unescape(const std::string& value);

  std::string_view src_;
  size_t pos_ = 0;
  const std::string& file_;
  const LookupFn& lookup_;
  int line_ = 1;
  StringMap out_;
};

StringMap DotenvParser::parse() {
  if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
  while (skipToStatement()) {
    bool inherited = false;
    std::string key = readKey(inherited);
    if (inherited) {
      if (auto value = lookup_(key)) out_[key] = *value;
      continue;
    }
    while (pos_ < src_.size() && isSpace(src_[pos_])) ++pos_;
    char first = pos_ < src_.size() ? src_[pos_] : '\0';
    out_[key] = (first == '"' || first == '\'') ? readQuoted(first) : readUnquoted();
  }
  return std::move(out_);
}

// Skips blank space and comment lines; false at the end of the input.
bool DotenvParser::skipToStatement() {
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == '\n') {
      ++line_;
      ++pos_;
    } else if (isSpace(c)) {
      ++pos_;
    } else if (c == '#') {
      size_t end = src_.find('\n', pos_);
      pos_ = end == std::string_view::npos ? src_.size() : end;
    } else {
      return true;
    }
  }
  return false;
}

std::string DotenvParser::readKey(bool& inherited) {
  if (src_.substr(pos_, 6) == "export" && pos_ + 6 < src_.size() && isSpace(src_[pos_ + 6])) {
    pos_ += 6;
    while (pos_ < src_.size() && isSpace(src_[pos_])) ++pos_;
  }
  size_t start = pos_;
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == '=' || c == ':' || c == '\n') break;
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
              c == '[' || c == ']' || isSpace(c) || static_cast<unsigned char>(c) >= 0x80;
    if (!ok) {
      size_t end = src_.find('\n', start);
      error("unexpected character '" + std::string(1, c) + "' in variable name \"" +
            std::string(src_.substr(start, end == std::string_view::npos ? end : end - start)) +
            "\"");
    }
    ++pos_;
  }
  std::string key(src_.substr(start, pos_ - start));
  while (!key.empty() && isSpace(key.back())) key.pop_back();
  inherited = pos_ >= src_.size() || src_[pos_] == '\n';
  if (key.find(' ') != std::string::npos || key.find('\t') != std::string::npos) {
    error("variable name \"" + key + "\" cannot contain a space");
  }
  if (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;  // the '=' or ':'
  return key;
}

std::string DotenvParser::readUnquoted() {
  size_t end = src_.find('\n', pos_);
  if (end == std::string_view::npos) end = src_.size();
  std::string value(src_.substr(pos_, end - pos_));
  pos_ = end;
  if (size_t comment = value.find(" #"); comment != std::string::npos) value.resize(comment);
  while (!value.empty() && (isSpace(value.back()))) value.pop_back();
  return expand(value);
}

std::string DotenvParser::readQuoted(char quote) {
  int start_line = line_;
  std::string chars;
  bool escaped = false;
  for (size_t i = pos_ + 1; i < src_.size(); ++i) {
    char c = src_[i];
    if (c == '\n') ++line_;
    if (c != quote) {
      if (!escaped && c == '\\') {
        escaped = true;
        continue;
      }
      if (escaped) chars.push_back('\\');
      escaped = false;
      chars.push_back(c);
      continue;
    }
    if (escaped) {
      escaped = false;
      chars.push_back(c);
      continue;
    }
    pos_ = i + 1;
    return quote == '"' ? expand(unescape(chars)) : chars;
  }
  line_ = start_line;
  error("unterminated quoted value");
}

std::string DotenvParser::expand(const std::string& value) {
  LookupFn lookup = [this](const std::string& name) -> std::optional<std::string> {
    if (auto value = lookup_(name)) return value;
    auto it = out_.find(name);
    if (it != out_.end()) return it->second;
    return std::nullopt;
  };
  Substitution result = substitute(value, lookup);
  if (result.error) error(*result.error);
  return std::move(result.text);
}

// Escapes of double-quoted values; `\$` stays a literal dollar through interpolation.
std::string DotenvParser::unescape(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 == value.size()) {
      out.push_back(value[i]);
      continue;
    }
    char c = value[++i];
    switch (c) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '$':
        out.append("$$");
        break;
      default:
        out.push_back('\\');
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

StringMap parseDotenv(std::string_view text, const std::string& file, const LookupFn& lookup) {
  if (yaml::invalidUtf8Offset(text) != std::string_view::npos) {
    throw configError(SourceLocation{file, 0, 0, {}}, "invalid UTF-8 in the env file",
                      "save the file as UTF-8");
  }
  return DotenvParser(text, file, lookup).parse();
}

std::string readTextFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw Error(ErrorKind::Io, "cannot read \"" + path + "\": not a regular file");
  }
  constexpr uintmax_t kMaxSize = 64u << 20;
  if (std::filesystem::file_size(path, error) > kMaxSize) {
    throw Error(ErrorKind::Io, "cannot read \"" + path + "\": larger than 64 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::Io, "cannot read \"" + path + "\": " + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

StringMap readDotenvFile(const std::string& path, const LookupFn& lookup) {
  return parseDotenv(readTextFile(path), path, lookup);
}

}  // namespace stack::orchestrator::compose
