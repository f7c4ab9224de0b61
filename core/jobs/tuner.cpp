#include "jobs/tuner.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <xgboost/c_api.h>

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSysInfo>
#include <QTemporaryDir>

#include "algorithms/paramsjson.h"
#include "algorithms/registry.h"
#include "data/csvwriter.h"
#include "data/reader.h"
#include "evaluation/validation.h"
#include "jobs/resources.h"
#include "jobs/slurm.h"
#include "store/datasetregistry.h"
#include "util/priority.h"

namespace tunebench::jobs {

using tuning::TrialState;
using tuning::TrialView;
using Clock = std::chrono::steady_clock;

namespace {

std::string compactJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

/// Where and with what a run happened: logged as a "manifest" event each time an experiment starts or
/// resumes, so every trial can be traced to the machine and versions that produced it.
std::string manifestJson(const tuning::ExperimentSpec& spec)
{
    int major = 0;
    int minor = 0;
    int patch = 0;
    XGBoostVersion(&major, &minor, &patch);
    return compactJson({
        {QStringLiteral("tunebench"), QStringLiteral(TUNEBENCH_VERSION)},
        {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("xgboost"), QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch)},
        {QStringLiteral("host"), QSysInfo::machineHostName()},
        {QStringLiteral("os"), QSysInfo::prettyProductName()},
        {QStringLiteral("cpu"), QSysInfo::currentCpuArchitecture()},
        {QStringLiteral("cores"), static_cast<int>(std::thread::hardware_concurrency())},
        {QStringLiteral("threads_per_trial"), spec.threadsPerTrial},
        {QStringLiteral("seed"), QString::number(spec.seed)},
    });
}

double wallNow()
{
    return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

/// What workers tell the tuner thread.
struct Event
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
    store::MetricPoint point;
    TrialResult result;
    std::string error;
};

class EventQueue
{
public:
    void push(Event event)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
        }
        m_ready.notify_one();
    }
    /// Everything queued, waiting up to `timeout` for the first event.
    std::deque<Event> drain(std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait_for(lock, timeout, [&] { return !m_events.empty(); });
        return std::exchange(m_events, {});
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<Event> m_events;
};

struct RunningTrial
{
    int number = 0;
    std::int64_t trialId = 0;
    tuning::TrialConfig config;
    std::string startedAt;
    Clock::time_point started;
    util::CancelToken token;
    std::thread thread;
    std::optional<std::string> stopReason; ///< early stopping
    std::optional<int> stopStep;
    bool timedOut = false;
    bool restart = false; ///< stopped by the user to run again
    store::TrialRecord record; ///< as last committed: what the update callback reports
};

/// The algorithm's parameters as recorded, typed again (for resume and warm start).

TrialState stateOf(const std::string& status)
{
    if (status == "finished")
        return TrialState::Finished;
    if (status == "failed")
        return TrialState::Failed;
    if (status == "stopped")
        return TrialState::Stopped;
    return TrialState::Running;
}

} // namespace

Tuner::Tuner(tuning::ExperimentSpec spec, store::ProjectStore& store, std::shared_ptr<const TrialRunner> runner,
             std::optional<std::int64_t> datasetId)
    : m_spec(std::move(spec))
    , m_store(store)
    , m_runner(std::move(runner))
    , m_datasetId(datasetId)
{ }

Tuner::~Tuner() = default;

int Tuner::effectiveParallelism(const tuning::ExperimentSpec& spec)
{
    if (spec.slurm) // the cluster's cores, not this machine's
        return std::max(1, spec.maxParallel);
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    return std::max(1, std::min(spec.maxParallel, cores / std::max(1, spec.threadsPerTrial)));
}

TuningSummary Tuner::run(bool resume)
{
    const auto runStart = Clock::now();
    // Refused before anything is recorded when it cannot fit in memory; a warning when it is close.
    const std::string memoryWarning
        = checkMemory(m_runner->estimatedTrialBytes(), effectiveParallelism(m_spec), util::availableMemoryBytes());
    const tuning::SearchSpace space = m_spec.searchSpace();
    const std::unique_ptr<tuning::Strategy> strategy = tuning::makeStrategy(space, m_spec.strategy);
    std::vector<std::unique_ptr<tuning::EarlyStopper>> stoppers;
    if (m_spec.earlyStopping)
        stoppers.push_back(tuning::makeMedianStopper());
    if (m_spec.hyperband)
        stoppers.push_back(tuning::makeHyperbandStopper(*m_spec.hyperband));
    const bool lowerIsBetter = !m_spec.maximize;
    auto lossOf = [&](double objective) { return lowerIsBetter ? objective : -objective; };

    // The experiment, its trials so far, and the trials to run again.
    std::int64_t experimentId = 0;
    std::vector<TrialView> history; // this experiment's trials, index = number - 1
    std::vector<std::int64_t> trialIds;
    std::deque<int> rerun;
    const std::optional<store::ExperimentRecord> existing = m_store.experimentByName(m_spec.name);
    if (resume) {
        if (!existing)
            throw std::invalid_argument("there is no experiment named '" + m_spec.name + "' to resume");
        experimentId = existing->id;
        m_store.transaction([&] {
            m_store.setExperimentStatus(experimentId, "running");
            for (store::TrialRecord& trial : m_store.trials(experimentId)) {
                const tuning::TrialConfig config = m_spec.recordedConfig(trial.algorithm, trial.paramsJson);
                TrialView view{trial.number, m_spec.jointOf(config), stateOf(trial.status), std::nullopt};
                if (view.state == TrialState::Finished && trial.objective)
                    view.loss = lossOf(*trial.objective);
                if (view.state == TrialState::Running) {
                    // Interrupted: its points go, and it runs again with the same parameters.
                    m_store.clearMetricPoints(trial.id);
                    rerun.push_back(trial.number);
                }
                history.resize(std::max<std::size_t>(history.size(), static_cast<std::size_t>(trial.number)));
                trialIds.resize(history.size());
                history[static_cast<std::size_t>(trial.number - 1)] = std::move(view);
                trialIds[static_cast<std::size_t>(trial.number - 1)] = trial.id;
            }
            m_store.logEvent({0, store::ProjectStore::nowUtc(), experimentId, std::nullopt, "resumed",
                              std::to_string(rerun.size()) + " interrupted trials run again"});
            m_store.logEvent(
                {0, store::ProjectStore::nowUtc(), experimentId, std::nullopt, "manifest", manifestJson(m_spec)});
        });
    } else {
        if (existing)
            throw std::invalid_argument("the project already has an experiment named '" + m_spec.name
                                        + "' (resume it, or give the new one another name)");
        store::ExperimentRecord record;
        record.name = m_spec.name;
        record.specJson = compactJson(m_spec.json);
        record.datasetId = m_datasetId;
        record.status = "running";
        record.createdAt = store::ProjectStore::nowUtc();
        m_store.transaction([&] {
            experimentId = m_store.createExperiment(record);
            m_store.logEvent(
                {0, store::ProjectStore::nowUtc(), experimentId, std::nullopt, "manifest", manifestJson(m_spec)});
        });
    }

    // Warm start: earlier experiments' finished trials inform the strategy (they are not counted here).
    std::vector<TrialView> warm;
    for (const std::string& name : m_spec.warmStart) {
        const auto earlier = m_store.experimentByName(name);
        if (!earlier)
            throw std::invalid_argument("warm_start: there is no experiment named '" + name + "'");
        for (const store::TrialRecord& trial : m_store.trials(earlier->id)) {
            if (trial.status != "finished" || !trial.objective)
                continue;
            if (std::none_of(m_spec.algorithms.begin(), m_spec.algorithms.end(),
                             [&](const auto& a) { return a.algorithm == trial.algorithm; }))
                continue;
            const tuning::TrialConfig config = m_spec.recordedConfig(trial.algorithm, trial.paramsJson);
            warm.push_back({-static_cast<int>(warm.size()) - 1, m_spec.jointOf(config), TrialState::Finished,
                            lossOf(*trial.objective)});
        }
    }

    TuningUpdate pending;
    pending.experimentId = experimentId;
    auto flush = [&] {
        if (!m_update || (pending.trials.empty() && pending.points.empty() && pending.restarted.empty()))
            return;
        TuningUpdate update = std::exchange(pending, {});
        pending.experimentId = experimentId;
        m_update(std::move(update));
    };

    tuning::IntermediateTable intermediates;
    for (const TrialView& view : history)
        intermediates[view.number].state = view.state;
    EventQueue events;
    std::map<int, RunningTrial> running;
    const int parallel = effectiveParallelism(m_spec);
    const std::string intermediate = m_runner->intermediateMetric();
    const bool intermediateLower = m_runner->intermediateLowerIsBetter();
    TuningProgress progress;
    progress.maxTrials = m_spec.completion.maxTrials;
    std::vector<std::string> warnings = m_runner->warnings();
    if (!memoryWarning.empty())
        warnings.insert(warnings.begin(), memoryWarning);
    for (const std::string& warning : warnings) {
        m_store.logEvent({0, store::ProjectStore::nowUtc(), experimentId, std::nullopt, "warning", warning});
        progress.warnings.push_back(warning);
        progress.lastMessage = "warning: " + warning;
        if (m_progress)
            m_progress(progress);
    }
    std::optional<std::string> stoppedBecause;
    bool cancelling = false;

    // Whatever happens below (a full disk, say), no worker outlives run().
    struct JoinAll
    {
        std::map<int, RunningTrial>& running;
        ~JoinAll()
        {
            for (auto& [number, trial] : running) {
                trial.token.cancel();
                if (trial.thread.joinable())
                    trial.thread.join();
            }
        }
    } joinAll{running};

    auto launch = [&](int number, const tuning::TrialConfig& config) {
        RunningTrial trial;
        trial.number = number;
        trial.config = config;
        trial.started = Clock::now();
        trial.startedAt = store::ProjectStore::nowUtc();
        store::TrialRecord& record = trial.record;
        record.experimentId = experimentId;
        record.number = number;
        record.algorithm = config.algorithm;
        record.paramsJson = compactJson(algorithms::toJson(config.params));
        record.status = "running";
        record.startedAt = trial.startedAt;
        m_store.transaction([&] {
            const auto index = static_cast<std::size_t>(number - 1);
            if (index < trialIds.size() && trialIds[index] != 0) {
                record.id = trialIds[index];
                m_store.updateTrial(record);
            } else {
                record.id = m_store.addTrial(record);
                trialIds.resize(std::max(trialIds.size(), index + 1));
                trialIds[index] = record.id;
            }
        });
        trial.trialId = record.id;
        pending.trials.push_back(record);
        intermediates[number] = {};
        trial.thread = std::thread(
            [&events, runner = m_runner, config, number, token = trial.token, threads = m_spec.threadsPerTrial] {
                // Trials are background work: they (and the commands they start) yield to the user's.
                util::lowerCurrentThreadPriority();
                const algorithms::TrainingContext context(
                    token,
                    [&events, number](int step, const std::string& metric, double value) {
                        Event event;
                        event.number = number;
                        event.point = {metric, step, value, wallNow()};
                        events.push(std::move(event));
                    },
                    threads);
                Event done;
                done.number = number;
                try {
                    done.result = runner->run(config, number, context);
                    done.kind = Event::Kind::Finished;
                } catch (const util::Cancelled&) {
                    done.kind = Event::Kind::Cancelled;
                } catch (const TrialFailed& error) {
                    done.kind = Event::Kind::Failed;
                    done.error = error.what();
                    done.result.output = error.output(); // kept: it says why
                } catch (const std::exception& error) {
                    done.kind = Event::Kind::Failed;
                    done.error = error.what();
                }
                events.push(std::move(done));
            });
        running.emplace(number, std::move(trial));
    };

    // A command's output (finished or failed trial), kept beside the project as NAME.artifacts/EXP/trial-N.log.
    auto keepOutput = [&](int number, std::int64_t trialId, const std::string& output) {
        if (output.empty())
            return;
        const std::filesystem::path folder = std::filesystem::path(m_store.artifactsDirectory()) / m_spec.name;
        std::filesystem::create_directories(folder);
        const std::string file = "trial-" + std::to_string(number) + ".log";
        std::ofstream(folder / file, std::ios::binary | std::ios::trunc) << output;
        m_store.addArtifact({0,
                             experimentId,
                             trialId,
                             "output",
                             m_spec.name + "/" + file,
                             {},
                             static_cast<std::int64_t>(output.size()),
                             store::ProjectStore::nowUtc()});
    };

    auto bestOf = [&]() -> const TrialView* {
        const TrialView* best = nullptr;
        for (const TrialView& view : history) {
            if (view.state == TrialState::Finished && view.loss && (!best || *view.loss < *best->loss))
                best = &view;
        }
        return best;
    };

    for (;;) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - runStart).count();
        // Launch while there is room.
        if (m_cancelRequested && !cancelling) {
            cancelling = true;
            stoppedBecause = "cancelled";
            for (auto& [number, trial] : running)
                trial.token.cancel();
        }
        if (m_stopRequested && !stoppedBecause)
            stoppedBecause = "stopped_by_user";
        for (const auto& [number, restart] : takeRequests()) {
            if (const auto found = running.find(number); found != running.end()) {
                RunningTrial& trial = found->second;
                if (!trial.stopReason && !trial.restart) {
                    if (restart)
                        trial.restart = true;
                    else
                        trial.stopReason = "stopped by the user";
                    trial.token.cancel();
                }
                continue;
            }
            const auto index = static_cast<std::size_t>(number - 1);
            if (!restart || cancelling || stoppedBecause == "stopped_by_user" || index >= history.size()
                || (history[index].state != TrialState::Failed && history[index].state != TrialState::Stopped))
                continue;
            m_store.clearMetricPoints(trialIds[index]);
            history[index].state = TrialState::Running;
            history[index].loss.reset();
            rerun.push_back(number);
            pending.restarted.push_back(number);
        }
        // Trials to run again (interrupted ones on resume, restarted ones) still run when the search itself has
        // ended (its budget is spent), but not when the user stopped or cancelled the experiment.
        const bool halted = cancelling || stoppedBecause == "stopped_by_user";
        while (!halted && static_cast<int>(running.size()) < parallel) {
            if (!rerun.empty()) {
                const int number = rerun.front();
                rerun.pop_front();
                const TrialView& view = history[static_cast<std::size_t>(number - 1)];
                launch(number, m_spec.configFor(view.params));
                continue;
            }
            if (stoppedBecause)
                break;
            const int created = static_cast<int>(history.size());
            if (auto reason = tuning::completionReason(m_spec.completion, history, created, elapsed, space.size())) {
                stoppedBecause = *reason;
                break;
            }
            std::vector<TrialView> known = warm;
            known.insert(known.end(), history.begin(), history.end());
            const int number = created + 1;
            tuning::Suggestion suggestion = strategy->suggest(known, number);
            if (suggestion.kind == tuning::Suggestion::Kind::Exhausted) {
                stoppedBecause = "grid_exhausted";
                break;
            }
            history.push_back({number, suggestion.params, TrialState::Running, std::nullopt});
            launch(number, m_spec.configFor(suggestion.params));
        }
        if (stoppedBecause == "max_seconds" && !cancelling) {
            cancelling = true;
            for (auto& [number, trial] : running)
                trial.token.cancel();
        }
        if (running.empty() && (stoppedBecause || rerun.empty()))
            break;

        // Per-trial time limits.
        if (m_spec.trialTimeoutSeconds > 0) {
            for (auto& [number, trial] : running) {
                if (!trial.timedOut
                    && std::chrono::duration<double>(Clock::now() - trial.started).count()
                        > m_spec.trialTimeoutSeconds) {
                    trial.timedOut = true;
                    trial.token.cancel();
                }
            }
        }

        std::deque<Event> batch = events.drain(std::chrono::milliseconds(100));
        if (batch.empty()) {
            if (m_spec.completion.maxSeconds && !stoppedBecause
                && std::chrono::duration<double>(Clock::now() - runStart).count() >= *m_spec.completion.maxSeconds)
                stoppedBecause = "max_seconds";
            continue;
        }
        std::vector<int> ended;
        m_store.transaction([&] {
            std::map<std::int64_t, std::vector<store::MetricPoint>> points;
            for (Event& event : batch) {
                const auto found = running.find(event.number);
                if (found == running.end())
                    continue;
                RunningTrial& trial = found->second;
                TrialView& view = history[static_cast<std::size_t>(event.number - 1)];
                if (event.kind == Event::Kind::Point) {
                    points[trial.trialId].push_back(event.point);
                    pending.points.emplace_back(event.number, event.point);
                    if (event.point.name != intermediate || trial.stopReason || stoppers.empty())
                        continue;
                    const auto step = static_cast<int>(event.point.step);
                    intermediates[event.number].values[step]
                        = intermediateLower ? event.point.value : -event.point.value;
                    for (const auto& stopper : stoppers) {
                        if (auto reason = stopper->check(intermediates, event.number, step)) {
                            trial.stopReason = *reason;
                            trial.stopStep = step;
                            trial.token.cancel();
                            break;
                        }
                    }
                    continue;
                }
                if (event.kind == Event::Kind::Cancelled && trial.restart && !cancelling
                    && stoppedBecause != "stopped_by_user") {
                    // Runs again from the start: its points so far go, its record stays "running".
                    points.erase(trial.trialId);
                    std::erase_if(pending.points, [&](const auto& point) { return point.first == event.number; });
                    m_store.clearMetricPoints(trial.trialId);
                    pending.restarted.push_back(event.number);
                    rerun.push_front(event.number);
                    ended.push_back(event.number);
                    continue;
                }
                store::TrialRecord& record = trial.record;
                record.finishedAt = store::ProjectStore::nowUtc();
                if (event.kind == Event::Kind::Finished) {
                    QJsonObject metrics;
                    for (const auto& [name, value] : event.result.metrics) {
                        QJsonObject metric{{QStringLiteral("mean"), value.mean}, {QStringLiteral("std"), value.std}};
                        if (const auto folds = event.result.foldMetrics.find(name);
                            folds != event.result.foldMetrics.end()) {
                            QJsonArray values;
                            for (double v : folds->second)
                                values.append(v);
                            metric.insert(QStringLiteral("folds"), values);
                        }
                        metrics.insert(QString::fromStdString(name), metric);
                    }
                    metrics.insert(QStringLiteral("fit_seconds"), event.result.fitSeconds);
                    record.status = "finished";
                    record.objective = event.result.objective;
                    record.metricsJson = compactJson(metrics);
                    view.state = TrialState::Finished;
                    view.loss = lossOf(event.result.objective);
                    progress.lastMessage = "trial " + std::to_string(event.number)
                        + " finished: " + algorithms::formatValue(event.result.objective);
                    keepOutput(event.number, trial.trialId, event.result.output);
                } else if (event.kind == Event::Kind::Failed || trial.timedOut) {
                    keepOutput(event.number, trial.trialId, event.result.output);
                    record.status = "failed";
                    record.error = trial.timedOut
                        ? "timed out after " + algorithms::formatValue(m_spec.trialTimeoutSeconds) + " s"
                        : event.error;
                    view.state = TrialState::Failed;
                    progress.lastMessage = "trial " + std::to_string(event.number) + " failed: " + record.error;
                } else {
                    record.status = "stopped";
                    record.error = trial.stopReason
                        ? *trial.stopReason
                        : (stoppedBecause == "max_seconds" ? "the experiment ran out of time" : "cancelled");
                    record.stoppedAtStep = trial.stopStep;
                    view.state = TrialState::Stopped;
                    progress.lastMessage = "trial " + std::to_string(event.number) + " stopped: " + record.error;
                }
                m_store.updateTrial(record);
                pending.trials.push_back(record);
                intermediates[event.number].state = view.state;
                ended.push_back(event.number);
            }
            for (const auto& [trialId, list] : points)
                m_store.addMetricPoints(trialId, list);
        });
        for (int number : ended) {
            auto node = running.extract(number);
            node.mapped().thread.join();
        }

        const int created = static_cast<int>(history.size());
        if (!stoppedBecause) {
            const double now = std::chrono::duration<double>(Clock::now() - runStart).count();
            if (auto reason = tuning::completionReason(m_spec.completion, history, created, now, space.size());
                reason && *reason != "max_trials")
                stoppedBecause = *reason;
        }
        if (m_progress) {
            progress.created = created;
            progress.finished = progress.failed = progress.stopped = 0;
            for (const TrialView& view : history) {
                progress.finished += view.state == TrialState::Finished;
                progress.failed += view.state == TrialState::Failed;
                progress.stopped += view.state == TrialState::Stopped;
            }
            progress.running = static_cast<int>(running.size());
            if (const TrialView* best = bestOf()) {
                progress.bestTrial = best->number;
                progress.bestObjective = lowerIsBetter ? *best->loss : -*best->loss;
            }
            progress.elapsedSeconds = std::chrono::duration<double>(Clock::now() - runStart).count();
            m_progress(progress);
        }
        flush();
    }
    flush();

    TuningSummary summary;
    summary.experiment = m_spec.name;
    summary.stoppedBecause = stoppedBecause.value_or("max_trials");
    summary.trials = static_cast<int>(history.size());
    if (const TrialView* best = bestOf()) {
        summary.bestTrial = best->number;
        const tuning::TrialConfig config = m_spec.configFor(best->params);
        summary.bestAlgorithm = config.algorithm;
        summary.bestParams = config.params;
        summary.bestObjective = lowerIsBetter ? *best->loss : -*best->loss;
    }
    const bool interrupted = summary.stoppedBecause == "cancelled" || summary.stoppedBecause == "stopped_by_user";
    m_store.transaction([&] {
        m_store.setExperimentStatus(experimentId, interrupted ? "stopped" : "finished", summary.stoppedBecause);
        m_store.logEvent(
            {0, store::ProjectStore::nowUtc(), experimentId, std::nullopt, "completed", summary.stoppedBecause});
    });
    return summary;
}

namespace {

/// The spec's data file read with the spec's settings and column types, every column kept (as the project records it).
data::Dataset readSpecFile(const tuning::ExperimentSpec& spec)
{
    data::ReadOptions options;
    spec.readSettings.applyTo(options);
    for (const auto& [name, type] : spec.columnTypes)
        options.typeOverrides[name] = type;
    return data::readDataset(spec.datasetPath, options);
}

/// The dataset as the spec's trials see it: its ignored columns left out.
std::shared_ptr<const data::Dataset> withoutIgnoredColumns(data::Dataset read, const tuning::ExperimentSpec& spec)
{
    return std::make_shared<const data::Dataset>(data::withoutColumns(std::move(read), spec.ignoredColumns));
}

/// The spec's dataset as its trials see it: columns read with the spec's types, ignored ones left out.
std::shared_ptr<const data::Dataset> readSpecDataset(const tuning::ExperimentSpec& spec)
{
    return withoutIgnoredColumns(readSpecFile(spec), spec);
}

/// The spec as this machine runs its trials: without the executor that would send them elsewhere.
tuning::ExperimentSpec withoutExecutor(const tuning::ExperimentSpec& spec)
{
    tuning::ExperimentSpec here = spec;
    here.slurm.reset();
    return here;
}

/// A Slurm spec's trials go to the cluster; `local` answers what the tuner asks between them.
std::shared_ptr<const TrialRunner> onClusterIfAsked(const tuning::ExperimentSpec& spec,
                                                    std::shared_ptr<const TrialRunner> local)
{
    if (!spec.slurm)
        return local;
    return std::make_shared<SlurmTrialRunner>(spec, std::move(local));
}

bool usesSplitFiles(const tuning::CommandSpec& command)
{
    return std::any_of(command.argv.begin(), command.argv.end(), [](const std::string& argument) {
        return argument.find("{train_path}") != std::string::npos
            || argument.find("{validation_path}") != std::string::npos;
    });
}

/// Writes the first split of the spec's validation (hold-out, or fold 1 of k-fold: the built-in algorithms' first
/// fold, row for row) as train.csv and validation.csv in `directory`.
std::pair<std::string, std::string> writeFirstSplit(const tuning::ExperimentSpec& spec, const std::string& directory)
{
    const std::shared_ptr<const data::Dataset> dataset = readSpecDataset(spec);
    const std::optional<std::size_t> target
        = spec.target.empty() ? data::suggestTarget(*dataset) : dataset->indexOf(spec.target);
    if (!target)
        throw std::invalid_argument("the dataset has no column named '" + spec.target + "'");
    const data::Task task = data::detectTask(dataset->column(*target));
    const std::vector<evaluation::Fold> folds = evaluation::validationFolds(*dataset, *target, task, spec.validation);
    if (folds.empty())
        throw std::invalid_argument("the validation makes no split of the dataset");
    const std::string train = directory + "/train.csv";
    const std::string validation = directory + "/validation.csv";
    data::writeCsv(*dataset, train, folds.front().train);
    data::writeCsv(*dataset, validation, folds.front().test);
    return {train, validation};
}

} // namespace

std::shared_ptr<const BuiltinTrialRunner> makeBuiltinTrialRunner(const tuning::ExperimentSpec& spec)
{
    if (spec.command)
        throw std::invalid_argument("an external command's trials are evaluated by the command itself");
    return std::make_shared<BuiltinTrialRunner>(readSpecDataset(spec), spec);
}

PreparedRun prepareRun(const tuning::ExperimentSpec& spec, store::ProjectStore& project)
{
    PreparedRun prepared;
    if (spec.command) {
        prepared.runner = makeTrialRunner(spec);
        for (const store::DatasetRecord& record : project.datasets()) {
            if (!spec.datasetPath.empty() && record.path == spec.datasetPath)
                prepared.datasetId = record.id;
        }
        return prepared;
    }
    data::Dataset read = readSpecFile(spec);
    prepared.datasetId = store::recordDataset(project, spec.datasetPath, read, nullptr, spec.readSettings).id;
    prepared.runner = onClusterIfAsked(
        spec,
        std::make_shared<BuiltinTrialRunner>(withoutIgnoredColumns(std::move(read), spec), withoutExecutor(spec)));
    return prepared;
}

namespace {

/// The runner of a spec's trials on this machine (the spec has no executor).
std::shared_ptr<const TrialRunner> makeLocalTrialRunner(const tuning::ExperimentSpec& spec)
{
    if (!spec.command)
        return makeBuiltinTrialRunner(spec);
    auto runner = std::make_shared<CommandTrialRunner>(*spec.command, spec.metric, spec.maximize, spec.datasetPath);
    if (usesSplitFiles(*spec.command)) {
        if (spec.datasetPath.empty())
            throw std::invalid_argument("{train_path} and {validation_path} need a dataset in the spec");
        // Written once per run, into a folder that lives as long as the runner.
        auto folder = std::make_shared<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/tunebench-split-XXXXXX"));
        if (!folder->isValid())
            throw std::runtime_error("cannot create a folder for the data split: "
                                     + folder->errorString().toStdString());
        const auto [train, validation] = writeFirstSplit(spec, folder->path().toStdString());
        runner->setSplitFiles(train, validation, std::move(folder));
    }
    return runner;
}

} // namespace

std::shared_ptr<const TrialRunner> makeTrialRunner(const tuning::ExperimentSpec& spec)
{
    return onClusterIfAsked(spec, makeLocalTrialRunner(withoutExecutor(spec)));
}

} // namespace tunebench::jobs
