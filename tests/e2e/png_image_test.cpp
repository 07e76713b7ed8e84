// The screenshot check's PNG reader on small images made with Python's zlib: one each with
// stored, fixed-Huffman and dynamic-Huffman deflate blocks, every row filter, grey, RGB
// and RGBA. No engine or browser needed.

#include "tests/e2e/png_image.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

namespace stack::test {
namespace {

std::string fromHex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

uint32_t rgb(uint32_t r, uint32_t g, uint32_t b) {
  return (r % 256) << 16 | (g % 256) << 8 | b % 256;
}

// 4x3 RGB, pixel (x, y) = (60x, 100y, 37xy); row y uses filter y % 5.
const char* kStored =
    "89504e470d0a1a0a0000000d49484452000000040000000308020000003b96399100000032494441547801012700"
    "d8ff000000003c0000780000b40000010064003c00253c00253c00250200640000642500644a00646f56d0056134"
    "242fa20000000049454e44ae426082";
const char* kFixed =
    "89504e470d0a1a0a0000000d49484452000000040000000308020000003b963991000000284944415478da636060"
    "60b06160a86060d8c2c0c0c89002e4a842101390c390a2ca90e2c590920f0056d005618be6d2530000000049454e"
    "44ae426082";
// 5x5 grey, pixel (x, y) = 50x + 3y.
const char* kGrey =
    "89504e470d0a1a0a0000000d4948445200000005000000050800000000a80479390000001c4944415478da636030"
    "4a99768291d908089898c1804d1a0858c04c00488d035a1cc24e110000000049454e44ae426082";
// 32x32 RGBA, pixel (x, y) = (8x, 8y, 4(x + y), xy): large enough for a dynamic Huffman block.
const char* kDynamic =
    "89504e470d0a1a0a0000000d4948445200000020000000200806000000737a7af4000004814944415478dacdd54f"
    "6863451cc0f15fdad736fd97a66ddabeb66936685906c9422845c31a30425dc2b68739447896a23904790b618918"
    "dc3964e1b184dd2039bcd55a1ed8c3a011a2140c9a430e4542ed610e3d64cb0a017bc882480eb2cca187b007f597"
    "ee1397a5bbb62bdd34e113de9f1918862f1300fc38410137feaa30047ebc22e08120de85c00b117c128579a0f854"
    "8300c4f18d0e8b90c2b70cc260e0881c2c8189a32c58018e238b1083128eaec01a5471868004d470561d92d0c099"
    "4d4883c4d92dc880039c4a7b018e4ee96a2f00b517d2beee46b822a507f5a23ee444fd68000da221348c5c6804e1"
    "e629a3680c8d230f9a4093680aa9681acda059e44573c8872e74831bd7a1285da8dbf6cfa7c7d66bebb3396dfdb6"
    "01dba06dc8366c73d9466c6edbe891a31dc0ad405da81b292f17c11d236a8f9b780754e21ff193790f21643a4802"
    "be1009be1a218b244a429728092f6824f2469c2c8575127d3b4556ae3042970d12a339a2bd6b92b5558bc43fe024"
    "912812fd5a8924af5748eae32a493341d8cd1ac9dcaa13e34e8364f34d92bb2b497ea345cc2f1d1054db11f676ca"
    "3988707e0c5e5a708a32661bb7799e15610fea457dc889facf0e25e0a48101370d7a54bae8f3d3102134bc10a491"
    "70882e5d89d0287e575629a5098dc6aec7a9c674ba762b45e37946131b06d5798e26bf3369aa6cd1f44f9c3251a4"
    "99fd12350e2a34fb7b95e6a4a0f947356a2a75baee6a504b6dd2cd5724e581162dbcee002dd08e70b053ce418421"
    "2f9c4170778f0deeb109dbe4915344388006d1101a46ae67f03ce7dd3158189c2c32e2664b3e95452ff9d94a9830"
    "ba1c64b1d510d3ae45d81a8bb2f81dca121b98df3771962ceb2cf5738aa5f719630f0c96913966fc65b2accb62b9"
    "39cef2812233df2cb1f5ab1566bd57659bba60fc468d156ed759f18b06db2a3459e947c9ca3b2d56b9e70023d28e"
    "d0dd29e720c2958b702627dc71c129ca944d45169afebf118e23371a4563f6fd49ccfd7bcd293879cce3e61a51f9"
    "5ad8cfe394f04422c87516e2c97c84a77894a7cb9433a1f1cc419c1b52e75925c5732ae3f980c1cd488eafc74c6e"
    "e916dfcc70cecd222f144abc58a9f0adbd2a2f35042f1fd678c559e7dbde06af069b7c774972a1b5f85ed201c558"
    "3bc2894e390711c68370cae03e7b81e0d4a3e01e9bb1cd1e798108d527221c3926c2f649388126edb1ff4124c029"
    "f469b7482ea822b5ec17e90411ec6650643642c2f83e22b2222a720fa8c83fd284391e17eb015d58efa4c4e6fb4c"
    "f01b8628983951fcd6145b3b9628fdca45f9b0282ac325b17db122aa6f55c5ae2684f8a826f63ead8bdad70d717f"
    "bb29eabf4871f0b0251a7d0ea8e9ed08673ae51c4498be0c273ce13e3f4170d673835314af6dcee63b4d8473c79c"
    "844f4738f7548453766cd36806cdda639e20193865c6e796465895d9553ffeb91299df084ab31c92ebfb1169c9a8"
    "dc7451c9039a2c5c8dcba2aecbaddb29592a3059de3164a59193db7f9ab2eab5e4ee652e8556947b9f94646dbd22"
    "efff5095f59a90070f6bb2315497bfbdd690cd6853fef1a19432db92875f39a095694778a153fe06faabe9557499"
    "2e730000000049454e44ae426082";

}  // namespace

TEST_CASE("the PNG reader decodes stored and fixed-Huffman blocks and every row filter") {
  for (const char* hex : {kStored, kFixed}) {
    const PngImage image = decodePng(fromHex(hex));
    REQUIRE(image.width == 4);
    REQUIRE(image.height == 3);
    CHECK(image.channels == 3);
    for (uint32_t y = 0; y < 3; ++y) {
      for (uint32_t x = 0; x < 4; ++x) CHECK(image.rgb(x, y) == rgb(60 * x, 100 * y, 37 * x * y));
    }
  }
}

TEST_CASE("the PNG reader decodes dynamic-Huffman blocks, RGBA and grey") {
  const PngImage rgba = decodePng(fromHex(kDynamic));
  REQUIRE(rgba.width == 32);
  REQUIRE(rgba.height == 32);
  CHECK(rgba.channels == 4);
  size_t wrong = 0;
  for (uint32_t y = 0; y < 32; ++y) {
    for (uint32_t x = 0; x < 32; ++x) {
      wrong += rgba.rgb(x, y) != rgb(8 * x, 8 * y, 4 * (x + y));
      wrong += rgba.pixels[(y * 32 + x) * 4 + 3] != (x * y) % 256;
    }
  }
  CHECK(wrong == 0);
  const PngImage grey = decodePng(fromHex(kGrey));
  CHECK(grey.channels == 1);
  CHECK(grey.rgb(4, 4) == rgb(212, 212, 212));
}

TEST_CASE("the PNG reader rejects what is not a whole, intact PNG") {
  const std::string good = fromHex(kFixed);
  CHECK_THROWS_WITH_AS(decodePng("GIF89a"), "invalid PNG: no PNG signature", std::runtime_error);
  CHECK_THROWS_AS(decodePng(good.substr(0, good.size() - 20)), std::runtime_error);
  std::string flipped = good;
  flipped[45] = static_cast<char>(flipped[45] ^ 0x01);  // inside IDAT
  CHECK_THROWS_WITH_AS(decodePng(flipped), "invalid PNG: the CRC of chunk IDAT",
                       std::runtime_error);
}

}  // namespace stack::test
