#pragma once

#include <string>

#include "store/projectstore.h"
#include "util/cancel.h"

namespace tunebench::report {

struct ReportOptions
{
    /// Evaluate the best trial in detail (its cross-validation again: confusion matrix, ROC, permutation
    /// importance). Built-in algorithms only.
    bool evaluateBest = true;
    util::CancelToken cancel;
};

/// An experiment's report as one self-contained HTML page (well-formed XHTML, inline CSS and SVG charts,
/// no external resource): the dataset (path, SHA-256, schema), the setup (algorithms, search space,
/// strategy, objective, validation, limits), the outcome (why it stopped, durations, trials by status),
/// the best trial with its parameters and metrics, the optimisation history, the best trial's learning
/// curves, hyperparameter importance, the best trial's evaluation, every trial, and what reproduces it
/// (the manifest and the spec). Sections carry ids: dataset, setup, outcome, best, history, curves,
/// importance, evaluation, trials, reproducibility. Throws std::invalid_argument for an unknown experiment.
[[nodiscard]] std::string experimentReportHtml(store::ProjectStore& project, const std::string& experiment,
                                               const ReportOptions& options = {});

/// Keeps a chart for an experiment's report: the SVG is saved as NAME.artifacts/EXPERIMENT/figures/figure-N.svg
/// and recorded as a "report-figure" artifact; reports show every one, in the order added, in a section
/// "figures", captioned by the SVG's <title>. Returns the path relative to the artifacts folder. Throws
/// std::invalid_argument for an unknown experiment, std::runtime_error when the file cannot be written.
std::string addReportFigure(store::ProjectStore& project, const std::string& experiment, const std::string& svg);

} // namespace tunebench::report
