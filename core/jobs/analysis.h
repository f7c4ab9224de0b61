#pragma once

// Analyses of a recorded experiment shared by the GUI's compare views, the CLI and reports.

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "util/cancel.h"

namespace tunebench::jobs {

/// An experiment of a project with its spec as stored.
struct StoredExperiment
{
    store::ExperimentRecord record;
    tuning::ExperimentSpec spec;
};

/// The experiment named `name`; std::invalid_argument ("the project has no experiment named ...") if none.
[[nodiscard]] store::ExperimentRecord requireExperiment(const store::ProjectStore& project, const std::string& name);
/// The same with its stored spec parsed (errors name the experiment's stored spec).
[[nodiscard]] StoredExperiment loadExperiment(const store::ProjectStore& project, const std::string& name);

/// Trial `number` of a recorded experiment; std::invalid_argument ("'NAME' has no trial N") if none.
[[nodiscard]] store::TrialRecord requireTrial(const store::ProjectStore& project,
                                              const store::ExperimentRecord& experiment, int number);

/// The finished trials of an experiment (those with an objective) as points of its joint search space.
struct TrialPoints
{
    std::vector<tuning::Dimension> dimensions;
    std::vector<int> numbers; ///< trial number of each row
    Eigen::MatrixXd unit; ///< trials x dimensions, in the unit cube; NaN where a dimension was inactive
    Eigen::VectorXd objective;
};

/// `objective` picks one of several objectives (an index into the spec's objectives; 0: the first, the trial's own
/// objective).
[[nodiscard]] TrialPoints finishedTrialPoints(const tuning::ExperimentSpec& spec,
                                              const std::vector<store::TrialRecord>& trials, std::size_t objective = 0);

struct ParameterImportance
{
    std::string name; ///< as in the joint space ("mlp.learning_rate" with several algorithms)
    double importance = 0.0; ///< share of the explained variance; the shares sum to 1
    double mainEffect = 0.0; ///< fraction of the objective's total variance explained by this parameter alone
};

/// Functional ANOVA (tuning::functionalAnova) over the finished trials, most important first. Empty when
/// fewer than two trials finished or the space has no dimension.
/// With several objectives, `objective` says which one the importance explains.
[[nodiscard]] std::vector<ParameterImportance> parameterImportance(const tuning::ExperimentSpec& spec,
                                                                   const std::vector<store::TrialRecord>& trials,
                                                                   int threads = 1, std::size_t objective = 0);

/// The finished feasible trial with the best objective (the first of equals), or nullptr; with several objectives, the
/// Pareto trial best in the first.
[[nodiscard]] const store::TrialRecord* bestTrial(const std::vector<store::TrialRecord>& trials,
                                                  const tuning::ExperimentSpec& spec);
/// The numbers of the finished, feasible trials no other dominates in the spec's objectives.
[[nodiscard]] std::vector<int> paretoTrials(const std::vector<store::TrialRecord>& trials,
                                            const tuning::ExperimentSpec& spec);

/// Trains a recorded trial's configuration (the best one when `number` is empty) on the whole dataset
/// and saves the model file at `path`, for `tunebench-cli predict`. Returns the trial's number. Throws
/// std::invalid_argument (no such experiment or trial, an external command), TrainingError, util::Cancelled.
int exportTrialModel(store::ProjectStore& project, const std::string& experiment, std::optional<int> number,
                     const std::string& path, const util::CancelToken& cancel = {});

} // namespace tunebench::jobs
