#include "jobs/trialrunner.h"

#include <filesystem>
#include <set>
#include <stdexcept>

#include "algorithms/registry.h"
#include "jobs/resources.h"

namespace tunebench::jobs {

BuiltinTrialRunner::BuiltinTrialRunner(std::shared_ptr<const data::Dataset> dataset, const tuning::ExperimentSpec& spec)
    : m_dataset(std::move(dataset))
    , m_validation(spec.validation)
    , m_preprocess(spec.preprocess)
    , m_metric(spec.metric)
{
    std::optional<std::size_t> target
        = spec.target.empty() ? data::suggestTarget(*m_dataset) : m_dataset->indexOf(spec.target);
    if (!target)
        throw std::invalid_argument(spec.target.empty() ? "the dataset has no column that can be the target"
                                                        : "the dataset has no column named '" + spec.target + "'");
    m_target = *target;
    m_task = data::detectTask(m_dataset->column(m_target));
    static const std::set<std::string, std::less<>> regression{"rmse", "mae", "r2"};
    const bool isRegression = m_task == data::Task::Regression;
    if (regression.count(m_metric) != (isRegression ? 1U : 0U))
        throw std::invalid_argument("the objective '" + m_metric + "' does not fit a "
                                    + std::string(isRegression ? "regression" : "classification") + " target ('"
                                    + m_dataset->column(m_target).name + "')");
    m_everyFitTakesCodes = m_preprocess.categoryCodes;
    for (const tuning::AlgorithmSearch& search : spec.algorithms) {
        const auto algorithm = algorithms::findAlgorithm(search.algorithm);
        if (algorithm && !algorithm->supports(m_task))
            throw std::invalid_argument(search.algorithm + " does not support this task");
        m_everyFitTakesCodes = m_everyFitTakesCodes && algorithm && algorithm->takesCategoryCodes();
    }
    m_trialBytes = estimateTrialBytes(spec, *m_dataset, m_target, m_task);
}

std::vector<std::string> BuiltinTrialRunner::warnings() const
{
    try {
        return evaluation::splitWarnings(*m_dataset, m_target, m_task, m_validation, m_everyFitTakesCodes);
    } catch (const std::exception&) {
        return {}; // a split that cannot be made fails every trial, with the reason
    }
}

algorithms::ModelFile BuiltinTrialRunner::trainModel(const tuning::TrialConfig& trial,
                                                     const algorithms::TrainingContext& context) const
{
    const auto algorithm = algorithms::findAlgorithm(trial.algorithm);
    if (!algorithm)
        throw std::invalid_argument("unknown algorithm " + trial.algorithm);
    const algorithms::Params params = algorithms::resolve(algorithm->params(), trial.params, m_task);
    return algorithms::trainFinalModel(*m_dataset, m_target, m_task, *algorithm, params, context, m_preprocess);
}

evaluation::EvaluationResult BuiltinTrialRunner::evaluate(const tuning::TrialConfig& trial,
                                                          const algorithms::TrainingContext& context,
                                                          const evaluation::FoldHook& afterFit,
                                                          const evaluation::ValidationSpec* validation) const
{
    const auto algorithm = algorithms::findAlgorithm(trial.algorithm);
    if (!algorithm)
        throw std::invalid_argument("unknown algorithm " + trial.algorithm);
    const algorithms::Params params = algorithms::resolve(algorithm->params(), trial.params, m_task);
    return evaluation::evaluate(*m_dataset, m_target, m_task, *algorithm, params,
                                validation ? *validation : m_validation, context, m_preprocess, afterFit);
}

namespace {

/// A multi-fidelity trial's paused fits at `budget`, in its checkpoint folder.
std::filesystem::path fitStatesFile(const std::string& folder, std::int64_t budget)
{
    return std::filesystem::path(folder) / ("fits-" + std::to_string(budget) + ".bin");
}

} // namespace

TrialResult BuiltinTrialRunner::run(const tuning::TrialConfig& trial, int,
                                    const algorithms::TrainingContext& context) const
{
    // Multi-fidelity: each fold's fit continues from where the trial paused (the file of the budget it reached,
    // which a resume after a crash finds too) and is kept at this budget for the next promotion. A trial without its
    // file (removed by hand) trains from scratch; its points are the same.
    algorithms::TrainingContext pausing = context;
    const bool pauses = trial.budget && !context.checkpointDirectory().empty();
    const std::filesystem::path from = fitStatesFile(context.checkpointDirectory(), trial.resumedFrom);
    if (pauses) {
        auto states = std::make_shared<algorithms::FitStates>();
        if (trial.resumedFrom > 0 && std::filesystem::exists(from))
            states->read(from.string());
        pausing.setFitStates(std::move(states));
    }
    const evaluation::EvaluationResult evaluation = evaluate(trial, pausing);
    if (pauses) {
        const algorithms::FitStates& states = *pausing.fitStates();
        states.write(fitStatesFile(context.checkpointDirectory(), *trial.budget).string());
        // Only the newest is needed from now on: a resume continues from the budget the project last recorded,
        // this one or the one it continued from.
        for (const auto& entry : std::filesystem::directory_iterator(context.checkpointDirectory())) {
            const std::string name = entry.path().filename().string();
            if (name.starts_with("fits-") && entry.path() != fitStatesFile(context.checkpointDirectory(), *trial.budget)
                && entry.path() != from)
                std::filesystem::remove(entry.path());
        }
    }
    TrialResult result = trialResultOf(evaluation);
    const auto objective = evaluation.summary.find(m_metric);
    if (objective == evaluation.summary.end())
        throw algorithms::TrainingError("the evaluation has no " + m_metric);
    result.objective = objective->second.mean;
    return result;
}

TrialResult trialResultOf(const evaluation::EvaluationResult& evaluation)
{
    TrialResult result;
    for (const auto& [name, value] : evaluation.summary)
        result.metrics[name] = value;
    for (const evaluation::FoldResult& fold : evaluation.folds) {
        for (const auto& [name, value] : fold.metrics)
            result.foldMetrics[name].push_back(value);
    }
    result.fitSeconds = evaluation.fitSeconds;
    return result;
}

std::string BuiltinTrialRunner::intermediateMetric() const
{
    return m_task == data::Task::Regression ? "fold1/validation_rmse" : "fold1/validation_loss";
}

} // namespace tunebench::jobs
