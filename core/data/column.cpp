#include "data/column.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_set>

namespace tunebench::data {

std::string_view toString(ColumnType type)
{
    switch (type) {
    case ColumnType::Numeric: return "numeric";
    case ColumnType::Categorical: return "categorical";
    case ColumnType::Boolean: return "boolean";
    case ColumnType::Date: return "date";
    case ColumnType::Text: return "text";
    }
    return "numeric";
}

std::optional<ColumnType> columnTypeFromString(std::string_view name)
{
    for (ColumnType type :
         {ColumnType::Numeric, ColumnType::Categorical, ColumnType::Boolean, ColumnType::Date, ColumnType::Text}) {
        if (toString(type) == name)
            return type;
    }
    return std::nullopt;
}

std::string formatNumber(double value)
{
    if (std::isnan(value))
        return {};
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return {buffer.data(), result.ptr};
}

std::size_t Column::missingCount() const noexcept
{
    if (hasCodes())
        return static_cast<std::size_t>(std::count(codes.begin(), codes.end(), kMissingCode));
    return static_cast<std::size_t>(
        std::count_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }));
}

std::string Column::textAt(std::size_t row) const
{
    if (hasCodes()) {
        const std::int32_t code = codes[row];
        return code == kMissingCode ? std::string{} : levels[static_cast<std::size_t>(code)];
    }
    const double value = values[row];
    if (type == ColumnType::Boolean && !std::isnan(value))
        return value != 0.0 ? "true" : "false";
    return formatNumber(value);
}

namespace {

ColumnSummary summarizeCodes(const Column& column)
{
    ColumnSummary summary;
    std::vector<std::size_t> counts(column.levels.size(), 0);
    for (std::int32_t code : column.codes) {
        if (code == kMissingCode)
            ++summary.missing;
        else
            ++counts[static_cast<std::size_t>(code)];
    }
    summary.count = column.codes.size() - summary.missing;
    for (std::size_t level = 0; level < counts.size(); ++level) {
        if (counts[level] > 0)
            summary.levelCounts.emplace_back(column.levels[level], counts[level]);
    }
    summary.distinct = summary.levelCounts.size();
    std::stable_sort(summary.levelCounts.begin(), summary.levelCounts.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return summary;
}

ColumnSummary summarizeValues(const Column& column)
{
    ColumnSummary summary;
    // Welford's algorithm: one pass, numerically stable.
    double mean = 0.0;
    double m2 = 0.0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    std::unordered_set<double> distinct;
    for (double v : column.values) {
        if (std::isnan(v)) {
            ++summary.missing;
            continue;
        }
        ++summary.count;
        const double delta = v - mean;
        mean += delta / static_cast<double>(summary.count);
        m2 += delta * (v - mean);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        distinct.insert(v);
    }
    summary.distinct = distinct.size();
    if (summary.count > 0) {
        summary.min = lo;
        summary.max = hi;
        summary.mean = mean;
        summary.stddev = summary.count > 1 ? std::sqrt(m2 / static_cast<double>(summary.count - 1)) : 0.0;
    }
    if (column.type == ColumnType::Boolean) {
        const auto trues = static_cast<std::size_t>(std::count(column.values.begin(), column.values.end(), 1.0));
        const std::size_t falses = summary.count - trues;
        summary.levelCounts = {{"true", trues}, {"false", falses}};
        std::erase_if(summary.levelCounts, [](const auto& entry) { return entry.second == 0; });
        std::stable_sort(summary.levelCounts.begin(), summary.levelCounts.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    return summary;
}

} // namespace

ColumnSummary summarize(const Column& column)
{
    return column.hasCodes() ? summarizeCodes(column) : summarizeValues(column);
}

} // namespace tunebench::data
