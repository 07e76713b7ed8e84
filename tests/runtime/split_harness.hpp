#pragma once

// Feeds one input to a decoder in every way the network could cut it: whole, every 2-way
// split, and one byte at a time. Each way is a list of pieces; `run` decodes the pieces
// and returns a comparable result, which must be the same for every way.

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace stack::test {

using Pieces = std::vector<std::string_view>;

inline std::vector<Pieces> everySplit(std::string_view input) {
  std::vector<Pieces> ways;
  ways.push_back({input});
  for (size_t i = 0; i <= input.size(); ++i) {
    ways.push_back({input.substr(0, i), input.substr(i)});
  }
  Pieces bytes;
  for (size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
  ways.push_back(bytes);
  return ways;
}

// Checks that run(pieces) equals `expected` for every split of `input`.
template <class Run, class Result>
void checkEverySplit(std::string_view input, const Result& expected, Run run) {
  for (const Pieces& pieces : everySplit(input)) {
    std::string where = pieces.size() == 2 ? "split at " + std::to_string(pieces[0].size())
                                           : std::to_string(pieces.size()) + " pieces";
    CAPTURE(where);
    CHECK(run(pieces) == expected);
  }
}

}  // namespace stack::test
