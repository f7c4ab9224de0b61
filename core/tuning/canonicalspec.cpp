#include <QJsonArray>

#include "algorithms/paramsjson.h"
#include "data/datasetinfo.h"
#include "tuning/experimentspec.h"

// The spec as its meaning: every field written, defaults made explicit, ranges' "auto" scaling resolved, each
// section only with the fields that apply (a hold-out's fraction, not its unused folds). Two specs that run the
// same experiment have the same canonical form; it is itself a native spec that parses to that experiment.

namespace tunebench::tuning {

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QJsonArray textArray(const std::vector<std::string>& texts)
{
    QJsonArray array;
    for (const std::string& text : texts)
        array.append(qs(text));
    return array;
}

QJsonObject conditionJson(const Condition& condition)
{
    QJsonValue test;
    if (condition.min || condition.max) {
        QJsonObject interval;
        if (condition.min)
            interval.insert(QStringLiteral("min"), *condition.min);
        if (condition.max)
            interval.insert(QStringLiteral("max"), *condition.max);
        test = interval;
    } else
        test = textArray(condition.values);
    return {{qs(condition.parent), test}};
}

QJsonObject rangeJson(const Dimension& dimension)
{
    const ParamSpec& range = dimension.range;
    QJsonObject json{{QStringLiteral("type"), qs(typeName(range.type))}};
    if (dimension.isNumeric()) {
        const bool integer = range.type == ParamType::Integer;
        json.insert(QStringLiteral("min"), integer ? QJsonValue(static_cast<qint64>(range.min)) : range.min);
        json.insert(QStringLiteral("max"), integer ? QJsonValue(static_cast<qint64>(range.max)) : range.max);
        json.insert(QStringLiteral("scaling"),
                    range.scaling == Scaling::Log              ? QStringLiteral("log")
                        : range.scaling == Scaling::ReverseLog ? QStringLiteral("reverse_log")
                                                               : QStringLiteral("linear"));
    } else if (range.type == ParamType::Categorical)
        json.insert(QStringLiteral("values"), textArray(range.values));
    if (dimension.condition)
        json.insert(QStringLiteral("when"), conditionJson(*dimension.condition));
    return json;
}

QJsonObject commandJson(const CommandSpec& command)
{
    QJsonArray metrics;
    for (const MetricPattern& metric : command.metrics)
        metrics.append(
            QJsonObject{{QStringLiteral("name"), qs(metric.name)}, {QStringLiteral("regex"), qs(metric.regex)}});
    QJsonObject environment;
    for (const auto& [key, value] : command.environment)
        environment.insert(qs(key), qs(value));
    return {{QStringLiteral("command"), textArray(command.argv)},
            {QStringLiteral("metrics"), metrics},
            {QStringLiteral("timeout_seconds"), command.timeoutSeconds},
            {QStringLiteral("working_directory"), qs(command.workingDirectory)},
            {QStringLiteral("environment"), environment},
            {QStringLiteral("output_limit_bytes"), static_cast<qint64>(command.outputLimitBytes)}};
}

/// {"algorithm", "fixed", "ranges"} of one algorithm.
QJsonObject algorithmJson(const ExperimentSpec& spec, const AlgorithmSearch& search)
{
    QJsonObject ranges;
    for (const Dimension& dimension : search.ranges)
        ranges.insert(qs(dimension.name()), rangeJson(dimension));
    const QJsonValue id = search.algorithm == "command" && spec.command ? QJsonValue(commandJson(*spec.command))
                                                                        : QJsonValue(qs(search.algorithm));
    return {{QStringLiteral("algorithm"), id},
            {QStringLiteral("fixed"), algorithms::toJson(search.fixed)},
            {QStringLiteral("ranges"), ranges}};
}

QJsonObject datasetJson(const ExperimentSpec& spec)
{
    QJsonObject types;
    for (const auto& [name, type] : spec.columnTypes)
        types.insert(qs(name), QString::fromUtf8(data::toString(type)));
    return {{QStringLiteral("path"), qs(spec.datasetPath)},
            {QStringLiteral("target"), qs(spec.target)},
            {QStringLiteral("ignore"), textArray(spec.ignoredColumns)},
            {QStringLiteral("types"), types},
            {QStringLiteral("read"), data::toJson(spec.readSettings)}};
}

QJsonObject limitsJson(const ExperimentSpec& spec)
{
    QJsonObject limits{{QStringLiteral("max_parallel"), spec.maxParallel},
                       {QStringLiteral("threads_per_trial"), spec.threadsPerTrial},
                       {QStringLiteral("trial_timeout_seconds"), spec.trialTimeoutSeconds},
                       {QStringLiteral("grid_resolution"), spec.strategy.gridResolution}};
    if (spec.completion.maxTrials)
        limits.insert(QStringLiteral("max_trials"), *spec.completion.maxTrials);
    if (spec.completion.maxSeconds)
        limits.insert(QStringLiteral("max_seconds"), *spec.completion.maxSeconds);
    return limits;
}

QJsonObject completionJson(const CompletionCriteria& completion)
{
    QJsonObject json{{QStringLiteral("convergence"), completion.convergence}};
    if (completion.targetValue)
        json.insert(QStringLiteral("target_value"), *completion.targetValue);
    if (completion.trialsNotImproving)
        json.insert(QStringLiteral("trials_not_improving"), *completion.trialsNotImproving);
    return json;
}

QJsonObject executorJson(const std::optional<SlurmSpec>& slurm)
{
    if (!slurm)
        return {{QStringLiteral("type"), QStringLiteral("local")}};
    QJsonObject json{{QStringLiteral("type"), QStringLiteral("slurm")},
                     {QStringLiteral("partition"), qs(slurm->partition)},
                     {QStringLiteral("time_minutes"), slurm->timeMinutes},
                     {QStringLiteral("sbatch_args"), textArray(slurm->sbatchArguments)},
                     {QStringLiteral("work_dir"), qs(slurm->workDirectory)},
                     {QStringLiteral("worker"), qs(slurm->worker)},
                     {QStringLiteral("resubmit_preempted"), slurm->resubmitPreempted},
                     {QStringLiteral("poll_seconds"), slurm->pollSeconds}};
    if (slurm->cpus > 0) // 0: the spec's threads per trial
        json.insert(QStringLiteral("cpus"), slurm->cpus);
    if (slurm->memoryMb > 0) // 0: the cluster's default
        json.insert(QStringLiteral("memory_mb"), slurm->memoryMb);
    return json;
}

QJsonObject amountsJson(const ResourceAmounts& amounts, bool machine)
{
    QJsonObject slots;
    for (const auto& [name, count] : amounts.slots)
        slots.insert(qs(name), count);
    QJsonObject json{{QStringLiteral("slots"), slots}};
    if (amounts.cpus > 0) // 0: not limited
        json.insert(QStringLiteral("cpus"), amounts.cpus);
    if (amounts.memoryMb > 0)
        json.insert(QStringLiteral("memory_mb"), static_cast<qint64>(amounts.memoryMb));
    if (machine) {
        QJsonArray gpus;
        for (const int gpu : amounts.gpus)
            gpus.append(gpu);
        json.insert(QStringLiteral("gpus"), gpus);
    } else
        json.insert(QStringLiteral("gpus"), amounts.gpuCount);
    return json;
}

} // namespace

QJsonObject canonicalJson(const ExperimentSpec& spec)
{
    QJsonObject json{
        {QStringLiteral("name"), qs(spec.name)},
        {QStringLiteral("validation"), validationToJson(spec.validation).value_or(QJsonObject{})},
        {QStringLiteral("strategy"), QString::fromUtf8(toString(spec.strategy.kind))},
        {QStringLiteral("limits"), limitsJson(spec)},
        {QStringLiteral("completion"), completionJson(spec.completion)},
        {QStringLiteral("early_stopping"), spec.earlyStopping ? QStringLiteral("auto") : QStringLiteral("off")},
        {QStringLiteral("seed"), static_cast<qint64>(spec.seed)},
        {QStringLiteral("executor"), executorJson(spec.slurm)}};
    auto objectiveJson = [](const Objective& objective) {
        return QJsonObject{
            {QStringLiteral("metric"), qs(objective.metric)},
            {QStringLiteral("goal"), objective.maximize ? QStringLiteral("maximize") : QStringLiteral("minimize")}};
    };
    if (spec.isMultiObjective()) {
        QJsonArray objectives;
        for (const Objective& objective : spec.objectives)
            objectives.append(objectiveJson(objective));
        json.insert(QStringLiteral("objectives"), objectives);
    } else
        json.insert(QStringLiteral("objective"), objectiveJson({spec.metric, spec.maximize}));
    if (!spec.constraints.empty()) {
        QJsonArray constraints;
        for (const Constraint& constraint : spec.constraints)
            constraints.append(
                QJsonObject{{QStringLiteral("metric"), qs(constraint.metric)},
                            {constraint.atLeast ? QStringLiteral(">=") : QStringLiteral("<="), constraint.bound}});
        json.insert(QStringLiteral("constraints"), constraints);
    }
    if (!spec.datasetPath.empty())
        json.insert(QStringLiteral("dataset"), datasetJson(spec));
    if (!spec.command)
        json.insert(QStringLiteral("preprocessing"), preprocessingToJson(spec.preprocess));
    if (spec.algorithms.size() == 1) {
        const QJsonObject only = algorithmJson(spec, spec.algorithms.front());
        for (auto it = only.begin(); it != only.end(); ++it)
            json.insert(it.key(), it.value());
    } else {
        QJsonArray list;
        for (const AlgorithmSearch& search : spec.algorithms)
            list.append(algorithmJson(spec, search));
        json.insert(QStringLiteral("algorithms"), list);
    }
    if (spec.hyperband) {
        QJsonObject budget{{QStringLiteral("resource"), qs(spec.resource)},
                           {QStringLiteral("min_resource"), spec.hyperband->minResource},
                           {QStringLiteral("max_resource"), spec.hyperband->maxResource},
                           {QStringLiteral("eta"), spec.hyperband->eta}};
        if (isMultiFidelity(spec.strategy.kind))
            budget.insert(QStringLiteral("brackets"), spec.hyperband->brackets);
        json.insert(QStringLiteral("hyperband"), budget);
    }
    if (spec.resources)
        json.insert(QStringLiteral("resources"),
                    QJsonObject{{QStringLiteral("machine"), amountsJson(spec.resources->machine, true)},
                                {QStringLiteral("trial"), amountsJson(spec.resources->trial, false)}});
    if (!spec.warmStart.empty())
        json.insert(QStringLiteral("warm_start"),
                    QJsonObject{{QStringLiteral("experiments"), textArray(spec.warmStart)},
                                {QStringLiteral("type"),
                                 spec.warmStartType == ExperimentSpec::WarmStartType::TransferLearning
                                     ? QStringLiteral("transfer_learning")
                                     : QStringLiteral("identical_data_and_algorithm")}});
    return json;
}

std::string firstDifference(const QJsonValue& a, const QJsonValue& b, const std::string& path)
{
    const auto join = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
    if (a.isObject() && b.isObject()) {
        const QJsonObject left = a.toObject();
        const QJsonObject right = b.toObject();
        QStringList keys = left.keys();
        for (const QString& key : right.keys()) {
            if (!keys.contains(key))
                keys << key;
        }
        keys.sort();
        for (const QString& key : keys) {
            if (std::string found = firstDifference(left.value(key), right.value(key), join(key.toStdString()));
                !found.empty())
                return found;
        }
        return {};
    }
    if (a.isArray() && b.isArray() && a.toArray().size() == b.toArray().size()) {
        for (qsizetype i = 0; i < a.toArray().size(); ++i) {
            if (std::string found = firstDifference(a.toArray().at(i), b.toArray().at(i), join(std::to_string(i)));
                !found.empty())
                return found;
        }
        return {};
    }
    return a == b ? std::string() : (path.empty() ? std::string("(the whole spec)") : path);
}

} // namespace tunebench::tuning
