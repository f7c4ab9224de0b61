#pragma once

// The evaluation of one trial in detail: its cross-validation run again (the same folds and seed give the
// same models), keeping the out-of-fold predictions for confusion matrices, ROC, precision-recall and
// calibration curves, residuals; and the permutation importance of every input column.

#include <string>
#include <vector>

#include "evaluation/validation.h"
#include "tuning/experimentspec.h"
#include "util/cancel.h"

namespace tunebench::jobs {

struct TrialEvaluation
{
    bool classification = true;
    std::vector<std::string> classes; ///< class labels in index order
    int folds = 0;
    std::vector<int> fold; ///< the fold of each out-of-fold prediction
    Eigen::VectorXd truth; ///< class index or value
    Eigen::MatrixXd probabilities; ///< classification: rows x classes
    Eigen::VectorXd predictions; ///< predicted class index or value
    std::map<std::string, evaluation::MeanStd, std::less<>> summary;

    /// How much the metric worsens when a column's values are shuffled among the validation rows (the
    /// model fixed): mean and standard deviation over folds and repeats, most important first.
    struct ColumnImportance
    {
        std::string column;
        double mean = 0.0;
        double std = 0.0;
    };
    std::string importanceMetric;
    std::vector<ColumnImportance> permutationImportance;

    /// Per fold, class `positive` against the rest: ROC or precision-recall points and the area.
    [[nodiscard]] std::vector<std::vector<evaluation::CurvePoint>> foldCurves(int positive, bool precisionRecall) const;
    [[nodiscard]] std::vector<double> foldAreas(int positive, bool precisionRecall) const;
};

/// Runs the trial's cross-validation again (a built-in algorithm), with `repeats` shuffles of each column
/// per fold for the permutation importance. Throws like a trial (TrainingError, util::Cancelled, ...).
[[nodiscard]] TrialEvaluation evaluateTrial(const tuning::ExperimentSpec& spec, const tuning::TrialConfig& trial,
                                            const util::CancelToken& cancel = {}, int repeats = 5);

} // namespace tunebench::jobs
