#include "tuning/tuningloop.h"

#include <algorithm>

#include "algorithms/params.h"

namespace tunebench::tuning {

namespace {

constexpr auto kStoppedByUser = "stopped_by_user";
constexpr auto kMaxSeconds = "max_seconds";

} // namespace

TuningLoop::TuningLoop(const ExperimentSpec& spec, int parallel, std::string intermediateMetric, bool intermediateLower)
    : m_spec(spec)
    , m_space(spec.searchSpace())
    , m_strategy(makeStrategy(m_space, spec.strategy))
    , m_parallel(std::max(1, parallel))
    , m_intermediate(std::move(intermediateMetric))
    , m_intermediateLower(intermediateLower)
    , m_maximize(spec.maximize)
{
    if (spec.earlyStopping)
        m_stoppers.push_back(makeMedianStopper());
    if (spec.hyperband)
        m_stoppers.push_back(makeHyperbandStopper(*spec.hyperband));
}

TuningLoop::~TuningLoop() = default;

void TuningLoop::restore(const std::vector<Recorded>& trials)
{
    for (const Recorded& trial : trials) {
        TrialView recorded{trial.number, m_spec.jointOf(trial.config), trial.state, std::nullopt};
        if (recorded.state == TrialState::Queued)
            recorded.state = TrialState::Running;
        if (recorded.state == TrialState::Finished && trial.objective)
            recorded.loss = lossOf(*trial.objective);
        if (recorded.state == TrialState::Running)
            m_rerun.push_back(trial.number); // interrupted: it runs again with the same parameters
        m_history.resize(std::max<std::size_t>(m_history.size(), static_cast<std::size_t>(trial.number)));
        view(trial.number) = std::move(recorded);
    }
    for (const TrialView& recorded : m_history)
        m_intermediates[recorded.number].state = recorded.state;
}

void TuningLoop::addWarmStart(const TrialConfig& config, double objective)
{
    m_warm.push_back(
        {-static_cast<int>(m_warm.size()) - 1, m_spec.jointOf(config), TrialState::Finished, lossOf(objective)});
}

bool TuningLoop::halted() const
{
    return m_cancelling || m_stoppedBecause == kStoppedByUser;
}

TuningLoop::Launch TuningLoop::start(int number, const Params& joint)
{
    m_running[number] = {};
    m_intermediates[number] = {};
    return {number, m_spec.configFor(joint)};
}

std::optional<TuningLoop::Launch> TuningLoop::next(double elapsedSeconds)
{
    // Trials to run again (interrupted ones on resume, restarted ones) still run when the search itself has
    // ended (its budget is spent), but not when the user stopped or cancelled the experiment.
    if (halted() || runningCount() >= m_parallel)
        return std::nullopt;
    if (!m_rerun.empty()) {
        const int number = m_rerun.front();
        m_rerun.pop_front();
        return start(number, view(number).params);
    }
    if (m_stoppedBecause)
        return std::nullopt;
    const int created = static_cast<int>(m_history.size());
    if (auto reason = completionReason(m_spec.completion, m_history, created, elapsedSeconds, m_space.size())) {
        m_stoppedBecause = std::move(reason);
        return std::nullopt;
    }
    if (m_space.size() == 0 && created >= 1) {
        // Nothing to tune: the one trial is the training job; another would fit the same configuration again.
        m_stoppedBecause = "nothing_to_tune";
        return std::nullopt;
    }
    std::vector<TrialView> known = m_warm;
    known.insert(known.end(), m_history.begin(), m_history.end());
    const int number = created + 1;
    Suggestion suggestion = m_strategy->suggest(known, number);
    if (suggestion.kind == Suggestion::Kind::Exhausted) {
        m_stoppedBecause = "grid_exhausted";
        return std::nullopt;
    }
    m_history.push_back({number, suggestion.params, TrialState::Running, std::nullopt});
    return start(number, m_history.back().params);
}

bool TuningLoop::onPoint(int number, const std::string& metric, int step, double value)
{
    const auto found = m_running.find(number);
    if (found == m_running.end() || metric != m_intermediate || found->second.stopReason || m_stoppers.empty())
        return false;
    m_intermediates[number].values[step] = m_intermediateLower ? value : -value;
    for (const auto& stopper : m_stoppers) {
        if (auto reason = stopper->check(m_intermediates, number, step)) {
            found->second.stopReason = std::move(reason);
            found->second.stopStep = step;
            return true;
        }
    }
    return false;
}

TuningLoop::Outcome TuningLoop::onEnded(int number, Ending ending, std::optional<double> objective,
                                        const std::string& error, bool timedOut)
{
    const auto found = m_running.find(number);
    if (found == m_running.end())
        return {TrialState::Stopped, "not running", std::nullopt};
    const Running trial = found->second;
    m_running.erase(found);
    if (ending == Ending::Cancelled && trial.restart && !halted()) {
        m_rerun.push_front(number); // runs again from the start; it stays Running
        return {TrialState::Running, {}, std::nullopt};
    }
    Outcome outcome;
    TrialView& ended = view(number);
    if (ending == Ending::Finished && objective) {
        outcome.state = TrialState::Finished;
        ended.loss = lossOf(*objective);
    } else if (ending == Ending::Failed || timedOut) {
        outcome.state = TrialState::Failed;
        outcome.reason
            = timedOut ? "timed out after " + algorithms::formatValue(m_spec.trialTimeoutSeconds) + " s" : error;
    } else {
        outcome.state = TrialState::Stopped;
        outcome.reason = trial.stopReason
            ? *trial.stopReason
            : (m_stoppedBecause == kMaxSeconds ? "the experiment ran out of time" : "cancelled");
        outcome.stoppedAtStep = trial.stopStep;
    }
    ended.state = outcome.state;
    m_intermediates[number].state = outcome.state;
    return outcome;
}

void TuningLoop::stop()
{
    if (!m_stoppedBecause)
        m_stoppedBecause = kStoppedByUser;
}

std::vector<int> TuningLoop::cancel()
{
    if (m_cancelling)
        return {};
    m_cancelling = true;
    m_stoppedBecause = "cancelled";
    std::vector<int> numbers;
    for (const auto& [number, trial] : m_running)
        numbers.push_back(number);
    return numbers;
}

bool TuningLoop::request(int number, bool restart)
{
    if (const auto found = m_running.find(number); found != m_running.end()) {
        Running& trial = found->second;
        if (trial.stopReason || trial.restart)
            return false;
        if (restart)
            trial.restart = true;
        else
            trial.stopReason = "stopped by the user";
        return true;
    }
    const auto index = static_cast<std::size_t>(number - 1);
    if (!restart || halted() || number < 1 || index >= m_history.size()
        || (m_history[index].state != TrialState::Failed && m_history[index].state != TrialState::Stopped))
        return false;
    m_history[index].state = TrialState::Running;
    m_history[index].loss.reset();
    m_rerun.push_back(number);
    m_restarted.push_back(number);
    return false;
}

std::vector<int> TuningLoop::takeRestarted()
{
    return std::exchange(m_restarted, {});
}

std::vector<int> TuningLoop::takeCancellations()
{
    if (m_stoppedBecause != kMaxSeconds || m_cancelling)
        return {};
    m_cancelling = true;
    std::vector<int> numbers;
    for (const auto& [number, trial] : m_running)
        numbers.push_back(number);
    return numbers;
}

void TuningLoop::afterEvents(double elapsedSeconds)
{
    if (m_stoppedBecause)
        return;
    const int created = static_cast<int>(m_history.size());
    if (auto reason = completionReason(m_spec.completion, m_history, created, elapsedSeconds, m_space.size());
        reason && *reason != "max_trials")
        m_stoppedBecause = std::move(reason);
}

void TuningLoop::onIdle(double elapsedSeconds)
{
    if (m_spec.completion.maxSeconds && !m_stoppedBecause && elapsedSeconds >= *m_spec.completion.maxSeconds)
        m_stoppedBecause = kMaxSeconds;
}

bool TuningLoop::isDone() const
{
    return m_running.empty() && (m_stoppedBecause || m_rerun.empty());
}

std::optional<std::pair<int, double>> TuningLoop::best() const
{
    const TrialView* best = nullptr;
    for (const TrialView& trial : m_history) {
        if (trial.state == TrialState::Finished && trial.loss && (!best || *trial.loss < *best->loss))
            best = &trial;
    }
    if (!best)
        return std::nullopt;
    return std::pair{best->number, objectiveOf(*best->loss)};
}

} // namespace tunebench::tuning
