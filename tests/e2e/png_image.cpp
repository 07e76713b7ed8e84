#include "tests/e2e/png_image.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <stdexcept>

namespace stack::test {
namespace {

[[noreturn]] void corrupt(const std::string& what) {
  throw std::runtime_error("invalid PNG: " + what);
}

// Reads the deflate stream's bits, least significant first.
class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint32_t bits(int count) {
    uint64_t value = buffer_;
    while (buffered_ < count) {
      if (position_ >= size_) corrupt("the compressed data ends early");
      value |= uint64_t{data_[position_++]} << buffered_;
      buffered_ += 8;
    }
    buffer_ = value >> count;
    buffered_ -= count;
    return static_cast<uint32_t>(value & ((uint64_t{1} << count) - 1));
  }
  // Drops the rest of the current byte; returns the offset of the next one.
  size_t alignToByte() {
    buffer_ = 0;
    buffered_ = 0;
    return position_;
  }
  void skipTo(size_t position) { position_ = position; }
  size_t size() const { return size_; }
  const uint8_t* data() const { return data_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
  uint64_t buffer_ = 0;
  int buffered_ = 0;
};

// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
  std::array<uint16_t, 16> count{};
  std::vector<uint16_t> symbols;

  explicit Huffman(const std::vector<uint8_t>& lengths) : symbols(lengths.size()) {
    for (uint8_t length : lengths) ++count[length];
    std::array<uint16_t, 16> offset{};
    for (int length = 1; length < 15; ++length) offset[length + 1] = offset[length] + count[length];
    for (size_t symbol = 0; symbol < lengths.size(); ++symbol) {
      if (lengths[symbol] != 0) symbols[offset[lengths[symbol]]++] = static_cast<uint16_t>(symbol);
    }
  }

  int decode(BitReader& in) const {
    int code = 0, first = 0, index = 0;
    for (int length = 1; length <= 15; ++length) {
      code |= static_cast<int>(in.bits(1));
      const int n = count[length];
      if (code - first < n) return symbols[index + code - first];
      index += n;
      first = (first + n) << 1;
      code <<= 1;
    }
    corrupt("a Huffman code that decodes to nothing");
  }
};

constexpr std::array<uint16_t, 29> kLengthBase{3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                               15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                               67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<uint8_t, 29> kLengthExtra{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                               2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<uint16_t, 30> kDistanceBase{
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<uint8_t, 30> kDistanceExtra{0, 0, 0,  0,  1,  1,  2,  2,  3,  3,
                                                 4, 4, 5,  5,  6,  6,  7,  7,  8,  8,
                                                 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

void inflateCodes(BitReader& in, const Huffman& lengths, const Huffman& distances,
                  std::vector<uint8_t>& out) {
  for (;;) {
    int symbol = lengths.decode(in);
    if (symbol < 256) {
      out.push_back(static_cast<uint8_t>(symbol));
      continue;
    }
    if (symbol == 256) return;
    symbol -= 257;
    if (symbol >= 29) corrupt("a length code out of range");
    const size_t length = kLengthBase[symbol] + in.bits(kLengthExtra[symbol]);
    const int distance_symbol = distances.decode(in);
    if (distance_symbol >= 30) corrupt("a distance code out of range");
    const size_t distance =
        kDistanceBase[distance_symbol] + in.bits(kDistanceExtra[distance_symbol]);
    if (distance > out.size()) corrupt("a distance back beyond the start");
    for (size_t i = 0; i < length; ++i) out.push_back(out[out.size() - distance]);
  }
}

void inflateStored(BitReader& in, std::vector<uint8_t>& out) {
  const size_t at = in.alignToByte();
  if (at + 4 > in.size()) corrupt("a stored block ends early");
  const uint8_t* header = in.data() + at;
  const size_t length = header[0] | (header[1] << 8);
  if ((length ^ (header[2] | (header[3] << 8))) != 0xffff) corrupt("a stored block's length check");
  if (at + 4 + length > in.size()) corrupt("a stored block ends early");
  out.insert(out.end(), header + 4, header + 4 + length);
  in.skipTo(at + 4 + length);
}

void inflateFixed(BitReader& in, std::vector<uint8_t>& out) {
  std::vector<uint8_t> lengths(288, 8);
  for (int i = 144; i < 256; ++i) lengths[i] = 9;
  for (int i = 256; i < 280; ++i) lengths[i] = 7;
  static const Huffman fixed_lengths(lengths), fixed_distances(std::vector<uint8_t>(30, 5));
  inflateCodes(in, fixed_lengths, fixed_distances, out);
}

void inflateDynamic(BitReader& in, std::vector<uint8_t>& out) {
  const size_t literal_count = in.bits(5) + 257, distance_count = in.bits(5) + 1;
  const size_t code_count = in.bits(4) + 4;
  static constexpr std::array<uint8_t, 19> kOrder{16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                  11, 4,  12, 3, 13, 2, 14, 1, 15};
  std::vector<uint8_t> code_lengths(19, 0);
  for (size_t i = 0; i < code_count; ++i)
    code_lengths[kOrder[i]] = static_cast<uint8_t>(in.bits(3));
  const Huffman codes(code_lengths);
  std::vector<uint8_t> lengths;
  while (lengths.size() < literal_count + distance_count) {
    const int symbol = codes.decode(in);
    if (symbol < 16) {
      lengths.push_back(static_cast<uint8_t>(symbol));
      continue;
    }
    uint8_t value = 0;
    size_t repeat = 0;
    if (symbol == 16) {
      if (lengths.empty()) corrupt("a repeated code length with nothing before it");
      value = lengths.back();
      repeat = 3 + in.bits(2);
    } else {
      repeat = symbol == 17 ? 3 + in.bits(3) : 11 + in.bits(7);
    }
    lengths.insert(lengths.end(), repeat, value);
  }
  if (lengths.size() != literal_count + distance_count) corrupt("too many code lengths");
  if (lengths[256] == 0) corrupt("no end-of-block code");
  const Huffman literal_codes(
      std::vector<uint8_t>(lengths.begin(), lengths.begin() + literal_count));
  const Huffman distance_codes(
      std::vector<uint8_t>(lengths.begin() + literal_count, lengths.end()));
  inflateCodes(in, literal_codes, distance_codes, out);
}

uint32_t readBigEndian(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

uint32_t crc32(const uint8_t* data, size_t size) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Undoes the per-row filters (PNG specification, section 9) in place.
std::vector<uint8_t> unfilter(const std::vector<uint8_t>& raw, const PngImage& image) {
  const size_t stride = size_t{image.width} * image.channels, bpp = image.channels;
  if (raw.size() != image.height * (stride + 1)) corrupt("the image data has the wrong size");
  std::vector<uint8_t> pixels(image.height * stride);
  for (size_t y = 0; y < image.height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* in = &raw[y * (stride + 1) + 1];
    uint8_t* row = &pixels[y * stride];
    const uint8_t* up = y ? row - stride : nullptr;
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= bpp ? row[x - bpp] : 0, b = up ? up[x] : 0;
      const int c = up && x >= bpp ? up[x - bpp] : 0;
      int predictor = 0;
      switch (filter) {
        case 0:
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) / 2;
          break;
        case 4:
          predictor = paeth(a, b, c);
          break;
        default:
          corrupt("unknown row filter " + std::to_string(filter));
      }
      row[x] = static_cast<uint8_t>(in[x] + predictor);
    }
  }
  return pixels;
}

}  // namespace

uint32_t PngImage::rgb(uint32_t x, uint32_t y) const {
  const uint8_t* p = &pixels[(size_t{y} * width + x) * channels];
  if (channels < 3) return uint32_t{p[0]} << 16 | uint32_t{p[0]} << 8 | p[0];
  return uint32_t{p[0]} << 16 | uint32_t{p[1]} << 8 | p[2];
}

std::vector<uint8_t> zlibInflate(const uint8_t* data, size_t size) {
  if (size < 6 || (data[0] & 0x0f) != 8 || ((data[0] << 8) | data[1]) % 31 != 0 ||
      (data[1] & 0x20)) {
    corrupt("not a zlib stream");
  }
  BitReader in(data + 2, size - 6);
  std::vector<uint8_t> out;
  for (bool last = false; !last;) {
    last = in.bits(1);
    switch (in.bits(2)) {
      case 0:
        inflateStored(in, out);
        break;
      case 1:
        inflateFixed(in, out);
        break;
      case 2:
        inflateDynamic(in, out);
        break;
      default:
        corrupt("a deflate block of reserved type 3");
    }
  }
  uint32_t a = 1, b = 0;
  for (uint8_t byte : out) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  if (readBigEndian(data + 2 + in.alignToByte()) != (b << 16 | a)) corrupt("the zlib checksum");
  return out;
}

PngImage decodePng(const std::string& file_bytes) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(file_bytes.data());
  const size_t size = file_bytes.size();
  static constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (size < 8 || !std::equal(kSignature, kSignature + 8, bytes)) corrupt("no PNG signature");
  PngImage image;
  std::vector<uint8_t> compressed;
  bool ended = false;
  for (size_t at = 8; !ended;) {
    if (at + 12 > size) corrupt("the file ends before IEND");
    const uint32_t length = readBigEndian(bytes + at);
    if (length > size - at - 12) corrupt("a chunk runs past the end of the file");
    const std::string type(reinterpret_cast<const char*>(bytes + at + 4), 4);
    const uint8_t* chunk = bytes + at + 8;
    if (crc32(bytes + at + 4, length + 4) != readBigEndian(chunk + length)) {
      corrupt("the CRC of chunk " + type);
    }
    if (type == "IHDR") {
      if (length != 13) corrupt("IHDR has the wrong length");
      image.width = readBigEndian(chunk);
      image.height = readBigEndian(chunk + 4);
      static constexpr int kChannels[7] = {1, 0, 3, 0, 2, 0, 4};
      const uint8_t color_type = chunk[9];
      if (chunk[8] != 8 || color_type > 6 || !kChannels[color_type] || chunk[12] != 0) {
        corrupt("only 8-bit, non-interlaced grey or RGB images are supported");
      }
      image.channels = kChannels[color_type];
    } else if (type == "IDAT") {
      compressed.insert(compressed.end(), chunk, chunk + length);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + length;
  }
  if (image.channels == 0) corrupt("no IHDR chunk");
  if (image.width == 0 || image.height == 0 || image.width > 16384 || image.height > 16384) {
    corrupt("an image size of " + std::to_string(image.width) + "x" + std::to_string(image.height));
  }
  image.pixels = unfilter(zlibInflate(compressed.data(), compressed.size()), image);
  return image;
}

}  // namespace stack::test
