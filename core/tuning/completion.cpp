#include "tuning/completion.h"

#include <algorithm>
#include <cmath>

#include "tuning/pareto.h"

namespace tunebench::tuning {

std::optional<std::string> completionReason(const CompletionCriteria& criteria, const std::vector<TrialView>& trials,
                                            int created, double elapsedSeconds, std::size_t dimensions)
{
    std::vector<double> losses; // feasible finished trials (and paused ones, at their rung's budget), by number
    std::vector<const TrialView*> results; // all finished ones, feasible or not
    for (const TrialView& trial : trials) {
        if (hasResult(trial.state) && trial.loss && std::isfinite(*trial.loss)) {
            results.push_back(&trial);
            if (trial.feasible())
                losses.push_back(*trial.loss);
        }
    }
    if (criteria.targetValue && !losses.empty()) {
        const double target = criteria.maximize ? -*criteria.targetValue : *criteria.targetValue;
        if (*std::min_element(losses.begin(), losses.end()) <= target)
            return "target_reached";
    }
    if (criteria.trialsNotImproving && *criteria.trialsNotImproving > 0) {
        // Improving: a feasible trial better than every earlier one; with several objectives, one that no earlier
        // feasible trial dominates or equals (it joins the Pareto front, so the front's hypervolume grows).
        int sinceBest = 0;
        std::vector<Point> earlier;
        for (const TrialView* trial : results) {
            const Point point = trial->point();
            const bool improves = trial->feasible()
                && std::none_of(earlier.begin(), earlier.end(),
                                [&](const Point& e) { return e == point || dominates(e, point); });
            sinceBest = improves ? 0 : sinceBest + 1;
            if (trial->feasible())
                earlier.push_back(point);
        }
        if (sinceBest >= *criteria.trialsNotImproving)
            return "not_improving";
    }
    if (criteria.convergence) {
        const std::size_t window = std::max<std::size_t>(10, 2 * dimensions);
        if (losses.size() >= window + 1) {
            const auto [low, high] = std::minmax_element(losses.begin(), losses.end());
            const double range = *high - *low;
            const double bestBefore
                = *std::min_element(losses.begin(), losses.end() - static_cast<std::ptrdiff_t>(window));
            if (range > 0 && bestBefore - *low < 1e-3 * range)
                return "converged";
        }
    }
    if (criteria.maxSeconds && elapsedSeconds >= *criteria.maxSeconds)
        return "max_seconds";
    if (criteria.maxTrials && created >= *criteria.maxTrials)
        return "max_trials";
    return std::nullopt;
}

} // namespace tunebench::tuning
