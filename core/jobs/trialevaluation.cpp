#include "jobs/trialevaluation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "jobs/tuner.h"

namespace tunebench::jobs {

namespace {

/// One fold's out-of-fold rows as class `positive` against the rest: 0/1 labels and that class's probability.
std::pair<Eigen::VectorXd, Eigen::VectorXd> foldScores(const TrialEvaluation& evaluation, int fold, int positive)
{
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = 0; i < evaluation.truth.size(); ++i) {
        if (evaluation.fold[static_cast<std::size_t>(i)] == fold)
            rows.push_back(i);
    }
    Eigen::VectorXd labels(static_cast<Eigen::Index>(rows.size()));
    Eigen::VectorXd scores(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        labels[static_cast<Eigen::Index>(r)] = evaluation.truth[rows[r]] == positive ? 1.0 : 0.0;
        scores[static_cast<Eigen::Index>(r)] = evaluation.probabilities(rows[r], positive);
    }
    return {labels, scores};
}

} // namespace

std::vector<std::vector<evaluation::CurvePoint>> TrialEvaluation::foldCurves(int positive, bool precisionRecall) const
{
    std::vector<std::vector<evaluation::CurvePoint>> curves;
    for (int f = 0; f < folds; ++f) {
        const auto [labels, scores] = foldScores(*this, f, positive);
        curves.push_back(precisionRecall ? evaluation::precisionRecallCurve(labels, scores)
                                         : evaluation::rocCurve(labels, scores));
    }
    return curves;
}

std::vector<double> TrialEvaluation::foldAreas(int positive, bool precisionRecall) const
{
    std::vector<double> areas;
    for (int f = 0; f < folds; ++f) {
        const auto [labels, scores] = foldScores(*this, f, positive);
        const std::optional<double> area
            = precisionRecall ? evaluation::averagePrecision(labels, scores) : evaluation::rocAuc(labels, scores);
        if (area)
            areas.push_back(*area);
    }
    return areas;
}

TrialEvaluation evaluateTrial(const tuning::ExperimentSpec& spec, const tuning::TrialConfig& trial,
                              const util::CancelToken& cancel, int repeats)
{
    const auto runner = makeBuiltinTrialRunner(spec);
    TrialEvaluation result;
    result.classification = runner->task() != data::Task::Regression;
    result.importanceMetric = runner->metric();
    const bool higherIsBetter = evaluation::higherIsBetter(result.importanceMetric);
    const algorithms::TrainingContext context(cancel, {}, std::max(1, spec.threadsPerTrial));

    // Per column, the metric's loss for every (fold, repeat).
    std::map<std::string, std::vector<double>> losses;
    std::vector<std::string> order;
    auto score = [&](const algorithms::Model& model, const Eigen::MatrixXd& features, const Eigen::VectorXd& target) {
        const algorithms::Prediction prediction = model.predictCancellable(features, context);
        const evaluation::Metrics metrics = result.classification
            ? evaluation::classificationMetrics(target, prediction.probabilities)
            : evaluation::regressionMetrics(target, prediction.values);
        const auto found = metrics.find(result.importanceMetric);
        return found == metrics.end() ? std::nan("") : found->second;
    };
    const evaluation::FoldHook permute
        = [&](std::size_t foldIndex, const algorithms::Model& model, const algorithms::PreparedSplit& split) {
              if (repeats < 1 || split.test.rows() < 2)
                  return;
              const double baseline = score(model, split.test.features, split.test.target);
              const std::vector<std::string> sources = split.preprocessor.featureColumns();
              std::map<std::string, std::vector<Eigen::Index>> columns; // source column -> its features
              for (std::size_t f = 0; f < sources.size(); ++f) {
                  if (!columns.count(sources[f]) && std::find(order.begin(), order.end(), sources[f]) == order.end())
                      order.push_back(sources[f]);
                  columns[sources[f]].push_back(static_cast<Eigen::Index>(f));
              }
              Eigen::MatrixXd shuffled = split.test.features;
              std::vector<Eigen::Index> permutation(static_cast<std::size_t>(split.test.rows()));
              for (const auto& [column, features] : columns) {
                  for (int repeat = 0; repeat < repeats; ++repeat) {
                      context.throwIfCancelled();
                      // Seeded by fold, column position and repeat: the same numbers every time.
                      util::Random random(
                          spec.seed * 7919ull + foldIndex * 104729ull
                          + static_cast<std::uint64_t>(std::find(order.begin(), order.end(), column) - order.begin())
                              * 1009ull
                          + static_cast<std::uint64_t>(repeat));
                      std::iota(permutation.begin(), permutation.end(), Eigen::Index{0});
                      random.shuffle(permutation);
                      // All features of the column move together: the same as shuffling the raw column.
                      for (Eigen::Index feature : features) {
                          for (Eigen::Index row = 0; row < shuffled.rows(); ++row)
                              shuffled(row, feature)
                                  = split.test.features(permutation[static_cast<std::size_t>(row)], feature);
                      }
                      const double permuted = score(model, shuffled, split.test.target);
                      for (Eigen::Index feature : features)
                          shuffled.col(feature) = split.test.features.col(feature);
                      if (std::isfinite(baseline) && std::isfinite(permuted))
                          losses[column].push_back(higherIsBetter ? baseline - permuted : permuted - baseline);
                  }
              }
          };
    const evaluation::EvaluationResult evaluation = runner->evaluate(trial, context, permute);

    result.classes = evaluation.encoding.classes;
    result.folds = static_cast<int>(evaluation.folds.size());
    if (!evaluation.oofFold.empty())
        result.folds = *std::max_element(evaluation.oofFold.begin(), evaluation.oofFold.end()) + 1;
    result.fold = evaluation.oofFold;
    result.truth = evaluation.oofTruth;
    result.probabilities = evaluation.oofProbabilities;
    result.predictions = evaluation.oofPredictions;
    result.summary = evaluation.summary;
    for (const std::string& column : order) {
        const std::vector<double>& values = losses[column];
        if (values.empty())
            continue;
        TrialEvaluation::ColumnImportance importance;
        importance.column = column;
        const evaluation::MeanStd summary = evaluation::meanAndStd(values);
        importance.mean = summary.mean;
        importance.std = summary.std;
        result.permutationImportance.push_back(importance);
    }
    std::stable_sort(result.permutationImportance.begin(), result.permutationImportance.end(),
                     [](const auto& a, const auto& b) { return a.mean > b.mean; });
    return result;
}

} // namespace tunebench::jobs
