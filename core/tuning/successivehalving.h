#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "tuning/earlystopping.h"

namespace tunebench::tuning {

/// The rungs of asynchronous successive halving (ASHA: Li et al., MLSys 2020) with Hyperband's brackets on top,
/// for trials that pause at a rung and continue when promoted. Pure bookkeeping: which budget each rung is, which
/// trial stands where, and which paused trial deserves a promotion now. The loss is oriented lower-is-better.
///
/// The rungs are the budgets of Hyperband's most aggressive bracket (max_resource * eta^-s ... max_resource,
/// rounded to whole steps); bracket b starts its trials at rung b. A trial paused at rung k is promoted when it is
/// among the best floor(n / eta) of the n trials of its bracket that reached rung k. Once no new trial will start
/// (`searchOver`), the best paused trial of each rung is promoted even among fewer than eta, so that a finite
/// budget still ends with trials at the largest budget.
class SuccessiveHalving
{
public:
    /// `brackets`: how many of Hyperband's brackets run, the most aggressive first (1: ASHA's single bracket, which
    /// starts every trial at the smallest budget); 0: all of them.
    SuccessiveHalving(const HyperbandOptions& options, int brackets);

    /// The budget of each rung, increasing; the last is max_resource.
    [[nodiscard]] const std::vector<std::int64_t>& budgets() const { return m_budgets; }
    [[nodiscard]] std::size_t topRung() const { return m_budgets.size() - 1; }
    /// The rung whose budget is `budget`, if one is.
    [[nodiscard]] std::optional<std::size_t> rungOf(std::int64_t budget) const;
    [[nodiscard]] std::size_t bracketCount() const { return m_weights.size(); }

    /// Trial `number` starts (or runs again) towards `rung`; a new trial's rung is its bracket's first, startRung().
    void start(int number, std::size_t rung);
    [[nodiscard]] std::size_t startRung(int number) const;
    /// Trial `number` reached `rung` with `loss`: it pauses there (or, at the top rung, is done).
    void reached(int number, std::size_t rung, double loss);
    /// Trial `number` failed or was stopped: it leaves the ladder; what it reached before still counts.
    void leave(int number);
    /// Trial `number` starts again from nothing (the user restarted it).
    void forget(int number);

    struct Promotion
    {
        int number = 0;
        std::size_t rung = 0; ///< the rung it now runs to
    };
    /// The paused trial to continue now, if one deserves it: the highest rung first, the lowest loss first.
    [[nodiscard]] std::optional<Promotion> promotion(bool searchOver) const;

    /// The rung trial `number` runs to (or last ran to), and the highest rung it reached, if any.
    [[nodiscard]] std::optional<std::size_t> target(int number) const;
    [[nodiscard]] std::optional<std::size_t> highestReached(int number) const;
    /// Every trial's loss at `rung`, by trial number.
    [[nodiscard]] std::map<int, double> results(std::size_t rung) const;
    /// The sum over trials of the budget each reached (a continued trial trains only the difference).
    [[nodiscard]] std::int64_t budgetUsed() const;

private:
    struct Member
    {
        std::size_t bracket = 0;
        std::size_t target = 0;
        bool running = false;
        bool left = false;
        std::map<std::size_t, double> losses; ///< by rung
    };
    [[nodiscard]] std::size_t bracketOf(int number) const;
    Member& member(int number); ///< created in its bracket when new

    std::vector<std::int64_t> m_budgets;
    std::vector<double> m_weights; ///< each bracket's share of new trials (its first rung's configurations)
    int m_eta = 3;
    std::uint64_t m_seed = 0;
    std::map<int, Member> m_members;
};

} // namespace tunebench::tuning
