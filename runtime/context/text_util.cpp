#include "runtime/context/text_util.hpp"

#include <vector>

namespace stack::runtime::context {

namespace {

constexpr char32_t kRuneError = 0xFFFD;

bool isContinuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// Unicode white space as Go's unicode.IsSpace defines it.
bool isSpace(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// The start of the rune that ends right before `end`, for trimming from the right.
size_t lastRuneStart(std::string_view text, size_t end) {
  size_t start = end - 1;
  size_t limit = end >= 4 ? end - 4 : 0;
  while (start > limit && isContinuation(static_cast<unsigned char>(text[start]))) --start;
  // Only a complete, valid rune spanning [start, end) counts; otherwise the last byte
  // stands alone (and decodes as U+FFFD, which is not space).
  auto [rune, width] = decodeRune(text, start);
  return start + width == end ? start : end - 1;
}

}  // namespace

std::pair<char32_t, size_t> decodeRune(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  unsigned char b0 = byte(0);
  if (b0 < 0x80) return {b0, 1};
  size_t width = b0 >= 0xC2 && b0 <= 0xDF   ? 2
                 : b0 >= 0xE0 && b0 <= 0xEF ? 3
                 : b0 >= 0xF0 && b0 <= 0xF4 ? 4
                                            : 0;
  if (width == 0 || pos + width > text.size()) return {kRuneError, 1};
  // The second byte's range depends on the first, which excludes overlong forms,
  // surrogates and values past U+10FFFF.
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 == 0xE0) lo = 0xA0;
  if (b0 == 0xED) hi = 0x9F;
  if (b0 == 0xF0) lo = 0x90;
  if (b0 == 0xF4) hi = 0x8F;
  if (byte(1) < lo || byte(1) > hi) return {kRuneError, 1};
  for (size_t i = 2; i < width; ++i) {
    if (!isContinuation(byte(i))) return {kRuneError, 1};
  }
  char32_t rune = b0 & (0xFF >> (width + 1));
  for (size_t i = 1; i < width; ++i) rune = (rune << 6) | (byte(i) & 0x3F);
  return {rune, width};
}

std::string_view trimSpace(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    auto [rune, width] = decodeRune(text, begin);
    if (!isSpace(rune)) break;
    begin += width;
  }
  size_t end = text.size();
  while (end > begin) {
    size_t start = lastRuneStart(text, end);
    if (!isSpace(decodeRune(text, start).first)) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

std::string cleanPath(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path.front() == '/';
  std::vector<std::string_view> elements;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    std::string_view element = path.substr(i, end - i);
    i = end;
    if (element == ".") continue;
    if (element == "..") {
      if (!elements.empty() && elements.back() != "..") {
        elements.pop_back();
      } else if (!rooted) {
        elements.push_back(element);  // a relative path may climb; a rooted one stops at /
      }
      continue;
    }
    elements.push_back(element);
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < elements.size(); ++k) {
    if (k > 0) out += '/';
    out += elements[k];
  }
  return out.empty() ? "." : out;
}

}  // namespace stack::runtime::context
