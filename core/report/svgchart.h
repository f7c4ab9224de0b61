#pragma once

// Charts as standalone SVG text (no GUI library): what reports inline, so a report is one file that any
// browser shows and that prints as vectors.

#include <string>
#include <utility>
#include <vector>

namespace tunebench::report {

struct SvgSeries
{
    std::string name;
    std::vector<std::pair<double, double>> points;
    bool line = true; ///< false: markers only
    bool dashed = false;
};

/// A line or scatter chart: title, axis titles, ticks at round values, legend below.
[[nodiscard]] std::string svgLineChart(const std::string& title, const std::string& xTitle, const std::string& yTitle,
                                       const std::vector<SvgSeries>& series, int width = 640, int height = 360);

/// Horizontal bars, one per label, longest first as given; values of any sign.
[[nodiscard]] std::string svgBarChart(const std::string& title, const std::string& valueTitle,
                                      const std::vector<std::pair<std::string, double>>& bars, int width = 640);

/// Text made safe for XML content and attribute values.
[[nodiscard]] std::string xmlEscaped(const std::string& text);

} // namespace tunebench::report
