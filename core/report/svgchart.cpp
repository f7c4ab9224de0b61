#include "report/svgchart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace tunebench::report {

namespace {

constexpr const char* kPalette[]
    = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
constexpr int kPaletteSize = 10;

std::string number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return buffer;
}

std::string coordinate(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

/// About five round tick values covering [low, high].
std::vector<double> ticks(double low, double high)
{
    if (!(high > low))
        return {low};
    const double raw = (high - low) / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step >= raw)
            break;
    }
    std::vector<double> values;
    for (double v = std::ceil(low / step) * step; v <= high + step * 1e-9; v += step)
        values.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return values;
}

} // namespace

std::string xmlEscaped(const std::string& text)
{
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': escaped += "&amp;"; break;
        case '<': escaped += "&lt;"; break;
        case '>': escaped += "&gt;"; break;
        case '"': escaped += "&quot;"; break;
        default: escaped += c;
        }
    }
    return escaped;
}

namespace {

/// A chart's opening: the <svg> element of the given size, its <title> (what reports caption it by), a
/// white background and the title drawn at the top.
void openChart(std::ostringstream& svg, int width, int height, const std::string& title)
{
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << ' ' << height
        << "\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">"
        << "<title>" << xmlEscaped(title) << "</title>"
        << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        << "<text x=\"" << width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">"
        << xmlEscaped(title) << "</text>";
}

} // namespace

std::string svgLineChart(const std::string& title, const std::string& xTitle, const std::string& yTitle,
                         const std::vector<SvgSeries>& series, int width, int height)
{
    double minX = std::numeric_limits<double>::infinity();
    double maxX = -minX;
    double minY = minX;
    double maxY = -minX;
    for (const SvgSeries& s : series) {
        for (const auto& [x, y] : s.points) {
            if (!std::isfinite(x) || !std::isfinite(y))
                continue;
            minX = std::min(minX, x);
            maxX = std::max(maxX, x);
            minY = std::min(minY, y);
            maxY = std::max(maxY, y);
        }
    }
    if (!std::isfinite(minX)) {
        minX = minY = 0.0;
        maxX = maxY = 1.0;
    }
    if (maxX <= minX)
        maxX = minX + 1.0;
    if (maxY <= minY) {
        minY -= 0.5;
        maxY += 0.5;
    }
    const double padY = 0.05 * (maxY - minY);
    minY -= padY;
    maxY += padY;
    const int legendRows = (static_cast<int>(series.size()) + 2) / 3;
    const double left = 70;
    const double right = width - 20;
    const double top = 36;
    const double bottom = height - 50 - 18 * legendRows;
    auto px = [&](double x) { return left + (x - minX) / (maxX - minX) * (right - left); };
    auto py = [&](double y) { return bottom - (y - minY) / (maxY - minY) * (bottom - top); };

    std::ostringstream svg;
    openChart(svg, width, height, title);
    for (double t : ticks(minX, maxX)) {
        svg << "<line x1=\"" << coordinate(px(t)) << "\" y1=\"" << coordinate(top) << "\" x2=\"" << coordinate(px(t))
            << "\" y2=\"" << coordinate(bottom) << "\" stroke=\"#e6e6e6\"/>"
            << "<text x=\"" << coordinate(px(t)) << "\" y=\"" << coordinate(bottom + 14) << "\" text-anchor=\"middle\">"
            << number(t) << "</text>";
    }
    for (double t : ticks(minY, maxY)) {
        svg << "<line x1=\"" << coordinate(left) << "\" y1=\"" << coordinate(py(t)) << "\" x2=\"" << coordinate(right)
            << "\" y2=\"" << coordinate(py(t)) << "\" stroke=\"#e6e6e6\"/>"
            << "<text x=\"" << coordinate(left - 6) << "\" y=\"" << coordinate(py(t) + 4) << "\" text-anchor=\"end\">"
            << number(t) << "</text>";
    }
    svg << "<rect x=\"" << coordinate(left) << "\" y=\"" << coordinate(top) << "\" width=\"" << coordinate(right - left)
        << "\" height=\"" << coordinate(bottom - top) << "\" fill=\"none\" stroke=\"#555555\"/>"
        << "<text x=\"" << coordinate((left + right) / 2) << "\" y=\"" << coordinate(bottom + 32)
        << "\" text-anchor=\"middle\">" << xmlEscaped(xTitle) << "</text>"
        << "<text transform=\"translate(16," << coordinate((top + bottom) / 2)
        << ") rotate(-90)\" text-anchor=\"middle\">" << xmlEscaped(yTitle) << "</text>";
    for (std::size_t i = 0; i < series.size(); ++i) {
        const SvgSeries& s = series[i];
        const char* colour = kPalette[i % kPaletteSize];
        if (s.line) {
            svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.8\""
                << (s.dashed ? " stroke-dasharray=\"5,4\"" : "") << " points=\"";
            for (const auto& [x, y] : s.points) {
                if (std::isfinite(x) && std::isfinite(y))
                    svg << coordinate(px(x)) << ',' << coordinate(py(y)) << ' ';
            }
            svg << "\"/>";
        } else {
            for (const auto& [x, y] : s.points) {
                if (std::isfinite(x) && std::isfinite(y))
                    svg << "<circle cx=\"" << coordinate(px(x)) << "\" cy=\"" << coordinate(py(y))
                        << "\" r=\"3\" fill=\"" << colour << "\"/>";
            }
        }
        const double lx = 20 + static_cast<double>(i % 3) * (width - 40) / 3.0;
        const double ly = bottom + 50 + 18.0 * static_cast<double>(i / 3);
        svg << "<rect x=\"" << coordinate(lx) << "\" y=\"" << coordinate(ly - 9)
            << "\" width=\"10\" height=\"10\" fill=\"" << colour << "\"/><text x=\"" << coordinate(lx + 14) << "\" y=\""
            << coordinate(ly) << "\">" << xmlEscaped(s.name) << "</text>";
    }
    svg << "</svg>";
    return svg.str();
}

std::string svgBarChart(const std::string& title, const std::string& valueTitle,
                        const std::vector<std::pair<std::string, double>>& bars, int width)
{
    const double rowHeight = 22;
    const double top = 36;
    const double left = 230;
    const double right = width - 30;
    const int height = static_cast<int>(top + rowHeight * static_cast<double>(bars.size()) + 50);
    double low = 0.0;
    double high = 0.0;
    for (const auto& [label, value] : bars) {
        low = std::min(low, value);
        high = std::max(high, value);
    }
    if (high <= low)
        high = low + 1.0;
    auto px = [&](double v) { return left + (v - low) / (high - low) * (right - left); };
    std::ostringstream svg;
    openChart(svg, width, height, title);
    const double bottom = top + rowHeight * static_cast<double>(bars.size());
    for (double t : ticks(low, high)) {
        svg << "<line x1=\"" << coordinate(px(t)) << "\" y1=\"" << coordinate(top) << "\" x2=\"" << coordinate(px(t))
            << "\" y2=\"" << coordinate(bottom) << "\" stroke=\"#e6e6e6\"/><text x=\"" << coordinate(px(t)) << "\" y=\""
            << coordinate(bottom + 14) << "\" text-anchor=\"middle\">" << number(t) << "</text>";
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& [label, value] = bars[i];
        const double y = top + rowHeight * static_cast<double>(i);
        const double from = px(std::min(0.0, value));
        const double to = px(std::max(0.0, value));
        svg << "<text x=\"" << coordinate(left - 6) << "\" y=\"" << coordinate(y + 15) << "\" text-anchor=\"end\">"
            << xmlEscaped(label) << "</text><rect x=\"" << coordinate(from) << "\" y=\"" << coordinate(y + 4)
            << "\" width=\"" << coordinate(std::max(0.5, to - from)) << "\" height=\"" << coordinate(rowHeight - 8)
            << "\" fill=\"" << kPalette[0] << "\"/>";
    }
    svg << "<text x=\"" << coordinate((left + right) / 2) << "\" y=\"" << coordinate(bottom + 34)
        << "\" text-anchor=\"middle\">" << xmlEscaped(valueTitle) << "</text></svg>";
    return svg.str();
}

} // namespace tunebench::report
