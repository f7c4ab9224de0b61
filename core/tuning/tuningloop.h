#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tuning/completion.h"
#include "tuning/earlystopping.h"
#include "tuning/experimentspec.h"
#include "tuning/strategy.h"
#include "tuning/successivehalving.h"

namespace tunebench::tuning {

/// What a finished trial measured: each objective in its metric's own orientation (the spec's order) and each
/// constraint's metric (NaN: not measured, which breaks the constraint).
struct Measurement
{
    std::vector<double> objectives;
    std::vector<double> constraints;
};

/// Sets a trial's losses (each objective oriented lower-is-better) and constraint slacks from what it measured.
void setMeasured(TrialView& trial, const ExperimentSpec& spec, const Measurement& measured);
/// The numbers of the finished, feasible trials no other such trial dominates, in history order.
[[nodiscard]] std::vector<int> paretoOf(const std::vector<TrialView>& trials);

/// The decisions of a tuning run, and nothing else: which trial to start next (a rerun or the strategy's
/// suggestion), which running trial early stopping ends, what a trial that ended is recorded as, and when the
/// experiment is complete and why. No threads, no clock, no SQL: the caller runs trials and reports what
/// happens (onPoint, onEnded, elapsed seconds), so the loop can be driven by a scripted sequence of events.
class TuningLoop
{
public:
    /// `intermediateMetric` is the series that feeds early stopping (lower is better when `intermediateLower`);
    /// at most `parallel` trials run at once.
    TuningLoop(const ExperimentSpec& spec, int parallel, std::string intermediateMetric, bool intermediateLower);
    ~TuningLoop();
    TuningLoop(const TuningLoop&) = delete;
    TuningLoop& operator=(const TuningLoop&) = delete;

    /// A trial of the experiment as recorded before this run (resume).
    struct Recorded
    {
        int number = 0;
        TrialConfig config;
        TrialState state = TrialState::Running;
        std::optional<double> objective;
        /// Multi-fidelity: the objective at each rung's budget it reached (the "budget/METRIC" series).
        std::map<std::int64_t, double> budgetObjectives;
        /// Several objectives or constraints: all it measured (empty: `objective` alone).
        Measurement measured;
    };
    /// Takes the experiment's recorded trials; the ones still Running were interrupted and run again first (a
    /// multi-fidelity trial continues from the last budget it reached).
    void restore(const std::vector<Recorded>& trials);
    /// An earlier experiment's finished trial: the strategy sees it, the completion criteria do not count it.
    void addWarmStart(const TrialConfig& config, double objective);
    void addWarmStart(const TrialConfig& config, const Measurement& measured);

    struct Launch
    {
        int number = 0;
        TrialConfig config; ///< multi-fidelity: with the budget to run to and the one it continues from
    };
    /// The trial to start now, or nothing: no room (`parallel` running), nothing to rerun and the search is over.
    /// Multi-fidelity: a paused trial that deserves a promotion continues before a new trial starts, and paused
    /// trials still climb once the trial budget is spent (see SuccessiveHalving).
    [[nodiscard]] std::optional<Launch> next(double elapsedSeconds);

    /// A metric point of running trial `number`. True when early stopping ends the trial now (cancel it).
    [[nodiscard]] bool onPoint(int number, const std::string& metric, int step, double value);

    enum class Ending
    {
        Finished,
        Failed,
        Cancelled,
    };
    /// What a trial that ended is: its state (Running when it runs again from the start; Paused when it reached a
    /// rung's budget below the largest), the reason it failed or stopped, and the step early stopping ended it at.
    struct Outcome
    {
        TrialState state = TrialState::Finished;
        std::string reason;
        std::optional<int> stoppedAtStep;
        std::optional<std::int64_t> budget; ///< multi-fidelity: the budget it reached, when it finished one
        /// Finished, but breaking a constraint: which and by how much ("recall_macro 0.85 < 0.9").
        std::string violation;
        [[nodiscard]] bool runsAgain() const { return state == TrialState::Running; }
    };
    /// Trial `number` ended: `objective` when it finished, `error` when it failed, `timedOut` when it was
    /// cancelled for passing its time limit.
    Outcome onEnded(int number, Ending ending, std::optional<double> objective = std::nullopt,
                    const std::string& error = {}, bool timedOut = false);
    /// As above, with every objective and constraint it measured.
    Outcome onEnded(int number, Ending ending, const Measurement& measured, const std::string& error = {},
                    bool timedOut = false);

    /// The user stops the experiment: running trials finish, none starts.
    void stop();
    /// The user cancels the experiment. The running trials to cancel now (all of them, the first time).
    [[nodiscard]] std::vector<int> cancel();
    /// The user stops (restart false) or restarts a trial. True when the trial runs now and must be cancelled;
    /// a failed or stopped trial that is restarted is queued again (takeRestarted() names it).
    [[nodiscard]] bool request(int number, bool restart);
    /// Trials queued again whose recorded points must go, since the last call.
    [[nodiscard]] std::vector<int> takeRestarted();
    /// Running trials to cancel now because the time budget ran out (each once).
    [[nodiscard]] std::vector<int> takeCancellations();
    /// After a batch of events: completion criteria other than the trial budget.
    void afterEvents(double elapsedSeconds);
    /// When nothing happened for a while: the time budget.
    void onIdle(double elapsedSeconds);

    /// Nothing runs and nothing is left to run.
    [[nodiscard]] bool isDone() const;
    [[nodiscard]] int runningCount() const { return static_cast<int>(m_running.size()); }
    [[nodiscard]] const std::vector<TrialView>& history() const { return m_history; }
    /// Why it stopped asking for trials ("max_trials" when nothing else said so).
    [[nodiscard]] std::string stoppedBecause() const { return m_stoppedBecause.value_or("max_trials"); }
    /// The best finished (or paused) feasible trial, its objective in the metric's own orientation; nothing with
    /// several objectives (see pareto()).
    [[nodiscard]] std::optional<std::pair<int, double>> best() const;
    /// The numbers of the finished, feasible trials no other such trial dominates (one objective: the best, and
    /// any tied with it).
    [[nodiscard]] std::vector<int> pareto() const { return paretoOf(m_history); }
    /// Multi-fidelity: the rungs, and where each trial stands; nullptr for other strategies.
    [[nodiscard]] const SuccessiveHalving* ladder() const { return m_ladder.get(); }
    [[nodiscard]] double objectiveOf(double loss) const { return m_maximize ? -loss : loss; }

private:
    struct Running
    {
        std::optional<std::string> stopReason; ///< early stopping or the user
        std::optional<int> stopStep;
        bool restart = false;
    };
    [[nodiscard]] bool halted() const;
    [[nodiscard]] double lossOf(double objective) const { return m_maximize ? -objective : objective; }
    /// The constraints `measured` breaks, as text; empty when it meets them all.
    [[nodiscard]] std::string violations(const Measurement& measured) const;
    TrialView& view(int number) { return m_history[static_cast<std::size_t>(number - 1)]; }
    Launch start(int number, const Params& joint, std::optional<std::size_t> rung = std::nullopt);
    [[nodiscard]] std::optional<Launch> promote(bool searchOver);
    /// `feasible`: whether the trial met the constraints at the last budget it reached.
    void restoreRungs(const Recorded& trial, TrialState state, bool feasible);
    [[nodiscard]] Suggestion suggestNew(const std::vector<TrialView>& known, int number);

    const ExperimentSpec& m_spec;
    SearchSpace m_space;
    std::unique_ptr<Strategy> m_strategy;
    std::unique_ptr<SuccessiveHalving> m_ladder; ///< asha, bohb
    std::unique_ptr<Strategy> m_budgetModel; ///< bohb: TPE on one budget's results
    std::vector<std::unique_ptr<EarlyStopper>> m_stoppers;
    int m_parallel;
    std::string m_intermediate;
    bool m_intermediateLower;
    bool m_maximize;
    std::vector<TrialView> m_history; ///< this experiment's trials, index = number - 1
    std::vector<TrialView> m_warm;
    std::deque<int> m_rerun;
    std::vector<int> m_restarted;
    IntermediateTable m_intermediates;
    std::map<int, std::map<int, std::vector<double>>> m_pendingPoints; ///< several objectives: trial -> step -> values
    std::map<int, Running> m_running;
    std::optional<std::string> m_stoppedBecause;
    bool m_cancelling = false;
};

} // namespace tunebench::tuning
