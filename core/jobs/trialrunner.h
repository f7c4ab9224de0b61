#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "algorithms/algorithm.h"
#include "algorithms/modelfile.h"
#include "data/dataset.h"
#include "evaluation/validation.h"
#include "tuning/experimentspec.h"

namespace tunebench::jobs {

/// What one finished trial produced.
struct TrialResult
{
    std::map<std::string, evaluation::MeanStd, std::less<>> metrics;
    /// Each metric's value on each validation fold, in fold order (built-in algorithms).
    std::map<std::string, std::vector<double>, std::less<>> foldMetrics;
    double objective = 0.0;
    double fitSeconds = 0.0;
    std::string output; ///< an external command's captured stdout and stderr (size-capped)
};

/// A cross-validation's metrics (means, spreads, each fold's values) and fit time; the objective is the caller's.
[[nodiscard]] TrialResult trialResultOf(const evaluation::EvaluationResult& evaluation);

/// A trial that failed after producing output worth keeping: an external command's stdout and stderr.
class TrialFailed : public algorithms::TrainingError
{
public:
    TrialFailed(const std::string& message, std::string output)
        : algorithms::TrainingError(message)
        , m_output(std::move(output))
    { }
    [[nodiscard]] const std::string& output() const noexcept { return m_output; }

private:
    std::string m_output;
};

/// Runs one trial. Thread-safe: the scheduler calls run() from several worker threads at once.
class TrialRunner
{
public:
    virtual ~TrialRunner() = default;
    /// Blocking. Reports metric points through `context`; throws util::Cancelled when cancelled,
    /// algorithms::TrainingError (or any std::exception) when the trial fails, with the reason.
    [[nodiscard]] virtual TrialResult run(const tuning::TrialConfig& trial, int number,
                                          const algorithms::TrainingContext& context) const = 0;
    /// The metric series whose points feed early stopping, and whether lower is better for it.
    [[nodiscard]] virtual std::string intermediateMetric() const = 0;
    [[nodiscard]] virtual bool intermediateLowerIsBetter() const = 0;
    /// Peak memory of one trial (jobs/resources.h); 0 when unknown.
    [[nodiscard]] virtual std::uint64_t estimatedTrialBytes() const { return 0; }
    /// What the user should know before the trials run (a class some folds never train on); the tuner
    /// records each as a warning event.
    [[nodiscard]] virtual std::vector<std::string> warnings() const { return {}; }
};

/// A built-in algorithm cross-validated on a dataset, as `tunebench-cli train` does.
class BuiltinTrialRunner final : public TrialRunner
{
public:
    /// Throws std::invalid_argument when the target is missing or the metric does not fit the task.
    BuiltinTrialRunner(std::shared_ptr<const data::Dataset> dataset, const tuning::ExperimentSpec& spec);
    TrialResult run(const tuning::TrialConfig& trial, int number,
                    const algorithms::TrainingContext& context) const override;
    std::string intermediateMetric() const override;
    bool intermediateLowerIsBetter() const override { return true; }
    std::uint64_t estimatedTrialBytes() const override { return m_trialBytes; }
    std::vector<std::string> warnings() const override;
    [[nodiscard]] data::Task task() const { return m_task; }
    [[nodiscard]] const std::string& metric() const { return m_metric; }
    /// The cross-validation a trial runs, with everything it produced (out-of-fold predictions); `afterFit`
    /// sees each fold's model.
    /// The trial's configuration trained on every row of the dataset, with its preprocessing: the model a
    /// user ships.
    [[nodiscard]] algorithms::ModelFile trainModel(const tuning::TrialConfig& trial,
                                                   const algorithms::TrainingContext& context) const;
    /// `validation` replaces the spec's (nested cross-validation uses predefined folds).
    [[nodiscard]] evaluation::EvaluationResult evaluate(const tuning::TrialConfig& trial,
                                                        const algorithms::TrainingContext& context,
                                                        const evaluation::FoldHook& afterFit = {},
                                                        const evaluation::ValidationSpec* validation = nullptr) const;
    [[nodiscard]] const data::Dataset& dataset() const { return *m_dataset; }
    [[nodiscard]] std::size_t targetColumn() const { return m_target; }

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    std::size_t m_target = 0;
    data::Task m_task = data::Task::Regression;
    evaluation::ValidationSpec m_validation;
    algorithms::PreprocessOptions m_preprocess;
    std::string m_metric;
    std::uint64_t m_trialBytes = 0;
    bool m_everyFitTakesCodes = false; ///< category codes asked for, and every algorithm searched takes them
};

/// An external command (see tuning::CommandSpec): argv with placeholders filled in, no shell, a minimal
/// environment, metrics read from its output by regular expressions as it runs.
class CommandTrialRunner final : public TrialRunner
{
public:
    CommandTrialRunner(tuning::CommandSpec command, std::string objectiveMetric, bool maximize, std::string dataPath);
    TrialResult run(const tuning::TrialConfig& trial, int number,
                    const algorithms::TrainingContext& context) const override;
    std::string intermediateMetric() const override { return m_objective; }
    bool intermediateLowerIsBetter() const override { return !m_maximize; }

    /// argv with every {placeholder} replaced; throws std::invalid_argument for an unknown one.
    [[nodiscard]] static std::vector<std::string> expandArguments(const std::vector<std::string>& argv,
                                                                  const std::map<std::string, std::string>& values);

    /// The files {train_path} and {validation_path} stand for; `keep` owns them (removed with the runner).
    void setSplitFiles(std::string trainPath, std::string validationPath, std::shared_ptr<const void> keep)
    {
        m_trainPath = std::move(trainPath);
        m_validationPath = std::move(validationPath);
        m_splitFiles = std::move(keep);
    }

private:
    tuning::CommandSpec m_command;
    std::string m_objective;
    bool m_maximize;
    std::string m_dataPath;
    std::string m_trainPath;
    std::string m_validationPath;
    std::shared_ptr<const void> m_splitFiles;
};

} // namespace tunebench::jobs
