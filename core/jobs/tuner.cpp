#include "jobs/tuner.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "algorithms/params.h"
#include "jobs/compatibility.h"
#include "jobs/ownership.h"
#include "jobs/resources.h"

namespace tunebench::jobs {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kEventWait{100};

/// The experiment's trials as the loop takes them back; multi-fidelity ones with the objective at each budget they
/// reached (their "budget/METRIC" series).
std::vector<tuning::TuningLoop::Recorded> recordedTrials(std::vector<Trial> trials, const store::ProjectStore& store,
                                                         const tuning::ExperimentSpec& spec)
{
    std::vector<tuning::TuningLoop::Recorded> recorded;
    recorded.reserve(trials.size());
    for (Trial& trial : trials) {
        std::map<std::int64_t, double> budgets;
        if (tuning::isMultiFidelity(spec.strategy.kind)) {
            for (const store::MetricPoint& point : store.metricSeries(trial.id, budgetSeries(spec)))
                budgets[point.step] = point.value;
        }
        tuning::Measurement measured = measurementOf(spec, trial);
        recorded.push_back({trial.number, std::move(trial.config), trial.state, trial.objective, std::move(budgets),
                            std::move(measured)});
    }
    return recorded;
}

tuning::TuningLoop::Ending endingOf(TrialEvent::Kind kind)
{
    switch (kind) {
    case TrialEvent::Kind::Finished: return tuning::TuningLoop::Ending::Finished;
    case TrialEvent::Kind::Failed: return tuning::TuningLoop::Ending::Failed;
    default: return tuning::TuningLoop::Ending::Cancelled;
    }
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
    if (spec.resources) // what a trial needs of what the machine has: cores, memory, GPUs, named slots
        return std::max(1, std::min(spec.maxParallel, spec.resources->concurrentTrials(cores)));
    return std::max(1, std::min(spec.maxParallel, cores / std::max(1, spec.threadsPerTrial)));
}

TuningSummary Tuner::run(bool resume)
{
    const auto runStart = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - runStart).count(); };
    // Refused before anything is recorded when it cannot fit in memory; a warning when it is close.
    const std::string memoryWarning
        = checkMemory(m_runner->estimatedTrialBytes(), effectiveParallelism(m_spec), util::availableMemoryBytes());
    RunRecorder recorder(m_store, m_spec);
    tuning::TuningLoop loop(m_spec, effectiveParallelism(m_spec), m_runner->intermediateMetric(),
                            m_runner->intermediateLowerIsBetter());
    // Warm start: earlier experiments' finished trials inform the strategy (they are not counted here), when
    // they measured the same thing on the same data (or the spec asks for transfer learning).
    const std::optional<store::ExperimentRecord> existing
        = resume ? m_store.experimentByName(m_spec.name) : std::nullopt;
    const WarmStart warm
        = warmStartTrials(m_store, m_spec, recordedSha256(m_store, existing ? existing->datasetId : m_datasetId));
    for (const auto& [config, objective] : warm.trials)
        loop.addWarmStart(config, objective);
    if (resume)
        loop.restore(recordedTrials(recorder.resume(), m_store, m_spec));
    else
        recorder.create(m_datasetId);

    TuningProgress progress;
    progress.maxTrials = m_spec.completion.maxTrials;
    std::vector<std::string> warnings = m_runner->warnings();
    if (!memoryWarning.empty())
        warnings.insert(warnings.begin(), memoryWarning);
    warnings.insert(warnings.end(), warm.notes.begin(), warm.notes.end());
    if (!resume) // a resume's spec is the stored native one: these were recorded when it started
        warnings.insert(warnings.end(), m_spec.importNotes.begin(), m_spec.importNotes.end());
    for (const std::string& warning : warnings) {
        recorder.warn(warning);
        progress.warnings.push_back(warning);
        progress.lastMessage = "warning: " + warning;
        if (m_progress)
            m_progress(progress);
    }

    const bool gpus = m_spec.resources && !m_spec.slurm; // on Slurm the cluster hands out devices
    TrialPool pool(m_runner, m_spec.threadsPerTrial, m_spec.trialTimeoutSeconds,
                   gpus ? m_spec.resources->machine.gpus : std::vector<int>{},
                   gpus ? m_spec.resources->trial.gpuCount : 0);
    // A script's checkpoints, and a paused trial's fits, beside the project: NAME.artifacts/EXPERIMENT/trial-N.
    if ((m_spec.command || tuning::isMultiFidelity(m_spec.strategy.kind)) && !m_spec.slurm)
        pool.setCheckpointRoot(checkpointRoot());
    for (;;) {
        steer(loop, pool, recorder);
        while (const auto launch = loop.next(elapsed())) {
            recorder.started(launch->number, launch->config);
            pool.launch(launch->number, launch->config);
        }
        for (int number : loop.takeCancellations())
            pool.cancel(number);
        publish(recorder.commit());
        if (loop.isDone())
            break;
        pool.enforceTimeLimits();
        const std::vector<TrialEvent> events = pool.wait(kEventWait);
        if (events.empty()) {
            loop.onIdle(elapsed());
            continue;
        }
        for (const TrialEvent& event : events)
            handle(event, loop, pool, recorder, progress);
        publish(recorder.commit());
        loop.afterEvents(elapsed());
        report(progress, loop, pool, elapsed());
    }

    TuningSummary summary;
    summary.experiment = m_spec.name;
    summary.stoppedBecause = loop.stoppedBecause();
    summary.trials = static_cast<int>(loop.history().size());
    if (const auto best = loop.best()) {
        summary.bestTrial = best->first;
        const tuning::TrialConfig config
            = m_spec.configFor(loop.history()[static_cast<std::size_t>(best->first - 1)].params);
        summary.bestAlgorithm = config.algorithm;
        summary.bestParams = config.params;
        if (const tuning::SuccessiveHalving* ladder = loop.ladder()) // at the budget it reached
            if (const auto rung = ladder->highestReached(best->first))
                summary.bestParams[m_spec.resource] = ladder->budgets()[*rung];
        summary.bestObjective = best->second;
    }
    // A training job (nothing to tune) keeps the model a user ships: its configuration fitted on every row (Cancel
    // stops that fit too; the job's trial stands, without a model).
    const auto* builtin = dynamic_cast<const BuiltinTrialRunner*>(m_runner.get());
    if (summary.stoppedBecause == "nothing_to_tune" && summary.bestTrial && builtin && !m_cancelRequested) {
        try {
            summary.modelPath = recorder.keepModel(
                *summary.bestTrial,
                builtin->trainModel({summary.bestAlgorithm, summary.bestParams},
                                    algorithms::TrainingContext(m_finalFit, {}, std::max(1, m_spec.threadsPerTrial))));
        } catch (const util::Cancelled&) { }
    }
    if (loop.ladder())
        summary.budgetUsed = loop.ladder()->budgetUsed();
    if (m_spec.isMultiObjective())
        summary.pareto = loop.pareto();
    recorder.complete(summary.stoppedBecause);
    return summary;
}

void Tuner::steer(tuning::TuningLoop& loop, TrialPool& pool, RunRecorder& recorder)
{
    recorder.keepAlive();
    // Another process's window asks through the project; it is obeyed as this process's own user is.
    for (const store::RunRequest& asked : recorder.takeRequests()) {
        const std::optional<RunRequestKind> kind = requestKindFromString(asked.kind);
        if (kind == RunRequestKind::Stop)
            stop();
        else if (kind == RunRequestKind::Cancel)
            cancel();
        else if (kind && asked.trialNumber)
            request(*asked.trialNumber, kind == RunRequestKind::RestartTrial);
    }
    if (m_cancelRequested) {
        for (int number : loop.cancel())
            pool.cancel(number);
    }
    if (m_stopRequested)
        loop.stop();
    for (const auto& [number, restart] : takeRequests()) {
        if (loop.request(number, restart))
            pool.cancel(number);
    }
    for (int number : loop.takeRestarted())
        restarted(number, recorder);
}

std::string Tuner::checkpointRoot() const
{
    return (std::filesystem::path(m_store.artifactsDirectory()) / m_spec.name).string();
}

void Tuner::restarted(int number, RunRecorder& recorder)
{
    recorder.restarted(number);
    // Started again by the user: from nothing, not from where it paused.
    if (tuning::isMultiFidelity(m_spec.strategy.kind)) {
        std::error_code ignored;
        std::filesystem::remove_all(
            std::filesystem::path(checkpointRoot()) / ("trial-" + std::to_string(number)) / "checkpoint", ignored);
    }
}

void Tuner::handle(const TrialEvent& event, tuning::TuningLoop& loop, TrialPool& pool, RunRecorder& recorder,
                   TuningProgress& progress)
{
    if (event.kind == TrialEvent::Kind::Point) {
        recorder.point(event.number, event.point);
        if (loop.onPoint(event.number, event.point.name, static_cast<int>(event.point.step), event.point.value))
            pool.cancel(event.number);
        return;
    }
    tuning::Measurement measured;
    if (event.kind == TrialEvent::Kind::Finished)
        measured
            = measurementOf(m_spec, metricSummaries(event.result), event.result.fitSeconds, event.result.objective);
    const tuning::TuningLoop::Outcome outcome
        = loop.onEnded(event.number, endingOf(event.kind), measured, event.error, event.timedOut);
    if (outcome.runsAgain()) {
        restarted(event.number, recorder);
        return;
    }
    recorder.ended(outcome, event);
    const std::string trial = "trial " + std::to_string(event.number);
    if (outcome.budget) // the objective at each budget: the rungs' chart, and what a resume ranks paused trials by
        recorder.point(event.number,
                       {budgetSeries(m_spec), *outcome.budget, event.result.objective,
                        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()});
    if (outcome.state == TrialState::Finished)
        progress.lastMessage = trial + " finished: " + algorithms::formatValue(event.result.objective)
            + (outcome.violation.empty() ? std::string() : " (infeasible: " + outcome.violation + ")");
    else if (outcome.state == TrialState::Paused)
        progress.lastMessage = trial + " paused at " + std::to_string(*outcome.budget) + ": "
            + algorithms::formatValue(event.result.objective);
    else
        progress.lastMessage
            = trial + (outcome.state == TrialState::Failed ? " failed: " : " stopped: ") + outcome.reason;
}

void Tuner::report(TuningProgress& progress, const tuning::TuningLoop& loop, const TrialPool& pool, double elapsed)
{
    const std::size_t running = pool.size();
    progress.gpusInUse = pool.gpusInUse();
    progress.gpus = m_spec.resources && !m_spec.slurm ? static_cast<int>(m_spec.resources->machine.gpus.size()) : 0;
    if (!m_progress)
        return;
    progress.created = static_cast<int>(loop.history().size());
    progress.finished = progress.failed = progress.stopped = progress.paused = 0;
    for (const tuning::TrialView& view : loop.history()) {
        progress.finished += view.state == TrialState::Finished;
        progress.failed += view.state == TrialState::Failed;
        progress.stopped += view.state == TrialState::Stopped;
        progress.paused += view.state == TrialState::Paused;
    }
    progress.running = static_cast<int>(running);
    if (const auto best = loop.best()) {
        progress.bestTrial = best->first;
        progress.bestObjective = best->second;
    }
    if (m_spec.isMultiObjective())
        progress.frontSize = static_cast<int>(loop.pareto().size());
    progress.elapsedSeconds = elapsed;
    m_progress(progress);
}

void Tuner::publish(TuningUpdate update)
{
    if (m_update && !update.empty())
        m_update(std::move(update));
}

} // namespace tunebench::jobs
