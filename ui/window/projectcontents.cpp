#include "window/projectcontents.h"

#include "jobs/ownership.h"
#include "tuning/experimentspec.h"

namespace tunebench::ui {

ProjectContents readProjectContents(const store::ProjectStore& project)
{
    ProjectContents contents;
    try {
        contents.datasets = project.datasets();
        for (store::ExperimentRecord& record : project.experiments()) {
            ProjectContents::Experiment experiment;
            experiment.trials = project.trials(record.id);
            experiment.trialCount = static_cast<int>(experiment.trials.size());
            for (const store::TrialRecord& trial : experiment.trials)
                experiment.ended += hasEnded(trial.status) ? 1 : 0;
            if (experiment.trials.size() > ProjectContents::kMaxTrials)
                experiment.trials.resize(ProjectContents::kMaxTrials);
            if (record.status == ExperimentState::Running) {
                experiment.owner = jobs::liveOwner(project, record.id);
                try {
                    experiment.budget = tuning::parseSpec(QByteArray::fromStdString(record.specJson), record.name, "/")
                                            .completion.maxTrials.value_or(0);
                } catch (const std::exception&) {
                    // A spec this version cannot read: no budget to show.
                }
            }
            experiment.record = std::move(record);
            std::string& signature = contents.signature;
            signature.append(experiment.record.name).append("|").append(stateName(experiment.record.status));
            signature.append("|").append(std::to_string(experiment.trialCount)).append("|");
            signature.append(experiment.owner ? std::to_string(experiment.owner->pid) : std::string("-")).append(":");
            for (const store::TrialRecord& trial : experiment.trials) {
                signature.append(std::to_string(trial.number)).append(stateName(trial.status));
                signature.append(trial.objective ? std::to_string(*trial.objective) : std::string()).append(",");
            }
            contents.experiments.push_back(std::move(experiment));
        }
        for (const store::DatasetRecord& dataset : contents.datasets)
            contents.signature.append(dataset.name).append(std::to_string(dataset.rows)).append(";");
    } catch (const std::exception& error) {
        contents.error = QString::fromStdString(error.what());
    }
    return contents;
}

} // namespace tunebench::ui
