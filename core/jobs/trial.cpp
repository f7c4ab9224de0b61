#include "jobs/trial.h"

#include <cmath>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "algorithms/paramsjson.h"
#include "jobs/trialrunner.h"

namespace tunebench::jobs {

std::string budgetSeries(const tuning::ExperimentSpec& spec)
{
    return "budget/" + spec.metric;
}

namespace {

constexpr auto kFitSeconds = "fit_seconds";

std::string compactJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

QJsonObject parseObject(const std::string& json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

std::string metricsJson(const Trial& trial)
{
    if (trial.metrics.empty() && !trial.fitSeconds)
        return {};
    QJsonObject metrics;
    for (const auto& [name, summary] : trial.metrics) {
        QJsonObject metric{{QStringLiteral("mean"), summary.mean}, {QStringLiteral("std"), summary.std}};
        if (!summary.folds.empty()) {
            QJsonArray values;
            for (double value : summary.folds)
                values.append(value);
            metric.insert(QStringLiteral("folds"), values);
        }
        metrics.insert(QString::fromStdString(name), metric);
    }
    if (trial.fitSeconds)
        metrics.insert(QLatin1String(kFitSeconds), *trial.fitSeconds);
    return compactJson(metrics);
}

void readMetrics(const std::string& json, Trial& trial)
{
    const QJsonObject metrics = parseObject(json);
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        if (it.key() == QLatin1String(kFitSeconds)) {
            trial.fitSeconds = it.value().toDouble();
            continue;
        }
        const QJsonObject metric = it.value().toObject();
        if (!metric.contains(QLatin1String("mean")))
            continue;
        MetricSummary summary{
            metric.value(QLatin1String("mean")).toDouble(), metric.value(QLatin1String("std")).toDouble(), {}};
        for (const QJsonValue value : metric.value(QLatin1String("folds")).toArray())
            summary.folds.push_back(value.toDouble());
        trial.metrics.emplace(it.key().toStdString(), std::move(summary));
    }
}

/// A parameter as JSON has it: whole numbers as integers, other numbers, booleans, text.
algorithms::ParamValue untypedValue(const QJsonValue& value)
{
    if (value.isBool())
        return value.toBool();
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (number == std::floor(number) && std::abs(number) < 9e15)
            return static_cast<std::int64_t>(number);
        return number;
    }
    return value.toString().toStdString();
}

} // namespace

std::optional<double> Trial::seconds() const
{
    if (startedAt.empty() || finishedAt.empty())
        return std::nullopt;
    const QDateTime from = QDateTime::fromString(QString::fromStdString(startedAt), Qt::ISODateWithMs);
    const QDateTime to = QDateTime::fromString(QString::fromStdString(finishedAt), Qt::ISODateWithMs);
    if (!from.isValid() || !to.isValid())
        return std::nullopt;
    return static_cast<double>(from.msecsTo(to)) / 1000.0;
}

tuning::Measurement measurementOf(const tuning::ExperimentSpec& spec, const MetricSummaries& metrics,
                                  std::optional<double> fitSeconds, std::optional<double> objective)
{
    auto value = [&](const std::string& name) {
        if (name == kFitSeconds && fitSeconds)
            return *fitSeconds;
        const auto found = metrics.find(name);
        return found == metrics.end() ? std::nan("") : found->second.mean;
    };
    tuning::Measurement measured;
    if (spec.objectives.empty())
        measured.objectives.push_back(objective.value_or(value(spec.metric)));
    for (std::size_t i = 0; i < spec.objectives.size(); ++i)
        measured.objectives.push_back(i == 0 && objective ? *objective : value(spec.objectives[i].metric));
    for (const tuning::Constraint& constraint : spec.constraints)
        measured.constraints.push_back(value(constraint.metric));
    return measured;
}

tuning::Measurement measurementOf(const tuning::ExperimentSpec& spec, const Trial& trial)
{
    return measurementOf(spec, trial.metrics, trial.fitSeconds, trial.objective);
}

MeasuredTrial measuredTrial(const tuning::ExperimentSpec& spec, const Trial& trial)
{
    MeasuredTrial measured{tuning::TrialView(trial.number, {}, trial.state, std::nullopt), {}};
    if (hasResult(trial.state) && trial.objective) {
        measured.measured = measurementOf(spec, trial);
        tuning::setMeasured(measured.view, spec, measured.measured);
    }
    return measured;
}

MetricSummaries metricSummaries(const TrialResult& result)
{
    MetricSummaries summaries;
    for (const auto& [name, value] : result.metrics) {
        MetricSummary summary{value.mean, value.std, {}};
        if (const auto folds = result.foldMetrics.find(name); folds != result.foldMetrics.end())
            summary.folds = folds->second;
        summaries.emplace(name, std::move(summary));
    }
    return summaries;
}

store::TrialRecord toRecord(const Trial& trial, std::int64_t experimentId)
{
    store::TrialRecord record;
    record.id = trial.id;
    record.experimentId = experimentId;
    record.number = trial.number;
    record.algorithm = trial.config.algorithm;
    record.paramsJson = compactJson(algorithms::toJson(trial.config.params));
    record.status = trial.state;
    record.objective = trial.objective;
    record.metricsJson = metricsJson(trial);
    record.error = trial.error;
    record.stoppedAtStep = trial.stoppedAtStep;
    record.startedAt = trial.startedAt;
    record.finishedAt = trial.finishedAt;
    return record;
}

Trial trialFromRecord(const store::TrialRecord& record, const tuning::ExperimentSpec* spec)
{
    Trial trial;
    trial.id = record.id;
    trial.number = record.number;
    trial.state = record.status;
    if (spec) {
        trial.config = spec->recordedConfig(record.algorithm, record.paramsJson);
    } else {
        trial.config.algorithm = record.algorithm;
        const QJsonObject params = parseObject(record.paramsJson);
        for (auto it = params.begin(); it != params.end(); ++it)
            trial.config.params.emplace(it.key().toStdString(), untypedValue(it.value()));
    }
    trial.objective = record.objective;
    readMetrics(record.metricsJson, trial);
    trial.error = record.error;
    trial.stoppedAtStep = record.stoppedAtStep;
    trial.startedAt = record.startedAt;
    trial.finishedAt = record.finishedAt;
    return trial;
}

} // namespace tunebench::jobs
