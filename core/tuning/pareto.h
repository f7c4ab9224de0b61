#pragma once

// Several objectives: dominance, non-dominated sorting, crowding and hypervolume. Every point is a vector of losses,
// lower is better in each (a maximised metric negated), all of the same length.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tunebench::tuning {

using Point = std::vector<double>;

/// `a` is no worse than `b` in every objective and better in at least one.
[[nodiscard]] bool dominates(std::span<const double> a, std::span<const double> b);

/// Each point's non-dominated rank: 0 for the Pareto front, 1 for the front of the rest, ... (Deb et al.'s fast
/// non-dominated sort, O(m n^2); two objectives by sorted sweeps, O(n log n + n r) for r ranks). With `enough`, ranking
/// stops once that many points are ranked: the rest get the next rank, unsorted.
[[nodiscard]] std::vector<int> nonDominatedRanks(const std::vector<Point>& points, std::size_t enough = SIZE_MAX);

/// The indices of the points no other point dominates, in index order (equal points all stay).
[[nodiscard]] std::vector<std::size_t> paretoFront(const std::vector<Point>& points);

/// NSGA-II's crowding distance of each point within its set: the sum over objectives of the normalised gap between
/// its two neighbours; the extremes of each objective get infinity.
[[nodiscard]] std::vector<double> crowdingDistances(const std::vector<Point>& points);

/// The volume the points dominate inside the box below `reference` (lower is better): exact, by a sweep for two
/// objectives and by slicing along the last objective for more (fine for a few thousand points in three). Points
/// not strictly below the reference in every objective add nothing.
[[nodiscard]] double hypervolume(const std::vector<Point>& points, const Point& reference);

/// How much each point alone adds to the points' hypervolume (0 for a dominated one).
[[nodiscard]] std::vector<double> hypervolumeContributions(const std::vector<Point>& points, const Point& reference);

} // namespace tunebench::tuning
