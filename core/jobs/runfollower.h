#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "jobs/runrecorder.h"
#include "store/projectstore.h"

namespace tunebench::jobs {

/// What a follower saw of a run since its last look.
struct FollowedRun
{
    std::optional<store::ExperimentRecord> record; ///< none: the project has no such experiment (yet)
    std::optional<store::RunOwner> owner; ///< the process running it, while alive
    TuningUpdate update; ///< what changed, as the run's own recorder reported it
};

/// Follows one experiment through the project file as another process (or another connection of this one)
/// records it. Each poll() reads what changed since the last: trials that started, ended or were restarted, and
/// the metric points that arrived, as the TuningUpdate the run's own RunRecorder returned; the first poll reads
/// everything. Reads only: it opens the project read-only, and never sees a half-written transaction.
/// One thread at a time (any thread).
class RunFollower
{
public:
    RunFollower(std::string projectPath, std::string experimentName);
    ~RunFollower();
    RunFollower(const RunFollower&) = delete;
    RunFollower& operator=(const RunFollower&) = delete;

    /// Throws store::StoreError when the project cannot be read.
    FollowedRun poll();

private:
    struct Seen
    {
        TrialState state = TrialState::Queued;
        std::string startedAt;
        std::string finishedAt;
        std::optional<double> objective;
        std::map<std::string, std::int64_t> lastStep; ///< by metric name
    };
    void readPoints(std::int64_t trialId, int number, Seen& seen, TuningUpdate& update);

    std::string m_path;
    std::string m_name;
    std::unique_ptr<store::ProjectStore> m_store;
    std::int64_t m_experimentId = 0;
    std::map<int, Seen> m_seen; ///< by trial number
};

} // namespace tunebench::jobs
