#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace tunebench::evaluation {

/// Metric name to value: accuracy, balanced_accuracy, f1_macro, log_loss, auc, pr_auc; rmse, mae, r2.
using Metrics = std::map<std::string, double, std::less<>>;

struct MeanStd
{
    double mean = 0.0;
    double std = 0.0; ///< sample standard deviation (0 for a single value)
};

/// Mean and sample standard deviation (n - 1) of `values`; zeros for none.
[[nodiscard]] MeanStd meanAndStd(const std::vector<double>& values);

/// Whether a larger value of this metric is better (false for log_loss, rmse, mae).
[[nodiscard]] bool higherIsBetter(std::string_view metric);
/// Every metric name Tunebench computes, classification first.
[[nodiscard]] const std::vector<std::string>& metricNames();
[[nodiscard]] bool isClassificationMetric(std::string_view metric);

/// Area under the ROC curve of scores for a binary 0/1 truth; ties get half credit (the Mann-Whitney U
/// statistic with mid-ranks). Nothing when only one class is present.
[[nodiscard]] std::optional<double> rocAuc(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores);
/// Average precision (the area under the precision-recall curve as scikit-learn's average_precision_score
/// computes it: a step function, tied scores counted together).
[[nodiscard]] std::optional<double> averagePrecision(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores);

/// Confusion matrix: rows are true classes, columns predicted ones.
[[nodiscard]] Eigen::MatrixXi confusionMatrix(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted,
                                              int classes);

/// All classification metrics from true class indices and predicted probabilities (rows x classes):
/// accuracy, balanced_accuracy, precision_macro, recall_macro, f1_macro, log_loss, auc, pr_auc.
/// auc and pr_auc are one-vs-rest macro averages for more than two classes; classes absent from `truth`
/// are left out of those averages.
[[nodiscard]] Metrics classificationMetrics(const Eigen::VectorXd& truth, const Eigen::MatrixXd& probabilities);
/// Precision, recall, F1 and support of one class (one-vs-rest).
struct ClassScores
{
    double precision = 0.0; ///< 0 when the class is never predicted
    double recall = 0.0; ///< 0 when the class never occurs
    double f1 = 0.0;
    int support = 0; ///< examples of the class
};
/// Per-class scores from a confusion matrix (rows true, columns predicted).
[[nodiscard]] std::vector<ClassScores> perClassScores(const Eigen::MatrixXi& confusion);

/// rmse, mae and r2.
[[nodiscard]] Metrics regressionMetrics(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted);

/// Points of a ROC curve (false positive rate, true positive rate), from (0,0) to (1,1).
struct CurvePoint
{
    double x = 0.0;
    double y = 0.0;
    double threshold = 0.0;
};
[[nodiscard]] std::vector<CurvePoint> rocCurve(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores);
/// Points of a precision-recall curve (recall, precision).
[[nodiscard]] std::vector<CurvePoint> precisionRecallCurve(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores);

/// Curves of several folds averaged vertically (Fawcett 2006): at each of `points` evenly spaced x in
/// [0, 1], the mean and sample standard deviation over folds of each fold's y there. A ROC curve's y at x
/// is the highest true positive rate at a false positive rate of at most x; a precision-recall curve's is
/// the interpolated precision, the highest precision at a recall of at least x.
struct AveragedCurve
{
    std::vector<double> x;
    std::vector<double> mean;
    std::vector<double> std;
};
[[nodiscard]] AveragedCurve averageCurves(const std::vector<std::vector<CurvePoint>>& folds, bool precisionRecall,
                                          int points = 101);

/// Reliability of predicted probabilities: `bins` equal-width bins of [0, 1] (the last one closed), each
/// non-empty one with its mean predicted probability and the fraction of positives (truth 1) in it, as
/// scikit-learn's calibration_curve(strategy="uniform") computes them.
struct CalibrationBin
{
    double meanPredicted = 0.0;
    double fractionPositive = 0.0;
    int count = 0;
};
[[nodiscard]] std::vector<CalibrationBin> calibrationCurve(const Eigen::VectorXd& truth,
                                                           const Eigen::VectorXd& probabilities, int bins = 10);

} // namespace tunebench::evaluation
