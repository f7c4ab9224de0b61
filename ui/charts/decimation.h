#pragma once

#include <span>
#include <vector>

#include <QPointF>

namespace tunebench::ui {

/// Largest-triangle-three-buckets (Steinarsson 2013): at most `threshold` of `points` (sorted by x) that keep
/// the curve's visual shape — the first and last point always, and from each bucket the point spanning the
/// largest triangle with its neighbours' picks. Fewer points than the threshold come back unchanged.
[[nodiscard]] std::vector<QPointF> decimateLttb(std::span<const QPointF> points, std::size_t threshold);

} // namespace tunebench::ui
