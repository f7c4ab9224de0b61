#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <QString>

#include "store/projectstore.h"

namespace tunebench::ui {

/// What the project explorer and the jobs panel show of a project, read in one go (on a pool thread while other
/// processes write the file: the GUI thread then runs no SQL).
struct ProjectContents
{
    struct Experiment
    {
        store::ExperimentRecord record;
        std::vector<store::TrialRecord> trials; ///< the first kMaxTrials
        int trialCount = 0;
        int ended = 0; ///< finished, failed or stopped
        int budget = 0; ///< the spec's max_trials, 0 when none
        std::optional<store::RunOwner> owner; ///< the live process running it
        [[nodiscard]] bool isInterrupted() const { return record.status == ExperimentState::Running && !owner; }
    };
    static constexpr std::size_t kMaxTrials = 500; ///< more are in the experiment's table

    std::vector<store::DatasetRecord> datasets;
    std::vector<Experiment> experiments;
    QString error; ///< the project could not be read
    /// Changes whenever anything shown changes: names, statuses, owners, trials shown.
    std::string signature;
};

/// Reads what the explorer shows. Never throws: a failure is in `error`.
[[nodiscard]] ProjectContents readProjectContents(const store::ProjectStore& project);

} // namespace tunebench::ui
