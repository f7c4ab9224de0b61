#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "tuning/tuningloop.h"
#include "util/states.h"

namespace tunebench::jobs {

struct TrialResult;

/// A metric's value over the validation folds.
struct MetricSummary
{
    double mean = 0.0;
    double std = 0.0;
    std::vector<double> folds; ///< each fold's value in fold order (built-in algorithms); empty for a command
};
using MetricSummaries = std::map<std::string, MetricSummary, std::less<>>;

/// One trial as the engine and the workbench know it: typed, never JSON. The project keeps it as a
/// store::TrialRecord; toRecord() and trialFromRecord() are the only code that turns one into the other.
struct Trial
{
    std::int64_t id = 0; ///< in the project; 0 until it is recorded
    int number = 0; ///< 1-based within its experiment
    TrialState state = TrialState::Queued;
    tuning::TrialConfig config;
    std::optional<double> objective;
    MetricSummaries metrics; ///< the final metrics; fit time is fitSeconds
    std::optional<double> fitSeconds;
    std::string error; ///< why it failed or stopped
    std::optional<int> stoppedAtStep;
    std::string startedAt; ///< ISO 8601, UTC
    std::string finishedAt;

    /// Seconds from start to end; nothing while it runs.
    [[nodiscard]] std::optional<double> seconds() const;
};

/// Multi-fidelity: the series of the objective at each budget a trial reached ("budget/accuracy"), one point per
/// rung at step = budget.
[[nodiscard]] std::string budgetSeries(const tuning::ExperimentSpec& spec);

/// What a trial measured for the spec's objectives and constraints: each metric's mean over the folds ("fit_seconds"
/// the fit time), NaN for one it lacks; the first objective is `objective` when given (the runner's own reading).
[[nodiscard]] tuning::Measurement measurementOf(const tuning::ExperimentSpec& spec, const MetricSummaries& metrics,
                                                std::optional<double> fitSeconds,
                                                std::optional<double> objective = std::nullopt);
[[nodiscard]] tuning::Measurement measurementOf(const tuning::ExperimentSpec& spec, const Trial& trial);

/// A trial as the tuning loop sees it (number, state, each objective's loss and each constraint's slack once it has a
/// result) beside what it measured: what the front, the table and the charts are drawn from.
struct MeasuredTrial
{
    tuning::TrialView view;
    tuning::Measurement measured;
};
[[nodiscard]] MeasuredTrial measuredTrial(const tuning::ExperimentSpec& spec, const Trial& trial);

/// The finished trial's metrics as a TrialResult holds them.
[[nodiscard]] MetricSummaries metricSummaries(const TrialResult& result);

/// The trial as the project stores it: parameters and metrics as JSON ({"auc": {"mean", "std", "folds"},
/// "fit_seconds": s}).
[[nodiscard]] store::TrialRecord toRecord(const Trial& trial, std::int64_t experimentId);
/// A recorded trial, typed again: parameters by the spec's schemas when a spec is given (as resume and warm
/// start need them), otherwise as the JSON has them (numbers, booleans, text).
[[nodiscard]] Trial trialFromRecord(const store::TrialRecord& record, const tuning::ExperimentSpec* spec = nullptr);

} // namespace tunebench::jobs
