#include "jobs/analysis.h"

#include <algorithm>
#include <cmath>

#include "jobs/tuner.h"
#include "tuning/importance.h"

namespace tunebench::jobs {

TrialPoints finishedTrialPoints(const tuning::ExperimentSpec& spec, const std::vector<store::TrialRecord>& trials,
                                std::size_t objectiveIndex)
{
    const tuning::SearchSpace space = spec.searchSpace();
    TrialPoints points;
    points.dimensions = space.dimensions();
    std::vector<std::vector<double>> rows;
    std::vector<double> objective;
    for (const store::TrialRecord& trial : trials) {
        if (!trial.objective || trial.status != TrialState::Finished)
            continue;
        double value = *trial.objective;
        if (objectiveIndex > 0) { // another of several objectives, from the trial's metrics
            const tuning::Measurement measured = measurementOf(spec, trialFromRecord(trial));
            if (objectiveIndex >= measured.objectives.size() || std::isnan(measured.objectives[objectiveIndex]))
                continue;
            value = measured.objectives[objectiveIndex];
        }
        const tuning::TrialConfig config = spec.recordedConfig(trial.algorithm, trial.paramsJson);
        rows.push_back(space.encode(spec.jointOf(config)));
        objective.push_back(value);
        points.numbers.push_back(trial.number);
    }
    const auto d = static_cast<Eigen::Index>(space.size());
    points.unit.resize(static_cast<Eigen::Index>(rows.size()), d);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (Eigen::Index j = 0; j < d; ++j)
            points.unit(static_cast<Eigen::Index>(i), j) = rows[i][static_cast<std::size_t>(j)];
    }
    points.objective = Eigen::Map<const Eigen::VectorXd>(objective.data(), static_cast<Eigen::Index>(objective.size()));
    return points;
}

std::vector<ParameterImportance> parameterImportance(const tuning::ExperimentSpec& spec,
                                                     const std::vector<store::TrialRecord>& trials, int threads,
                                                     std::size_t objective)
{
    const TrialPoints points = finishedTrialPoints(spec, trials, objective);
    if (points.unit.rows() < 2 || points.unit.cols() == 0)
        return {};
    const tuning::Importance importance
        = tuning::functionalAnova(points.unit, points.objective, {.seed = spec.seed, .threads = threads});
    std::vector<ParameterImportance> result;
    for (std::size_t j = 0; j < points.dimensions.size(); ++j)
        result.push_back({points.dimensions[j].name(), importance.normalised[j], importance.mainEffects[j]});
    std::stable_sort(result.begin(), result.end(), [](const ParameterImportance& a, const ParameterImportance& b) {
        return a.importance > b.importance;
    });
    return result;
}

namespace {

/// The recorded trials as the tuning loop sees them: state, losses and slacks.
std::vector<tuning::TrialView> viewsOf(const std::vector<store::TrialRecord>& trials,
                                       const tuning::ExperimentSpec& spec)
{
    std::vector<tuning::TrialView> views;
    for (const store::TrialRecord& record : trials)
        views.push_back(measuredTrial(spec, trialFromRecord(record)).view);
    return views;
}

} // namespace

const store::TrialRecord* bestTrial(const std::vector<store::TrialRecord>& trials, const tuning::ExperimentSpec& spec)
{
    const std::vector<tuning::TrialView> views = viewsOf(trials, spec);
    const std::vector<int> front = tuning::paretoOf(views);
    const store::TrialRecord* best = nullptr;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const store::TrialRecord& trial = trials[i];
        const tuning::TrialView& view = views[i];
        const bool candidate = spec.isMultiObjective()
            ? std::find(front.begin(), front.end(), trial.number) != front.end()
            : hasResult(trial.status) && view.loss && view.feasible();
        if (candidate && (!best || *view.loss < *views[static_cast<std::size_t>(best - trials.data())].loss))
            best = &trial;
    }
    return best;
}

std::vector<int> paretoTrials(const std::vector<store::TrialRecord>& trials, const tuning::ExperimentSpec& spec)
{
    return tuning::paretoOf(viewsOf(trials, spec));
}

store::ExperimentRecord requireExperiment(const store::ProjectStore& project, const std::string& name)
{
    auto record = project.experimentByName(name);
    if (!record)
        throw std::invalid_argument("the project has no experiment named '" + name + "'");
    return std::move(*record);
}

StoredExperiment loadExperiment(const store::ProjectStore& project, const std::string& name)
{
    store::ExperimentRecord record = requireExperiment(project, name);
    tuning::ExperimentSpec spec
        = tuning::parseSpec(QByteArray::fromStdString(record.specJson), name + " (stored spec)", "/");
    return {std::move(record), std::move(spec)};
}

store::TrialRecord requireTrial(const store::ProjectStore& project, const store::ExperimentRecord& experiment,
                                int number)
{
    for (store::TrialRecord& trial : project.trials(experiment.id)) {
        if (trial.number == number)
            return std::move(trial);
    }
    throw std::invalid_argument("'" + experiment.name + "' has no trial " + std::to_string(number));
}

int exportTrialModel(store::ProjectStore& project, const std::string& experiment, std::optional<int> number,
                     const std::string& path, const util::CancelToken& cancel)
{
    const auto [record, spec] = loadExperiment(project, experiment);
    const std::vector<store::TrialRecord> trials = project.trials(record.id);
    const store::TrialRecord* trial = nullptr;
    store::TrialRecord chosen;
    if (number) {
        chosen = requireTrial(project, record, *number);
        trial = &chosen;
    } else {
        trial = bestTrial(trials, spec);
        if (!trial)
            throw std::invalid_argument("'" + experiment + "' has no finished trial");
    }
    const auto runner = makeBuiltinTrialRunner(spec);
    const algorithms::ModelFile model
        = runner->trainModel(spec.recordedConfig(trial->algorithm, trial->paramsJson),
                             algorithms::TrainingContext(cancel, {}, std::max(1, spec.threadsPerTrial)));
    algorithms::saveModelFile(model, path);
    return trial->number;
}

} // namespace tunebench::jobs
