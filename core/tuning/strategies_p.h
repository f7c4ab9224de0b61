#pragma once

// Strategy implementations, shared between their sources and makeStrategy(); not part of the public API.

#include <cstdint>
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

/// Finished trials from best to worst, as the model-based strategies split them: feasible ones first — by loss with one
/// objective; with several by non-dominated rank, and within a rank by how much each adds to the rank's hypervolume
/// (objectives normalised to the trials' range) —, then infeasible ones by their violation, least first.
/// With `enough`, only the first that many are ordered exactly (what a split needs), the rest follow in no particular
/// order.
[[nodiscard]] std::vector<std::size_t> bestFirst(const std::vector<const TrialView*>& trials,
                                                 std::size_t enough = SIZE_MAX);

std::unique_ptr<Strategy> makeTpe(const SearchSpace& space, const StrategyOptions& options);
std::unique_ptr<Strategy> makeBayesian(const SearchSpace& space, const StrategyOptions& options);
std::unique_ptr<Strategy> makeNsga2(const SearchSpace& space, const StrategyOptions& options);

} // namespace tunebench::tuning::detail
