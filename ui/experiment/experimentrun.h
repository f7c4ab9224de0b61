#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <QObject>
#include <QString>
#include <QTimer>

#include "jobs/tuner.h"
#include "tuning/experimentspec.h"

namespace tunebench::ui {

/// A tuning experiment running in the background. The Tuner runs on its own thread with its own connection
/// to the project (the single writer); what it commits reaches the GUI thread coalesced, at most ~30 times
/// a second, whatever the rate of metric points. Every public function is for the GUI thread.
class ExperimentRun : public QObject
{
    Q_OBJECT

public:
    ExperimentRun(tuning::ExperimentSpec spec, QString projectPath, bool resume, QObject* parent = nullptr);
    /// Cancels a run still in flight and waits for it: no trial outlives its run.
    ~ExperimentRun() override;

    void start();
    void stop();
    void cancel();
    void stopTrial(int number);
    void restartTrial(int number);

    [[nodiscard]] const tuning::ExperimentSpec& spec() const { return m_spec; }
    [[nodiscard]] QString name() const { return QString::fromStdString(m_spec.name); }
    [[nodiscard]] bool isResume() const { return m_resume; }
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] bool isStopping() const { return m_stopping; }
    [[nodiscard]] const jobs::TuningProgress& progress() const { return m_progress; }
    [[nodiscard]] std::optional<qint64> experimentId() const { return m_experimentId; }

Q_SIGNALS:
    /// The experiment's record exists: its id in the project.
    void started(qint64 experimentId);
    /// Trials and points committed since the last signal, in order.
    void updated(const tunebench::jobs::TuningUpdate& update);
    void progressChanged(const tunebench::jobs::TuningProgress& progress);
    /// The run ended; `error` is empty unless it could not run at all (bad dataset, full disk, ...).
    void finished(const tunebench::jobs::TuningSummary& summary, const QString& error);

private:
    void deliver();

    tuning::ExperimentSpec m_spec;
    QString m_projectPath;
    bool m_resume;
    bool m_running = false;
    bool m_stopping = false;
    std::optional<qint64> m_experimentId;
    jobs::TuningProgress m_progress;
    QTimer m_timer;
    std::thread m_thread;

    /// Shared with the worker thread.
    struct Shared
    {
        std::mutex mutex;
        jobs::Tuner* tuner = nullptr;
        bool stopRequested = false;
        bool cancelRequested = false;
        std::optional<jobs::TuningUpdate> update;
        std::optional<jobs::TuningProgress> progress;
        bool done = false;
        jobs::TuningSummary summary;
        QString error;
    };
    std::shared_ptr<Shared> m_shared = std::make_shared<Shared>();
};

} // namespace tunebench::ui

Q_DECLARE_METATYPE(tunebench::jobs::TuningUpdate)
Q_DECLARE_METATYPE(tunebench::jobs::TuningProgress)
Q_DECLARE_METATYPE(tunebench::jobs::TuningSummary)
