#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "jobs/trialrunner.h"
#include "store/projectstore.h"
#include "util/cancel.h"

namespace tunebench::jobs {

/// What a running trial tells the thread that drives the run: a metric point, or how it ended.
struct TrialEvent
{
    enum class Kind
    {
        Point,
        Finished,
        Failed,
        Cancelled,
    };
    Kind kind = Kind::Point;
    int number = 0;
    store::MetricPoint point; ///< Point
    TrialResult result; ///< Finished (and a failed command's output)
    std::string error; ///< Failed
    bool timedOut = false; ///< Cancelled because it passed its time limit
};

/// Runs trials on worker threads, one thread each, through a TrialRunner (in process, an external command, or
/// a Slurm job the thread waits for). Launching, cancelling, time limits, and the guarantee that no trial
/// outlives the pool. All functions are for the one thread that owns the pool; workers only queue events.
class TrialPool
{
public:
    /// `timeoutSeconds` <= 0: no time limit. `gpus` are the machine's GPUs, of which each trial is given
    /// `gpusPerTrial` of its own while it runs (the caller launches no more trials than they allow).
    TrialPool(std::shared_ptr<const TrialRunner> runner, int threadsPerTrial, double timeoutSeconds,
              std::vector<int> gpus = {}, int gpusPerTrial = 0);
    /// Cancels every trial still running and waits for its thread.
    ~TrialPool();
    TrialPool(const TrialPool&) = delete;
    TrialPool& operator=(const TrialPool&) = delete;

    /// Starts trial `number` on a thread of its own, with its GPUs (the lowest free ones). Throws std::logic_error
    /// when too few are free.
    void launch(int number, const tuning::TrialConfig& config);
    /// Gives each trial launched from now on a folder of its own, `root`/trial-N/checkpoint (created, never
    /// removed): the same folder when the trial runs again, here or after a resume.
    void setCheckpointRoot(std::string root) { m_checkpointRoot = std::move(root); }
    /// The GPUs each running trial holds, by trial number.
    [[nodiscard]] std::map<int, std::vector<int>> gpusInUse() const;
    /// Asks trial `number` to stop now; it ends with a Cancelled event (or Finished, had it just finished).
    void cancel(int number);
    /// Cancels the trials past their time limit; their Cancelled events say timedOut.
    void enforceTimeLimits();
    /// What happened since the last call, waiting up to `timeout` for the first event. The threads of trials
    /// that ended are joined.
    [[nodiscard]] std::vector<TrialEvent> wait(std::chrono::milliseconds timeout);
    [[nodiscard]] std::size_t size() const { return m_trials.size(); }

private:
    struct Running
    {
        util::CancelToken token;
        std::chrono::steady_clock::time_point started;
        bool timedOut = false;
        std::vector<int> gpus; ///< its own while it runs
        std::thread thread;
    };
    void push(TrialEvent event);

    std::shared_ptr<const TrialRunner> m_runner;
    int m_threadsPerTrial;
    double m_timeoutSeconds;
    std::map<int, Running> m_trials;
    std::set<int> m_freeGpus;
    int m_gpusPerTrial = 0;
    std::string m_checkpointRoot;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<TrialEvent> m_events;
};

} // namespace tunebench::jobs
