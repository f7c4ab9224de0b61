#pragma once

// An external-command experiment whose trials are a shell script, for tests of what the engine gives a command
// (placeholders, environment, GPUs, checkpoints): /bin/sh -c SCRIPT sh ARGUMENTS..., one continuous range x in
// [0, 1] (usable as {x}), random search, metrics read as "name=value" (the first one the objective, minimised).

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace tunebench::testing {

inline QJsonObject shellScriptSpec(const QString& name, const QString& script, const QStringList& arguments,
                                   const QStringList& metrics, int trials, int parallel)
{
    QJsonArray argv{QStringLiteral("/bin/sh"), QStringLiteral("-c"), script, QStringLiteral("sh")};
    for (const QString& argument : arguments)
        argv.append(argument);
    QJsonArray patterns;
    for (const QString& metric : metrics)
        patterns.append(QJsonObject{{QStringLiteral("name"), metric},
                                    {QStringLiteral("regex"), QString(metric + QStringLiteral("=(\\S+)"))}});
    return {{QStringLiteral("name"), name},
            {QStringLiteral("algorithm"),
             QJsonObject{{QStringLiteral("command"), argv}, {QStringLiteral("metrics"), patterns}}},
            {QStringLiteral("ranges"),
             QJsonObject{{QStringLiteral("x"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("continuous")},
                                      {QStringLiteral("min"), 0},
                                      {QStringLiteral("max"), 1}}}}},
            {QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), metrics.value(0)}}},
            {QStringLiteral("strategy"), QStringLiteral("random")},
            {QStringLiteral("limits"),
             QJsonObject{{QStringLiteral("max_trials"), trials}, {QStringLiteral("max_parallel"), parallel}}}};
}

} // namespace tunebench::testing
