#pragma once

// What a project file holds of an experiment's trials, read as another process would (read-only), for the UI tests.

#include <algorithm>
#include <vector>

#include <QString>

#include "store/projectstore.h"

namespace tunebench::testing {

inline std::vector<store::TrialRecord> trialsInProject(const QString& project, const QString& experiment)
{
    const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    const auto record = store->experimentByName(experiment.toStdString());
    return record ? store->trials(record->id) : std::vector<store::TrialRecord>{};
}

inline int countStatus(const std::vector<store::TrialRecord>& trials, TrialState status)
{
    return static_cast<int>(std::ranges::count_if(trials, [&](const auto& t) { return t.status == status; }));
}

} // namespace tunebench::testing
