#include "data/dataset.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tunebench::data {

std::string_view toString(Task task)
{
    switch (task) {
    case Task::Binary: return "binary";
    case Task::Multiclass: return "multiclass";
    case Task::Regression: return "regression";
    }
    return "regression";
}

Dataset::Dataset(std::vector<Column> columns)
    : m_columns(std::move(columns))
{
    if (!m_columns.empty())
        m_rows = m_columns.front().size();
    for (const Column& column : m_columns) {
        if (column.size() != m_rows)
            throw std::invalid_argument("column '" + column.name + "' has " + std::to_string(column.size())
                                        + " rows, expected " + std::to_string(m_rows));
    }
}

std::optional<std::size_t> Dataset::indexOf(std::string_view name) const
{
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].name == name)
            return i;
    }
    return std::nullopt;
}

Dataset withoutColumns(Dataset dataset, const std::vector<std::string>& names)
{
    for (const std::string& name : names) {
        if (!dataset.indexOf(name))
            throw std::invalid_argument("the dataset has no column named '" + name + "' to ignore");
    }
    if (names.empty())
        return dataset;
    std::vector<Column> kept;
    for (std::size_t i = 0; i < dataset.columnCount(); ++i) {
        Column& column = dataset.column(i);
        if (std::find(names.begin(), names.end(), column.name) == names.end())
            kept.push_back(std::move(column));
    }
    return Dataset(std::move(kept));
}

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

std::optional<std::size_t> suggestTarget(const Dataset& dataset)
{
    if (dataset.columnCount() == 0)
        return std::nullopt;
    // Names that say "the thing to predict", then names that usually do (penguins' first column is its
    // species, Titanic's second whether a passenger survived); else the last column, as in Weka's and most
    // published files, passing over free text and mostly blank columns, which no one predicts (OpenML's
    // Titanic ends with "body", a number known for 121 of 1,309 passengers, after "home.dest", text).
    for (std::string_view preferred : {"target", "class", "label", "y", "labels", "outcome", "response", "diagnosis",
                                       "species", "survived", "churn"}) {
        for (std::size_t i = 0; i < dataset.columnCount(); ++i) {
            if (equalsIgnoreCase(dataset.column(i).name, preferred))
                return i;
        }
    }
    for (std::size_t i = dataset.columnCount(); i-- > 0;) {
        const Column& column = dataset.column(i);
        if (column.type != ColumnType::Text && column.missingCount() * 2 <= column.size())
            return i;
    }
    return dataset.columnCount() - 1;
}

Task detectTask(ColumnType type, std::size_t distinct, bool possiblyCategorical)
{
    switch (type) {
    case ColumnType::Categorical:
    case ColumnType::Text:
    case ColumnType::Boolean: return distinct <= 2 ? Task::Binary : Task::Multiclass;
    case ColumnType::Numeric:
        if (distinct == 2)
            return Task::Binary;
        return possiblyCategorical ? Task::Multiclass : Task::Regression;
    case ColumnType::Date: return Task::Regression;
    }
    return Task::Regression;
}

Task detectTask(const Column& target)
{
    return detectTask(target.type, summarize(target).distinct, target.possiblyCategorical);
}

} // namespace tunebench::data
