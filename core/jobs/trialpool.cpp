#include "jobs/trialpool.h"

#include <filesystem>
#include <stdexcept>

#include <QDateTime>

#include "util/priority.h"

namespace tunebench::jobs {

namespace {

double wallNow()
{
    return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

} // namespace

TrialPool::TrialPool(std::shared_ptr<const TrialRunner> runner, int threadsPerTrial, double timeoutSeconds,
                     std::vector<int> gpus, int gpusPerTrial)
    : m_runner(std::move(runner))
    , m_threadsPerTrial(threadsPerTrial)
    , m_timeoutSeconds(timeoutSeconds)
    , m_freeGpus(gpus.begin(), gpus.end())
    , m_gpusPerTrial(gpusPerTrial)
{ }

TrialPool::~TrialPool()
{
    // Whatever ended the run (a full disk, say), no worker outlives it.
    for (auto& [number, trial] : m_trials) {
        trial.token.cancel();
        if (trial.thread.joinable())
            trial.thread.join();
    }
}

void TrialPool::push(TrialEvent event)
{
    {
        const std::lock_guard lock(m_mutex);
        m_events.push_back(std::move(event));
    }
    m_ready.notify_one();
}

void TrialPool::launch(int number, const tuning::TrialConfig& config)
{
    if (static_cast<int>(m_freeGpus.size()) < m_gpusPerTrial)
        throw std::logic_error("trial " + std::to_string(number) + " needs " + std::to_string(m_gpusPerTrial)
                               + " GPUs; " + std::to_string(m_freeGpus.size()) + " are free");
    Running& trial = m_trials[number];
    trial.started = std::chrono::steady_clock::now();
    std::string devices; // "0,1": the lowest free GPUs, its own until it ends
    for (int i = 0; i < m_gpusPerTrial; ++i) {
        trial.gpus.push_back(*m_freeGpus.begin());
        m_freeGpus.erase(m_freeGpus.begin());
        devices += (devices.empty() ? "" : ",") + std::to_string(trial.gpus.back());
    }
    std::string checkpoint;
    if (!m_checkpointRoot.empty()) {
        checkpoint = m_checkpointRoot + "/trial-" + std::to_string(number) + "/checkpoint";
        std::filesystem::create_directories(checkpoint);
    }
    // The worker keeps its own runner and settings: of the pool it touches only the event queue, under its mutex.
    trial.thread = std::thread([this, runner = m_runner, threads = m_threadsPerTrial, config, number,
                                token = trial.token, devices, checkpoint] {
        // Trials are background work: they (and the commands they start) yield to the user's.
        util::lowerCurrentThreadPriority();
        algorithms::TrainingContext context(
            token,
            [this, number](int step, const std::string& metric, double value) {
                TrialEvent event;
                event.number = number;
                event.point = {metric, step, value, wallNow()};
                push(std::move(event));
            },
            threads);
        context.setDevices(devices);
        context.setCheckpointDirectory(checkpoint);
        TrialEvent done;
        done.number = number;
        try {
            done.result = runner->run(config, number, context);
            done.kind = TrialEvent::Kind::Finished;
        } catch (const util::Cancelled&) {
            done.kind = TrialEvent::Kind::Cancelled;
        } catch (const TrialFailed& error) {
            done.kind = TrialEvent::Kind::Failed;
            done.error = error.what();
            done.result.output = error.output(); // kept: it says why
        } catch (const std::exception& error) {
            done.kind = TrialEvent::Kind::Failed;
            done.error = error.what();
        }
        push(std::move(done));
    });
}

void TrialPool::cancel(int number)
{
    if (const auto found = m_trials.find(number); found != m_trials.end())
        found->second.token.cancel();
}

void TrialPool::enforceTimeLimits()
{
    if (m_timeoutSeconds <= 0)
        return;
    const auto now = std::chrono::steady_clock::now();
    for (auto& [number, trial] : m_trials) {
        if (!trial.timedOut && std::chrono::duration<double>(now - trial.started).count() > m_timeoutSeconds) {
            trial.timedOut = true;
            trial.token.cancel();
        }
    }
}

std::vector<TrialEvent> TrialPool::wait(std::chrono::milliseconds timeout)
{
    std::deque<TrialEvent> taken;
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait_for(lock, timeout, [&] { return !m_events.empty(); });
        taken = std::exchange(m_events, {});
    }
    std::vector<TrialEvent> events;
    events.reserve(taken.size());
    for (TrialEvent& event : taken) {
        const auto found = m_trials.find(event.number);
        if (found == m_trials.end())
            continue;
        if (event.kind != TrialEvent::Kind::Point) {
            event.timedOut = found->second.timedOut;
            found->second.thread.join(); // its last act was to queue this event
            m_freeGpus.insert(found->second.gpus.begin(), found->second.gpus.end());
            m_trials.erase(found);
        }
        events.push_back(std::move(event));
    }
    return events;
}

std::map<int, std::vector<int>> TrialPool::gpusInUse() const
{
    std::map<int, std::vector<int>> used;
    for (const auto& [number, trial] : m_trials) {
        if (!trial.gpus.empty())
            used[number] = trial.gpus;
    }
    return used;
}

} // namespace tunebench::jobs
