#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jobs/runrecorder.h"
#include "jobs/runsetup.h"
#include "jobs/trialpool.h"
#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "tuning/tuningloop.h"
#include "util/cancel.h"

namespace tunebench::jobs {

/// Where a tuning run stands; handed to the progress callback after every batch of events.
struct TuningProgress
{
    int created = 0; ///< trials started so far (this experiment, resumed ones included)
    int finished = 0;
    int failed = 0;
    int stopped = 0;
    int paused = 0; ///< multi-fidelity: waiting at a rung for a promotion
    int running = 0;
    std::optional<int> maxTrials;
    std::optional<double> bestObjective;
    int bestTrial = 0;
    std::optional<int> frontSize; ///< several objectives: the trials on the Pareto front (there is no one best)
    double elapsedSeconds = 0.0;
    std::string lastMessage; ///< "trial 7 finished: 0.9712", "trial 9 failed: ..."
    /// The GPUs each running trial holds, by trial number (a spec with "resources" that lists GPUs).
    std::map<int, std::vector<int>> gpusInUse;
    int gpus = 0; ///< the machine's GPUs the run may use
    /// What the run warned of before its first trial (memory close to the limit, a class some folds never
    /// train on), in every report from then on: a GUI that shows only the latest report still sees them.
    std::vector<std::string> warnings;
};

struct TuningSummary
{
    std::string experiment;
    std::string stoppedBecause;
    int trials = 0;
    std::optional<int> bestTrial;
    std::string bestAlgorithm;
    algorithms::Params bestParams;
    std::optional<double> bestObjective;
    /// A training job's model (nothing to tune, a built-in algorithm): its one configuration trained on every row,
    /// kept as NAME.artifacts/EXPERIMENT/model.tbmodel; empty otherwise.
    std::string modelPath;
    /// Multi-fidelity: the budget the trials trained, summed (a promotion trains only the difference).
    std::optional<std::int64_t> budgetUsed;
    /// Several objectives: the finished, feasible trials no other dominates (there is no one best then).
    std::vector<int> pareto;
};

/// Runs a tuning experiment by joining its parts: the TuningLoop decides (which trial next, early stopping,
/// completion), the TrialPool runs trials on at most `maxParallel` worker threads, and the RunRecorder records
/// every trial, parameter, metric point and result in the project as it happens. run() blocks the calling thread, which
/// is the only one that writes the project; stop() and cancel() may be called from any thread.
class Tuner
{
public:
    using ProgressCallback = std::function<void(const TuningProgress&)>;
    using UpdateCallback = std::function<void(TuningUpdate)>;

    /// `store` must outlive run(). For a new experiment the spec is recorded; with `resume` the experiment
    /// named in the spec must exist, and its finished trials are kept while interrupted ones run again.
    Tuner(tuning::ExperimentSpec spec, store::ProjectStore& store, std::shared_ptr<const TrialRunner> runner,
          std::optional<std::int64_t> datasetId = std::nullopt);
    ~Tuner();
    Tuner(const Tuner&) = delete;
    Tuner& operator=(const Tuner&) = delete;

    void setProgressCallback(ProgressCallback callback) { m_progress = std::move(callback); }
    /// Called on run()'s thread, at most every ~100 ms, after the changes it reports were committed.
    void setUpdateCallback(UpdateCallback callback) { m_update = std::move(callback); }
    /// Throws store::StoreError, std::invalid_argument (an experiment that exists / does not exist).
    TuningSummary run(bool resume = false);

    /// Finish the trials in flight, start no more.
    void stop() { m_stopRequested = true; }
    /// Stop the trials in flight now (they are recorded as stopped) and start no more.
    void cancel()
    {
        m_cancelRequested = true;
        m_finalFit.cancel(); // a training job's model being fitted on every row stops too
    }
    /// Stop one running trial now; it is recorded as stopped by the user. Any thread.
    void stopTrial(int number) { request(number, false); }
    /// Run a trial again from the start with the same parameters: a running trial is stopped first, a
    /// failed or stopped one is queued again; its metric points are cleared. Finished trials stay. Any thread.
    void restartTrial(int number) { request(number, true); }

    /// Parallel trials the machine allows for this spec: max_parallel, at most cores / threads per trial.
    [[nodiscard]] static int effectiveParallelism(const tuning::ExperimentSpec& spec);

private:
    /// The user's stop, cancel and per-trial requests, handed to the loop and the pool.
    void steer(tuning::TuningLoop& loop, TrialPool& pool, RunRecorder& recorder);
    /// Trial `number` runs again from the start (the user restarted it): its points and paused fits go.
    void restarted(int number, RunRecorder& recorder);
    /// NAME.artifacts/EXPERIMENT: each trial's checkpoint folder is trial-N/checkpoint in it.
    [[nodiscard]] std::string checkpointRoot() const;
    /// One event of a running trial: recorded, and shown to early stopping.
    void handle(const TrialEvent& event, tuning::TuningLoop& loop, TrialPool& pool, RunRecorder& recorder,
                TuningProgress& progress);
    void report(TuningProgress& progress, const tuning::TuningLoop& loop, const TrialPool& pool, double elapsed);
    void publish(TuningUpdate update);
    void request(int number, bool restart)
    {
        const std::lock_guard lock(m_requestsMutex);
        m_requests.emplace_back(number, restart);
    }
    [[nodiscard]] std::vector<std::pair<int, bool>> takeRequests()
    {
        const std::lock_guard lock(m_requestsMutex);
        return std::exchange(m_requests, {});
    }

    tuning::ExperimentSpec m_spec;
    store::ProjectStore& m_store;
    std::shared_ptr<const TrialRunner> m_runner;
    std::optional<std::int64_t> m_datasetId;
    ProgressCallback m_progress;
    UpdateCallback m_update;
    std::mutex m_requestsMutex;
    std::vector<std::pair<int, bool>> m_requests; ///< (trial number, restart)
    std::atomic<bool> m_stopRequested{false};
    std::atomic<bool> m_cancelRequested{false};
    util::CancelToken m_finalFit;
};

} // namespace tunebench::jobs
