#include "charts/decimation.h"

#include <cmath>

namespace tunebench::ui {

std::vector<QPointF> decimateLttb(std::span<const QPointF> points, std::size_t threshold)
{
    const std::size_t n = points.size();
    if (threshold >= n || threshold < 3)
        return {points.begin(), points.end()};
    std::vector<QPointF> out;
    out.reserve(threshold);
    out.push_back(points.front());
    // The n - 2 inner points go into threshold - 2 buckets of (nearly) equal size.
    const double bucket = static_cast<double>(n - 2) / static_cast<double>(threshold - 2);
    std::size_t picked = 0;
    for (std::size_t b = 0; b < threshold - 2; ++b) {
        const auto begin = static_cast<std::size_t>(std::floor(static_cast<double>(b) * bucket)) + 1;
        const auto end = std::min(static_cast<std::size_t>(std::floor(static_cast<double>(b + 1) * bucket)) + 1, n - 1);
        // The next bucket's average is the third corner (the last point for the last bucket).
        const auto nextBegin = end;
        const auto nextEnd = std::min(static_cast<std::size_t>(std::floor(static_cast<double>(b + 2) * bucket)) + 1, n);
        double averageX = 0.0;
        double averageY = 0.0;
        for (std::size_t i = nextBegin; i < nextEnd; ++i) {
            averageX += points[i].x();
            averageY += points[i].y();
        }
        const auto count = static_cast<double>(std::max<std::size_t>(1, nextEnd - nextBegin));
        averageX /= count;
        averageY /= count;
        const QPointF& a = points[picked];
        double largest = -1.0;
        std::size_t chosen = begin;
        for (std::size_t i = begin; i < end; ++i) {
            const double area
                = std::abs((a.x() - averageX) * (points[i].y() - a.y()) - (a.x() - points[i].x()) * (averageY - a.y()));
            if (area > largest) {
                largest = area;
                chosen = i;
            }
        }
        out.push_back(points[chosen]);
        picked = chosen;
    }
    out.push_back(points.back());
    return out;
}

} // namespace tunebench::ui
