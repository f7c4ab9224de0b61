#pragma once

// Benchmark experiments (as Weka's Experimenter runs them): several datasets x several algorithms under the
// same validation, compared fold by fold and across datasets.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <QByteArray>
#include <QJsonObject>

#include "evaluation/statistics.h"
#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "util/cancel.h"

namespace tunebench::jobs {

/// A benchmark, parsed and validated (docs/spec.md, "Benchmarks"). Each dataset entry is checked as an
/// experiment's "dataset" is, and each algorithm's parameters as an experiment's "fixed" ones.
struct BenchmarkSpec
{
    std::string name;
    std::vector<std::string> datasetLabels;
    /// One per dataset: its data, target and the shared validation (its algorithm is irrelevant).
    std::vector<tuning::ExperimentSpec> datasets;
    std::vector<std::string> algorithmLabels;
    std::vector<tuning::TrialConfig> algorithms; ///< fixed settings (a tuned entry's fixed part)
    /// A tuned entry: its search (ranges, strategy, budget), run inside each outer training fold with its
    /// own inner cross-validation (nested cross-validation), the best configuration then scored on the
    /// outer validation fold.
    struct Tuning
    {
        tuning::ExperimentSpec search; ///< ranges, strategy, seed; its validation is the inner one
        int trials = 20;
    };
    std::vector<std::optional<Tuning>> tuning; ///< per algorithm; empty for a fixed one
    std::string metric;
    bool higherIsBetter = true;
    std::size_t baseline = 0; ///< index into algorithms
    double alpha = 0.05;
    int threads = 1; ///< for one fit (forest, xgboost)
};

/// Throws tuning::SpecError naming the file and the offending field.
[[nodiscard]] BenchmarkSpec parseBenchmarkSpec(const QByteArray& json, const std::string& sourceName,
                                               const std::string& baseDirectory);
[[nodiscard]] BenchmarkSpec parseBenchmarkSpecFile(const std::string& path);

struct BenchmarkCell
{
    std::vector<double> scores; ///< the metric on each validation fold, in fold order
    evaluation::MeanStd summary;
    double fitSeconds = 0.0; ///< the fit over all folds; for a tuned entry, the whole nested search
    std::string error; ///< why the algorithm failed on this dataset (then no scores)
    enum class Outcome
    {
        Baseline,
        Win, ///< significantly better than the baseline
        Tie,
        Loss, ///< significantly worse
        Untested, ///< failed, or too few folds for a test
    } outcome = Outcome::Untested;
    std::optional<evaluation::CorrectedTTest> test; ///< against the baseline, same folds
};

struct BenchmarkResult
{
    std::vector<std::vector<BenchmarkCell>> cells; ///< [dataset][algorithm]
    struct Record
    {
        int wins = 0;
        int ties = 0;
        int losses = 0;
    };
    std::vector<Record> versusBaseline; ///< per algorithm
    double testFraction = 0.0; ///< n_test / n of one fold, for the corrected t-test
    std::optional<evaluation::FriedmanTest> friedman; ///< over the datasets' mean scores
    double friedmanAlpha = 0.05; ///< the level of its critical difference
    std::string friedmanNote; ///< why there is no Friedman test, or what to know about it
};

using BenchmarkProgress = std::function<void(int done, int total, const std::string& current)>;

/// Evaluates every algorithm on every dataset (the same folds for all algorithms of a dataset), then the
/// corrected resampled t-test of each against the baseline and the Friedman test across datasets. A
/// failing algorithm is recorded with its reason. Throws util::Cancelled, data::ReadError.
[[nodiscard]] BenchmarkResult runBenchmark(const BenchmarkSpec& spec, const util::CancelToken& cancel = {},
                                           const BenchmarkProgress& progress = {});

/// Keeps a benchmark's results in a project through the RunRecorder, as training runs are kept: one experiment per
/// cell (dataset and algorithm), named "BENCHMARK / DATASET / ALGORITHM" (numbered when the name is taken), whose
/// spec trains that algorithm with its fixed values on that dataset under the benchmark's validation, and whose one
/// trial holds the cell's metric on each fold, its mean and spread and the fit time (a failed cell: the reason).
/// A tuned entry is kept with its fixed part. Returns the experiments' names, by dataset then algorithm.
std::vector<std::string> recordBenchmark(store::ProjectStore& project, const BenchmarkSpec& spec,
                                         const BenchmarkResult& result);

/// The spec and results as `tunebench-cli benchmark --json` prints them.
[[nodiscard]] QJsonObject benchmarkJson(const BenchmarkSpec& spec, const BenchmarkResult& result);

} // namespace tunebench::jobs
