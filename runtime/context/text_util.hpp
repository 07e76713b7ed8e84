#pragma once

// Small text helpers that reproduce Go standard-library behaviour the docker CLI relies on
// for .dockerignore files, so that stack reads them exactly as docker does. Internal to
// runtime/context.

#include <string>
#include <string_view>
#include <utility>

namespace stack::runtime::context {

// Decodes the UTF-8 sequence at `pos` like Go's utf8.DecodeRuneInString: an invalid or
// truncated sequence yields U+FFFD with width 1. Requires pos < text.size().
std::pair<char32_t, size_t> decodeRune(std::string_view text, size_t pos);

// Go's strings.TrimSpace: trims Unicode white space at both ends.
std::string_view trimSpace(std::string_view text);

// Go's path.Clean: collapses "//", drops "." elements, resolves ".." lexically, removes a
// trailing '/', and returns "." for an empty result.
std::string cleanPath(std::string_view path);

}  // namespace stack::runtime::context
