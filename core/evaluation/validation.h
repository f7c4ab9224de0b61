#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "algorithms/algorithm.h"
#include "algorithms/preprocessing.h"
#include "evaluation/metrics.h"
#include "util/random.h"

namespace tunebench::evaluation {

/// What a fold's model costs, recorded beside its scores (each fold's value; the trial's is their mean): its size
/// (Model::size) and its prediction time per validation row in microseconds (a timing: it varies between runs).
inline constexpr const char* kModelSize = "model_size";
inline constexpr const char* kPredictMicroseconds = "predict_us_per_row";

/// How examples are split into training and validation data.
struct ValidationSpec
{
    enum class Method
    {
        KFold, ///< k folds, `repeats` times with different shuffles (repeated k-fold when repeats > 1)
        Holdout, ///< one split: `holdoutFraction` of the rows for validation
        Predefined, ///< folds given row by row in `assignment` (to reuse another tool's exact folds)
    };
    Method method = Method::KFold;
    int folds = 5;
    int repeats = 1;
    double holdoutFraction = 0.25;
    bool stratified = true; ///< classification only: each fold keeps the class proportions
    std::uint64_t seed = 0;
    /// Predefined: the fold (0-based) of every dataset row; -1 leaves a row out.
    std::vector<int> assignment;
};

struct Fold
{
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
    int repeat = 0;
};

/// Seeded splits of `rows`. `labels` (class index per row of `rows`) enables stratification; pass an
/// empty vector for regression. The same seed gives the same folds on every platform.
[[nodiscard]] std::vector<Fold> makeFolds(const std::vector<std::size_t>& rows, const std::vector<int>& labels,
                                          const ValidationSpec& spec);

/// "5-fold cross-validation, repeated 3 times, stratified", "holdout, 0.25 for validation": as reports say it.
[[nodiscard]] std::string describe(const ValidationSpec& validation);

/// The folds evaluate() validates on for this dataset and spec (rows without a target left out, classes
/// numbered as the target's encoding numbers them): fold 1 is also what an external command gets as its
/// {train_path} and {validation_path}. Throws algorithms::TrainingError for a target of one class.
[[nodiscard]] std::vector<Fold> validationFolds(const data::Dataset& dataset, std::size_t targetColumn, data::Task task,
                                                const ValidationSpec& spec);

/// Classes too rare for the split: the training part of some fold lacks them (that fold's model cannot
/// predict them), or some folds test none of their rows (fewer rows than folds; scikit-learn warns alike).
/// One sentence per class, naming it and how many folds; empty when every fold trains and tests every class. `labels`
/// are the class indices of `rows` (as for makeFolds), `folds` the folds made of those rows.
[[nodiscard]] std::vector<std::string> missingClassWarnings(const std::vector<Fold>& folds,
                                                            const std::vector<std::size_t>& rows,
                                                            const std::vector<int>& labels,
                                                            const std::vector<std::string>& classNames);

/// Categorical feature columns of more than 1,000 levels: one-hot encoding makes a feature of each, which
/// slows every fit and fills memory (an identifier or a zip code read as categories). None when every fit
/// takes categorical columns as level codes (one feature each).
[[nodiscard]] std::vector<std::string> wideColumnWarnings(const data::Dataset& dataset, std::size_t targetColumn,
                                                          bool categoryCodes = false);
/// The warnings evaluate() would give for this split of the dataset, without training anything (the tuner
/// shows them once, before its trials): wide categorical columns, then classes too rare for the split.
[[nodiscard]] std::vector<std::string> splitWarnings(const data::Dataset& dataset, std::size_t targetColumn,
                                                     data::Task task, const ValidationSpec& spec,
                                                     bool categoryCodes = false);

struct FoldResult
{
    Metrics metrics;
    double fitSeconds = 0.0; ///< preprocessing fitted and applied, and the algorithm's fit
};

/// The outcome of evaluating one configuration.
struct EvaluationResult
{
    std::vector<FoldResult> folds;
    std::map<std::string, MeanStd, std::less<>> summary;
    double fitSeconds = 0.0; ///< all folds
    algorithms::TargetEncoding encoding;
    std::vector<std::string> featureNames;
    /// Out-of-fold predictions of the first repeat, for curves and plots: dataset row, truth, prediction.
    std::vector<std::size_t> oofRows;
    std::vector<int> oofFold; ///< the fold (0-based) each out-of-fold prediction came from
    Eigen::VectorXd oofTruth;
    Eigen::MatrixXd oofProbabilities; ///< classification
    Eigen::VectorXd oofPredictions;
    /// What makes the figures less trustworthy without stopping the evaluation (missingClassWarnings).
    std::vector<std::string> warnings;
};

/// Called after each fold's model is fitted, with the fold's prepared data (analyses that need the model,
/// such as permutation importance).
using FoldHook
    = std::function<void(std::size_t fold, const algorithms::Model& model, const algorithms::PreparedSplit& split)>;

/// Trains and evaluates `algorithm` on every fold; preprocessing is fitted inside each training fold
/// (standardisation only where the algorithm wants it).
/// Metric points go to `context` per fold as "fold<k>/<metric>". Throws TrainingError, util::Cancelled,
/// std::invalid_argument (bad parameters).
/// A model's figures on a labelled file it was not trained on (Weka's "supplied test set"): the rows whose
/// target the model knows. A missing target, or a class the model never saw, cannot be scored; such rows
/// are counted, not guessed.
struct HeldOutScore
{
    Metrics metrics;
    Eigen::MatrixXi confusion; ///< classification: rows true, columns predicted
    std::size_t scored = 0;
    std::size_t missingTarget = 0;
    std::vector<std::string> unseenClasses; ///< classes of the file the model never saw
    std::size_t unseenRows = 0;
};
/// `prediction` holds one row per dataset row. Throws std::invalid_argument when no row can be scored.
[[nodiscard]] HeldOutScore scoreHeldOut(const data::Column& target, const algorithms::TargetEncoding& encoding,
                                        const algorithms::Prediction& prediction);

[[nodiscard]] EvaluationResult evaluate(const data::Dataset& dataset, std::size_t targetColumn, data::Task task,
                                        const algorithms::Algorithm& algorithm, const algorithms::Params& params,
                                        const ValidationSpec& spec, const algorithms::TrainingContext& context,
                                        const algorithms::PreprocessOptions& preprocess = {},
                                        const FoldHook& afterFit = {});

} // namespace tunebench::evaluation
