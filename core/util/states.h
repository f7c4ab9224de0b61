#pragma once

#include <optional>
#include <string_view>

namespace tunebench {

/// Where a trial stands. An enum everywhere in code; its name (stateName) only in the project file and the
/// CLI's output.
enum class TrialState
{
    Queued, ///< recorded, not started
    Running, ///< started and not ended (in a project whose run died: interrupted)
    Finished,
    Failed,
    Stopped, ///< ended early by early stopping, a time budget or the user
    Paused, ///< multi-fidelity: ran to a rung's budget and waits for a promotion, which continues it
};

/// Where a tuning experiment stands.
enum class ExperimentState
{
    Created,
    Running, ///< a tuner runs it, or its run died (interrupted)
    Finished, ///< completed: budget spent, target reached, ...
    Stopped, ///< stopped or cancelled by the user; can be resumed
    Failed,
};

/// "queued", "running", "finished", "failed", "stopped", "paused".
[[nodiscard]] std::string_view stateName(TrialState state);
/// "created", "running", "finished", "stopped", "failed".
[[nodiscard]] std::string_view stateName(ExperimentState state);
/// The state a name stands for; nothing for a name this version does not know.
[[nodiscard]] std::optional<TrialState> trialStateFromString(std::string_view name);
[[nodiscard]] std::optional<ExperimentState> experimentStateFromString(std::string_view name);

/// Finished, or paused at a rung (asha, bohb): the trial has a result, a real model's score, which may be the best.
[[nodiscard]] constexpr bool hasResult(TrialState state)
{
    return state == TrialState::Finished || state == TrialState::Paused;
}

/// Finished, failed or stopped: the trial will not report again (unless it is run again).
[[nodiscard]] constexpr bool hasEnded(TrialState state)
{
    return state == TrialState::Finished || state == TrialState::Failed || state == TrialState::Stopped;
}

} // namespace tunebench
