#pragma once

// Shared helpers of the runtime fuzz targets. Each decoder target decodes its input twice,
// whole and cut into pieces at points derived from the input, and aborts when the two
// results differ: a decoder must not depend on where the network splits a stream.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace stack::fuzz {

// Takes the first byte as a seed and cuts the rest into pieces of 0..(2*seed+1) bytes.
struct SplitInput {
  std::string_view body;
  std::vector<std::string_view> pieces;
};

inline SplitInput splitInput(const uint8_t* data, size_t size) {
  SplitInput out;
  if (size == 0) return out;
  uint32_t state = data[0] * 2654435761u + 1;
  out.body = std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string_view rest = out.body;
  size_t limit = size_t(data[0]) * 2 + 2;
  while (!rest.empty()) {
    state = state * 1103515245u + 12345u;
    size_t n = std::min<size_t>(rest.size(), (state >> 16) % limit);
    out.pieces.push_back(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  return out;
}

[[noreturn]] inline void mismatch(const char* what, const std::string& whole,
                                  const std::string& pieces) {
  std::fprintf(stderr, "%s differs by split\nwhole:  %s\npieces: %s\n", what, whole.c_str(),
               pieces.c_str());
  std::abort();
}

}  // namespace stack::fuzz
