#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <QJsonObject>

#include "algorithms/algorithm.h"
#include "data/dataset.h"

namespace tunebench::algorithms {

/// How the target column maps to what algorithms see.
struct TargetEncoding
{
    data::Task task = data::Task::Regression;
    /// Classification: the class labels in index order (sorted, as scikit-learn's LabelEncoder does).
    std::vector<std::string> classes;
    /// Classification on a numeric or boolean column: the class values, sorted (the same order as `classes`).
    std::vector<double> classValues;
};

/// Works out the task and the classes of a target column (over all its present values).
[[nodiscard]] TargetEncoding encodeTarget(const data::Column& target, data::Task task);
/// The target of the given rows: class index or value; NaN where the target is missing.
[[nodiscard]] Eigen::VectorXd targetValues(const data::Column& target, const std::vector<std::size_t>& rows,
                                           const TargetEncoding& encoding);

struct PreprocessOptions
{
    bool standardize = true; ///< centre and scale numeric features (population standard deviation)
    bool medianImpute = false; ///< numeric missing values: the median instead of the mean
    bool missingIndicators = false; ///< one extra 0/1 feature per column with missing values in training
    /// Categorical columns as one feature each, of level codes, instead of one-hot: for algorithms that
    /// split on thresholds (Algorithm::takesCategoryCodes), where a column of thousands of levels then costs
    /// one feature, not thousands.
    bool categoryCodes = false;

    /// These options as they apply to `algorithm`: no scaling for those that never scale, no codes for
    /// those that do not split on thresholds.
    [[nodiscard]] PreprocessOptions forAlgorithm(const Algorithm& algorithm) const;
    bool operator==(const PreprocessOptions&) const = default;
};

/// Turns dataset columns into a numeric feature matrix. Fitted on training rows only, so that nothing of
/// a validation fold leaks into training: means, scales and one-hot levels come from the training rows.
/// Numeric, boolean and date columns: imputed (mean or median; booleans by the most frequent value),
/// optionally standardised. Categorical columns: one-hot over the levels seen in training, missing values
/// imputed with the most frequent level; a level not seen in training encodes as all zeros. With
/// categoryCodes, a categorical column is one feature instead: the levels seen in training numbered 0, 1,
/// ... in the order of the training target's mean per level (a binary target's share of the second class, a
/// regression target's mean; ties and multiclass targets by name), so that a threshold on the codes splits
/// the levels as the best partition of them does for a binary or numeric target (Breiman et al. 1984,
/// 9.4); missing values and levels not seen in training take the most frequent level's code.
/// Text columns are not used.
class Preprocessor
{
public:
    /// `orderingTarget` (class index or value of each of `rows`; binary or regression targets) orders the
    /// level codes of categoryCodes; without it, they follow the levels' names.
    static Preprocessor fit(const data::Dataset& dataset, std::size_t targetColumn,
                            const std::vector<std::size_t>& rows, const PreprocessOptions& options,
                            const Eigen::VectorXd* orderingTarget = nullptr);
    [[nodiscard]] Eigen::MatrixXd transform(const data::Dataset& dataset, const std::vector<std::size_t>& rows) const;
    [[nodiscard]] const std::vector<std::string>& featureNames() const { return m_names; }
    [[nodiscard]] std::size_t featureCount() const { return m_features.size(); }
    /// The dataset column each feature comes from (one-hot levels and missing indicators share theirs).
    [[nodiscard]] std::vector<std::string> featureColumns() const;
    /// The features that are a categorical column's level codes (categoryCodes), in increasing order.
    [[nodiscard]] std::vector<Eigen::Index> codesFeatures() const;

    /// The fitted preprocessing by column and level names, for model files.
    [[nodiscard]] QJsonObject toJson() const;
    /// Rebuilds a saved preprocessing; call bind() before transform(). Throws std::invalid_argument.
    static Preprocessor fromJson(const QJsonObject& json);
    /// Attaches the preprocessing to another dataset with the same schema: columns are found by name,
    /// categorical levels by their text. Throws std::invalid_argument naming a missing or mistyped column.
    void bind(const data::Dataset& dataset);

private:
    struct Feature
    {
        enum class Kind
        {
            Value, ///< a numeric column, imputed and scaled
            Level, ///< one level of a categorical column
            Indicator, ///< 1 where a column (numeric or categorical) is missing
            Codes, ///< a categorical column's level codes (categoryCodes)
        };
        Kind kind = Kind::Value;
        std::string columnName;
        std::string levelName; ///< Level: the level's text
        bool imputedLevel = false; ///< Level: missing values of the column take this level
        double fill = 0.0; ///< Value: what a missing value becomes
        double centre = 0.0;
        double scale = 1.0;
        // Bound to a dataset:
        std::size_t column = 0;
        std::int32_t level = 0; ///< Level: the code in this dataset's dictionary (-2: absent)
        bool levelIsNumber = false; ///< Level on a column this dataset read as numbers: compare values
        double levelValue = 0.0;
        /// Codes: the levels' names in code order (fill is the imputed level's code), and, bound to a dataset,
        /// the code of each of its dictionary's levels (or of each value, when it read them as numbers).
        std::vector<std::string> order;
        std::vector<double> codeOfLevel;
        std::map<double, double> codeOfValue;
    };
    /// A categorical column as one feature of level codes (categoryCodes): `counts` are its levels' training
    /// rows, `mostFrequent` the level that missing values take.
    static Feature codesFeature(const data::Column& column, std::size_t c, const std::vector<std::size_t>& rows,
                                const std::vector<std::size_t>& counts, std::int32_t mostFrequent,
                                const Eigen::VectorXd* orderingTarget);
    static void bindCodes(Feature& feature, const data::Column& source);

    std::vector<Feature> m_features;
    std::vector<std::string> m_names;
};

/// The whole preparation of one training/validation split: features and target for both.
struct PreparedSplit
{
    TrainingData train;
    TrainingData test;
    std::vector<std::size_t> testRows; ///< dataset rows of `test`, in order (those with a target)
    Preprocessor preprocessor; ///< fitted on the training rows
};

/// Fits a Preprocessor on `trainRows` and applies it to both; rows with a missing target are dropped.
[[nodiscard]] PreparedSplit prepareSplit(const data::Dataset& dataset, std::size_t targetColumn,
                                         const TargetEncoding& encoding, const std::vector<std::size_t>& trainRows,
                                         const std::vector<std::size_t>& testRows, const PreprocessOptions& options);

} // namespace tunebench::algorithms
