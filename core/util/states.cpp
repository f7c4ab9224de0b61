#include "util/states.h"

#include <array>
#include <utility>

namespace tunebench {

namespace {

constexpr std::array kTrialStates{
    std::pair{TrialState::Queued, std::string_view("queued")},
    std::pair{TrialState::Running, std::string_view("running")},
    std::pair{TrialState::Finished, std::string_view("finished")},
    std::pair{TrialState::Failed, std::string_view("failed")},
    std::pair{TrialState::Stopped, std::string_view("stopped")},
    std::pair{TrialState::Paused, std::string_view("paused")},
};

constexpr std::array kExperimentStates{
    std::pair{ExperimentState::Created, std::string_view("created")},
    std::pair{ExperimentState::Running, std::string_view("running")},
    std::pair{ExperimentState::Finished, std::string_view("finished")},
    std::pair{ExperimentState::Stopped, std::string_view("stopped")},
    std::pair{ExperimentState::Failed, std::string_view("failed")},
};

template<typename State, std::size_t N>
std::string_view nameOf(const std::array<std::pair<State, std::string_view>, N>& table, State state)
{
    for (const auto& [value, name] : table) {
        if (value == state)
            return name;
    }
    return {};
}

template<typename State, std::size_t N>
std::optional<State> stateNamed(const std::array<std::pair<State, std::string_view>, N>& table, std::string_view name)
{
    for (const auto& [value, known] : table) {
        if (known == name)
            return value;
    }
    return std::nullopt;
}

} // namespace

std::string_view stateName(TrialState state)
{
    return nameOf(kTrialStates, state);
}

std::string_view stateName(ExperimentState state)
{
    return nameOf(kExperimentStates, state);
}

std::optional<TrialState> trialStateFromString(std::string_view name)
{
    return stateNamed(kTrialStates, name);
}

std::optional<ExperimentState> experimentStateFromString(std::string_view name)
{
    return stateNamed(kExperimentStates, name);
}

} // namespace tunebench
