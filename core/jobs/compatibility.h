#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/projectstore.h"
#include "tuning/experimentspec.h"

namespace tunebench::jobs {

/// One way an earlier experiment differs from a run that would learn from it or continue it.
struct Difference
{
    std::string what; ///< "metric", "goal", "dataset", "target", "validation", "search space"
    std::string earlier;
    std::string now;
    /// The data or the objective: trials of the one do not measure the same thing as the other's.
    bool dataOrObjective = true;
};

/// What differs between an earlier experiment (its spec and its data file's SHA-256) and a run's: metric, goal,
/// dataset (by content when both hashes are known, else by path), target, validation and the search space.
[[nodiscard]] std::vector<Difference> differences(const tuning::ExperimentSpec& earlier,
                                                  const std::optional<std::string>& earlierSha256,
                                                  const tuning::ExperimentSpec& now,
                                                  const std::optional<std::string>& nowSha256);
/// "metric: auc there, accuracy here; dataset: sha256 1f2e... there, 9a8b... here".
[[nodiscard]] std::string describe(const std::vector<Difference>& differences);

/// The SHA-256 the project recorded for dataset `id`; nothing without one.
[[nodiscard]] std::optional<std::string> recordedSha256(const store::ProjectStore& project,
                                                        std::optional<std::int64_t> id);

/// Refuses to resume `experiment` on a data file whose content changed since it ran (a trial's scores would mix
/// two datasets): std::invalid_argument with the file and both hashes. A file it cannot read, or an experiment
/// without a recorded dataset, is let through (the run then fails as it would).
void requireSameData(const store::ProjectStore& project, const store::ExperimentRecord& experiment,
                     const tuning::ExperimentSpec& spec);

} // namespace tunebench::jobs
