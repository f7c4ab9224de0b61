#include "jobs/rerun.h"

#include <algorithm>

#include "jobs/analysis.h"
#include "jobs/compatibility.h"
#include "jobs/runsetup.h"
#include "jobs/trial.h"
#include "jobs/trialrunner.h"

namespace tunebench::jobs {

bool Rerun::reproduced() const
{
    return std::all_of(metrics.begin(), metrics.end(), [](const Metric& metric) {
        return !metric.recorded || metric.identical(); // a metric only the rerun has is not a difference
    });
}

Rerun rerunTrial(const store::ProjectStore& project, const std::string& experiment, int number,
                 const util::CancelToken& cancel)
{
    const auto [record, spec] = loadExperiment(project, experiment);
    const store::TrialRecord recorded = requireTrial(project, record, number);
    if (recorded.status != TrialState::Finished)
        throw std::invalid_argument("trial " + std::to_string(number) + " of '" + experiment + "' did not finish ("
                                    + std::string(stateName(recorded.status)) + "): there is nothing to compare");
    requireSameData(project, record, spec); // a changed file cannot reproduce anything
    const Trial before = trialFromRecord(recorded, &spec);

    const auto runner = makeTrialRunner(spec);
    const TrialResult result = runner->run(before.config, number,
                                           algorithms::TrainingContext(cancel, {}, std::max(1, spec.threadsPerTrial)));
    const MetricSummaries after = metricSummaries(result);

    Rerun rerun;
    rerun.experiment = experiment;
    rerun.trial = number;
    rerun.algorithm = before.config.algorithm;
    rerun.fitSeconds = result.fitSeconds;
    rerun.recordedFitSeconds = before.fitSeconds.value_or(0.0);
    rerun.metrics.push_back({"objective (" + spec.metric + ")", before.objective, result.objective});
    std::vector<std::string> names;
    for (const auto& [name, summary] : before.metrics)
        names.push_back(name);
    for (const auto& [name, summary] : after) {
        if (!before.metrics.contains(name))
            names.push_back(name);
    }
    for (const std::string& name : names) {
        if (name == evaluation::kPredictMicroseconds) // a timing, as the fit's seconds: never the same twice
            continue;
        Rerun::Metric metric{name, std::nullopt, std::nullopt};
        if (const auto found = before.metrics.find(name); found != before.metrics.end())
            metric.recorded = found->second.mean;
        if (const auto found = after.find(name); found != after.end())
            metric.rerun = found->second.mean;
        rerun.metrics.push_back(std::move(metric));
    }
    return rerun;
}

} // namespace tunebench::jobs
