#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tunebench::data {

/// What a column holds. Numeric, Boolean (0/1) and Date (seconds since the Unix epoch, UTC) keep
/// doubles; Categorical and Text keep integer codes into a table of distinct levels.
enum class ColumnType
{
    Numeric,
    Categorical,
    Boolean,
    Date,
    Text,
};

[[nodiscard]] std::string_view toString(ColumnType type);
[[nodiscard]] std::optional<ColumnType> columnTypeFromString(std::string_view name);

/// Code used in Column::codes for a missing value.
inline constexpr std::int32_t kMissingCode = -1;

/// One typed column. Missing values are NaN in `values` or kMissingCode in `codes`.
struct Column
{
    std::string name;
    ColumnType type = ColumnType::Numeric;
    std::vector<double> values; ///< Numeric, Boolean, Date
    std::vector<std::int32_t> codes; ///< Categorical, Text
    std::vector<std::string> levels; ///< Categorical, Text: the distinct values, in first-seen order
    /// Integer values with few distinct levels: numeric, but maybe meant as categories.
    bool possiblyCategorical = false;

    [[nodiscard]] bool hasCodes() const noexcept { return type == ColumnType::Categorical || type == ColumnType::Text; }
    [[nodiscard]] std::size_t size() const noexcept { return hasCodes() ? codes.size() : values.size(); }
    [[nodiscard]] bool isMissing(std::size_t row) const noexcept
    {
        return hasCodes() ? codes[row] == kMissingCode : std::isnan(values[row]);
    }
    [[nodiscard]] std::size_t missingCount() const noexcept;
    /// The value of a row as text: the level, or the number written in its shortest exact form.
    [[nodiscard]] std::string textAt(std::size_t row) const;
};

/// Summary statistics of a column, for the inspector and the dataset view.
struct ColumnSummary
{
    std::size_t count = 0; ///< non-missing values
    std::size_t missing = 0;
    std::size_t distinct = 0; ///< distinct non-missing values
    double min = std::nan("");
    double max = std::nan("");
    double mean = std::nan("");
    double stddev = std::nan(""); ///< sample standard deviation (n - 1)
    /// Level and count, most frequent first (Categorical, Text, Boolean).
    std::vector<std::pair<std::string, std::size_t>> levelCounts;
};

[[nodiscard]] ColumnSummary summarize(const Column& column);

/// Writes a double in its shortest form that reads back exactly ("1", "0.1", "1e+300").
[[nodiscard]] std::string formatNumber(double value);

} // namespace tunebench::data
