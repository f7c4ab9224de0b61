#include "jobs/runfollower.h"

#include "jobs/ownership.h"

namespace tunebench::jobs {

RunFollower::RunFollower(std::string projectPath, std::string experimentName)
    : m_path(std::move(projectPath))
    , m_name(std::move(experimentName))
{ }

RunFollower::~RunFollower() = default;

FollowedRun RunFollower::poll()
{
    if (!m_store)
        m_store = store::ProjectStore::open(m_path, store::ProjectStore::Mode::ReadOnly);
    FollowedRun followed;
    // One read transaction: trials and points as of one commit.
    m_store->readTransaction([&] {
        followed.record = m_store->experimentByName(m_name);
        if (!followed.record)
            return;
        if (followed.record->id != m_experimentId) { // another experiment of that name now
            m_experimentId = followed.record->id;
            m_seen.clear();
        }
        followed.owner = liveOwner(*m_store, m_experimentId);
        TuningUpdate& update = followed.update;
        update.experimentId = m_experimentId;
        for (const store::TrialRecord& record : m_store->trials(m_experimentId)) {
            const auto known = m_seen.find(record.number);
            const bool isNew = known == m_seen.end();
            Seen& seen = m_seen[record.number];
            const bool wasRunning = !isNew && seen.state == TrialState::Running;
            if (!isNew && seen.startedAt != record.startedAt) {
                // Started again (restarted, or resumed after an interruption): its old points are gone.
                update.restarted.push_back(record.number);
                seen.lastStep.clear();
            }
            const bool changed = isNew || seen.state != record.status || seen.startedAt != record.startedAt
                || seen.finishedAt != record.finishedAt || seen.objective != record.objective;
            if (changed) {
                seen.state = record.status;
                seen.startedAt = record.startedAt;
                seen.finishedAt = record.finishedAt;
                seen.objective = record.objective;
                update.trials.push_back(trialFromRecord(record));
            }
            // Points arrive while a trial runs, and its last ones with its end.
            if (changed || wasRunning || record.status == TrialState::Running)
                readPoints(record.id, record.number, seen, update);
        }
    });
    return followed;
}

void RunFollower::readPoints(std::int64_t trialId, int number, Seen& seen, TuningUpdate& update)
{
    for (store::MetricPoint& point : m_store->metricSeriesAfter(trialId, seen.lastStep)) {
        seen.lastStep[point.name] = point.step;
        update.points.emplace_back(number, std::move(point));
    }
}

} // namespace tunebench::jobs
