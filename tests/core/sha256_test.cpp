// SHA-256 against the FIPS 180-2 test vectors, one-shot and streamed.
#include "core/sha256.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"

namespace stack {
namespace {

constexpr const char* kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kTwoBlocks =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr const char* kTwoBlocksInput = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr const char* kMillionA =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

}  // namespace

TEST_CASE("sha256 of the FIPS 180-2 vectors") {
  CHECK(sha256Hex("") == kEmpty);
  CHECK(sha256Hex("abc") == kAbc);
  CHECK(sha256Hex(kTwoBlocksInput) == kTwoBlocks);
  CHECK(sha256Hex(std::string(1000000, 'a')) == kMillionA);
  CHECK(toHex(sha256("abc")) == kAbc);
  CHECK(sha256Hex("abd") != kAbc);
}

TEST_CASE("a streamed digest equals the one-shot digest, however the input is split") {
  Sha256 streamed;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) streamed.update(chunk);
  CHECK(streamed.hexDigest() == kMillionA);

  Sha256 split;
  split.update("a").update(std::string_view("")).update("bc");
  CHECK(split.digest() == sha256("abc"));

  Sha256 nothing;
  CHECK(nothing.hexDigest() == kEmpty);
}

TEST_CASE("a finished digest refuses more input and a second finish") {
  Sha256 hasher;
  hasher.update("abc");
  CHECK(hasher.hexDigest() == kAbc);
  CHECK_THROWS_AS(hasher.update("more"), Error);
  CHECK_THROWS_AS(hasher.digest(), Error);
  Sha256 moved_to = std::move(hasher);
  CHECK_THROWS_AS(moved_to.digest(), Error);
}

}  // namespace stack
