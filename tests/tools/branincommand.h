#pragma once

// The Branin experiment run through the external-command path (tb_testfunction as the training script),
// as the UI tests and the GUI benchmark use it: ranges x1, x2; metrics "value" (the objective) and "loss"
// (a curve of `steps` points, one every `sleepMs`).

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace tunebench::testing {

struct BraninCommand
{
    QString name;
    QString testFunction;
    int steps = 0;
    int sleepMs = 0;
    int trials = 10;
    int parallel = 2;
    int seed = 1;
};

inline QJsonObject braninCommandSpec(const BraninCommand& c)
{
    auto metric = [](const char* name) {
        return QJsonObject{{QStringLiteral("name"), QString::fromLatin1(name)},
                           {QStringLiteral("regex"), QString(QString::fromLatin1(name) + QStringLiteral("=(\\S+)"))}};
    };
    auto range = [](double min, double max) {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("continuous")},
                           {QStringLiteral("min"), min},
                           {QStringLiteral("max"), max}};
    };
    return {
        {QStringLiteral("name"), c.name},
        {QStringLiteral("algorithm"),
         QJsonObject{{QStringLiteral("command"),
                      QJsonArray{c.testFunction, QStringLiteral("branin"), QStringLiteral("{x1}"),
                                 QStringLiteral("{x2}"), QStringLiteral("--steps"), QString::number(c.steps),
                                 QStringLiteral("--sleep-ms"), QString::number(c.sleepMs)}},
                     {QStringLiteral("metrics"), QJsonArray{metric("value"), metric("loss")}}}},
        {QStringLiteral("ranges"),
         QJsonObject{{QStringLiteral("x1"), range(-5, 10)}, {QStringLiteral("x2"), range(0, 15)}}},
        {QStringLiteral("objective"),
         QJsonObject{{QStringLiteral("metric"), QStringLiteral("value")},
                     {QStringLiteral("goal"), QStringLiteral("minimize")}}},
        {QStringLiteral("strategy"), QStringLiteral("random")},
        {QStringLiteral("limits"),
         QJsonObject{{QStringLiteral("max_trials"), c.trials}, {QStringLiteral("max_parallel"), c.parallel}}},
        {QStringLiteral("seed"), c.seed},
    };
}

} // namespace tunebench::testing
