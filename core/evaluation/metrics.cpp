#include "evaluation/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace tunebench::evaluation {

bool higherIsBetter(std::string_view metric)
{
    return !(metric == "log_loss" || metric == "rmse" || metric == "mae");
}

const std::vector<std::string>& metricNames()
{
    static const std::vector<std::string> names = {"accuracy",
                                                   "balanced_accuracy",
                                                   "precision_macro",
                                                   "recall_macro",
                                                   "f1_macro",
                                                   "log_loss",
                                                   "auc",
                                                   "pr_auc",
                                                   "rmse",
                                                   "mae",
                                                   "r2"};
    return names;
}

bool isClassificationMetric(std::string_view metric)
{
    return metric != "rmse" && metric != "mae" && metric != "r2";
}

namespace {

/// Indices sorted by decreasing score.
std::vector<Eigen::Index> byScoreDescending(const Eigen::VectorXd& scores)
{
    std::vector<Eigen::Index> order(static_cast<std::size_t>(scores.size()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return scores[a] > scores[b]; });
    return order;
}

} // namespace

std::optional<double> rocAuc(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores)
{
    const Eigen::Index n = truth.size();
    std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return scores[a] < scores[b]; });
    // Mid-ranks: tied scores share the average of the ranks they span.
    double positiveRankSum = 0.0;
    double positives = 0.0;
    for (Eigen::Index i = 0; i < n;) {
        Eigen::Index j = i;
        while (j < n && scores[order[static_cast<std::size_t>(j)]] == scores[order[static_cast<std::size_t>(i)]])
            ++j;
        const double midRank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (Eigen::Index k = i; k < j; ++k) {
            if (truth[order[static_cast<std::size_t>(k)]] == 1.0) {
                positiveRankSum += midRank;
                positives += 1.0;
            }
        }
        i = j;
    }
    const double negatives = static_cast<double>(n) - positives;
    if (positives == 0.0 || negatives == 0.0)
        return std::nullopt;
    return (positiveRankSum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
}

std::optional<double> averagePrecision(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores)
{
    // The step-wise area under the precision-recall curve: each recall step weighted by its precision.
    const std::vector<CurvePoint> curve = precisionRecallCurve(truth, scores);
    if (curve.empty())
        return std::nullopt;
    double area = 0.0;
    double previousRecall = 0.0;
    for (const CurvePoint& point : curve) {
        area += (point.x - previousRecall) * point.y;
        previousRecall = point.x;
    }
    return area;
}

Eigen::MatrixXi confusionMatrix(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted, int classes)
{
    Eigen::MatrixXi matrix = Eigen::MatrixXi::Zero(classes, classes);
    for (Eigen::Index i = 0; i < truth.size(); ++i)
        ++matrix(static_cast<Eigen::Index>(truth[i]), static_cast<Eigen::Index>(predicted[i]));
    return matrix;
}

Metrics classificationMetrics(const Eigen::VectorXd& truth, const Eigen::MatrixXd& probabilities)
{
    const Eigen::Index n = truth.size();
    const auto classes = static_cast<int>(probabilities.cols());
    Eigen::VectorXd predicted(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        Eigen::Index best = 0;
        probabilities.row(i).maxCoeff(&best);
        predicted[i] = static_cast<double>(best);
    }
    const Eigen::MatrixXi confusion = confusionMatrix(truth, predicted, classes);
    Metrics metrics;
    metrics["accuracy"] = n == 0 ? 0.0 : static_cast<double>(confusion.trace()) / static_cast<double>(n);

    // Macro averages as scikit-learn computes them: recall over the classes present, precision and F1 over
    // the labels that occur in the truth or the predictions.
    const std::vector<ClassScores> perClass = perClassScores(confusion);
    double recallSum = 0.0;
    double precisionSum = 0.0;
    double f1Sum = 0.0;
    int presentClasses = 0;
    int labelsSeen = 0;
    for (int k = 0; k < classes; ++k) {
        const bool present = perClass[static_cast<std::size_t>(k)].support > 0;
        const bool seen = present || confusion.col(k).sum() > 0;
        if (present) {
            recallSum += perClass[static_cast<std::size_t>(k)].recall;
            ++presentClasses;
        }
        if (seen) {
            precisionSum += perClass[static_cast<std::size_t>(k)].precision;
            f1Sum += perClass[static_cast<std::size_t>(k)].f1;
            ++labelsSeen;
        }
    }
    metrics["balanced_accuracy"] = presentClasses > 0 ? recallSum / presentClasses : 0.0;
    metrics["recall_macro"] = labelsSeen > 0 ? recallSum / labelsSeen : 0.0;
    metrics["precision_macro"] = labelsSeen > 0 ? precisionSum / labelsSeen : 0.0;
    metrics["f1_macro"] = labelsSeen > 0 ? f1Sum / labelsSeen : 0.0;

    constexpr double kEpsilon = 1e-15; // probabilities are clipped as scikit-learn does
    double logLoss = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double p = std::clamp(probabilities(i, static_cast<Eigen::Index>(truth[i])), kEpsilon, 1.0 - kEpsilon);
        logLoss -= std::log(p);
    }
    metrics["log_loss"] = n == 0 ? 0.0 : logLoss / static_cast<double>(n);

    if (classes == 2) {
        const Eigen::VectorXd scores = probabilities.col(1);
        if (const auto auc = rocAuc(truth, scores))
            metrics["auc"] = *auc;
        if (const auto ap = averagePrecision(truth, scores))
            metrics["pr_auc"] = *ap;
    } else {
        double aucSum = 0.0;
        double apSum = 0.0;
        int counted = 0;
        for (int k = 0; k < classes; ++k) {
            const Eigen::VectorXd isK = (truth.array() == k).cast<double>();
            const Eigen::VectorXd scores = probabilities.col(k);
            const auto auc = rocAuc(isK, scores);
            const auto ap = averagePrecision(isK, scores);
            if (auc && ap) {
                aucSum += *auc;
                apSum += *ap;
                ++counted;
            }
        }
        if (counted > 0) {
            metrics["auc"] = aucSum / counted;
            metrics["pr_auc"] = apSum / counted;
        }
    }
    return metrics;
}

std::vector<ClassScores> perClassScores(const Eigen::MatrixXi& confusion)
{
    std::vector<ClassScores> scores(static_cast<std::size_t>(confusion.rows()));
    for (Eigen::Index k = 0; k < confusion.rows(); ++k) {
        ClassScores& score = scores[static_cast<std::size_t>(k)];
        const double hits = confusion(k, k);
        const double actual = confusion.row(k).sum();
        const double predicted = confusion.col(k).sum();
        score.support = static_cast<int>(actual);
        score.precision = predicted > 0 ? hits / predicted : 0.0;
        score.recall = actual > 0 ? hits / actual : 0.0;
        score.f1 = actual + predicted > 0 ? 2.0 * hits / (actual + predicted) : 0.0;
    }
    return scores;
}

Metrics regressionMetrics(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted)
{
    Metrics metrics;
    const Eigen::VectorXd residual = truth - predicted;
    const auto n = static_cast<double>(truth.size());
    metrics["rmse"] = std::sqrt(residual.squaredNorm() / n);
    metrics["mae"] = residual.cwiseAbs().sum() / n;
    const double total = (truth.array() - truth.mean()).square().sum();
    metrics["r2"] = total > 0.0 ? 1.0 - residual.squaredNorm() / total : 0.0;
    return metrics;
}

namespace {

/// Cumulative true and false positives at each distinct score, from the highest down: the one walk over
/// sorted scores that both curves (and so average precision) are made of. Tied scores form one step.
struct Step
{
    double truePositives;
    double falsePositives;
    double threshold;
};

std::vector<Step> stepsByThreshold(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores)
{
    const auto order = byScoreDescending(scores);
    std::vector<Step> steps;
    double tp = 0.0;
    double fp = 0.0;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]]) {
            (truth[order[j]] == 1.0 ? tp : fp) += 1.0;
            ++j;
        }
        steps.push_back({tp, fp, scores[order[i]]});
        i = j;
    }
    return steps;
}

} // namespace

std::vector<CurvePoint> rocCurve(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores)
{
    const double positives = (truth.array() == 1.0).cast<double>().sum();
    const double negatives = static_cast<double>(truth.size()) - positives;
    std::vector<CurvePoint> curve{{0.0, 0.0, std::numeric_limits<double>::infinity()}};
    if (positives == 0.0 || negatives == 0.0)
        return curve;
    for (const Step& step : stepsByThreshold(truth, scores))
        curve.push_back({step.falsePositives / negatives, step.truePositives / positives, step.threshold});
    return curve;
}

std::vector<CurvePoint> precisionRecallCurve(const Eigen::VectorXd& truth, const Eigen::VectorXd& scores)
{
    const double positives = (truth.array() == 1.0).cast<double>().sum();
    std::vector<CurvePoint> curve;
    if (positives == 0.0)
        return curve;
    for (const Step& step : stepsByThreshold(truth, scores)) {
        const double seen = step.truePositives + step.falsePositives;
        curve.push_back({step.truePositives / positives, step.truePositives / seen, step.threshold});
    }
    return curve;
}

MeanStd meanAndStd(const std::vector<double>& values)
{
    MeanStd summary;
    if (values.empty())
        return summary;
    summary.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    double squares = 0.0;
    for (double v : values)
        squares += (v - summary.mean) * (v - summary.mean);
    summary.std = values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0.0;
    return summary;
}

AveragedCurve averageCurves(const std::vector<std::vector<CurvePoint>>& folds, bool precisionRecall, int points)
{
    AveragedCurve averaged;
    if (points < 2)
        return averaged;
    for (int i = 0; i < points; ++i)
        averaged.x.push_back(static_cast<double>(i) / (points - 1));
    std::vector<std::vector<double>> values(static_cast<std::size_t>(points));
    for (const std::vector<CurvePoint>& curve : folds) {
        if (curve.empty())
            continue;
        for (int i = 0; i < points; ++i) {
            const double x = averaged.x[static_cast<std::size_t>(i)];
            double y = 0.0;
            for (const CurvePoint& point : curve) {
                if (precisionRecall ? point.x >= x - 1e-12 : point.x <= x + 1e-12)
                    y = std::max(y, point.y);
            }
            values[static_cast<std::size_t>(i)].push_back(y);
        }
    }
    for (const std::vector<double>& ys : values) {
        if (ys.empty()) {
            averaged.mean.push_back(std::nan(""));
            averaged.std.push_back(std::nan(""));
            continue;
        }
        const MeanStd summary = meanAndStd(ys);
        averaged.mean.push_back(summary.mean);
        averaged.std.push_back(summary.std);
    }
    return averaged;
}

std::vector<CalibrationBin> calibrationCurve(const Eigen::VectorXd& truth, const Eigen::VectorXd& probabilities,
                                             int bins)
{
    if (truth.size() != probabilities.size())
        throw std::invalid_argument("calibrationCurve: one truth per probability is needed");
    if (bins < 1)
        throw std::invalid_argument("calibrationCurve: at least one bin is needed");
    std::vector<double> predicted(static_cast<std::size_t>(bins), 0.0);
    std::vector<double> positives(static_cast<std::size_t>(bins), 0.0);
    std::vector<int> counts(static_cast<std::size_t>(bins), 0);
    for (Eigen::Index i = 0; i < truth.size(); ++i) {
        const double p = probabilities[i];
        if (!std::isfinite(p))
            continue;
        // The bin is the number of inner edges k / bins below p: an edge value belongs to the lower bin.
        const auto bin = static_cast<std::size_t>(std::clamp(static_cast<int>(std::ceil(p * bins)) - 1, 0, bins - 1));
        predicted[bin] += p;
        positives[bin] += truth[i] > 0.5 ? 1.0 : 0.0;
        ++counts[bin];
    }
    std::vector<CalibrationBin> curve;
    for (std::size_t bin = 0; bin < counts.size(); ++bin) {
        if (counts[bin] == 0)
            continue;
        const auto n = static_cast<double>(counts[bin]);
        curve.push_back({predicted[bin] / n, positives[bin] / n, counts[bin]});
    }
    return curve;
}

} // namespace tunebench::evaluation
