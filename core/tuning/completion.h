#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tuning/strategy.h"

namespace tunebench::tuning {

/// When a tuning experiment stops asking for trials. Values are in the objective's own orientation.
struct CompletionCriteria
{
    std::optional<int> maxTrials;
    std::optional<double> maxSeconds;
    std::optional<double> targetValue; ///< stop once the best objective reaches it
    bool maximize = false;
    std::optional<int> trialsNotImproving; ///< stop after this many finished trials in a row without a new best
    bool convergence = false; ///< stop when the best has stopped moving; see completionReason()
};

/// Why an experiment is complete, as stored in the project and printed by the CLI:
/// "max_trials", "max_seconds", "target_reached", "not_improving", "converged"; nothing while it goes on.
/// `trials` are all trials by number (losses oriented lower-is-better); `created` counts trials started.
/// Convergence: at least W = max(10, 2 * dimensions) finished trials, and the best loss improved by less
/// than 0.1 % of the range of losses seen over the last W finished trials.
[[nodiscard]] std::optional<std::string> completionReason(const CompletionCriteria& criteria,
                                                          const std::vector<TrialView>& trials, int created,
                                                          double elapsedSeconds, std::size_t dimensions);

} // namespace tunebench::tuning
