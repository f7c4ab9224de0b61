#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include "jobs/analysis.h"
#include "jobs/trial.h"
#include "jobs/trialevaluation.h"
#include "report/svgchart.h"
#include "tuning/experimentspec.h"
#include "tuning/tuningloop.h"

namespace tunebench::report {

using jobs::bestTrial;
using jobs::evaluateTrial;
using jobs::loadExperiment;
using jobs::ParameterImportance;
using jobs::parameterImportance;
using jobs::requireExperiment;
using jobs::TrialEvaluation;

namespace {

std::string e(const std::string& text)
{
    return xmlEscaped(text);
}

std::string e(const QString& text)
{
    return xmlEscaped(text.toStdString());
}

std::string number(double value, int digits = 6)
{
    return QString::number(value, 'g', digits).toStdString();
}

/// Borders as attributes too: Qt's rich text (the PDF export) reads those, not the stylesheet.
const char* kTable = "<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">";

const char* kStyle = R"css(
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #222; line-height: 1.4; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #3b6fd6; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #eef2fb; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.best td { font-weight: bold; background: #eaf6e9; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.muted { color: #666; } figure { margin: 1em 0; } svg { max-width: 100%; height: auto; }
@media print { h2 { page-break-after: avoid; } figure, table { page-break-inside: avoid; } }
)css";

double secondsBetween(const std::string& from, const std::string& to)
{
    const QDateTime a = QDateTime::fromString(QString::fromStdString(from), Qt::ISODateWithMs);
    const QDateTime b = QDateTime::fromString(QString::fromStdString(to), Qt::ISODateWithMs);
    if (!a.isValid() || !b.isValid())
        return std::nan("");
    return static_cast<double>(a.msecsTo(b)) / 1000.0;
}

std::string duration(double seconds)
{
    if (!std::isfinite(seconds))
        return "–";
    if (seconds < 120)
        return number(seconds, 3) + " s";
    if (seconds < 7200)
        return number(seconds / 60.0, 3) + " min";
    return number(seconds / 3600.0, 3) + " h";
}

void keyValueTable(std::ostringstream& html, const std::vector<std::pair<std::string, std::string>>& rows)
{
    html << kTable;
    for (const auto& [key, value] : rows)
        html << "<tr><th>" << e(key) << "</th><td>" << e(value) << "</td></tr>";
    html << "</table>";
}

QJsonObject parse(const std::string& json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

std::string jsonText(const QJsonValue& value)
{
    if (value.isDouble())
        return number(value.toDouble());
    if (value.isBool())
        return value.toBool() ? "true" : "false";
    return value.toString().toStdString();
}

} // namespace

namespace {

/// What every section of a report reads.
struct Report
{
    store::ProjectStore& project;
    const std::string& name;
    const store::ExperimentRecord& experiment;
    const tuning::ExperimentSpec& spec;
    const std::vector<store::TrialRecord>& trials;
    const std::optional<store::DatasetRecord>& dataset;
    const store::TrialRecord* best;
    const std::map<std::string, int>& byStatus;
    const std::string& goal;
    const ReportOptions& options;
};

/// The objective (or each of several), and the constraints.
std::string objectivesText(const tuning::ExperimentSpec& spec, const std::string& goal)
{
    std::string text;
    if (!spec.isMultiObjective())
        text = spec.metric + " (" + goal + ")";
    for (const tuning::Objective& objective :
         spec.isMultiObjective() ? spec.objectives : std::vector<tuning::Objective>{}) {
        text += (text.empty() ? "" : ", ") + objective.metric
            + (objective.maximize ? " (higher is better)" : " (lower is better)");
    }
    for (const tuning::Constraint& constraint : spec.constraints)
        text += "; subject to " + constraint.metric + (constraint.atLeast ? " >= " : " <= ") + number(constraint.bound);
    return text;
}

/// The data file, its fingerprint and its columns.
void writeDataset(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Dataset.
    html << "<h2 id=\"dataset\">Dataset</h2>";
    std::vector<std::pair<std::string, std::string>> datasetRows{{"File", spec.datasetPath}};
    if (dataset) {
        datasetRows.push_back({"SHA-256", dataset->sha256});
        datasetRows.push_back({"Size",
                               std::to_string(dataset->rows) + " rows x " + std::to_string(dataset->columns)
                                   + " columns, " + std::to_string(dataset->sizeBytes) + " bytes"});
    }
    if (!spec.readSettings.isDefault())
        datasetRows.push_back({"Read as", data::describe(spec.readSettings)});
    datasetRows.push_back({"Target", spec.target.empty() ? "(suggested)" : spec.target});
    if (!spec.ignoredColumns.empty()) {
        std::string ignored;
        for (const std::string& column : spec.ignoredColumns)
            ignored += (ignored.empty() ? "" : ", ") + column;
        datasetRows.push_back({"Ignored columns", ignored});
    }
    keyValueTable(html, datasetRows);
    if (dataset) {
        const QJsonArray columns = parse(dataset->schemaJson).value(QStringLiteral("columns")).toArray();
        if (!columns.isEmpty()) {
            html << kTable
                 << "<thead><tr><th>Column</th><th>Type</th><th>Missing</th><th>Distinct</th><th>Mean</th>"
                    "<th>Std</th><th>Min</th><th>Max</th></tr></thead><tbody>";
            for (const QJsonValue& value : columns) {
                const QJsonObject column = value.toObject();
                html << "<tr><td>" << e(column.value(QStringLiteral("name")).toString()) << "</td><td>"
                     << e(column.value(QStringLiteral("type")).toString()) << "</td>";
                for (const char* key : {"missing", "distinct", "mean", "std", "min", "max"})
                    html << "<td class=\"n\">" << e(jsonText(column.value(QLatin1String(key)))) << "</td>";
                html << "</tr>";
            }
            html << "</tbody></table>";
        }
    }
}

/// Algorithms, search space, strategy, objective, validation and limits.
void writeSetup(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Setup.
    html << "<h2 id=\"setup\">Setup</h2>";
    std::string algorithmsText;
    for (const tuning::AlgorithmSearch& search : spec.algorithms)
        algorithmsText += (algorithmsText.empty() ? "" : ", ") + search.algorithm;
    const std::string validationText = evaluation::describe(spec.validation);
    std::string limits;
    if (spec.completion.maxTrials)
        limits += std::to_string(*spec.completion.maxTrials) + " trials";
    if (spec.completion.maxSeconds)
        limits += (limits.empty() ? "" : ", ") + duration(*spec.completion.maxSeconds);
    if (spec.completion.targetValue)
        limits += (limits.empty() ? "" : ", ") + std::string("target ") + number(*spec.completion.targetValue);
    if (spec.completion.trialsNotImproving)
        limits += (limits.empty() ? "" : ", ") + std::to_string(*spec.completion.trialsNotImproving)
            + " trials without improvement";
    keyValueTable(html,
                  {{"Algorithms", algorithmsText.empty() ? "external command" : algorithmsText},
                   {"Strategy", std::string(tuning::toString(spec.strategy.kind))},
                   {spec.isMultiObjective() ? "Objectives" : "Objective", objectivesText(spec, goal)},
                   {"Validation", spec.command ? "the command's own" : validationText},
                   {"Limits", limits.empty() ? "none" : limits},
                   {"Parallel trials", std::to_string(spec.maxParallel)},
                   {"Early stopping", spec.earlyStopping ? "median rule" : "off"},
                   {"Seed", std::to_string(spec.seed)}});
    const tuning::SearchSpace space = spec.searchSpace();
    if (!space.empty()) {
        html << kTable << "<tr><th>Hyperparameter</th><th>Type</th><th>Range</th><th>Scale</th><th>Condition</th></tr>";
        for (const tuning::Dimension& dimension : space.dimensions()) {
            std::string condition;
            if (dimension.condition) {
                condition = dimension.condition->parent;
                if (!dimension.condition->values.empty()) {
                    std::string values;
                    for (const std::string& v : dimension.condition->values)
                        values += (values.empty() ? "" : ", ") + v;
                    condition += " in {" + values + "}";
                }
            }
            html << "<tr><td>" << e(dimension.name()) << "</td><td>" << tuning::typeName(dimension.range.type)
                 << "</td><td>" << e(tuning::rangeText(dimension)) << "</td><td>"
                 << (dimension.isNumeric() ? tuning::scalingName(dimension.range.scaling) : std::string("–"))
                 << "</td><td>" << e(condition) << "</td></tr>";
        }
        html << "</table>";
    }
}

/// Why it stopped, how long it took, trials by status; then the best trial.
void writeOutcome(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Outcome.
    html << "<h2 id=\"outcome\">Outcome</h2>";
    std::string counts;
    for (const auto& [status, count] : byStatus)
        counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " + status;
    keyValueTable(html,
                  {{"Status", std::string(stateName(experiment.status))},
                   {"Stopped because", experiment.stoppedBecause.empty() ? "–" : experiment.stoppedBecause},
                   {"Trials", std::to_string(trials.size()) + (counts.empty() ? "" : " (" + counts + ")")},
                   {"Started", experiment.createdAt},
                   {"Finished", experiment.finishedAt.empty() ? "–" : experiment.finishedAt},
                   {"Duration", duration(secondsBetween(experiment.createdAt, experiment.finishedAt))}});

    if (spec.isMultiObjective())
        return; // no one best: the Pareto front (writePareto)
    // The best trial.
    html << "<h2 id=\"best\">Best trial</h2>";
    if (!best) {
        html << "<p>No trial finished.</p>";
    } else {
        html << "<p>Trial " << best->number << " (" << e(best->algorithm) << "): " << e(spec.metric) << " = <b>"
             << number(*best->objective) << "</b>.</p>";
        std::vector<std::pair<std::string, std::string>> params;
        const QJsonObject values = parse(best->paramsJson);
        for (auto it = values.begin(); it != values.end(); ++it)
            params.push_back({it.key().toStdString(), jsonText(it.value())});
        keyValueTable(html, params);
        html << kTable << "<tr><th>Metric</th><th>Mean</th><th>Std</th></tr>";
        const QJsonObject metrics = parse(best->metricsJson);
        for (auto it = metrics.begin(); it != metrics.end(); ++it) {
            if (!it.value().isObject() || !it.value().toObject().contains(QStringLiteral("mean")))
                continue;
            html << "<tr><td>" << e(it.key()) << "</td><td class=\"n\">"
                 << number(it.value().toObject().value(QStringLiteral("mean")).toDouble()) << "</td><td class=\"n\">"
                 << number(it.value().toObject().value(QStringLiteral("std")).toDouble()) << "</td></tr>";
        }
        html << "</table>";
    }
}

/// Several objectives: the front of the first two objectives as a chart (the front's staircase, dominated and
/// infeasible trials apart) and the front's trials as a table with every objective and parameter.
void writePareto(std::ostringstream& html, const Report& report)
{
    const tuning::ExperimentSpec& spec = report.spec;
    if (!spec.isMultiObjective())
        return;
    html << "<h2 id=\"pareto\">Pareto front</h2>";
    const std::vector<int> front = jobs::paretoTrials(report.trials, spec);
    struct Row
    {
        const store::TrialRecord* record;
        std::vector<double> values;
        bool feasible;
    };
    std::vector<Row> rows;
    for (const store::TrialRecord& record : report.trials) {
        if (record.status != TrialState::Finished || !record.objective)
            continue;
        const jobs::MeasuredTrial trial = jobs::measuredTrial(spec, jobs::trialFromRecord(record));
        rows.push_back({&record, trial.measured.objectives, trial.view.feasible()});
    }
    auto onFront = [&](int number) { return std::find(front.begin(), front.end(), number) != front.end(); };
    SvgSeries stairs{"front", {}, true, true};
    SvgSeries frontPoints{"on the front", {}, false, false};
    SvgSeries dominated{"dominated", {}, false, false};
    SvgSeries infeasible{"breaks a constraint", {}, false, false};
    for (const Row& row : rows) {
        const std::pair<double, double> point{row.values[0], row.values[1]};
        (onFront(row.record->number) ? frontPoints : row.feasible ? dominated : infeasible).points.push_back(point);
    }
    std::vector<std::pair<double, double>> sorted = frontPoints.points;
    std::sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
        return spec.objectives[0].maximize ? a.first > b.first : a.first < b.first;
    });
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0)
            stairs.points.emplace_back(sorted[i].first, sorted[i - 1].second);
        stairs.points.push_back(sorted[i]);
    }
    auto title = [](const tuning::Objective& objective) {
        return objective.metric + (objective.maximize ? " (maximize)" : " (minimize)");
    };
    html << "<p>" << front.size() << " of " << rows.size()
         << " finished trials are on the front: no other trial that meets the constraints is as good in every "
            "objective and better in one.</p>";
    html << "<figure>"
         << svgLineChart("Pareto front", title(spec.objectives[0]), title(spec.objectives[1]),
                         {stairs, frontPoints, dominated, infeasible})
         << "</figure>";
    html << kTable << "<tr><th>Trial</th><th>Algorithm</th>";
    for (const tuning::Objective& objective : spec.objectives)
        html << "<th>" << e(objective.metric) << "</th>";
    html << "<th>Parameters</th></tr>";
    for (const Row& row : rows) {
        if (!onFront(row.record->number))
            continue;
        html << "<tr><td class=\"n\">" << row.record->number << "</td><td>" << e(row.record->algorithm) << "</td>";
        for (double value : row.values)
            html << "<td class=\"n\">" << number(value) << "</td>";
        std::string params;
        const QJsonObject values = parse(row.record->paramsJson);
        for (auto it = values.begin(); it != values.end(); ++it)
            params += (params.empty() ? "" : ", ") + it.key().toStdString() + " = " + jsonText(it.value());
        html << "<td>" << e(params) << "</td></tr>";
    }
    html << "</table>";
}

/// The objective of every trial and the best so far.
void writeHistory(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Optimisation history.
    html << "<h2 id=\"history\">Optimisation history</h2>";
    {
        std::vector<std::pair<int, double>> values;
        for (const store::TrialRecord& trial : trials) {
            if (hasResult(trial.status) && trial.objective)
                values.emplace_back(trial.number, *trial.objective);
        }
        std::sort(values.begin(), values.end());
        SvgSeries points{"trial", {}, false, false};
        SvgSeries bestSoFar{"best so far", {}, true, false};
        std::optional<double> running;
        for (const auto& [number, value] : values) {
            points.points.emplace_back(number, value);
            if (!running || (spec.maximize ? value > *running : value < *running)) {
                if (running)
                    bestSoFar.points.emplace_back(number, *running);
                running = value;
            }
            bestSoFar.points.emplace_back(number, *running);
        }
        html << "<figure>"
             << svgLineChart("Objective by trial", "trial", spec.metric + " (" + goal + ")", {points, bestSoFar})
             << "</figure>";
    }
}

/// The best trial's learning curves.
void writeCurves(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // The best trial's learning curves: each fold's validation series of the objective, or the loss.
    html << "<h2 id=\"curves\">Learning curves of the best trial</h2>";
    if (best) {
        std::map<std::string, SvgSeries> curves;
        for (const store::MetricPoint& point : project.metricSeries(best->id)) {
            const bool wanted
                = point.name.find("validation_") != std::string::npos || point.name.find('/') == std::string::npos;
            if (!wanted)
                continue;
            SvgSeries& series = curves[point.name];
            series.name = point.name;
            series.points.emplace_back(static_cast<double>(point.step), point.value);
        }
        std::vector<SvgSeries> shown;
        for (auto& [metric, series] : curves) {
            if (shown.size() < 9)
                shown.push_back(std::move(series));
        }
        if (shown.empty())
            html << "<p>The best trial reported no curves.</p>";
        else
            html << "<figure>"
                 << svgLineChart("Validation curves, trial " + std::to_string(best->number), "step", "value", shown)
                 << "</figure>";
    }
}

void writeImportanceOf(std::ostringstream& html, const std::vector<ParameterImportance>& importance);

/// Which hyperparameters mattered.
void writeImportance(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Hyperparameter importance, for each objective.
    html << "<h2 id=\"importance\">Hyperparameter importance</h2>";
    for (std::size_t objective = 0; objective < std::max<std::size_t>(1, spec.objectives.size()); ++objective) {
        if (spec.isMultiObjective())
            html << "<h3>" << e(spec.objectives[objective].metric) << "</h3>";
        writeImportanceOf(html, parameterImportance(spec, trials, 1, objective));
    }
}

/// One objective's importance as bars, with how much the main effects explain.
void writeImportanceOf(std::ostringstream& html, const std::vector<ParameterImportance>& importance)
{
    if (importance.empty()) {
        html << "<p>Needs at least two finished trials and one searched hyperparameter.</p>";
    } else {
        std::vector<std::pair<std::string, double>> bars;
        double explained = 0.0;
        for (const ParameterImportance& p : importance) {
            bars.emplace_back(p.name, 100.0 * p.importance);
            explained += p.mainEffect;
        }
        html << "<figure>"
             << svgBarChart("Hyperparameter importance (functional ANOVA)", "share of the explained variance (%)", bars)
             << "</figure><p class=\"muted\">Main effects explain " << number(100.0 * explained, 3)
             << "% of the objective's variance over the finished trials (the rest is interactions); estimated on a "
                "64-tree random-forest surrogate.</p>";
    }
}

/// The best trial's cross-validation again, in detail.
void writeEvaluation(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Evaluation of the best trial.
    html << "<h2 id=\"evaluation\">Evaluation of the best trial</h2>";
    if (!best || !options.evaluateBest || spec.command) {
        html << "<p>"
             << (spec.command ? "An external command's trials are evaluated by the command itself." : "Not evaluated.")
             << "</p>";
    } else {
        try {
            const TrialEvaluation evaluation
                = evaluateTrial(spec, spec.recordedConfig(best->algorithm, best->paramsJson), options.cancel);
            if (evaluation.classification) {
                const auto k = static_cast<int>(evaluation.classes.size());
                const Eigen::MatrixXi confusion
                    = evaluation::confusionMatrix(evaluation.truth, evaluation.predictions, k);
                html << "<p>Confusion matrix of the out-of-fold predictions (rows: true class, columns: predicted).</p>"
                     << kTable << "<tr><th></th>";
                for (const std::string& label : evaluation.classes)
                    html << "<th>" << e(label) << "</th>";
                html << "</tr>";
                for (int r = 0; r < k; ++r) {
                    html << "<tr><th>" << e(evaluation.classes[static_cast<std::size_t>(r)]) << "</th>";
                    const double total = confusion.row(r).sum();
                    for (int c = 0; c < k; ++c) {
                        const double share = total > 0 ? confusion(r, c) / total : 0.0;
                        html << "<td class=\"n\" style=\"background: rgba(59,111,214," << number(0.08 + 0.6 * share, 2)
                             << ")\">" << confusion(r, c) << "</td>";
                    }
                    html << "</tr>";
                }
                html << "</table>";
                std::vector<SvgSeries> roc;
                for (int positive = k == 2 ? 1 : 0; positive < k; ++positive) {
                    const evaluation::AveragedCurve curve
                        = evaluation::averageCurves(evaluation.foldCurves(positive, false), false);
                    const std::vector<double> areas = evaluation.foldAreas(positive, false);
                    double mean = 0.0;
                    for (double a : areas)
                        mean += a / static_cast<double>(std::max<std::size_t>(1, areas.size()));
                    SvgSeries series{evaluation.classes[static_cast<std::size_t>(positive)] + " (AUC " + number(mean, 3)
                                         + ")",
                                     {},
                                     true,
                                     false};
                    for (std::size_t i = 0; i < curve.x.size(); ++i)
                        series.points.emplace_back(curve.x[i], curve.mean[i]);
                    roc.push_back(std::move(series));
                }
                roc.push_back({"chance", {{0.0, 0.0}, {1.0, 1.0}}, true, true});
                html << "<figure>"
                     << svgLineChart("ROC curves, averaged over " + std::to_string(evaluation.folds) + " folds",
                                     "false positive rate", "true positive rate", roc)
                     << "</figure>";
            } else {
                SvgSeries points{"out-of-fold prediction", {}, false, false};
                for (Eigen::Index i = 0; i < evaluation.truth.size(); ++i)
                    points.points.emplace_back(evaluation.truth[i], evaluation.predictions[i]);
                const double low = std::min(evaluation.truth.minCoeff(), evaluation.predictions.minCoeff());
                const double high = std::max(evaluation.truth.maxCoeff(), evaluation.predictions.maxCoeff());
                html << "<figure>"
                     << svgLineChart("Predicted against actual", "actual", "predicted",
                                     {points, {"predicted = actual", {{low, low}, {high, high}}, true, true}})
                     << "</figure>";
            }
            std::vector<std::pair<std::string, double>> bars;
            for (const TrialEvaluation::ColumnImportance& column : evaluation.permutationImportance) {
                if (bars.size() < 20)
                    bars.emplace_back(column.column, column.mean);
            }
            if (!bars.empty())
                html << "<figure>"
                     << svgBarChart("Permutation importance (top " + std::to_string(bars.size()) + " columns)",
                                    "decrease in " + evaluation.importanceMetric + " when the column is shuffled", bars)
                     << "</figure>";
        } catch (const util::Cancelled&) {
            throw;
        } catch (const std::exception& error) {
            html << "<p>The evaluation failed: " << e(std::string(error.what())) << "</p>";
        }
    }
}

/// Figures added from the workbench.
void writeFigures(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Figures added from the workbench.
    std::vector<store::ArtifactRecord> figures;
    for (const store::ArtifactRecord& artifact : project.artifacts(experiment.id)) {
        if (artifact.kind == "report-figure")
            figures.push_back(artifact);
    }
    if (!figures.empty()) {
        html << "<h2 id=\"figures\">Figures</h2>";
        static const QRegularExpression title(QStringLiteral("<title>(.*?)</title>"));
        static const QRegularExpression prolog(QStringLiteral("^.*?(?=<svg)"),
                                               QRegularExpression::DotMatchesEverythingOption);
        for (const store::ArtifactRecord& figure : figures) {
            QFile file(QString::fromStdString(project.artifactsDirectory() + "/" + figure.path));
            if (!file.open(QIODevice::ReadOnly)) {
                html << "<p>Missing figure: " << e(figure.path) << "</p>";
                continue;
            }
            QString svg = QString::fromUtf8(file.readAll());
            svg.remove(prolog); // the XML declaration and doctype cannot stand inside a page
            const QRegularExpressionMatch caption = title.match(svg);
            html << "<figure>" << svg.toStdString() << "<figcaption>"
                 << (caption.hasMatch() ? caption.captured(1).toStdString() : e(figure.path))
                 << "</figcaption></figure>";
        }
    }
}

/// Every trial with its parameters.
void writeTrials(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Every trial.
    html << "<h2 id=\"trials\">Trials</h2>";
    std::vector<std::string> paramNames;
    for (const store::TrialRecord& trial : trials) {
        const QJsonObject params = parse(trial.paramsJson);
        for (const QString& key : params.keys()) {
            if (std::find(paramNames.begin(), paramNames.end(), key.toStdString()) == paramNames.end())
                paramNames.push_back(key.toStdString());
        }
    }
    // Long tables have their header rows in <thead>: printed, and in the PDF, they start every page.
    html << kTable << "<thead><tr><th>Trial</th><th>Status</th><th>Algorithm</th><th>" << e(spec.metric) << "</th>";
    for (const std::string& param : paramNames)
        html << "<th>" << e(param) << "</th>";
    html << "<th>Duration</th></tr></thead><tbody>";
    for (const store::TrialRecord& trial : trials) {
        const QJsonObject params = parse(trial.paramsJson);
        html << "<tr" << (best && trial.number == best->number ? " class=\"best\"" : "") << "><td class=\"n\">"
             << trial.number << "</td><td>" << e(std::string(stateName(trial.status))) << "</td><td>"
             << e(trial.algorithm) << "</td><td class=\"n\">" << (trial.objective ? number(*trial.objective) : "")
             << "</td>";
        for (const std::string& param : paramNames)
            html << "<td>" << e(jsonText(params.value(QString::fromStdString(param)))) << "</td>";
        html << "<td class=\"n\">" << e(duration(secondsBetween(trial.startedAt, trial.finishedAt))) << "</td></tr>";
    }
    html << "</tbody></table>";
}

/// The manifest and the spec that runs it again.
void writeReproducibility(std::ostringstream& html, const Report& report)
{
    [[maybe_unused]] const auto& [project, name, experiment, spec, trials, dataset, best, byStatus, goal, options]
        = report;
    // Reproducibility.
    html << "<h2 id=\"reproducibility\">Reproducibility</h2>";
    std::string manifest;
    for (const store::EventRecord& event : project.events(experiment.id)) {
        if (event.kind == "manifest")
            manifest = event.message;
    }
    if (!manifest.empty()) {
        std::vector<std::pair<std::string, std::string>> rows;
        const QJsonObject object = parse(manifest);
        for (auto it = object.begin(); it != object.end(); ++it)
            rows.push_back({it.key().toStdString(), jsonText(it.value())});
        keyValueTable(html, rows);
    }
    html << "<p>Run it again with <code>tunebench-cli tune spec.json --project PROJECT.tbproj</code>, spec.json "
            "holding:</p><pre>"
         << e(QJsonDocument(spec.json).toJson(QJsonDocument::Indented).toStdString()) << "</pre>";
}

} // namespace

std::string experimentReportHtml(store::ProjectStore& project, const std::string& name, const ReportOptions& options)
{
    const auto [experiment, spec] = loadExperiment(project, name);
    const std::vector<store::TrialRecord> trials = project.trials(experiment.id);
    std::optional<store::DatasetRecord> dataset;
    for (const store::DatasetRecord& record : project.datasets()) {
        if (experiment.datasetId && record.id == *experiment.datasetId)
            dataset = record;
    }
    const store::TrialRecord* best = bestTrial(trials, spec);
    std::map<std::string, int> byStatus;
    for (const store::TrialRecord& trial : trials)
        ++byStatus[std::string(stateName(trial.status))];
    const std::string goal = spec.maximize ? "higher is better" : "lower is better";

    std::ostringstream html;
    html << "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>"
         << "<title>Tunebench report: " << e(name) << "</title><style>" << kStyle << "</style></head><body>";
    html << "<h1>Experiment " << e(name) << "</h1><p class=\"muted\">Tunebench report, generated "
         << e(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)) << " from " << e(project.path()) << "</p>";

    const Report report{project, name, experiment, spec, trials, dataset, best, byStatus, goal, options};
    writeDataset(html, report);
    writeSetup(html, report);
    writeOutcome(html, report);
    writePareto(html, report);
    writeHistory(html, report);
    writeCurves(html, report);
    writeImportance(html, report);
    writeEvaluation(html, report);
    writeFigures(html, report);
    writeTrials(html, report);
    writeReproducibility(html, report);
    html << "</body></html>\n";
    return html.str();
}

std::string addReportFigure(store::ProjectStore& project, const std::string& experiment, const std::string& svg)
{
    const store::ExperimentRecord record = requireExperiment(project, experiment);
    int count = 0;
    for (const store::ArtifactRecord& artifact : project.artifacts(record.id))
        count += artifact.kind == "report-figure";
    const std::string relative = experiment + "/figures/figure-" + std::to_string(count + 1) + ".svg";
    const QString path = QString::fromStdString(project.artifactsDirectory() + "/" + relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(svg.data(), static_cast<qint64>(svg.size())) < 0
        || !file.commit())
        throw std::runtime_error("cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    project.addArtifact(
        {0, record.id, std::nullopt, "report-figure", relative,
         QCryptographicHash::hash(QByteArray::fromStdString(svg), QCryptographicHash::Sha256).toHex().toStdString(),
         static_cast<std::int64_t>(svg.size()), store::ProjectStore::nowUtc()});
    return relative;
}

} // namespace tunebench::report
