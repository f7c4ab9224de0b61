#include "algorithms/preprocessing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include <QJsonArray>

#include "data/columnbuilder.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

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
        for (double value : present) {
            encoding.classValues.push_back(value);
            encoding.classes.push_back(target.type == ColumnType::Boolean ? (value != 0 ? "true" : "false")
                                                                          : data::formatNumber(value));
        }
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
    if (target.hasCodes()) {
        // Level code -> class index, once; levels that are not classes map to missing.
        std::vector<double> classOfCode(target.levels.size(), missing);
        for (std::size_t code = 0; code < target.levels.size(); ++code) {
            const auto found = std::lower_bound(encoding.classes.begin(), encoding.classes.end(), target.levels[code]);
            if (found != encoding.classes.end() && *found == target.levels[code])
                classOfCode[code] = static_cast<double>(found - encoding.classes.begin());
        }
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::int32_t code = target.codes[rows[i]];
            values[static_cast<Eigen::Index>(i)]
                = code == data::kMissingCode ? missing : classOfCode[static_cast<std::size_t>(code)];
        }
        return values;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double value = target.values[rows[i]];
        const auto found = std::lower_bound(encoding.classValues.begin(), encoding.classValues.end(), value);
        const bool known = !std::isnan(value) && found != encoding.classValues.end() && *found == value;
        values[static_cast<Eigen::Index>(i)]
            = known ? static_cast<double>(found - encoding.classValues.begin()) : missing;
    }
    return values;
}

namespace {

/// An infinite feature value ("inf", "1e999") has no place in a standardised design matrix: it would turn
/// the column's mean and every prediction into NaN. Refused with where it is, as scikit-learn refuses it.
void refuseInfinite(const Column& column, std::size_t row)
{
    if (std::isinf(column.values[row]))
        throw TrainingError("column \"" + column.name + "\" holds an infinite value in data row "
                            + std::to_string(row + 1) + "; replace it, or mark it missing");
}

} // namespace

Preprocessor::Feature Preprocessor::codesFeature(const Column& column, std::size_t c,
                                                 const std::vector<std::size_t>& rows,
                                                 const std::vector<std::size_t>& counts, std::int32_t mostFrequent,
                                                 const Eigen::VectorXd* orderingTarget)
{
    // The levels seen in training, by the mean of the target over their rows, then by name.
    std::vector<double> sums(column.levels.size(), 0.0);
    if (orderingTarget) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (column.codes[rows[i]] != data::kMissingCode)
                sums[static_cast<std::size_t>(column.codes[rows[i]])]
                    += (*orderingTarget)[static_cast<Eigen::Index>(i)];
        }
    }
    std::vector<std::size_t> seen;
    for (std::size_t level = 0; level < counts.size(); ++level) {
        if (counts[level] > 0) {
            seen.push_back(level);
            sums[level] /= static_cast<double>(counts[level]);
        }
    }
    std::sort(seen.begin(), seen.end(), [&](std::size_t a, std::size_t b) {
        return sums[a] != sums[b] ? sums[a] < sums[b] : column.levels[a] < column.levels[b];
    });
    Feature feature;
    feature.kind = Feature::Kind::Codes;
    feature.column = c;
    feature.columnName = column.name;
    feature.codeOfLevel.assign(column.levels.size(), 0.0);
    for (std::size_t k = 0; k < seen.size(); ++k) {
        feature.order.push_back(column.levels[seen[k]]);
        feature.codeOfLevel[seen[k]] = static_cast<double>(k);
        if (seen[k] == static_cast<std::size_t>(mostFrequent))
            feature.fill = static_cast<double>(k);
    }
    if (seen.empty()) // no training row has the column: every row takes code 0
        feature.order.push_back(column.levels.empty() ? std::string() : column.levels.front());
    for (std::size_t level = 0; level < counts.size(); ++level) {
        if (counts[level] == 0)
            feature.codeOfLevel[level] = feature.fill; // unseen in training: as if missing
    }
    return feature;
}

PreprocessOptions PreprocessOptions::forAlgorithm(const Algorithm& algorithm) const
{
    PreprocessOptions options = *this;
    options.standardize = standardize && algorithm.wantsScaling();
    options.categoryCodes = categoryCodes && algorithm.takesCategoryCodes();
    return options;
}

Preprocessor Preprocessor::fit(const data::Dataset& dataset, std::size_t targetColumn,
                               const std::vector<std::size_t>& rows, const PreprocessOptions& options,
                               const Eigen::VectorXd* orderingTarget)
{
    Preprocessor pre;
    std::vector<std::string> textColumns;
    // A 0/1 feature after the column's own, 1 where it is missing, when asked for and some training row is.
    auto addIndicator = [&](const Column& column, std::size_t c, std::size_t missing) {
        if (!options.missingIndicators || missing == 0)
            return;
        Feature indicator;
        indicator.kind = Feature::Kind::Indicator;
        indicator.column = c;
        indicator.columnName = column.name;
        pre.m_features.push_back(indicator);
        pre.m_names.push_back(column.name + " (missing)");
    };
    for (std::size_t c = 0; c < dataset.columnCount(); ++c) {
        if (c == targetColumn)
            continue;
        const Column& column = dataset.column(c);
        if (column.type == ColumnType::Text) {
            textColumns.push_back(column.name);
            continue;
        }
        if (column.type == ColumnType::Categorical) {
            std::vector<std::size_t> counts(column.levels.size(), 0);
            std::size_t missing = 0;
            for (std::size_t row : rows) {
                if (column.codes[row] != data::kMissingCode)
                    ++counts[static_cast<std::size_t>(column.codes[row])];
                else
                    ++missing;
            }
            // Ties go to the level whose name sorts first, as scikit-learn's SimpleImputer breaks them, so that
            // the fill does not depend on the order in which a file declares or first shows its levels.
            std::int32_t mostFrequent = 0;
            for (std::size_t level = 1; level < counts.size(); ++level) {
                const auto best = static_cast<std::size_t>(mostFrequent);
                if (counts[level] > counts[best]
                    || (counts[level] == counts[best] && column.levels[level] < column.levels[best]))
                    mostFrequent = static_cast<std::int32_t>(level);
            }
            if (options.categoryCodes) {
                pre.m_features.push_back(codesFeature(column, c, rows, counts, mostFrequent, orderingTarget));
                pre.m_names.push_back(column.name);
                addIndicator(column, c, missing);
                continue;
            }
            for (std::size_t level = 0; level < counts.size(); ++level) {
                if (counts[level] == 0)
                    continue;
                Feature feature;
                feature.kind = Feature::Kind::Level;
                feature.column = c;
                feature.columnName = column.name;
                feature.levelName = column.levels[level];
                feature.level = static_cast<std::int32_t>(level);
                feature.imputedLevel = feature.level == mostFrequent;
                pre.m_features.push_back(feature);
                pre.m_names.push_back(column.name + "=" + column.levels[level]);
            }
            addIndicator(column, c, missing);
            continue;
        }
        // Numeric, boolean, date.
        std::vector<double> present;
        present.reserve(rows.size());
        for (std::size_t row : rows) {
            if (!std::isnan(column.values[row])) {
                refuseInfinite(column, row);
                present.push_back(column.values[row]);
            }
        }
        Feature feature;
        feature.column = c;
        feature.columnName = column.name;
        if (present.empty()) {
            feature.fill = 0.0;
        } else if (column.type == ColumnType::Boolean) {
            const auto ones = std::count(present.begin(), present.end(), 1.0);
            feature.fill = ones * 2 >= static_cast<std::ptrdiff_t>(present.size()) ? 1.0 : 0.0;
        } else if (options.medianImpute) {
            // The mean of the two middle values when their number is even, as numpy's median.
            const auto middle = present.begin() + static_cast<std::ptrdiff_t>(present.size() / 2);
            std::nth_element(present.begin(), middle, present.end());
            feature.fill = *middle;
            if (present.size() % 2 == 0)
                feature.fill = (feature.fill + *std::max_element(present.begin(), middle)) / 2.0;
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
        addIndicator(column, c, rows.size() - present.size());
    }
    if (pre.m_features.empty()) {
        // Every model would learn the majority class or the mean (and libxgboost fails with an internal
        // message): say why instead.
        std::string why = "there is no feature to learn from";
        if (!textColumns.empty()) {
            why += ": ";
            for (std::size_t i = 0; i < textColumns.size(); ++i)
                why += (i == 0 ? "\"" : ", \"") + textColumns[i] + "\"";
            why += textColumns.size() == 1 ? " holds" : " hold";
            why += " free text, which no algorithm uses (a column of a few repeated values can be read as "
                   "categorical instead)";
        } else if (dataset.columnCount() <= 1) {
            why += ": the table has no column besides the target";
        } else {
            why += ": no column besides the target has a value in the training rows";
        }
        throw TrainingError(why);
    }
    return pre;
}

namespace {

/// Asks Linux for transparent huge pages under a large buffer about to be written: a 32 MB feature matrix
/// then costs 16 page faults instead of 8192 (which on a virtual machine is most of the preprocessing time).
void adviseHugePages(void* data, std::size_t bytes)
{
#ifdef __linux__
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    if (bytes < 2 * kHuge)
        return;
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

} // namespace

Eigen::MatrixXd Preprocessor::transform(const data::Dataset& dataset, const std::vector<std::size_t>& rows) const
{
    Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(m_features.size()));
    adviseHugePages(matrix.data(), static_cast<std::size_t>(matrix.size()) * sizeof(double));
    for (std::size_t f = 0; f < m_features.size(); ++f) {
        const Feature& feature = m_features[f];
        const Column& column = dataset.column(feature.column);
        auto out = matrix.col(static_cast<Eigen::Index>(f));
        switch (feature.kind) {
        case Feature::Kind::Value:
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const double v = column.values[rows[i]];
                refuseInfinite(column, rows[i]);
                out[static_cast<Eigen::Index>(i)]
                    = ((std::isnan(v) ? feature.fill : v) - feature.centre) / feature.scale;
            }
            break;
        case Feature::Kind::Level:
            if (feature.levelIsNumber) {
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    const double value = column.values[rows[i]];
                    const bool on = value == feature.levelValue || (std::isnan(value) && feature.imputedLevel);
                    out[static_cast<Eigen::Index>(i)] = on ? 1.0 : 0.0;
                }
                break;
            }
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const std::int32_t code = column.codes[rows[i]];
                const bool on = code == feature.level || (code == data::kMissingCode && feature.imputedLevel);
                out[static_cast<Eigen::Index>(i)] = on ? 1.0 : 0.0;
            }
            break;
        case Feature::Kind::Indicator:
            for (std::size_t i = 0; i < rows.size(); ++i)
                out[static_cast<Eigen::Index>(i)] = column.isMissing(rows[i]) ? 1.0 : 0.0;
            break;
        case Feature::Kind::Codes:
            for (std::size_t i = 0; i < rows.size(); ++i) {
                double code = feature.fill;
                if (feature.levelIsNumber) {
                    const auto found = feature.codeOfValue.find(column.values[rows[i]]);
                    if (found != feature.codeOfValue.end())
                        code = found->second;
                } else if (const std::int32_t level = column.codes[rows[i]]; level != data::kMissingCode) {
                    code = feature.codeOfLevel[static_cast<std::size_t>(level)];
                }
                out[static_cast<Eigen::Index>(i)] = code;
            }
            break;
        }
    }
    return matrix;
}

std::vector<std::string> Preprocessor::featureColumns() const
{
    std::vector<std::string> columns;
    columns.reserve(m_features.size());
    for (const Feature& feature : m_features)
        columns.push_back(feature.columnName);
    return columns;
}

std::vector<Eigen::Index> Preprocessor::codesFeatures() const
{
    std::vector<Eigen::Index> codes;
    for (std::size_t f = 0; f < m_features.size(); ++f) {
        if (m_features[f].kind == Feature::Kind::Codes)
            codes.push_back(static_cast<Eigen::Index>(f));
    }
    return codes;
}

QJsonObject Preprocessor::toJson() const
{
    QJsonArray features;
    for (std::size_t f = 0; f < m_features.size(); ++f) {
        const Feature& feature = m_features[f];
        const char* kind = feature.kind == Feature::Kind::Level ? "level"
            : feature.kind == Feature::Kind::Indicator          ? "missing_indicator"
            : feature.kind == Feature::Kind::Codes              ? "codes"
                                                                : "value";
        QJsonObject entry{{QStringLiteral("kind"), QLatin1String(kind)},
                          {QStringLiteral("column"), QString::fromStdString(feature.columnName)},
                          {QStringLiteral("name"), QString::fromStdString(m_names[f])}};
        if (feature.kind == Feature::Kind::Level) {
            entry.insert(QStringLiteral("level"), QString::fromStdString(feature.levelName));
            entry.insert(QStringLiteral("imputed"), feature.imputedLevel);
        } else if (feature.kind == Feature::Kind::Codes) {
            QJsonArray levels;
            for (const std::string& level : feature.order)
                levels.append(QString::fromStdString(level));
            entry.insert(QStringLiteral("levels"), levels);
            entry.insert(QStringLiteral("fill"), feature.fill);
        } else if (feature.kind == Feature::Kind::Value) {
            entry.insert(QStringLiteral("fill"), feature.fill);
            entry.insert(QStringLiteral("centre"), feature.centre);
            entry.insert(QStringLiteral("scale"), feature.scale);
        }
        features.append(entry);
    }
    return {{QStringLiteral("features"), features}};
}

Preprocessor Preprocessor::fromJson(const QJsonObject& json)
{
    Preprocessor pre;
    for (const QJsonValue& value : json.value(QStringLiteral("features")).toArray()) {
        const QJsonObject entry = value.toObject();
        Feature feature;
        const QString kind = entry.value(QStringLiteral("kind")).toString();
        feature.kind = kind == QLatin1String("level")    ? Feature::Kind::Level
            : kind == QLatin1String("missing_indicator") ? Feature::Kind::Indicator
            : kind == QLatin1String("codes")             ? Feature::Kind::Codes
                                                         : Feature::Kind::Value;
        feature.columnName = entry.value(QStringLiteral("column")).toString().toStdString();
        feature.levelName = entry.value(QStringLiteral("level")).toString().toStdString();
        feature.imputedLevel = entry.value(QStringLiteral("imputed")).toBool();
        feature.fill = entry.value(QStringLiteral("fill")).toDouble();
        feature.centre = entry.value(QStringLiteral("centre")).toDouble();
        feature.scale = entry.value(QStringLiteral("scale")).toDouble(1.0);
        for (const QJsonValue& level : entry.value(QStringLiteral("levels")).toArray())
            feature.order.push_back(level.toString().toStdString());
        const bool badCodes = feature.kind == Feature::Kind::Codes
            && (feature.order.empty() || !(feature.fill >= 0.0)
                || feature.fill >= static_cast<double>(feature.order.size()));
        if (feature.columnName.empty() || feature.scale == 0.0 || badCodes)
            throw std::invalid_argument("malformed preprocessing in the model");
        pre.m_features.push_back(feature);
        pre.m_names.push_back(entry.value(QStringLiteral("name")).toString().toStdString());
    }
    return pre;
}

void Preprocessor::bindCodes(Feature& feature, const Column& source)
{
    // Levels the model does not know take the fill code, as missing values do.
    feature.codeOfLevel.assign(source.levels.size(), feature.fill);
    feature.codeOfValue.clear();
    for (std::size_t k = 0; k < feature.order.size(); ++k) {
        const auto code = static_cast<double>(k);
        if (!source.hasCodes()) {
            // The same categories read as numbers in this file ("1", "2", "3"): look values up.
            const auto number = data::detail::parseNumber(feature.order[k]);
            if (!number)
                throw std::invalid_argument("column \"" + feature.columnName
                                            + "\" holds numbers, but the model was trained on categories there");
            feature.levelIsNumber = true;
            feature.codeOfValue[*number] = code;
            continue;
        }
        const auto found = std::find(source.levels.begin(), source.levels.end(), feature.order[k]);
        if (found != source.levels.end())
            feature.codeOfLevel[static_cast<std::size_t>(found - source.levels.begin())] = code;
    }
}

void Preprocessor::bind(const data::Dataset& dataset)
{
    for (Feature& feature : m_features) {
        const auto column = dataset.indexOf(feature.columnName);
        if (!column)
            throw std::invalid_argument("the data has no column \"" + feature.columnName + "\", which the model needs");
        const Column& source = dataset.column(*column);
        feature.column = *column;
        if (feature.kind == Feature::Kind::Indicator)
            continue; // missing is missing, in a column of numbers or of categories
        if (feature.kind == Feature::Kind::Value) {
            if (source.hasCodes())
                throw std::invalid_argument("column \"" + feature.columnName
                                            + "\" holds text, but the model was trained "
                                              "on numbers there");
            continue;
        }
        feature.levelIsNumber = false;
        if (feature.kind == Feature::Kind::Codes) {
            bindCodes(feature, source);
            continue;
        }
        if (!source.hasCodes()) {
            // The same categories read as numbers in this file ("1", "2", "3"): compare values.
            const auto number = data::detail::parseNumber(feature.levelName);
            if (!number)
                throw std::invalid_argument("column \"" + feature.columnName
                                            + "\" holds numbers, but the model was "
                                              "trained on categories there");
            feature.levelIsNumber = true;
            feature.levelValue = *number;
            continue;
        }
        const auto found = std::find(source.levels.begin(), source.levels.end(), feature.levelName);
        feature.level = found == source.levels.end() ? -2 : static_cast<std::int32_t>(found - source.levels.begin());
    }
}

PreparedSplit prepareSplit(const data::Dataset& dataset, std::size_t targetColumn, const TargetEncoding& encoding,
                           const std::vector<std::size_t>& trainRows, const std::vector<std::size_t>& testRows,
                           const PreprocessOptions& options)
{
    const Column& target = dataset.column(targetColumn);
    // Rows without a (known) target are dropped; the target of the kept rows comes along.
    auto withTarget = [&](const std::vector<std::size_t>& rows, Eigen::VectorXd& kept) {
        const Eigen::VectorXd values = targetValues(target, rows, encoding);
        std::vector<std::size_t> keptRows;
        keptRows.reserve(rows.size());
        kept.resize(values.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const double value = values[static_cast<Eigen::Index>(i)];
            if (std::isnan(value))
                continue;
            kept[static_cast<Eigen::Index>(keptRows.size())] = value;
            keptRows.push_back(rows[i]);
        }
        kept.conservativeResize(static_cast<Eigen::Index>(keptRows.size()));
        return keptRows;
    };
    PreparedSplit split;
    const std::vector<std::size_t> train = withTarget(trainRows, split.train.target);
    split.testRows = withTarget(testRows, split.test.target);
    // Binary and numeric targets order category codes (multiclass class indices have no meaningful mean).
    const bool ordered = encoding.task != data::Task::Multiclass;
    split.preprocessor
        = Preprocessor::fit(dataset, targetColumn, train, options, ordered ? &split.train.target : nullptr);
    const Preprocessor& pre = split.preprocessor;
    for (auto* part : {&split.train, &split.test}) {
        part->task = encoding.task;
        part->classes = static_cast<int>(encoding.classes.size());
        part->featureNames = pre.featureNames();
        part->categoricalFeatures = pre.codesFeatures();
    }
    split.train.features = pre.transform(dataset, train);
    split.test.features = pre.transform(dataset, split.testRows);
    return split;
}

} // namespace tunebench::algorithms
