#include "tuning/tuningloop.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "algorithms/params.h"
#include "tuning/pareto.h"
#include "tuning/strategies_p.h"
#include "util/random.h"

namespace tunebench::tuning {

void setMeasured(TrialView& trial, const ExperimentSpec& spec, const Measurement& measured)
{
    trial.losses.clear();
    for (std::size_t i = 0; i < measured.objectives.size(); ++i) {
        // The first objective is the spec's metric and goal.
        const bool maximize = i == 0 || i >= spec.objectives.size() ? spec.maximize : spec.objectives[i].maximize;
        trial.losses.push_back(maximize ? -measured.objectives[i] : measured.objectives[i]);
    }
    trial.loss = trial.losses.empty() ? std::nullopt : std::optional(trial.losses.front());
    if (!spec.isMultiObjective())
        trial.losses.clear(); // one objective: `loss` says it all
    trial.slacks.clear();
    for (std::size_t i = 0; i < spec.constraints.size(); ++i)
        trial.slacks.push_back(
            spec.constraints[i].slack(i < measured.constraints.size() ? measured.constraints[i] : std::nan("")));
}

std::vector<int> paretoOf(const std::vector<TrialView>& trials)
{
    std::vector<const TrialView*> finished;
    std::vector<Point> points;
    for (const TrialView& trial : trials) {
        if (trial.state == TrialState::Finished && trial.loss && trial.feasible()) {
            finished.push_back(&trial);
            points.push_back(trial.point());
        }
    }
    std::vector<int> numbers;
    for (std::size_t i : paretoFront(points))
        numbers.push_back(finished[i]->number);
    return numbers;
}

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
    if (isMultiFidelity(spec.strategy.kind) && spec.hyperband) {
        m_ladder = std::make_unique<SuccessiveHalving>(*spec.hyperband, spec.hyperband->brackets);
        if (spec.strategy.kind == StrategyKind::Bohb) {
            StrategyOptions tpe = spec.strategy;
            tpe.kind = StrategyKind::Tpe;
            tpe.startupTrials = 1; // the model starts once a budget holds enough results (suggestNew)
            tpe.bohbSplit = true;
            m_budgetModel = makeStrategy(m_space, tpe);
        }
    } else if (spec.hyperband) {
        m_stoppers.push_back(makeHyperbandStopper(*spec.hyperband));
    }
}

TuningLoop::~TuningLoop() = default;

void TuningLoop::restore(const std::vector<Recorded>& trials)
{
    for (const Recorded& trial : trials) {
        TrialView recorded{trial.number, m_spec.jointOf(trial.config), trial.state, std::nullopt};
        if (recorded.state == TrialState::Queued)
            recorded.state = TrialState::Running;
        if (hasResult(recorded.state) && !trial.measured.objectives.empty())
            setMeasured(recorded, m_spec, trial.measured);
        else if (hasResult(recorded.state) && trial.objective)
            setMeasured(recorded, m_spec, {{*trial.objective}, {}});
        if (recorded.state == TrialState::Running)
            m_rerun.push_back(trial.number); // interrupted: it runs again with the same parameters
        if (m_ladder)
            restoreRungs(trial, recorded.state, recorded.feasible());
        m_history.resize(std::max<std::size_t>(m_history.size(), static_cast<std::size_t>(trial.number)));
        view(trial.number) = std::move(recorded);
    }
    for (const TrialView& recorded : m_history)
        m_intermediates[recorded.number].state = recorded.state;
}

void TuningLoop::restoreRungs(const Recorded& trial, TrialState state, bool feasible)
{
    for (const auto& [budget, objective] : trial.budgetObjectives) {
        if (const auto rung = m_ladder->rungOf(budget))
            m_ladder->reached(trial.number, *rung, lossOf(objective));
    }
    // The budget it was given, as the project recorded it (a command's parameters may come back as text).
    std::optional<std::size_t> rung;
    if (const auto budget = trial.config.params.find(m_spec.resource); budget != trial.config.params.end()) {
        const ParamValue& value = budget->second;
        if (const auto* text = std::get_if<std::string>(&value))
            rung = m_ladder->rungOf(std::atoll(text->c_str()));
        else if (!std::holds_alternative<bool>(value))
            rung = m_ladder->rungOf(algorithms::asInt(trial.config.params, m_spec.resource));
    }
    if (state == TrialState::Running && rung)
        m_ladder->start(trial.number, *rung); // interrupted on its way to this rung: it continues from the last one
    else if (state == TrialState::Paused && rung && trial.objective)
        m_ladder->reached(trial.number, *rung, feasible ? lossOf(*trial.objective) : INFINITY);
    else if (state == TrialState::Failed || state == TrialState::Stopped)
        m_ladder->leave(trial.number);
}

void TuningLoop::addWarmStart(const TrialConfig& config, double objective)
{
    addWarmStart(config, {{objective}, {}});
}

void TuningLoop::addWarmStart(const TrialConfig& config, const Measurement& measured)
{
    TrialView warm(-static_cast<int>(m_warm.size()) - 1, m_spec.jointOf(config), TrialState::Finished, std::nullopt);
    setMeasured(warm, m_spec, measured);
    m_warm.push_back(std::move(warm));
}

std::string TuningLoop::violations(const Measurement& measured) const
{
    std::string text;
    for (std::size_t i = 0; i < m_spec.constraints.size(); ++i) {
        const Constraint& constraint = m_spec.constraints[i];
        const double value = i < measured.constraints.size() ? measured.constraints[i] : std::nan("");
        if (constraint.slack(value) <= 0)
            continue;
        text += (text.empty() ? "" : ", ") + constraint.metric + " "
            + (std::isnan(value) ? std::string("not measured")
                                 : algorithms::formatValue(value) + (constraint.atLeast ? " < " : " > ")
                       + algorithms::formatValue(constraint.bound));
    }
    return text;
}

bool TuningLoop::halted() const
{
    return m_cancelling || m_stoppedBecause == kStoppedByUser;
}

TuningLoop::Launch TuningLoop::start(int number, const Params& joint, std::optional<std::size_t> rung)
{
    m_running[number] = {};
    m_intermediates[number] = {};
    m_pendingPoints.erase(number); // a trial run again reports every objective afresh
    TrialConfig config = m_spec.configFor(joint);
    if (m_ladder) {
        // To its rung's budget (a new trial: its bracket's first; an interrupted one: where it was going),
        // continuing from the last budget it reached.
        const std::size_t to = rung.value_or(m_ladder->target(number).value_or(m_ladder->startRung(number)));
        m_ladder->start(number, to);
        config.budget = m_ladder->budgets()[to];
        config.params[m_spec.resource] = *config.budget;
        const std::optional<std::size_t> reached = m_ladder->highestReached(number);
        config.resumedFrom = reached && *reached < to ? m_ladder->budgets()[*reached] : 0;
    }
    return {number, std::move(config)};
}

std::optional<TuningLoop::Launch> TuningLoop::promote(bool searchOver)
{
    if (!m_ladder)
        return std::nullopt;
    const std::optional<SuccessiveHalving::Promotion> promotion = m_ladder->promotion(searchOver);
    if (!promotion)
        return std::nullopt;
    TrialView& trial = view(promotion->number);
    trial.state = TrialState::Running; // its loss at the rung it paused at stays known (best())
    return start(promotion->number, trial.params, promotion->rung);
}

Suggestion TuningLoop::suggestNew(const std::vector<TrialView>& known, int number)
{
    if (!m_budgetModel)
        return m_strategy->suggest(known, number);
    // BOHB (Falkner et al., ICML 2018): TPE fitted on the results of the largest budget that holds enough of them,
    // and a third of the new configurations drawn at random. Enough: BOHB's d + 3, and at least as many as TPE
    // itself runs before its model (its good tenth is otherwise one point, and the densities only push away from
    // the rest).
    const auto needed = static_cast<std::size_t>(
        std::max(static_cast<int>(m_space.size()) + 3, detail::startupTrialCount(m_space, 0)));
    util::Random coin(deriveSeed(m_spec.strategy.seed ^ 0x424F4842ULL, static_cast<std::uint64_t>(number)));
    if (coin.uniform() < 1.0 / 3.0)
        return m_strategy->suggest(known, number);
    for (std::size_t rung = m_ladder->topRung() + 1; rung-- > 0;) {
        const std::map<int, double> results = m_ladder->results(rung);
        if (results.size() < needed)
            continue;
        std::vector<TrialView> atBudget;
        for (const auto& [other, loss] : results)
            atBudget.push_back({other, view(other).params, TrialState::Finished, loss});
        for (const auto& [other, running] : m_running) // as TPE counts running trials: as bad ones
            atBudget.push_back({other, view(other).params, TrialState::Running, std::nullopt});
        return m_budgetModel->suggest(atBudget, number);
    }
    return m_strategy->suggest(known, number);
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
    // The search may be over because its trials are all started (or the grid is done): paused trials still climb.
    auto searchOver = [this] { return m_stoppedBecause == "max_trials" || m_stoppedBecause == "grid_exhausted"; };
    if (m_stoppedBecause)
        return searchOver() ? promote(true) : std::nullopt;
    const int created = static_cast<int>(m_history.size());
    if (auto reason = completionReason(m_spec.completion, m_history, created, elapsedSeconds, m_space.size())) {
        m_stoppedBecause = std::move(reason);
        return searchOver() ? promote(true) : std::nullopt;
    }
    if (auto promoted = promote(false))
        return promoted;
    if (m_space.size() == 0 && created >= 1) {
        // Nothing to tune: the one trial is the training job; another would fit the same configuration again.
        m_stoppedBecause = "nothing_to_tune";
        return std::nullopt;
    }
    std::vector<TrialView> known = m_warm;
    known.insert(known.end(), m_history.begin(), m_history.end());
    const int number = created + 1;
    Suggestion suggestion = suggestNew(known, number);
    if (suggestion.kind == Suggestion::Kind::Exhausted) {
        m_stoppedBecause = "grid_exhausted";
        return promote(true);
    }
    m_history.push_back({number, suggestion.params, TrialState::Running, std::nullopt});
    return start(number, m_history.back().params);
}

bool TuningLoop::onPoint(int number, const std::string& metric, int step, double value)
{
    const auto found = m_running.find(number);
    if (found == m_running.end() || found->second.stopReason || m_stoppers.empty())
        return false;
    if (m_spec.isMultiObjective()) {
        // Each objective's series (a script reports them all, step by step): ranked once a step has every one.
        const auto objective = std::find_if(m_spec.objectives.begin(), m_spec.objectives.end(),
                                            [&](const Objective& o) { return o.metric == metric; });
        if (objective == m_spec.objectives.end())
            return false;
        const auto k = static_cast<std::size_t>(objective - m_spec.objectives.begin());
        std::vector<double>& pending = m_pendingPoints[number][step];
        pending.resize(m_spec.objectives.size(), std::nan(""));
        pending[k] = (k == 0 ? m_spec.maximize : objective->maximize) ? -value : value;
        if (std::any_of(pending.begin(), pending.end(), [](double v) { return std::isnan(v); }))
            return false;
        m_intermediates[number].points[step] = pending;
        m_pendingPoints[number].erase(step);
    } else if (metric != m_intermediate)
        return false;
    else
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
    Measurement measured;
    if (objective)
        measured.objectives.push_back(*objective);
    return onEnded(number, ending, measured, error, timedOut);
}

TuningLoop::Outcome TuningLoop::onEnded(int number, Ending ending, const Measurement& measured,
                                        const std::string& error, bool timedOut)
{
    const auto found = m_running.find(number);
    if (found == m_running.end())
        return {TrialState::Stopped, "not running", std::nullopt, std::nullopt};
    const Running trial = found->second;
    m_running.erase(found);
    if (ending == Ending::Cancelled && trial.restart && !halted()) {
        m_rerun.push_front(number); // runs again from the start; it stays Running
        if (m_ladder) {
            m_ladder->forget(number);
            view(number).loss.reset();
        }
        return {TrialState::Running, {}, std::nullopt, std::nullopt};
    }
    Outcome outcome;
    TrialView& ended = view(number);
    // An objective it never measured (a script's output without it) fails the trial.
    std::string unmeasured;
    for (std::size_t i = 1; i < m_spec.objectives.size(); ++i) {
        if (i >= measured.objectives.size() || std::isnan(measured.objectives[i]))
            unmeasured += (unmeasured.empty() ? "" : ", ") + m_spec.objectives[i].metric;
    }
    if (ending == Ending::Finished && !measured.objectives.empty() && !unmeasured.empty()) {
        outcome.state = TrialState::Failed;
        outcome.reason = "the objective was not measured: " + unmeasured;
    } else if (ending == Ending::Finished && !measured.objectives.empty()) {
        outcome.state = TrialState::Finished;
        setMeasured(ended, m_spec, measured);
        outcome.violation = violations(measured);
        if (m_ladder) {
            const std::size_t rung = m_ladder->target(number).value_or(0);
            // A trial that breaks a constraint at its rung is never promoted (it ranks behind every feasible one).
            m_ladder->reached(number, rung, ended.feasible() ? *ended.loss : INFINITY);
            outcome.budget = m_ladder->budgets()[rung];
            if (rung < m_ladder->topRung())
                outcome.state = TrialState::Paused; // until a promotion continues it
        }
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
    if (m_ladder && outcome.state != TrialState::Finished && outcome.state != TrialState::Paused)
        m_ladder->leave(number);
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
    if (m_ladder)
        m_ladder->forget(number);
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
    if (m_spec.isMultiObjective())
        return std::nullopt;
    const TrialView* best = nullptr;
    for (const TrialView& trial : m_history) {
        if (!trial.feasible())
            continue;
        // A paused trial's result at its rung is a model's real score (and one a promotion is improving on).
        const bool known = hasResult(trial.state) || (trial.state == TrialState::Running && m_ladder);
        if (known && trial.loss && (!best || *trial.loss < *best->loss))
            best = &trial;
    }
    if (!best)
        return std::nullopt;
    return std::pair{best->number, objectiveOf(*best->loss)};
}

} // namespace tunebench::tuning
