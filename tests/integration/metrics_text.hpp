#pragma once
// Reading samples out of the Prometheus text exposition format.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace parley::it {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

std::vector<Sample> parse_samples(std::string_view text);

// Samples named `name` whose labels include every pair of `labels`.
std::vector<Sample> find_samples(const std::vector<Sample>& samples, std::string_view name,
                                 const std::map<std::string, std::string>& labels = {});

}  // namespace parley::it
