#include "experiment/experimentrun.h"

#include <algorithm>

#include "store/projectstore.h"

namespace tunebench::ui {

namespace {

constexpr int kDeliveryIntervalMs = 33; // ~30 updates a second, whatever the event rate

/// Appends `next` to `into`; points of restarted trials that were still waiting are dropped (they belong to
/// the run that was thrown away).
void merge(jobs::TuningUpdate& into, jobs::TuningUpdate&& next)
{
    into.experimentId = next.experimentId;
    for (int number : next.restarted) {
        std::erase_if(into.points, [number](const auto& point) { return point.first == number; });
        into.restarted.push_back(number);
    }
    std::move(next.trials.begin(), next.trials.end(), std::back_inserter(into.trials));
    std::move(next.points.begin(), next.points.end(), std::back_inserter(into.points));
}

} // namespace

ExperimentRun::ExperimentRun(tuning::ExperimentSpec spec, QString projectPath, bool resume, QObject* parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_projectPath(std::move(projectPath))
    , m_resume(resume)
{
    qRegisterMetaType<jobs::TuningUpdate>();
    qRegisterMetaType<jobs::TuningProgress>();
    qRegisterMetaType<jobs::TuningSummary>();
    m_timer.setInterval(kDeliveryIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ExperimentRun::deliver);
}

ExperimentRun::~ExperimentRun()
{
    if (m_thread.joinable()) {
        cancel();
        m_thread.join();
    }
}

void ExperimentRun::start()
{
    if (m_running || m_thread.joinable())
        return;
    m_running = true;
    m_timer.start();
    m_thread = std::thread([shared = m_shared, spec = m_spec, path = m_projectPath.toStdString(), resume = m_resume] {
        jobs::TuningSummary summary;
        QString error;
        try {
            // Reading the dataset and opening the project happen here, never on the GUI thread.
            auto store = store::ProjectStore::open(path);
            // A new run records its data file in the project (a spec loaded from a file may name one the
            // project does not hold yet); a resumed experiment has its record already.
            jobs::PreparedRun prepared = resume
                ? jobs::PreparedRun{jobs::makeTrialRunner(spec, jobs::RunStart::Resume), std::nullopt}
                : jobs::prepareRun(spec, *store);
            jobs::Tuner tuner(spec, *store, std::move(prepared.runner), prepared.datasetId);
            tuner.setUpdateCallback([&shared](jobs::TuningUpdate update) {
                const std::lock_guard lock(shared->mutex);
                if (shared->update)
                    merge(*shared->update, std::move(update));
                else
                    shared->update = std::move(update);
            });
            tuner.setProgressCallback([&shared](const jobs::TuningProgress& progress) {
                const std::lock_guard lock(shared->mutex);
                shared->progress = progress;
            });
            {
                const std::lock_guard lock(shared->mutex);
                shared->tuner = &tuner;
                if (shared->stopRequested)
                    tuner.stop();
                if (shared->cancelRequested)
                    tuner.cancel();
            }
            try {
                summary = tuner.run(resume);
            } catch (...) {
                const std::lock_guard lock(shared->mutex);
                shared->tuner = nullptr;
                throw;
            }
            const std::lock_guard lock(shared->mutex);
            shared->tuner = nullptr;
        } catch (const std::exception& failure) {
            error = QString::fromStdString(failure.what());
        }
        const std::lock_guard lock(shared->mutex);
        shared->summary = std::move(summary);
        shared->error = error;
        shared->done = true;
    });
}

void ExperimentRun::stop()
{
    m_stopping = true;
    const std::lock_guard lock(m_shared->mutex);
    m_shared->stopRequested = true;
    if (m_shared->tuner)
        m_shared->tuner->stop();
}

void ExperimentRun::cancel()
{
    m_stopping = true;
    const std::lock_guard lock(m_shared->mutex);
    m_shared->cancelRequested = true;
    if (m_shared->tuner)
        m_shared->tuner->cancel();
}

void ExperimentRun::stopTrial(int number)
{
    const std::lock_guard lock(m_shared->mutex);
    if (m_shared->tuner)
        m_shared->tuner->stopTrial(number);
}

void ExperimentRun::restartTrial(int number)
{
    const std::lock_guard lock(m_shared->mutex);
    if (m_shared->tuner)
        m_shared->tuner->restartTrial(number);
}

void ExperimentRun::deliver()
{
    std::optional<jobs::TuningUpdate> update;
    std::optional<jobs::TuningProgress> progress;
    bool done = false;
    {
        const std::lock_guard lock(m_shared->mutex);
        update = std::exchange(m_shared->update, std::nullopt);
        progress = std::exchange(m_shared->progress, std::nullopt);
        done = m_shared->done;
    }
    if (update) {
        if (!m_experimentId) {
            m_experimentId = update->experimentId;
            Q_EMIT started(update->experimentId);
        }
        Q_EMIT updated(*update);
    }
    if (progress) {
        m_progress = *progress;
        Q_EMIT progressChanged(m_progress);
    }
    if (!done)
        return;
    m_timer.stop();
    m_thread.join();
    m_running = false;
    m_stopping = false;
    jobs::TuningSummary summary;
    QString error;
    {
        const std::lock_guard lock(m_shared->mutex);
        summary = m_shared->summary;
        error = m_shared->error;
    }
    Q_EMIT finished(summary, error);
}

} // namespace tunebench::ui
