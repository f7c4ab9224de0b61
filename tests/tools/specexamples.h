#pragma once

// Every spec the project shows or ships, for tests that must hold for all of them (the canonical form, the
// editor's round trip): the JSON specs in tests/data, the spec fuzzer's seeds, the demo's spec, the examples of
// docs/spec.md (its fragments put into the first example), and each strategy with one built-in algorithm,
// several (with a condition), and an external command. Specs the parser refuses (the fuzzer's error seeds) are
// left out by the tests that read them, which count what they checked.

#include <vector>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QString>

namespace tunebench::testing {

struct SpecExample
{
    QString name;
    QByteArray json;
    QString folder; ///< relative paths resolve against it
};

inline QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// The ```json blocks of a Markdown file, in order.
inline QList<QByteArray> jsonBlocks(const QString& markdown)
{
    QList<QByteArray> blocks;
    static const QRegularExpression block(QStringLiteral("```json\\n(.*?)```"),
                                          QRegularExpression::DotMatchesEverythingOption);
    for (auto it = block.globalMatch(QString::fromUtf8(readAll(markdown))); it.hasNext();)
        blocks << it.next().captured(1).toUtf8();
    return blocks;
}

/// Each strategy with one built-in algorithm, three of them (one range conditional), and a command.
inline std::vector<SpecExample> generatedSpecs(const QString& dataFolder)
{
    std::vector<SpecExample> specs;
    const QJsonObject dataset{{QStringLiteral("path"), QStringLiteral("breast_cancer.csv")},
                              {QStringLiteral("target"), QStringLiteral("target")}};
    const QJsonObject logisticRanges{{QStringLiteral("C"),
                                      QJsonObject{{QStringLiteral("type"), QStringLiteral("continuous")},
                                                  {QStringLiteral("min"), 0.01},
                                                  {QStringLiteral("max"), 100},
                                                  {QStringLiteral("scaling"), QStringLiteral("log")}}}};
    const QJsonArray three{
        QJsonObject{{QStringLiteral("algorithm"), QStringLiteral("logistic")},
                    {QStringLiteral("ranges"), logisticRanges}},
        QJsonObject{{QStringLiteral("algorithm"), QStringLiteral("forest")},
                    {QStringLiteral("fixed"), QJsonObject{{QStringLiteral("trees"), 30}}},
                    {QStringLiteral("ranges"),
                     QJsonObject{{QStringLiteral("max_depth"),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                                              {QStringLiteral("min"), 2},
                                              {QStringLiteral("max"), 12}}}}}},
        QJsonObject{{QStringLiteral("algorithm"), QStringLiteral("xgboost")},
                    {QStringLiteral("fixed"), QJsonObject{{QStringLiteral("rounds"), 20}}},
                    {QStringLiteral("ranges"),
                     QJsonObject{{QStringLiteral("grow_policy"),
                                  QJsonArray{QStringLiteral("depthwise"), QStringLiteral("lossguide")}},
                                 {QStringLiteral("max_leaves"),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                                              {QStringLiteral("min"), 8},
                                              {QStringLiteral("max"), 256},
                                              {QStringLiteral("scaling"), QStringLiteral("log")},
                                              {QStringLiteral("when"),
                                               QJsonObject{{QStringLiteral("grow_policy"),
                                                            QJsonArray{QStringLiteral("lossguide")}}}}}}}}}};
    const QJsonObject command{
        {QStringLiteral("command"),
         QJsonArray{QStringLiteral("python3"), QStringLiteral("train.py"), QStringLiteral("--lr"),
                    QStringLiteral("{lr}"), QStringLiteral("--epochs"), QStringLiteral("{epochs}"),
                    QStringLiteral("--train"), QStringLiteral("{train_path}")}},
        {QStringLiteral("metrics"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("loss")},
                                {QStringLiteral("regex"), QStringLiteral("loss=([-+0-9.eE]+)")}},
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("accuracy")},
                                {QStringLiteral("regex"), QStringLiteral("acc(?:uracy)?=(\\S+)")}}}},
        {QStringLiteral("environment"), QJsonObject{{QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("1")}}},
        {QStringLiteral("timeout_seconds"), 60}};
    const QJsonObject commandRanges{{QStringLiteral("lr"),
                                     QJsonObject{{QStringLiteral("type"), QStringLiteral("continuous")},
                                                 {QStringLiteral("min"), 0.0001},
                                                 {QStringLiteral("max"), 0.1},
                                                 {QStringLiteral("scaling"), QStringLiteral("log")}}}};
    for (const char* strategy : {"grid", "random", "sobol", "bayesian", "tpe", "nsga2", "hyperband", "asha", "bohb"}) {
        const QString name = QString::fromLatin1(strategy);
        const QJsonObject common{{QStringLiteral("strategy"), name},
                                 {QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), 12}}},
                                 {QStringLiteral("seed"), 3}};
        QJsonObject single = common;
        single.insert(QStringLiteral("name"), QString(name + QStringLiteral("-single")));
        single.insert(QStringLiteral("dataset"), dataset);
        single.insert(QStringLiteral("algorithm"), QStringLiteral("logistic"));
        single.insert(QStringLiteral("ranges"), logisticRanges);
        single.insert(QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), QStringLiteral("auc")}});
        QJsonObject several = single;
        several.insert(QStringLiteral("name"), QString(name + QStringLiteral("-three")));
        several.remove(QStringLiteral("algorithm"));
        several.remove(QStringLiteral("ranges"));
        several.insert(QStringLiteral("algorithms"), three);
        if (name == QLatin1String("hyperband") || name == QLatin1String("asha") || name == QLatin1String("bohb")) {
            // Hyperband runs each algorithm at a resource it sets: the forest's trees. BOHB's under the newer key.
            several.insert(QLatin1String(name == QLatin1String("bohb") ? "budget" : "hyperband"),
                           QJsonObject{{QStringLiteral("resource"), QStringLiteral("max_iter")},
                                       {QStringLiteral("max_resource"), 27}});
            several.insert(QStringLiteral("algorithms"), QJsonArray{three.at(0)});
        }
        QJsonObject script = common;
        script.insert(QStringLiteral("name"), QString(name + QStringLiteral("-command")));
        script.insert(QStringLiteral("dataset"), dataset);
        script.insert(QStringLiteral("algorithm"), command);
        script.insert(QStringLiteral("fixed"), QJsonObject{{QStringLiteral("epochs"), QStringLiteral("10")}});
        script.insert(QStringLiteral("ranges"), commandRanges);
        script.insert(QStringLiteral("objective"),
                      QJsonObject{{QStringLiteral("metric"), QStringLiteral("accuracy")},
                                  {QStringLiteral("goal"), QStringLiteral("maximize")}});
        if (name == QLatin1String("tpe")) // a script that wants GPUs
            script.insert(
                QStringLiteral("resources"),
                QJsonObject{{QStringLiteral("machine"), QJsonObject{{QStringLiteral("gpus"), QJsonArray{0, 1}}}},
                            {QStringLiteral("trial"), QJsonObject{{QStringLiteral("gpus"), 1}}}});
        if (name == QLatin1String("hyperband") || name == QLatin1String("asha")) {
            script.insert(QStringLiteral("fixed"), QJsonObject{});
            script.insert(QStringLiteral("hyperband"),
                          QJsonObject{{QStringLiteral("resource"), QStringLiteral("epochs")},
                                      {QStringLiteral("min_resource"), 1},
                                      {QStringLiteral("max_resource"), 27},
                                      {QStringLiteral("eta"), 3}});
        }
        // Several objectives and constraints where the strategy takes them.
        const auto objective = [](const char* metric, const char* goal) {
            return QJsonObject{{QStringLiteral("metric"), QString::fromLatin1(metric)},
                               {QStringLiteral("goal"), QString::fromLatin1(goal)}};
        };
        const auto constraint = [](const char* metric, const char* op, double bound) {
            return QJsonArray{
                QJsonObject{{QStringLiteral("metric"), QString::fromLatin1(metric)}, {QString::fromLatin1(op), bound}}};
        };
        if (name == QLatin1String("bayesian") || name == QLatin1String("nsga2") || name == QLatin1String("random")) {
            single.remove(QStringLiteral("objective"));
            single.insert(QStringLiteral("objectives"),
                          QJsonArray{objective("auc", "maximize"), objective("fit_seconds", "minimize")});
            single.insert(QStringLiteral("constraints"), constraint("model_size", "<=", 5000));
        }
        if (name == QLatin1String("tpe") || name == QLatin1String("nsga2")) {
            script.remove(QStringLiteral("objective"));
            script.insert(QStringLiteral("objectives"),
                          QJsonArray{objective("accuracy", "maximize"), objective("loss", "minimize")});
        }
        if (name == QLatin1String("sobol") || name == QLatin1String("grid"))
            several.insert(QStringLiteral("constraints"), constraint("recall_macro", ">=", 0.9));
        for (const QJsonObject& spec : {single, several, script})
            specs.push_back({spec.value(QLatin1String("name")).toString(), QJsonDocument(spec).toJson(), dataFolder});
    }
    return specs;
}

/// `dataFolder` is tests/data; the docs and the fuzzer's seeds are found beside it.
inline std::vector<SpecExample> specExamples(const QString& dataFolder)
{
    std::vector<SpecExample> specs;
    const QDir data(dataFolder);
    for (const QString& file : data.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        specs.push_back({QStringLiteral("tests/data/") + file, readAll(data.filePath(file)), dataFolder});
    const QDir seeds(data.filePath(QStringLiteral("../fuzz/corpus/spec")));
    for (const QString& file : seeds.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        specs.push_back({QStringLiteral("fuzz seed ") + file, readAll(seeds.filePath(file)), dataFolder});
    const QDir demo(data.filePath(QStringLiteral("../../resources/demo-specs")));
    for (const QString& file : demo.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        specs.push_back({QStringLiteral("demo ") + file, readAll(demo.filePath(file)), demo.absolutePath()});

    // docs/spec.md: whole specs as they are; a fragment ("algorithm": {...}, "executor": {...}) in the first.
    const QList<QByteArray> blocks = jsonBlocks(data.filePath(QStringLiteral("../../docs/spec.md")));
    const QJsonObject first = QJsonDocument::fromJson(blocks.value(0)).object();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QString name = QStringLiteral("docs/spec.md example %1").arg(i + 1);
        const QJsonDocument whole = QJsonDocument::fromJson(blocks[i]);
        if (whole.isObject()) {
            if (!whole.object().contains(QLatin1String("datasets"))) // a benchmark's spec, not an experiment's
                specs.push_back({name, blocks[i], dataFolder});
            continue;
        }
        const QJsonObject fragment = QJsonDocument::fromJson("{" + blocks[i] + "}").object();
        if (fragment.isEmpty())
            continue;
        QJsonObject merged = first;
        for (auto it = fragment.begin(); it != fragment.end(); ++it)
            merged.insert(it.key(), it.value());
        if (fragment.contains(QLatin1String("algorithm"))) // a command: its metric, no built-in's settings
            merged.insert(QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), QStringLiteral("loss")}});
        specs.push_back({name, QJsonDocument(merged).toJson(), dataFolder});
    }
    for (SpecExample& generated : generatedSpecs(dataFolder))
        specs.push_back(std::move(generated));
    return specs;
}

} // namespace tunebench::testing
