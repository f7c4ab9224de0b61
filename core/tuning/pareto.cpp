#include "tuning/pareto.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tunebench::tuning {

bool dominates(std::span<const double> a, std::span<const double> b)
{
    bool better = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] > b[i])
            return false;
        better = better || a[i] < b[i];
    }
    return better;
}

namespace {

/// Two objectives: sorted by the first (then the second), each sweep peels one front off the rest — a point joins it
/// when its second objective is below every earlier member's, or it equals the last member.
std::vector<int> ranksOfPairs(const std::vector<Point>& points, std::size_t enough)
{
    std::vector<std::size_t> rest(points.size());
    std::iota(rest.begin(), rest.end(), std::size_t{0});
    std::sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) {
        return points[a][0] < points[b][0] || (points[a][0] == points[b][0] && points[a][1] < points[b][1]);
    });
    std::vector<int> rank(points.size(), 0);
    std::size_t ranked = 0;
    for (int level = 0; !rest.empty(); ++level) {
        if (ranked >= enough) {
            for (std::size_t i : rest)
                rank[i] = level;
            break;
        }
        std::vector<std::size_t> next;
        const Point* last = nullptr;
        for (std::size_t i : rest) {
            if (!last || points[i][1] < (*last)[1] || points[i] == *last) {
                rank[i] = level;
                last = &points[i];
                ++ranked;
            } else
                next.push_back(i);
        }
        rest = std::move(next);
    }
    return rank;
}

} // namespace

std::vector<int> nonDominatedRanks(const std::vector<Point>& points, std::size_t enough)
{
    if (!points.empty() && points.front().size() == 2)
        return ranksOfPairs(points, enough);
    const std::size_t n = points.size();
    std::vector<int> rank(n, 0);
    std::vector<int> dominatedBy(n, 0); // how many points dominate each
    std::vector<std::vector<std::size_t>> dominating(n); // the points each dominates
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            if (dominates(points[i], points[j])) {
                dominating[i].push_back(j);
                ++dominatedBy[j];
            } else if (dominates(points[j], points[i])) {
                dominating[j].push_back(i);
                ++dominatedBy[i];
            }
        }
    }
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < n; ++i) {
        if (dominatedBy[i] == 0)
            front.push_back(i);
    }
    for (int level = 0; !front.empty(); ++level) {
        std::vector<std::size_t> next;
        for (std::size_t i : front) {
            rank[i] = level;
            for (std::size_t j : dominating[i]) {
                if (--dominatedBy[j] == 0)
                    next.push_back(j);
            }
        }
        front = std::move(next);
    }
    return rank;
}

std::vector<std::size_t> paretoFront(const std::vector<Point>& points)
{
    std::vector<std::size_t> front;
    if (!points.empty() && points.front().size() == 2) { // one sorted sweep, not all pairs (the live chart's case)
        const std::vector<int> ranks = nonDominatedRanks(points, 1);
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (ranks[i] == 0)
                front.push_back(i);
        }
        return front;
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        const bool dominated = std::any_of(points.begin(), points.end(),
                                           [&](const Point& other) { return dominates(other, points[i]); });
        if (!dominated)
            front.push_back(i);
    }
    return front;
}

std::vector<double> crowdingDistances(const std::vector<Point>& points)
{
    const std::size_t n = points.size();
    std::vector<double> distance(n, 0.0);
    if (n == 0)
        return distance;
    std::vector<std::size_t> order(n);
    for (std::size_t m = 0; m < points.front().size(); ++m) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return points[a][m] < points[b][m]; });
        const double range = points[order.back()][m] - points[order.front()][m];
        distance[order.front()] = std::numeric_limits<double>::infinity();
        distance[order.back()] = std::numeric_limits<double>::infinity();
        if (range <= 0)
            continue;
        for (std::size_t k = 1; k + 1 < n; ++k)
            distance[order[k]] += (points[order[k + 1]][m] - points[order[k - 1]][m]) / range;
    }
    return distance;
}

namespace {

/// Two objectives: sorted by the first, each point adds the strip between it and the best second value so far.
double hypervolume2(std::vector<Point> points, const Point& reference)
{
    std::sort(points.begin(), points.end(),
              [](const Point& a, const Point& b) { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]); });
    double volume = 0.0;
    double lowest = reference[1];
    for (const Point& point : points) {
        if (point[1] < lowest) {
            volume += (reference[0] - point[0]) * (lowest - point[1]);
            lowest = point[1];
        }
    }
    return volume;
}

/// Points strictly inside the box, in `dimensions` objectives; the volume by slices along the last one.
double hypervolumeOf(std::vector<Point> points, const Point& reference, std::size_t dimensions)
{
    if (points.empty())
        return 0.0;
    if (dimensions == 1) {
        double lowest = reference[0];
        for (const Point& point : points)
            lowest = std::min(lowest, point[0]);
        return reference[0] - lowest;
    }
    if (dimensions == 2)
        return hypervolume2(std::move(points), reference);
    const std::size_t last = dimensions - 1;
    std::sort(points.begin(), points.end(), [&](const Point& a, const Point& b) { return a[last] < b[last]; });
    // Between consecutive values of the last objective, the slice's area is that of the points below it.
    double volume = 0.0;
    std::vector<Point> below;
    for (std::size_t i = 0; i < points.size(); ++i) {
        Point projected(points[i].begin(), points[i].begin() + static_cast<std::ptrdiff_t>(last));
        below.push_back(std::move(projected));
        const double top = i + 1 < points.size() ? points[i + 1][last] : reference[last];
        const double height = top - points[i][last];
        if (height > 0) {
            // Only the non-dominated projections shape the area.
            std::vector<Point> front;
            for (std::size_t k : paretoFront(below))
                front.push_back(below[k]);
            below = front;
            volume += height * hypervolumeOf(below, reference, last);
        }
    }
    return volume;
}

} // namespace

double hypervolume(const std::vector<Point>& points, const Point& reference)
{
    std::vector<Point> inside;
    for (const Point& point : points) {
        bool below = point.size() == reference.size();
        for (std::size_t m = 0; below && m < point.size(); ++m)
            below = point[m] < reference[m];
        if (below)
            inside.push_back(point);
    }
    return hypervolumeOf(std::move(inside), reference, reference.size());
}

std::vector<double> hypervolumeContributions(const std::vector<Point>& points, const Point& reference)
{
    const double whole = hypervolume(points, reference);
    std::vector<double> contribution(points.size(), 0.0);
    std::vector<Point> others;
    for (std::size_t i = 0; i < points.size(); ++i) {
        others.assign(points.begin(), points.end());
        others.erase(others.begin() + static_cast<std::ptrdiff_t>(i));
        contribution[i] = std::max(0.0, whole - hypervolume(others, reference));
    }
    return contribution;
}

} // namespace tunebench::tuning
