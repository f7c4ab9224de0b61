#include "algorithms/preprocessing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

namespace tunebench::algorithms {

using data::Column;
using data::ColumnType;

TargetEncoding encodeTarget(const Column& target, data::Task task)
{
    TargetEncoding encoding;
    encoding.task = task;
    if (task == data::Task::Regression)
        return encoding;
    if (target.hasCodes()) {
        std::set<std::string> present;
        for (std::int32_t code : target.codes) {
            if (code != data::kMissingCode)
                present.insert(target.levels[static_cast<std::size_t>(code)]);
        }
        encoding.classes.assign(present.begin(), present.end());
    } else {
        std::set<double> present;
        for (double value : target.values) {
            if (!std::isnan(value))
                present.insert(value);
        }
        for (double value : present)
            encoding.classes.push_back(target.type == ColumnType::Boolean ? (value != 0 ? "true" : "false")
                                                                          : data::formatNumber(value));
    }
    return encoding;
}

Eigen::VectorXd targetValues(const Column& target, const std::vector<std::size_t>& rows, const TargetEncoding& encoding)
{
    Eigen::VectorXd values(static_cast<Eigen::Index>(rows.size()));
    const double missing = std::numeric_limits<double>::quiet_NaN();
    if (encoding.task == data::Task::Regression) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            values[static_cast<Eigen::Index>(i)] = target.hasCodes() ? missing : target.values[rows[i]];
        return values;
    }
    std::map<std::string, double, std::less<>> index;
    for (std::size_t k = 0; k < encoding.classes.size(); ++k)
        index.emplace(encoding.classes[k], static_cast<double>(k));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (target.isMissing(rows[i])) {
            values[static_cast<Eigen::Index>(i)] = missing;
            continue;
        }
        const auto found = index.find(target.textAt(rows[i]));
        values[static_cast<Eigen::Index>(i)] = found == index.end() ? missing : found->second;
    }
    return values;
}

Preprocessor Preprocessor::fit(const data::Dataset& dataset, std::size_t targetColumn,
                               const std::vector<std::size_t>& rows, const PreprocessOptions& options)
{
    Preprocessor pre;
    for (std::size_t c = 0; c < dataset.columnCount(); ++c) {
        if (c == targetColumn)
            continue;
        const Column& column = dataset.column(c);
        if (column.type == ColumnType::Text)
            continue;
        if (column.type == ColumnType::Categorical) {
            std::vector<std::size_t> counts(column.levels.size(), 0);
            for (std::size_t row : rows) {
                if (column.codes[row] != data::kMissingCode)
                    ++counts[static_cast<std::size_t>(column.codes[row])];
            }
            const auto mostFrequent
                = static_cast<std::int32_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
            for (std::size_t level = 0; level < counts.size(); ++level) {
                if (counts[level] == 0)
                    continue;
                Feature feature;
                feature.kind = Feature::Kind::Level;
                feature.column = c;
                feature.level = static_cast<std::int32_t>(level);
                feature.imputedLevel = feature.level == mostFrequent;
                pre.m_features.push_back(feature);
                pre.m_names.push_back(column.name + "=" + column.levels[level]);
            }
            continue;
        }
        // Numeric, boolean, date.
        std::vector<double> present;
        present.reserve(rows.size());
        for (std::size_t row : rows) {
            if (!std::isnan(column.values[row]))
                present.push_back(column.values[row]);
        }
        Feature feature;
        feature.column = c;
        if (present.empty()) {
            feature.fill = 0.0;
        } else if (column.type == ColumnType::Boolean) {
            const auto ones = std::count(present.begin(), present.end(), 1.0);
            feature.fill = ones * 2 >= static_cast<std::ptrdiff_t>(present.size()) ? 1.0 : 0.0;
        } else if (options.medianImpute) {
            std::nth_element(present.begin(), present.begin() + static_cast<std::ptrdiff_t>(present.size() / 2),
                             present.end());
            feature.fill = present[present.size() / 2];
        } else {
            feature.fill = std::accumulate(present.begin(), present.end(), 0.0) / static_cast<double>(present.size());
        }
        if (options.standardize && column.type != ColumnType::Boolean) {
            // Statistics of the imputed training column, as scikit-learn's imputer + StandardScaler compute them.
            double sum = 0.0;
            for (std::size_t row : rows)
                sum += std::isnan(column.values[row]) ? feature.fill : column.values[row];
            const double mean = rows.empty() ? 0.0 : sum / static_cast<double>(rows.size());
            double squares = 0.0;
            for (std::size_t row : rows) {
                const double v = (std::isnan(column.values[row]) ? feature.fill : column.values[row]) - mean;
                squares += v * v;
            }
            const double deviation = rows.empty() ? 0.0 : std::sqrt(squares / static_cast<double>(rows.size()));
            feature.centre = mean;
            feature.scale = deviation > 0.0 ? deviation : 1.0;
        }
        pre.m_features.push_back(feature);
        pre.m_names.push_back(column.name);
        if (options.missingIndicators && present.size() < rows.size()) {
            Feature indicator;
            indicator.kind = Feature::Kind::Indicator;
            indicator.column = c;
            pre.m_features.push_back(indicator);
            pre.m_names.push_back(column.name + " (missing)");
        }
    }
    return pre;
}

Eigen::MatrixXd Preprocessor::transform(const data::Dataset& dataset, const std::vector<std::size_t>& rows) const
{
    Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(m_features.size()));
    for (std::size_t f = 0; f < m_features.size(); ++f) {
        const Feature& feature = m_features[f];
        const Column& column = dataset.column(feature.column);
        auto out = matrix.col(static_cast<Eigen::Index>(f));
        switch (feature.kind) {
        case Feature::Kind::Value:
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const double v = column.values[rows[i]];
                out[static_cast<Eigen::Index>(i)]
                    = ((std::isnan(v) ? feature.fill : v) - feature.centre) / feature.scale;
            }
            break;
        case Feature::Kind::Level:
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const std::int32_t code = column.codes[rows[i]];
                const bool on = code == feature.level || (code == data::kMissingCode && feature.imputedLevel);
                out[static_cast<Eigen::Index>(i)] = on ? 1.0 : 0.0;
            }
            break;
        case Feature::Kind::Indicator:
            for (std::size_t i = 0; i < rows.size(); ++i)
                out[static_cast<Eigen::Index>(i)] = std::isnan(column.values[rows[i]]) ? 1.0 : 0.0;
            break;
        }
    }
    return matrix;
}

PreparedSplit prepareSplit(const data::Dataset& dataset, std::size_t targetColumn, const TargetEncoding& encoding,
                           const std::vector<std::size_t>& trainRows, const std::vector<std::size_t>& testRows,
                           const PreprocessOptions& options)
{
    const Column& target = dataset.column(targetColumn);
    auto withTarget = [&](const std::vector<std::size_t>& rows) {
        std::vector<std::size_t> kept;
        kept.reserve(rows.size());
        const Eigen::VectorXd values = targetValues(target, rows, encoding);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (!std::isnan(values[static_cast<Eigen::Index>(i)]))
                kept.push_back(rows[i]);
        }
        return kept;
    };
    const std::vector<std::size_t> train = withTarget(trainRows);
    PreparedSplit split;
    split.testRows = withTarget(testRows);
    const Preprocessor pre = Preprocessor::fit(dataset, targetColumn, train, options);
    for (auto* part : {&split.train, &split.test}) {
        part->task = encoding.task;
        part->classes = static_cast<int>(encoding.classes.size());
        part->featureNames = pre.featureNames();
    }
    split.train.features = pre.transform(dataset, train);
    split.train.target = targetValues(target, train, encoding);
    split.test.features = pre.transform(dataset, split.testRows);
    split.test.target = targetValues(target, split.testRows, encoding);
    return split;
}

} // namespace tunebench::algorithms
