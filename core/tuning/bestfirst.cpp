// The order in which model-based strategies rank finished trials, for one objective or several, with or without
// constraints (strategies_p.h).

#include <algorithm>
#include <cmath>
#include <numeric>

#include "tuning/pareto.h"
#include "tuning/strategies_p.h"

namespace tunebench::tuning::detail {

namespace {

/// The points scaled to [0, 1] per objective over the set (a constant objective to 0).
std::vector<Point> normalised(const std::vector<Point>& points)
{
    std::vector<Point> scaled = points;
    if (points.empty())
        return scaled;
    for (std::size_t m = 0; m < points.front().size(); ++m) {
        double low = INFINITY;
        double high = -INFINITY;
        for (const Point& point : points) {
            low = std::min(low, point[m]);
            high = std::max(high, point[m]);
        }
        for (Point& point : scaled)
            point[m] = high > low ? (point[m] - low) / (high - low) : 0.0;
    }
    return scaled;
}

/// Several objectives: by rank, and within each rank the larger hypervolume contributions first.
std::vector<std::size_t> byRank(const std::vector<Point>& points, std::size_t enough)
{
    const std::vector<Point> scaled = normalised(points);
    const std::vector<int> rank = nonDominatedRanks(scaled, enough);
    std::vector<double> contribution(points.size(), 0.0);
    const int ranks = rank.empty() ? 0 : *std::max_element(rank.begin(), rank.end()) + 1;
    const Point reference(points.empty() ? 0 : points.front().size(), 1.1);
    std::size_t before = 0; // points in better ranks
    for (int r = 0; r < ranks && before < enough; ++r) { // ranks wholly beyond `enough` need no order
        std::vector<std::size_t> members;
        std::vector<Point> front;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (rank[i] == r) {
                members.push_back(i);
                front.push_back(scaled[i]);
            }
        }
        before += members.size();
        const std::vector<double> adds = hypervolumeContributions(front, reference);
        for (std::size_t k = 0; k < members.size(); ++k)
            contribution[members[k]] = adds[k];
    }
    std::vector<std::size_t> order(points.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return rank[a] != rank[b] ? rank[a] < rank[b] : contribution[a] > contribution[b];
    });
    return order;
}

} // namespace

std::vector<std::size_t> bestFirst(const std::vector<const TrialView*>& trials, std::size_t enough)
{
    std::vector<std::size_t> feasible;
    std::vector<std::size_t> infeasible;
    for (std::size_t i = 0; i < trials.size(); ++i)
        (trials[i]->feasible() ? feasible : infeasible).push_back(i);
    std::vector<std::size_t> order;
    const bool several = !feasible.empty() && trials[feasible.front()]->losses.size() > 1;
    if (several) {
        std::vector<Point> points;
        for (std::size_t i : feasible)
            points.push_back(trials[i]->losses);
        for (std::size_t k : byRank(points, enough))
            order.push_back(feasible[k]);
    } else {
        order = feasible;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return *trials[a]->loss < *trials[b]->loss; });
    }
    std::stable_sort(infeasible.begin(), infeasible.end(),
                     [&](std::size_t a, std::size_t b) { return trials[a]->violation() < trials[b]->violation(); });
    order.insert(order.end(), infeasible.begin(), infeasible.end());
    return order;
}

} // namespace tunebench::tuning::detail
