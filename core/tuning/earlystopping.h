#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tuning/strategy.h"

namespace tunebench::tuning {

/// The intermediate objective a trial has reported so far, oriented so that lower is better.
struct IntermediateSeries
{
    TrialState state = TrialState::Running;
    std::map<int, double> values; ///< step -> value
    /// Several objectives: step -> every objective's value at that step (lower is better in each), for the steps at
    /// which all of them were reported. The stoppers then rank trials by non-dominated rank instead of by value.
    std::map<int, std::vector<double>> points;
};

/// Intermediate series of every trial of an experiment, by trial number.
using IntermediateTable = std::map<int, IntermediateSeries>;

/// Decides whether a running trial should stop after it reported `step`. Pure: the answer depends on
/// the table only (and the seed a stopper was made with).
class EarlyStopper
{
public:
    virtual ~EarlyStopper() = default;
    /// A reason ("below the median ...") when trial `number` should stop now, else nothing.
    [[nodiscard]] virtual std::optional<std::string> check(const IntermediateTable& table, int number,
                                                           int step) const = 0;
};

/// The median stopping rule (Golovin et al., Google Vizier, KDD 2017), as SageMaker's `Auto` early
/// stopping: a trial stops at step s when its best value up to s is worse than the median of the running
/// averages up to s of the finished trials that reached s. Needs `minTrials` such trials and s >= minStep.
/// Several objectives (the series' `points`): the trial's values at s are ranked (non-dominated sorting) among the
/// finished trials' values at s; it stops when its rank is worse than the median of theirs, and never while it is
/// on the front at s.
[[nodiscard]] std::unique_ptr<EarlyStopper> makeMedianStopper(int minTrials = 5, int minStep = 1);

struct HyperbandOptions
{
    double minResource = 1; ///< steps of the smallest rung
    double maxResource = 81; ///< steps a trial runs when never stopped (epochs, rounds, trees)
    int eta = 3; ///< the reduction factor
    std::uint64_t seed = 0;
    int brackets = 0; ///< asha and bohb: Hyperband's brackets that run, the most aggressive first; 0: all
};

/// One bracket of Hyperband (Li et al., JMLR 2018, Algorithm 1): rung i starts `trials` configurations
/// and runs each for `resource`.
struct HyperbandBracket
{
    struct Rung
    {
        int trials = 0;
        double resource = 0;
    };
    int s = 0;
    std::vector<Rung> rungs;
};

/// The brackets s = s_max .. 0 for R = max/min resource and eta, with resources in steps.
[[nodiscard]] std::vector<HyperbandBracket> hyperbandBrackets(const HyperbandOptions& options);

/// Hyperband run asynchronously (as ASHA and Optuna's HyperbandPruner do): each trial is assigned a
/// bracket (drawn with the bracket's share of trials), and at each rung of its bracket it continues only
/// when its value is among the best 1/eta of the bracket's trials that reached that rung. Several objectives: the
/// best by non-dominated rank, then crowding distance (NSGA-II's order); a trial on the rung's front always continues.
[[nodiscard]] std::unique_ptr<EarlyStopper> makeHyperbandStopper(const HyperbandOptions& options);
/// The bracket (index into hyperbandBrackets()) the Hyperband stopper assigns to trial `number`.
[[nodiscard]] std::size_t hyperbandBracketOf(const HyperbandOptions& options, int number);

} // namespace tunebench::tuning
