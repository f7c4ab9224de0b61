#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/projectstore.h"
#include "util/cancel.h"

namespace tunebench::jobs {

/// A recorded trial trained again with its recorded parameters, on the same data with the same validation and
/// seeds, and compared with what was recorded, metric by metric.
struct Rerun
{
    struct Metric
    {
        std::string name; ///< "objective (accuracy)", then each metric's mean over the folds by name
        std::optional<double> recorded;
        std::optional<double> rerun;
        [[nodiscard]] bool identical() const { return recorded && rerun && *recorded == *rerun; }
        [[nodiscard]] std::optional<double> difference() const
        {
            return recorded && rerun ? std::optional<double>(*rerun - *recorded) : std::nullopt;
        }
    };
    std::string experiment;
    int trial = 0;
    std::string algorithm;
    std::vector<Metric> metrics;
    double fitSeconds = 0.0; ///< of the rerun; times are not compared
    double recordedFitSeconds = 0.0;

    /// Every metric the run recorded came out identical.
    [[nodiscard]] bool reproduced() const;
};

/// Runs trial `number` of `experiment` again (a built-in algorithm or the external command) and compares. Throws
/// std::invalid_argument (no such experiment or trial, a trial that did not finish, a data file whose content
/// changed since: both hashes named), TrainingError when it fails now, util::Cancelled.
[[nodiscard]] Rerun rerunTrial(const store::ProjectStore& project, const std::string& experiment, int number,
                               const util::CancelToken& cancel = {});

} // namespace tunebench::jobs
