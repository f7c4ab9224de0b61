#include "jobs/resources.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "algorithms/params.h"
#include "algorithms/preprocessing.h"
#include "algorithms/registry.h"
#include "util/memory.h"

namespace tunebench::jobs {

namespace {

/// The value of a numeric hyperparameter that costs most memory: a fixed value, else the top (or the
/// bottom, `largest` false) of its range, else the algorithm's default for the task.
double extreme(const tuning::AlgorithmSearch& search, const std::vector<algorithms::ParamSpec>& schema, data::Task task,
               std::string_view name, bool largest = true)
{
    for (const tuning::Dimension& dimension : search.ranges) {
        if (dimension.name() == name && dimension.isNumeric())
            return largest ? dimension.range.max : dimension.range.min;
    }
    const algorithms::Params params = algorithms::resolve(schema, search.fixed, task);
    const auto found = params.find(name);
    if (found == params.end())
        return 0.0;
    if (const auto* value = std::get_if<double>(&found->second))
        return *value;
    if (const auto* value = std::get_if<std::int64_t>(&found->second))
        return static_cast<double>(*value);
    return 0.0;
}

/// Nodes of one tree grown on `rows` rows: a binary tree has about twice as many nodes as leaves, its
/// leaves hold at least `leaf` rows (for classification, pure leaves come sooner: about 5 rows on average
/// on the data this was measured on), and a depth limit caps them at 2^(depth+1).
double treeNodes(double rows, double leaf, double depth, bool classification)
{
    const double perLeaf = std::max(leaf, classification ? 5.0 : 1.0);
    double nodes = 2.0 * rows / perLeaf;
    if (depth > 0)
        nodes = std::min(nodes, std::pow(2.0, std::min(depth, 40.0) + 1.0));
    return std::max(nodes, 1.0);
}

std::uint64_t algorithmBytes(const tuning::AlgorithmSearch& search, double n, double features, double outputs,
                             data::Task task)
{
    const bool classification = task != data::Task::Regression;
    const auto algorithm = algorithms::findAlgorithm(search.algorithm);
    if (!algorithm)
        return 0;
    const std::vector<algorithms::ParamSpec> schema = algorithm->params();
    const double matrix = n * features * 8.0;
    // A node and a leaf's values, with the slack of vectors grown by doubling.
    const double nodeBytes = 1.5 * (24.0 + outputs * 8.0);
    const std::string& id = search.algorithm;
    double bytes = 0.0;
    if (id == "logistic" || id == "linear") {
        bytes = matrix; // a working copy (weights, the normal equations' blocks)
    } else if (id == "knn") {
        // The training data kept, and blocks of distances between validation and training rows.
        bytes = matrix + std::min(n * n * 8.0 / 5.0, 64e6);
    } else if (id == "mlp") {
        const double layers = extreme(search, schema, task, "hidden_layers");
        const double units = extreme(search, schema, task, "units");
        const double batch = extreme(search, schema, task, "batch_size");
        const double weights = features * units + layers * units * units + units * outputs;
        bytes = matrix // single-precision copies of the data and of its shuffled batches
            + weights * 4.0 * 4.0 // weights, gradients and Adam's two moments
            + batch * units * (layers + 1.0) * 4.0 * 3.0; // activations, their gradients, dropout masks
    } else if (id == "tree") {
        const double nodes = treeNodes(n, extreme(search, schema, task, "min_samples_leaf", false),
                                       extreme(search, schema, task, "max_depth"), classification);
        bytes = n * features * 4.0 + nodes * nodeBytes;
    } else if (id == "forest") {
        const double trees = extreme(search, schema, task, "trees");
        // A bootstrap sample holds about 63% of the distinct rows.
        const double nodes = treeNodes(0.632 * n, extreme(search, schema, task, "min_samples_leaf", false),
                                       extreme(search, schema, task, "max_depth"), classification);
        bytes = n * features * 4.0 + trees * nodes * nodeBytes;
    } else if (id == "xgboost") {
        const double rounds = extreme(search, schema, task, "rounds");
        const double depth = extreme(search, schema, task, "max_depth");
        const double perRound = outputs > 2 ? outputs : 1.0;
        // libxgboost's own: float DMatrix copies (training, validation), the quantised histogram index,
        // gradient pairs and row partitions (about 28 bytes per value, measured on synth_100k), the trees, and its
        // fixed overhead (thread pools, about 12 MB).
        bytes = n * features * 28.0 + rounds * perRound * std::pow(2.0, std::min(depth, 30.0) + 1.0) * 48.0 + 12e6;
    }
    return static_cast<std::uint64_t>(bytes);
}

} // namespace

std::uint64_t estimateTrialBytes(const tuning::ExperimentSpec& spec, const data::Dataset& dataset,
                                 std::size_t targetColumn, data::Task task)
{
    if (spec.command)
        return 0;
    const bool classification = task != data::Task::Regression;
    // The encoded width: a numeric column is one feature, a categorical one a feature per level (one in all
    // for the algorithms that take level codes, when the spec asks for them), and either one more with
    // missing values when the spec asks for indicators.
    double oneHotFeatures = 0.0;
    double codeFeatures = 0.0;
    for (std::size_t c = 0; c < dataset.columnCount(); ++c) {
        const data::Column& column = dataset.column(c);
        if (c == targetColumn || column.type == data::ColumnType::Text)
            continue;
        const double indicator = spec.preprocess.missingIndicators && column.missingCount() > 0 ? 1.0 : 0.0;
        const bool categorical = column.type == data::ColumnType::Categorical;
        oneHotFeatures += (categorical ? static_cast<double>(column.levels.size()) : 1.0) + indicator;
        codeFeatures += 1.0 + indicator;
    }
    auto widthFor = [&](const std::string& id) {
        const auto algorithm = algorithms::findAlgorithm(id);
        const bool codes = spec.preprocess.categoryCodes && algorithm && algorithm->takesCategoryCodes();
        return codes ? codeFeatures : oneHotFeatures;
    };
    const double n = static_cast<double>(dataset.rowCount());
    const double outputs = classification ? static_cast<double>(std::max<std::size_t>(
                               algorithms::encodeTarget(dataset.column(targetColumn), task).classes.size(), 2))
                                          : 1.0;
    // Every fold holds its training and validation matrices (together the whole data, encoded), out-of-fold
    // predictions, and some memory of the allocator's own.
    std::uint64_t largest = 0;
    for (const tuning::AlgorithmSearch& search : spec.algorithms) {
        const double features = widthFor(search.algorithm);
        const double common = n * features * 8.0 + 2.0 * n * outputs * 8.0 + 2e6;
        largest = std::max(largest,
                           static_cast<std::uint64_t>(common) + algorithmBytes(search, n, features, outputs, task));
    }
    return largest;
}

std::string checkMemory(std::uint64_t trialBytes, int parallel, std::optional<std::uint64_t> available)
{
    if (!available || trialBytes == 0)
        return {};
    const std::uint64_t total = trialBytes * static_cast<std::uint64_t>(std::max(parallel, 1));
    const std::string needs = parallel > 1 ? std::to_string(parallel) + " trials at a time need about "
            + util::formatBytes(total) + " (" + util::formatBytes(trialBytes) + " each)"
                                           : "a trial needs about " + util::formatBytes(total);
    if (total > *available)
        throw ResourceError(needs + ", and only " + util::formatBytes(*available)
                            + " of memory is available: run fewer trials at a time (max_parallel), narrow the "
                              "ranges of the largest models, or free memory");
    if (static_cast<double>(total) > 0.8 * static_cast<double>(*available))
        return needs + " of the " + util::formatBytes(*available) + " available: close to the limit";
    return {};
}

} // namespace tunebench::jobs
