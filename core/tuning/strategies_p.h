#pragma once

// Strategy implementations, shared between their sources and makeStrategy(); not part of the public API.

#include <memory>
#include <vector>

#include "tuning/strategy.h"

namespace tunebench::tuning::detail {

/// A scrambled Sobol point (random digital shift from `seed`) of `dimensions` coordinates; `index` from 0.
[[nodiscard]] std::vector<double> sobolPoint(std::size_t dimensions, std::uint64_t index, std::uint64_t seed);
/// Uniform point of the unit cube drawn from the stream for `number`.
[[nodiscard]] std::vector<double> randomPoint(std::size_t dimensions, std::uint64_t seed, int number);

/// Startup trials for the model-based strategies: `requested`, or a number growing with the dimension.
[[nodiscard]] int startupTrialCount(const SearchSpace& space, int requested);

std::unique_ptr<Strategy> makeTpe(const SearchSpace& space, const StrategyOptions& options);
std::unique_ptr<Strategy> makeBayesian(const SearchSpace& space, const StrategyOptions& options);

} // namespace tunebench::tuning::detail
