#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "algorithms/modelfile.h"
#include "jobs/ownership.h"
#include "jobs/trial.h"
#include "jobs/trialpool.h"
#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "tuning/tuningloop.h"

namespace tunebench::jobs {

/// What changed in a run, as committed to the project: the trials that started or ended (typed, whole), the
/// metric points that arrived in order, and the trials whose points were cleared to run again.
struct TuningUpdate
{
    std::int64_t experimentId = 0;
    std::vector<Trial> trials;
    std::vector<std::pair<int, store::MetricPoint>> points; ///< (trial number, point)
    std::vector<int> restarted;

    [[nodiscard]] bool empty() const { return trials.empty() && points.empty() && restarted.empty(); }
    /// Appends `next`; points of `next`'s restarted trials still waiting here are dropped (they belong to the
    /// run that was thrown away).
    void merge(TuningUpdate&& next);
};

/// The one code that turns a run's trials into the project's rows: the experiment's record and status, each
/// trial's row, its metric points, the manifest and warnings, and a command's output kept as an artifact.
/// Changes are queued and written by commit() in one transaction, which returns them as a TuningUpdate.
/// `train --project` (one trial) and the tuner record through it, so every experiment has the same fields.
class RunRecorder
{
public:
    /// `store` and `spec` must outlive the recorder.
    RunRecorder(store::ProjectStore& store, const tuning::ExperimentSpec& spec);
    /// Gives the run up, if complete() did not: an experiment left running is then interrupted, for a resume.
    ~RunRecorder();
    RunRecorder(const RunRecorder&) = delete;
    RunRecorder& operator=(const RunRecorder&) = delete;

    /// Records a new experiment (its spec and data set), this process as the run's owner, and the manifest.
    /// Throws std::invalid_argument when the project has an experiment of that name (RunOwnedError, naming the
    /// owner, when another process is running it).
    void create(std::optional<std::int64_t> datasetId);
    /// Takes over the experiment of the spec's name to run it further: its trials, typed; the points of those
    /// that were interrupted (still running) are cleared; "resumed" and the manifest are logged.
    /// Throws std::invalid_argument when there is no such experiment, RunOwnedError (naming the owner) when
    /// another live process runs it: its trials in flight are not interrupted ones.
    [[nodiscard]] std::vector<Trial> resume();
    [[nodiscard]] std::int64_t experimentId() const { return m_experimentId; }

    /// A warning, logged now.
    void warn(const std::string& warning);
    /// Queued: trial `number` starts (again) with `config`.
    void started(int number, const tuning::TrialConfig& config);
    /// Queued: a metric point of a running trial.
    void point(int number, const store::MetricPoint& point);
    /// Queued: the trial runs again from the start; its points so far go.
    void restarted(int number);
    /// Queued: the trial ended as the tuning loop decided; a finished trial's metrics and a command's output
    /// come from `event`.
    void ended(const tuning::TuningLoop::Outcome& outcome, const TrialEvent& event);
    /// Queued: a trial that ended outside a pool (a single training run): its state, metrics and times as given.
    void ended(Trial trial, const std::string& output = {});
    /// Writes everything queued in one transaction; what it wrote.
    TuningUpdate commit();
    /// A training job's model, trained on every row: written now as NAME.artifacts/EXPERIMENT/model.tbmodel and
    /// recorded as trial `number`'s "model" artifact. Its absolute path.
    std::string keepModel(int number, const algorithms::ModelFile& model);
    /// The experiment's last word: finished, or stopped when the user stopped or cancelled it. The run is given up.
    void complete(const std::string& stoppedBecause);

    /// Renews the run's lease when it is due (every few seconds). Throws RunOwnedError when another process
    /// took the run over (this one's lease ran out): nothing more may be written.
    void keepAlive();
    /// What other processes asked of the run (stop, cancel, a trial's stop or restart), oldest first; looked for
    /// at most five times a second, and forgotten once returned (each is logged as a "request" event).
    [[nodiscard]] std::vector<store::RunRequest> takeRequests();

private:
    struct Point
    {
        int number;
        store::MetricPoint point;
    };
    struct Restart
    {
        int number;
    };
    struct Ended
    {
        int number;
        std::string output;
    };
    using Change = std::variant<int, Point, Restart, Ended>; ///< int: a trial that started
    void logEvent(const std::string& kind, const std::string& message);
    void keepOutput(const Trial& trial, const std::string& output);
    Trial& trial(int number) { return m_trials[number]; }

    store::ProjectStore& m_store;
    const tuning::ExperimentSpec& m_spec;
    std::unique_ptr<RunLease> m_lease;
    static constexpr std::chrono::milliseconds kRequestLook{200};
    std::chrono::steady_clock::time_point m_lastRequestLook{};
    std::int64_t m_experimentId = 0;
    std::map<int, Trial> m_trials; ///< by number, as last queued
    std::vector<Change> m_queued;
};

/// What a warm start learns from: earlier experiments' finished trials of the spec's algorithms (each
/// configuration and its objective), and what differs between those experiments and this run, to record.
struct WarmStart
{
    std::vector<std::pair<tuning::TrialConfig, tuning::Measurement>> trials; ///< objectives and constraints
    std::vector<std::string> notes; ///< "warm start from 'first' (transfer learning): metric: ..."
};
/// `dataSha256` is this run's data file's recorded hash, when known. Throws std::invalid_argument for a name the
/// project does not have, and, unless the spec asks for transfer learning, for an experiment whose data (file,
/// target, validation) or objective (metric, goal) differ from this run's, naming each difference.
[[nodiscard]] WarmStart warmStartTrials(const store::ProjectStore& store, const tuning::ExperimentSpec& spec,
                                        const std::optional<std::string>& dataSha256);

} // namespace tunebench::jobs
