#pragma once

// A small PNG reader for the e2e screenshot check: enough to tell a rendered page from a
// blank one without an image library. It reads what Chromium writes (8 bits per channel,
// grey or RGB, with or without alpha, not interlaced), checks every chunk's CRC and the
// zlib checksum, and inflates the image data (RFC 1950/1951) itself.

#include <cstdint>
#include <string>
#include <vector>

namespace stack::test {

struct PngImage {
  uint32_t width = 0;
  uint32_t height = 0;
  int channels = 0;             // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
  std::vector<uint8_t> pixels;  // row after row, `channels` bytes per pixel, unfiltered

  // The pixel's red, green and blue (grey repeated for grey images).
  uint32_t rgb(uint32_t x, uint32_t y) const;
};

// Decodes a whole PNG file. Throws std::runtime_error saying what is wrong with it.
PngImage decodePng(const std::string& file_bytes);

// The zlib stream's decompressed bytes. Throws std::runtime_error on corrupt input.
std::vector<uint8_t> zlibInflate(const uint8_t* data, size_t size);

}  // namespace stack::test
