#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include "data/column.h"
#include "data/reader.h"
#include "evaluation/validation.h"
#include "tuning/completion.h"
#include "tuning/earlystopping.h"
#include "tuning/searchspace.h"
#include "tuning/strategy.h"

namespace tunebench::tuning {

/// A spec that cannot run; what() names the file and the JSON path: "exp.json: ranges.lr.min: ...".
class SpecError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct MetricPattern
{
    std::string name;
    std::string regex; ///< the first capture group (or the whole match) is the value
};

/// A training script in any language, run as argv (never through a shell).
struct CommandSpec
{
    std::vector<std::string> argv; ///< may hold {hyperparameter}, {train_path}, {validation_path}, {data_path}
    std::vector<MetricPattern> metrics;
    double timeoutSeconds = 0; ///< 0: no limit
    std::string workingDirectory; ///< absolute
    std::map<std::string, std::string> environment; ///< added to a minimal environment
    std::int64_t outputLimitBytes = 1 << 20; ///< stdout + stderr kept per trial
};

/// Trials sent to a Slurm cluster (jobs/slurm.h) instead of this machine's threads: "executor": {"type":
/// "slurm", ...} in the spec.
struct SlurmSpec
{
    std::string partition; ///< empty: the cluster's default
    int timeMinutes = 60; ///< each trial's time limit (sbatch --time)
    int cpus = 0; ///< sbatch --cpus-per-task; 0: the spec's threads per trial
    int memoryMb = 0; ///< sbatch --mem; 0: the cluster's default
    std::vector<std::string> sbatchArguments; ///< passed to sbatch as they are (one argument each)
    std::string workDirectory; ///< absolute, on a file system the nodes share; trials' files go here
    std::string worker; ///< tunebench-cli as the nodes find it; empty: this program's own path
    int gpus = 0; ///< sbatch --gres=gpu:N; from the spec's "resources" trial needs
    int resubmitPreempted = 2; ///< a preempted job is submitted again up to this many times
    double pollSeconds = 1.0; ///< how often the job's state and output are looked at
};

/// What a trial needs of the machine, or what the machine has ("resources" in the spec): cores, memory, GPUs and any
/// named slot (a licence, a database connection).
struct ResourceAmounts
{
    int cpus = 0; ///< 0: not limited (a trial's: its threads)
    std::int64_t memoryMb = 0; ///< 0: not limited
    int gpuCount = 0; ///< a trial's GPUs
    std::vector<int> gpus; ///< the machine's GPUs, by index
    std::map<std::string, int> slots;
};

/// "resources": {"machine": {...}, "trial": {...}}. The scheduler runs no more trials at once than the machine
/// holds (each limit divided by a trial's need) and hands each trial its own GPUs ({gpu}, CUDA_VISIBLE_DEVICES);
/// on Slurm a trial's needs become --gres, --cpus-per-task and --mem.
struct ResourceSpec
{
    ResourceAmounts machine;
    ResourceAmounts trial;

    /// How many trials fit at once (at least 1); `cores` stands for the machine's cpus when it names none.
    [[nodiscard]] int concurrentTrials(int cores) const;
};

/// One algorithm of an experiment with its fixed values and searched ranges (names unprefixed).
struct AlgorithmSearch
{
    std::string algorithm; ///< a built-in id, or "command"
    Params fixed;
    std::vector<Dimension> ranges;
};

/// One objective: a recorded metric and whether larger is better.
struct Objective
{
    std::string metric;
    bool maximize = true;
};

/// A bound on a recorded metric that a trial must meet to count ("constraints": [{"metric": "recall_macro", ">=":
/// 0.9}]); a trial that does not is infeasible: recorded with its violation, never best, never on the Pareto front.
struct Constraint
{
    std::string metric;
    bool atLeast = true; ///< ">=": the metric must reach `bound`; "<=": stay at or below it
    double bound = 0.0;

    /// How far `value` is from meeting the bound: <= 0 when met (NaN, a value never measured, is not met).
    [[nodiscard]] double slack(double value) const { return atLeast ? bound - value : value - bound; }
};

/// What one trial runs: the algorithm and its hyperparameters (fixed values merged in, typed for it).
struct TrialConfig
{
    TrialConfig() = default;
    TrialConfig(std::string algorithm, Params params)
        : algorithm(std::move(algorithm))
        , params(std::move(params))
    { }

    std::string algorithm;
    Params params;
    /// Multi-fidelity (asha, bohb): the budget this run trains to (also in `params` as the resource), and the
    /// budget the trial reached before, which it continues from (0: from scratch).
    std::optional<std::int64_t> budget;
    std::int64_t resumedFrom = 0;
};

/// A tuning experiment, parsed from the native JSON format or a SageMaker HyperParameterTuningJobConfig
/// (see docs/spec.md) and validated.
struct ExperimentSpec
{
    std::string name;
    std::string datasetPath; ///< absolute; empty for a command that needs no dataset
    std::string target; ///< empty: the suggested target
    std::vector<std::string> ignoredColumns; ///< left out of the features
    std::map<std::string, data::ColumnType, std::less<>> columnTypes; ///< read as this type, not the inferred one
    data::ReadSettings readSettings; ///< how the file is read where sniffing would guess ("read" in JSON)
    evaluation::ValidationSpec validation;
    algorithms::PreprocessOptions preprocess; ///< built-in algorithms: imputation, indicators, scaling
    std::vector<AlgorithmSearch> algorithms;
    std::optional<CommandSpec> command;
    std::string metric; ///< the (first) objective
    bool maximize = true;
    /// Every objective, the first being `metric`/`maximize`: one for a single objective ("objective"), several from
    /// "objectives", whose result is a Pareto front instead of one best trial.
    std::vector<Objective> objectives;
    std::vector<Constraint> constraints;
    StrategyOptions strategy;
    std::optional<HyperbandOptions> hyperband; ///< strategy hyperband
    std::string resource; ///< hyperband: the hyperparameter set to the maximum resource
    std::optional<SlurmSpec> slurm; ///< empty: trials run on this machine's threads
    std::optional<ResourceSpec> resources; ///< what a trial needs and the machine has; empty: threads only
    int maxParallel = 1;
    int threadsPerTrial = 1;
    double trialTimeoutSeconds = 0;
    CompletionCriteria completion;
    bool earlyStopping = false; ///< "auto": the median rule
    std::vector<std::string> warmStart;
    /// What the warm start's experiments may differ in (SageMaker's WarmStartType): with identical data and
    /// algorithm, their dataset, target, validation, metric and goal must be this run's; transfer learning takes
    /// their trials anyway and records what differs.
    enum class WarmStartType
    {
        IdenticalDataAndAlgorithm,
        TransferLearning,
    } warmStartType = WarmStartType::IdenticalDataAndAlgorithm;
    std::uint64_t seed = 0;
    QJsonObject json; ///< the native spec, paths absolute: what the project stores and resume reads
    /// What importing a SageMaker config mapped or left out ("SageMaker's num_round is xgboost's rounds",
    /// "AutoParameters eta: searched over [0.001, 0.5]"); a run records each as a warning.
    std::vector<std::string> importNotes;

    [[nodiscard]] bool isMultiAlgorithm() const { return algorithms.size() > 1; }
    [[nodiscard]] bool isMultiObjective() const { return objectives.size() > 1; }
    /// The joint space: with several algorithms, "algorithm" first, then "<algorithm>.<name>" for each range.
    [[nodiscard]] SearchSpace searchSpace() const;
    /// The trial a point of the joint space describes.
    [[nodiscard]] TrialConfig configFor(const Params& joint) const;
    /// The point of the joint space a recorded trial was (for warm start and resume).
    [[nodiscard]] Params jointOf(const TrialConfig& trial) const;
    /// A trial as the project records it: its algorithm and its parameters as a JSON object, typed by the
    /// algorithm's ParamSpecs (a command's by the spec's ranges).
    [[nodiscard]] TrialConfig recordedConfig(const std::string& algorithm, const std::string& paramsJson) const;
};

/// Parses and validates a spec; `sourceName` prefixes error messages and relative paths resolve against
/// `baseDirectory`. Throws SpecError.
/// A spec's "preprocessing" object: {"impute": "mean" or "median", "missing_indicators", "standardize"}.
[[nodiscard]] QJsonObject preprocessingToJson(const algorithms::PreprocessOptions& options);
/// A spec's "validation" object: {"method", "folds" or "holdout", "repeats", "stratified", "seed"}. Predefined folds
/// have no spec form: nothing for them.
[[nodiscard]] std::optional<QJsonObject> validationToJson(const evaluation::ValidationSpec& validation);

[[nodiscard]] ExperimentSpec parseSpec(const QByteArray& json, const std::string& sourceName,
                                       const std::string& baseDirectory);
/// A JSON document that must be an object; a syntax error names the line and column. Throws SpecError.
[[nodiscard]] QJsonObject readSpecObject(const QByteArray& json, const std::string& sourceName);
/// The spec as its meaning, a native spec itself: every field written with defaults explicit, ranges' "auto"
/// scaling resolved, one algorithm as "algorithm"/"fixed"/"ranges" and several as "algorithms". Two specs that
/// run the same experiment have equal canonical forms (the editor's round trip is checked with it).
[[nodiscard]] QJsonObject canonicalJson(const ExperimentSpec& spec);
/// The JSON path of the first place where two documents differ ("limits.max_seconds", "algorithms.1.ranges.k"),
/// keys in sorted order; empty when they are equal.
[[nodiscard]] std::string firstDifference(const QJsonValue& a, const QJsonValue& b, const std::string& path = {});
/// Reads and parses a spec file (paths relative to the file's folder).
[[nodiscard]] ExperimentSpec parseSpecFile(const std::string& path);

/// The metric names the built-in algorithms are evaluated with, and whether each is maximised.
[[nodiscard]] const std::map<std::string, bool, std::less<>>& builtinMetrics();
/// What else a built-in trial records, all minimised: "fit_seconds" (all folds), "model_size" (stored parameters or
/// tree nodes, mean over folds), "predict_us_per_row" (microseconds of prediction per validation row).
[[nodiscard]] const std::map<std::string, bool, std::less<>>& builtinCosts();

} // namespace tunebench::tuning
