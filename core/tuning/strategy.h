#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tuning/searchspace.h"
#include "util/states.h"

namespace tunebench::tuning {

using tunebench::TrialState; // a strategy sees Running for a trial suggested and not ended yet

/// What a strategy knows of one trial. `loss` is the (first) objective oriented so that lower is better
/// (a maximised metric is negated); it is set for finished trials only. With several objectives `losses` holds
/// each, oriented the same way (`loss` is the first); with constraints `slacks` holds how far the trial is from
/// meeting each (<= 0: met).
struct TrialView
{
    TrialView() = default;
    TrialView(int number, Params params, TrialState state, std::optional<double> loss)
        : number(number)
        , params(std::move(params))
        , state(state)
        , loss(loss)
    { }

    int number = 0;
    Params params;
    TrialState state = TrialState::Running;
    std::optional<double> loss;
    std::vector<double> losses;
    std::vector<double> slacks;

    /// Every constraint met (a trial without constraints is feasible).
    [[nodiscard]] bool feasible() const;
    /// The sum of the constraints' unmet amounts: 0 when feasible.
    [[nodiscard]] double violation() const;
    /// Its objectives as a point (lower is better in each): `losses`, or the one `loss`.
    [[nodiscard]] std::vector<double> point() const;
};

struct Suggestion
{
    enum class Kind
    {
        Params, ///< run `params`
        Exhausted, ///< the strategy has nothing left to try (a grid that is done)
    };
    Kind kind = Kind::Params;
    Params params;
};

enum class StrategyKind
{
    Grid,
    Random,
    Sobol,
    Bayesian,
    Tpe,
    Hyperband, ///< random configurations, stopped early by Hyperband's brackets
    Asha, ///< random configurations that pause at rungs and continue when promoted (SuccessiveHalving)
    Bohb, ///< as Asha, new configurations from TPE fitted on the largest budget with enough results
    Nsga2, ///< NSGA-II: generations bred from the best by non-dominated rank and crowding (several objectives)
};

/// Trials pause at budgets and continue when promoted (asha, bohb).
[[nodiscard]] constexpr bool isMultiFidelity(StrategyKind kind)
{
    return kind == StrategyKind::Asha || kind == StrategyKind::Bohb;
}

[[nodiscard]] std::string_view toString(StrategyKind kind);
[[nodiscard]] std::optional<StrategyKind> strategyFromString(std::string_view text);

struct StrategyOptions
{
    StrategyKind kind = StrategyKind::Bayesian;
    std::uint64_t seed = 0;
    int gridResolution = 5; ///< points per continuous range (integer ranges with fewer values take all)
    std::size_t gridLimit = 1'000'000;
    int startupTrials = 0; ///< bayesian and tpe: space-filling trials before the model; 0 picks by dimension
    /// tpe: the good trials are the best 15 % and at least d + 1 of them (BOHB's split) rather than the best 10 %
    /// and at least one (Optuna's), for densities fitted on few trials.
    bool bohbSplit = false;
    int populationSize = 0; ///< nsga2: trials per generation; 0 picks by dimension
};

/// Proposes the next trial's parameters from the history. Deterministic: the same options, history and
/// trial number give the same suggestion. Not thread-safe: the tuner calls it from one thread.
class Strategy
{
public:
    virtual ~Strategy() = default;
    /// `history` holds every trial created so far (running ones included); `number` is the 1-based number
    /// of the trial being created.
    [[nodiscard]] virtual Suggestion suggest(const std::vector<TrialView>& history, int number) = 0;
};

[[nodiscard]] std::unique_ptr<Strategy> makeStrategy(const SearchSpace& space, const StrategyOptions& options);

/// A stream of seeds: the `index`th value derived from `seed` (splitmix64), so that trial n's random
/// draws do not depend on how many draws earlier trials made.
[[nodiscard]] std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t index);

} // namespace tunebench::tuning
