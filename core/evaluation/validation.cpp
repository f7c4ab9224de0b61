#include "evaluation/validation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace tunebench::evaluation {

std::vector<Fold> makeFolds(const std::vector<std::size_t>& rows, const std::vector<int>& labels,
                            const ValidationSpec& spec)
{
    if (spec.method == ValidationSpec::Method::Predefined) {
        int count = 0;
        for (std::size_t row : rows) {
            if (row >= spec.assignment.size())
                throw std::invalid_argument("the fold assignment has " + std::to_string(spec.assignment.size())
                                            + " entries, fewer than the dataset's rows");
            count = std::max(count, spec.assignment[row] + 1);
        }
        std::vector<Fold> folds(static_cast<std::size_t>(count));
        for (std::size_t row : rows) {
            const int fold = spec.assignment[row];
            for (int f = 0; f < count && fold >= 0; ++f)
                (f == fold ? folds[static_cast<std::size_t>(f)].test : folds[static_cast<std::size_t>(f)].train)
                    .push_back(row);
        }
        std::erase_if(folds, [](const Fold& fold) { return fold.test.empty(); });
        if (folds.empty())
            throw std::invalid_argument("the fold assignment puts no row in a test fold");
        return folds;
    }
    const bool stratify = spec.stratified && !labels.empty();
    if (!labels.empty() && labels.size() != rows.size())
        throw std::invalid_argument("makeFolds: one label per row expected");
    util::Random random(spec.seed);
    std::vector<Fold> folds;
    const int repeats = spec.method == ValidationSpec::Method::Holdout ? 1 : std::max(1, spec.repeats);
    const int k = spec.method == ValidationSpec::Method::Holdout ? 0 : spec.folds;
    if (spec.method == ValidationSpec::Method::KFold && (k < 2 || static_cast<std::size_t>(k) > rows.size()))
        throw std::invalid_argument("k-fold needs 2 <= folds <= rows (folds = " + std::to_string(k) + ")");
    if (spec.method == ValidationSpec::Method::Holdout && !(spec.holdoutFraction > 0.0 && spec.holdoutFraction < 1.0))
        throw std::invalid_argument("the holdout fraction must be between 0 and 1");

    for (int repeat = 0; repeat < repeats; ++repeat) {
        // Positions into `rows`, grouped by class when stratifying, each group shuffled; dealing them out
        // in turn gives every fold the same class proportions (to within one example).
        std::vector<std::vector<std::size_t>> groups;
        if (stratify) {
            const int classes = *std::max_element(labels.begin(), labels.end()) + 1;
            groups.resize(static_cast<std::size_t>(classes));
            for (std::size_t i = 0; i < rows.size(); ++i)
                groups[static_cast<std::size_t>(labels[i])].push_back(i);
        } else {
            groups.emplace_back(rows.size());
            std::iota(groups[0].begin(), groups[0].end(), std::size_t{0});
        }
        std::vector<std::size_t> dealt;
        dealt.reserve(rows.size());
        for (auto& group : groups) {
            random.shuffle(group);
            dealt.insert(dealt.end(), group.begin(), group.end());
        }
        if (spec.method == ValidationSpec::Method::Holdout) {
            // Every m-th dealt position goes to validation, so that strata keep their proportions.
            Fold fold;
            const double step = 1.0 / spec.holdoutFraction;
            double next = random.uniform() * step;
            for (std::size_t i = 0; i < dealt.size(); ++i) {
                if (static_cast<double>(i) >= next) {
                    fold.test.push_back(rows[dealt[i]]);
                    next += step;
                } else {
                    fold.train.push_back(rows[dealt[i]]);
                }
            }
            folds.push_back(std::move(fold));
            break;
        }
        std::vector<int> foldOf(rows.size());
        const auto offset = static_cast<std::size_t>(random.below(static_cast<std::uint64_t>(k)));
        for (std::size_t i = 0; i < dealt.size(); ++i)
            foldOf[dealt[i]] = static_cast<int>((i + offset) % static_cast<std::size_t>(k));
        for (int f = 0; f < k; ++f) {
            Fold fold;
            fold.repeat = repeat;
            for (std::size_t i = 0; i < rows.size(); ++i)
                (foldOf[i] == f ? fold.test : fold.train).push_back(rows[i]);
            folds.push_back(std::move(fold));
        }
    }
    return folds;
}

namespace {

/// The rows with a target, their class labels (classification) and the folds made of them.
struct Split
{
    algorithms::TargetEncoding encoding;
    std::vector<std::size_t> rows;
    std::vector<int> labels;
    std::vector<Fold> folds;
};

Split splitRows(const data::Dataset& dataset, std::size_t targetColumn, data::Task task, const ValidationSpec& spec)
{
    Split split;
    split.encoding = algorithms::encodeTarget(dataset.column(targetColumn), task);
    if (task != data::Task::Regression && split.encoding.classes.size() < 2)
        throw algorithms::TrainingError("the target has only one class: there is nothing to learn to tell apart");
    std::vector<std::size_t> all(dataset.rowCount());
    std::iota(all.begin(), all.end(), std::size_t{0});
    const Eigen::VectorXd targets = algorithms::targetValues(dataset.column(targetColumn), all, split.encoding);
    for (std::size_t i = 0; i < all.size(); ++i) {
        const double value = targets[static_cast<Eigen::Index>(i)];
        if (std::isnan(value))
            continue;
        split.rows.push_back(i);
        if (task != data::Task::Regression)
            split.labels.push_back(static_cast<int>(value));
    }
    split.folds = makeFolds(split.rows, split.labels, spec);
    return split;
}

} // namespace

std::string describe(const ValidationSpec& validation)
{
    if (validation.method == ValidationSpec::Method::Predefined)
        return "predefined folds";
    if (validation.method == ValidationSpec::Method::Holdout) {
        std::ostringstream fraction; // six significant digits, as %g
        fraction << validation.holdoutFraction;
        return "holdout, " + fraction.str() + " for validation";
    }
    return std::to_string(validation.folds) + "-fold cross-validation"
        + (validation.repeats > 1 ? ", repeated " + std::to_string(validation.repeats) + " times" : "")
        + (validation.stratified ? ", stratified" : "");
}

std::vector<Fold> validationFolds(const data::Dataset& dataset, std::size_t targetColumn, data::Task task,
                                  const ValidationSpec& spec)
{
    return splitRows(dataset, targetColumn, task, spec).folds;
}

std::vector<std::string> missingClassWarnings(const std::vector<Fold>& folds, const std::vector<std::size_t>& rows,
                                              const std::vector<int>& labels,
                                              const std::vector<std::string>& classNames)
{
    if (labels.empty() || folds.empty())
        return {};
    std::vector<int> labelOf(rows.empty() ? 0 : *std::max_element(rows.begin(), rows.end()) + 1, -1);
    std::vector<std::size_t> rowsOfClass(classNames.size(), 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        labelOf[rows[i]] = labels[i];
        ++rowsOfClass[static_cast<std::size_t>(labels[i])];
    }
    // Per class: folds whose training data lacks it (their models cannot predict it), and folds that test
    // none of it (its recall and AUC are undefined there, and its figures rest on the other folds).
    std::vector<std::size_t> trainLacking(classNames.size(), 0);
    std::vector<std::size_t> testLacking(classNames.size(), 0);
    const auto countLacking = [&](const std::vector<std::size_t>& part, std::vector<std::size_t>& lacking) {
        std::vector<bool> seen(classNames.size(), false);
        for (std::size_t row : part)
            seen[static_cast<std::size_t>(labelOf[row])] = true;
        for (std::size_t c = 0; c < seen.size(); ++c)
            lacking[c] += seen[c] ? 0 : 1;
    };
    for (const Fold& fold : folds) {
        countLacking(fold.train, trainLacking);
        countLacking(fold.test, testLacking);
    }
    std::vector<std::string> warnings;
    for (std::size_t c = 0; c < classNames.size(); ++c) {
        const std::size_t n = rowsOfClass[c];
        if (n == 0 || (trainLacking[c] == 0 && testLacking[c] == 0))
            continue;
        const std::string of = " of " + std::to_string(folds.size()) + (folds.size() == 1 ? " fold" : " folds");
        std::string warning = "class '" + classNames[c] + "' has " + std::to_string(n) + (n == 1 ? " row" : " rows");
        if (trainLacking[c] > 0)
            warning += ": the training data of " + std::to_string(trainLacking[c]) + of
                + " lacks it, and their models cannot predict it";
        else
            warning
                += ": " + std::to_string(testLacking[c]) + of + " test none of it, and its figures rest on the others";
        warnings.push_back(std::move(warning));
    }
    return warnings;
}

std::vector<std::string> wideColumnWarnings(const data::Dataset& dataset, std::size_t targetColumn, bool categoryCodes)
{
    constexpr std::size_t kManyLevels = 1000;
    std::vector<std::string> warnings;
    if (categoryCodes)
        return warnings;
    for (std::size_t c = 0; c < dataset.columnCount(); ++c) {
        const data::Column& column = dataset.column(c);
        if (c == targetColumn || column.type != data::ColumnType::Categorical || column.levels.size() <= kManyLevels)
            continue;
        const double gigabytes
            = static_cast<double>(column.levels.size()) * static_cast<double>(dataset.rowCount()) * 8.0 / 1e9;
        char size[32];
        std::snprintf(size, sizeof size, "%.1f GB", gigabytes);
        warnings.push_back("column \"" + column.name + "\" has " + std::to_string(column.levels.size())
                           + " categories, one feature each (" + size
                           + " for all rows): fits will be slow; leave it out if it all but identifies rows (an "
                             "identifier, a zip code), or let tree, forest and xgboost take it as one column of "
                             "level codes (categorical: codes)");
    }
    return warnings;
}

namespace {

/// Wide categorical columns, then classes too rare for the split.
/// Rows whose target is missing take no part: "5 rows have no target value (rows 3, 9, 10, 41, 300): they
/// are left out", naming the first few (data rows counted from 1).
std::vector<std::string> missingTargetWarnings(const data::Dataset& dataset, const Split& split)
{
    const std::size_t missing = dataset.rowCount() - split.rows.size();
    if (missing == 0)
        return {};
    constexpr std::size_t kNamed = 5;
    std::string named;
    std::size_t next = 0; // split.rows is in increasing order
    for (std::size_t row = 0, found = 0; row < dataset.rowCount() && found < kNamed; ++row) {
        if (next < split.rows.size() && split.rows[next] == row) {
            ++next;
            continue;
        }
        named.append(found++ == 0 ? "" : ", ").append(std::to_string(row + 1));
    }
    if (missing > kNamed)
        named.append(", ...");
    return {std::to_string(missing) + (missing == 1 ? " row has" : " rows have") + " no target value ("
            + (missing == 1 ? "row " : "rows ") + named + "): " + (missing == 1 ? "it is" : "they are")
            + " left out of training and validation"};
}

std::vector<std::string> warningsFor(const data::Dataset& dataset, std::size_t targetColumn, const Split& split,
                                     bool categoryCodes)
{
    std::vector<std::string> warnings = missingTargetWarnings(dataset, split);
    for (std::string& warning : wideColumnWarnings(dataset, targetColumn, categoryCodes))
        warnings.push_back(std::move(warning));
    for (std::string& warning : missingClassWarnings(split.folds, split.rows, split.labels, split.encoding.classes))
        warnings.push_back(std::move(warning));
    return warnings;
}

} // namespace

std::vector<std::string> splitWarnings(const data::Dataset& dataset, std::size_t targetColumn, data::Task task,
                                       const ValidationSpec& spec, bool categoryCodes)
{
    return warningsFor(dataset, targetColumn, splitRows(dataset, targetColumn, task, spec), categoryCodes);
}

EvaluationResult evaluate(const data::Dataset& dataset, std::size_t targetColumn, data::Task task,
                          const algorithms::Algorithm& algorithm, const algorithms::Params& params,
                          const ValidationSpec& spec, const algorithms::TrainingContext& context,
                          const algorithms::PreprocessOptions& preprocess, const FoldHook& afterFit)
{
    if (!algorithm.supports(task))
        throw std::invalid_argument(algorithm.id() + " does not support " + std::string(data::toString(task))
                                    + " tasks");
    const algorithms::Params resolved = algorithms::resolve(algorithm.params(), params, task);
    EvaluationResult result;
    const Split splitOfRows = splitRows(dataset, targetColumn, task, spec);
    result.encoding = splitOfRows.encoding;
    const algorithms::PreprocessOptions options = preprocess.forAlgorithm(algorithm);
    result.warnings = warningsFor(dataset, targetColumn, splitOfRows, options.categoryCodes);
    const std::vector<Fold>& folds = splitOfRows.folds;

    const bool classification = task != data::Task::Regression;
    const auto classes = static_cast<Eigen::Index>(result.encoding.classes.size());
    for (std::size_t f = 0; f < folds.size(); ++f) {
        context.throwIfCancelled();
        const Fold& fold = folds[f];
        // Fit time includes fitting the preprocessing, as the peers' pipelines measure it.
        const auto start = std::chrono::steady_clock::now();
        const algorithms::PreparedSplit split
            = algorithms::prepareSplit(dataset, targetColumn, result.encoding, fold.train, fold.test, options);
        if (result.featureNames.empty())
            result.featureNames = split.train.featureNames;
        const algorithms::TrainingContext foldContext = context.withPrefix("fold" + std::to_string(f + 1) + "/");
        const auto model = algorithm.fit(split.train, resolved, foldContext, &split.test);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const auto predictStart = std::chrono::steady_clock::now();
        const algorithms::Prediction prediction = model->predictCancellable(split.test.features, context);
        const double predictSeconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - predictStart).count();
        FoldResult foldResult;
        foldResult.fitSeconds = seconds;
        foldResult.metrics = classification ? classificationMetrics(split.test.target, prediction.probabilities)
                                            : regressionMetrics(split.test.target, prediction.values);
        // What the model costs, for objectives and constraints beside its score.
        foldResult.metrics[kModelSize] = static_cast<double>(model->size());
        if (split.test.features.rows() > 0)
            foldResult.metrics[kPredictMicroseconds]
                = predictSeconds * 1e6 / static_cast<double>(split.test.features.rows());
        result.fitSeconds += seconds;
        result.folds.push_back(std::move(foldResult));
        if (afterFit)
            afterFit(f, *model, split);
        if (fold.repeat == 0) {
            const auto offset = static_cast<Eigen::Index>(result.oofRows.size());
            const auto count = static_cast<Eigen::Index>(split.testRows.size());
            result.oofRows.insert(result.oofRows.end(), split.testRows.begin(), split.testRows.end());
            result.oofFold.insert(result.oofFold.end(), split.testRows.size(), static_cast<int>(f));
            result.oofTruth.conservativeResize(offset + count);
            result.oofTruth.segment(offset, count) = split.test.target;
            result.oofPredictions.conservativeResize(offset + count);
            result.oofPredictions.segment(offset, count) = prediction.values;
            if (classification) {
                result.oofProbabilities.conservativeResize(offset + count, classes);
                result.oofProbabilities.middleRows(offset, count) = prediction.probabilities;
            }
        }
    }
    // Mean and sample standard deviation of every metric over the folds where it was defined.
    std::map<std::string, std::vector<double>, std::less<>> values;
    for (const FoldResult& fold : result.folds) {
        for (const auto& [name, value] : fold.metrics)
            values[name].push_back(value);
    }
    for (const auto& [name, list] : values)
        result.summary[name] = meanAndStd(list);
    return result;
}

HeldOutScore scoreHeldOut(const data::Column& target, const algorithms::TargetEncoding& encoding,
                          const algorithms::Prediction& prediction)
{
    const bool classification = encoding.task != data::Task::Regression;
    // A row's class by its text, so that classes learnt from "0"/"1" categories match a file that reads
    // them as numbers, and the other way round.
    auto label = [&](std::size_t row) {
        if (target.hasCodes())
            return target.levels[static_cast<std::size_t>(target.codes[row])];
        if (target.type == data::ColumnType::Boolean)
            return std::string(target.values[row] != 0 ? "true" : "false");
        return data::formatNumber(target.values[row]);
    };
    HeldOutScore score;
    std::vector<Eigen::Index> kept;
    std::vector<double> truthValues;
    for (std::size_t row = 0; row < target.size(); ++row) {
        if (target.isMissing(row)) {
            ++score.missingTarget;
            continue;
        }
        if (!classification) {
            if (target.hasCodes())
                throw std::invalid_argument("the target column \"" + target.name
                                            + "\" holds text, but the model predicts numbers");
            kept.push_back(static_cast<Eigen::Index>(row));
            truthValues.push_back(target.values[row]);
            continue;
        }
        const std::string text = label(row);
        const auto found = std::find(encoding.classes.begin(), encoding.classes.end(), text);
        if (found == encoding.classes.end()) {
            ++score.unseenRows;
            if (std::find(score.unseenClasses.begin(), score.unseenClasses.end(), text) == score.unseenClasses.end())
                score.unseenClasses.push_back(text);
            continue;
        }
        kept.push_back(static_cast<Eigen::Index>(row));
        truthValues.push_back(static_cast<double>(found - encoding.classes.begin()));
    }
    if (kept.empty())
        throw std::invalid_argument("no row has a target the model knows: nothing to score");
    score.scored = kept.size();
    const auto n = static_cast<Eigen::Index>(kept.size());
    const Eigen::VectorXd truth = Eigen::Map<const Eigen::VectorXd>(truthValues.data(), n);
    if (classification) {
        Eigen::MatrixXd probabilities(n, prediction.probabilities.cols());
        Eigen::VectorXd predicted(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            probabilities.row(i) = prediction.probabilities.row(kept[static_cast<std::size_t>(i)]);
            predicted[i] = prediction.values[kept[static_cast<std::size_t>(i)]];
        }
        score.metrics = classificationMetrics(truth, probabilities);
        score.confusion = confusionMatrix(truth, predicted, static_cast<int>(probabilities.cols()));
    } else {
        Eigen::VectorXd predicted(n);
        for (Eigen::Index i = 0; i < n; ++i)
            predicted[i] = prediction.values[kept[static_cast<std::size_t>(i)]];
        score.metrics = regressionMetrics(truth, predicted);
    }
    return score;
}

} // namespace tunebench::evaluation
