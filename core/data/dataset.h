#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/column.h"

namespace tunebench::data {

/// What kind of supervised problem a target column poses.
enum class Task
{
    Binary,
    Multiclass,
    Regression,
};

[[nodiscard]] std::string_view toString(Task task);

/// A table of typed columns of equal length. Plain value type: cheap to move, safe to hand between threads.
class Dataset
{
public:
    Dataset() = default;
    explicit Dataset(std::vector<Column> columns);

    [[nodiscard]] std::size_t rowCount() const noexcept { return m_rows; }
    [[nodiscard]] std::size_t columnCount() const noexcept { return m_columns.size(); }
    [[nodiscard]] const std::vector<Column>& columns() const noexcept { return m_columns; }
    [[nodiscard]] const Column& column(std::size_t index) const { return m_columns.at(index); }
    [[nodiscard]] Column& column(std::size_t index) { return m_columns.at(index); }
    /// Index of the column with this exact name.
    [[nodiscard]] std::optional<std::size_t> indexOf(std::string_view name) const;

private:
    std::vector<Column> m_columns;
    std::size_t m_rows = 0;
};

/// The dataset without the named columns (a model's excluded identifiers, leaks, free text). Throws
/// std::invalid_argument naming one the dataset does not have.
[[nodiscard]] Dataset withoutColumns(Dataset dataset, const std::vector<std::string>& names);

/// The column a user most likely wants to predict: one named target, class, label or y (any case),
/// else the last column. Nothing for an empty dataset.
[[nodiscard]] std::optional<std::size_t> suggestTarget(const Dataset& dataset);

/// Binary for two distinct values, multiclass for categorical/boolean columns or integer columns with few
/// distinct values, regression otherwise.
[[nodiscard]] Task detectTask(const Column& target);
/// The same from a column's summary (as a dataset's schema records it).
[[nodiscard]] Task detectTask(ColumnType type, std::size_t distinct, bool possiblyCategorical);

} // namespace tunebench::data
