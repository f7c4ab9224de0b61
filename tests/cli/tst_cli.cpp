// tunebench-cli end to end: the real binary in a real process, on the real datasets.

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <set>

#include <sqlite3.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "../tools/shellscriptspec.h"
#include "store/projectstore.h"
#include "teststates.h"
#include "util/isa.h"

using namespace tunebench;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(TUNEBENCH_CLI), arguments);
    Run run;
    if (!process.waitForFinished(300000)) {
        process.kill();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString data(const char* name)
{
    return QStringLiteral(TUNEBENCH_TEST_DATA "/") + QLatin1String(name);
}

/// Writes `bytes` to `path`; false when it cannot.
bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile out(path);
    return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size();
}

/// Runs `tune SPEC --project PROJECT` and kills it (-9) as soon as `ready()` holds; false when it never did within
/// `timeoutMs` or the run had ended by itself.
bool killTuneOnce(const QString& spec, const QString& project, const std::function<bool()>& ready, int timeoutMs)
{
    QProcess tune;
    tune.start(QStringLiteral(TUNEBENCH_CLI), {QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    if (!tune.waitForStarted() || !QTest::qWaitFor(ready, timeoutMs))
        return false;
    tune.kill();
    tune.waitForFinished();
    return tune.exitStatus() == QProcess::CrashExit;
}

/// The budget trial `record` reached: its parameter `resource`, as the project recorded it.
int budgetOf(const store::TrialRecord& record, const char* resource)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(record.paramsJson))
        .object()
        .value(QLatin1String(resource))
        .toInt();
}

QJsonObject json(const Run& run)
{
    QJsonParseError error{};
    const auto document = QJsonDocument::fromJson(run.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << run.out.left(400);
    return document.object();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelp();
    void helpForEveryCommand_data();
    void helpForEveryCommand();
    void inspectJson_data();
    void inspectJson();
    void inspectText();
    void inspectOptions();
    void badInputNamesLineAndColumn();
    void inspectSniffsPreambleAndBlanks();
    void usageErrors_data();
    void usageErrors();
    void importAndList();
    void demo();
    void reportAsPdf();
    void algorithmsSchema();
    void train_data();
    void train();
    void trainWarnsOfRareClasses();
    void trainErrors_data();
    void trainErrors();
    void trainRecordsInProject();
    void outOfFoldMetricsPoolEveryRow_data();
    void outOfFoldMetricsPoolEveryRow();
    void saveModelAndPredict();
    void predictScoresAFileThatHoldsTheTarget();
    void preprocessingOptions();
    void tuneHonoursIgnoredColumnsAndTypes();
    void tuneReadsTheFileAsTheSpecSays();
    void tuneResumeAndRuns();
    void benchmark();
    void killedTuningResumesExactly_data();
    void killedTuningResumesExactly();
    void receivedProjectNeedsTrustToResume();
    void aKilledScriptResumesFromItsCheckpoint();
    void ashaContinuesScriptsAcrossRungsAndAKill();
    void ashaResumesPausedBuiltinFitsAfterAKill();
    void severalObjectivesAndAConstraintSurviveAKill();
    void medianRuleStopsByRankWithSeveralObjectives();
    void fullDiskLosesNothing();
    void runTrialWritesEventLines();
    void rerunSaysWhetherATrialReproduces();
    void stopAsksTheRunsOwner();
    void sageMakerConfigAsAwsWritesIt();
    void sageMakerConfigsOfThreeAlgorithms_data();
    void sageMakerConfigsOfThreeAlgorithms();
};

void TestCli::versionAndHelp()
{
    const Run version = cli({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("tunebench-cli " TUNEBENCH_VERSION));
    // Which build of the engine runs: the one linked here ("native" in the release build, "x86-64" in the
    // portable ones; the package's, chosen by the loader, is checked by tests/check_package.sh).
    const QByteArray level
        = "(engine compiled for " + QByteArray::fromStdString(std::string(util::instructionSetLevel())) + ")";
    QVERIFY2(version.out.contains(level), version.out.constData());
    const Run help = cli({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    for (const char* command :
         {"inspect", "import", "datasets", "demo", "algorithms", "train", "predict", "tune", "resume", "runs", "stop",
          "rerun", "run-trial", "importance", "benchmark", "report", "export-model"})
        QVERIFY2(help.out.contains(command), command);
}

void TestCli::helpForEveryCommand_data()
{
    QTest::addColumn<QString>("command");
    for (const char* command :
         {"inspect", "import", "datasets", "demo", "algorithms", "train", "predict", "tune", "resume", "runs", "stop",
          "rerun", "run-trial", "importance", "benchmark", "report", "export-model"})
        QTest::newRow(command) << command;
}

void TestCli::helpForEveryCommand()
{
    QFETCH(QString, command);
    const Run run = cli({command, QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QByteArray(QByteArray("Usage: tunebench-cli ") + command.toUtf8())));
    QVERIFY(run.out.contains("--help"));
}

void TestCli::inspectJson_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("columns");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("task");
    QTest::newRow("breast_cancer.csv") << data("breast_cancer.csv") << 569 << 31 << "target"
                                       << "binary";
    QTest::newRow("penguins.csv") << data("penguins.csv") << 344 << 8 << "species"
                                  << "multiclass";
    QTest::newRow("glass.arff") << data("glass.arff") << 214 << 10 << "Type"
                                << "multiclass";
    QTest::newRow("cpu.arff") << data("cpu.arff") << 209 << 7 << "class"
                              << "regression";
    QTest::newRow("digits.csv.gz") << data("digits.csv.gz") << 1797 << 65 << "target"
                                   << "multiclass";
}

void TestCli::inspectJson()
{
    QFETCH(QString, file);
    QFETCH(int, rows);
    QFETCH(int, columns);
    QFETCH(QString, target);
    QFETCH(QString, task);
    const Run run = cli({QStringLiteral("inspect"), file, QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject result = json(run);
    QCOMPARE(result.value(QStringLiteral("rows")).toInt(), rows);
    QCOMPARE(result.value(QStringLiteral("columns")).toArray().size(), columns);
    QCOMPARE(result.value(QStringLiteral("target")).toString(), target);
    QCOMPARE(result.value(QStringLiteral("task")).toString(), task);
    for (const QJsonValue& value : result.value(QStringLiteral("columns")).toArray()) {
        const QJsonObject column = value.toObject();
        for (const char* key : {"name", "type", "missing", "distinct"})
            QVERIFY2(column.contains(QLatin1String(key)), key);
    }
}

void TestCli::inspectText()
{
    const Run run = cli({QStringLiteral("inspect"), data("penguins.csv")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("344 rows x 8 columns (csv, delimiter ',', header)"));
    QVERIFY(run.out.contains("Adelie (152)"));
    // Dates as dates (a time of day only when some value has one), not as seconds.
    QTemporaryDir dir;
    const QString days = dir.filePath(QStringLiteral("days.csv"));
    QVERIFY(writeFile(days, "day,v\n2020-03-05,2\n2020-01-01,1\n2021-12-31,3\n"));
    const Run dated = cli({QStringLiteral("inspect"), days});
    QVERIFY2(dated.out.contains("date               0         3  from 2020-01-01 to 2021-12-31\n"),
             dated.out.constData());
    const QString stamps = dir.filePath(QStringLiteral("stamps.arff"));
    QVERIFY(writeFile(stamps,
                      "@relation s\n@attribute when date \"yyyy-MM-dd HH:mm:ss\"\n@attribute x numeric\n"
                      "@data\n\"2001-04-03 12:12:12\",1\n\"2001-06-03 01:00:00\",2\n"));
    const Run timed = cli({QStringLiteral("inspect"), stamps});
    QVERIFY2(timed.out.contains("from 2001-04-03 12:12:12 to 2001-06-03 01:00:00 UTC"), timed.out.constData());
}

void TestCli::inspectOptions()
{
    // --target overrides the suggestion; --type forces a type; the levels come with it.
    const Run run
        = cli({QStringLiteral("inspect"), data("penguins.csv"), QStringLiteral("--json"), QStringLiteral("--target"),
               QStringLiteral("species"), QStringLiteral("--type"), QStringLiteral("year=categorical")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject result = json(run);
    QCOMPARE(result.value(QStringLiteral("target")).toString(), QStringLiteral("species"));
    QCOMPARE(result.value(QStringLiteral("task")).toString(), QStringLiteral("multiclass"));
    const QJsonObject year = result.value(QStringLiteral("columns")).toArray().at(7).toObject();
    QCOMPARE(year.value(QStringLiteral("type")).toString(), QStringLiteral("categorical"));
    QCOMPARE(year.value(QStringLiteral("levels")).toArray().size(), 3);
    const QJsonObject species = result.value(QStringLiteral("columns")).toArray().at(0).toObject();
    QCOMPARE(species.value(QStringLiteral("levels")).toArray().at(0).toString(), QStringLiteral("Adelie"));
}

void TestCli::badInputNamesLineAndColumn()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("ragged.csv"));
    QVERIFY(writeFile(file, "a,b,c\n1,2,3\n4,5\n"));
    const Run run = cli({QStringLiteral("inspect"), file, QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QCOMPARE(
        QString::fromUtf8(run.err).trimmed(),
        QStringLiteral("tunebench-cli: error: %1:3:4: expected 3 fields (as in the first row), found 2").arg(file));
    const Run skipping
        = cli({QStringLiteral("inspect"), file, QStringLiteral("--json"), QStringLiteral("--skip-bad-rows")});
    QCOMPARE(skipping.exitCode, 0);
    QCOMPARE(json(skipping).value(QStringLiteral("skipped_rows")).toInt(), 1);
    QCOMPARE(json(skipping).value(QStringLiteral("rows")).toInt(), 1);

    const Run missing = cli({QStringLiteral("inspect"), dir.filePath(QStringLiteral("absent.csv"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("absent.csv: cannot open"));
}

void TestCli::inspectSniffsPreambleAndBlanks()
{
    // A title above columns aligned with blanks: both sniffed, both said; --skip-rows and --delimiter override.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("aligned.data"));
    QVERIFY(
        writeFile(file, "Plant growth, May 2024 (cm)\n  x     y  label\n1.5   2.0  a\n2.5  30.5  b\n 3.5   4.0  a\n"));
    const Run text = cli({QStringLiteral("inspect"), file});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("3 rows x 3 columns (csv, delimiter whitespace, 1 row above the table left out, "
                               "header)"),
             text.out.constData());
    const Run sniffed = cli({QStringLiteral("inspect"), file, QStringLiteral("--json")});
    QCOMPARE(json(sniffed).value(QStringLiteral("delimiter")).toString(), QStringLiteral("whitespace"));
    QCOMPARE(json(sniffed).value(QStringLiteral("preamble_rows")).toInt(), 1);
    QCOMPARE(json(sniffed).value(QStringLiteral("target")).toString(), QStringLiteral("label"));
    const Run none = cli({QStringLiteral("inspect"), file, QStringLiteral("--skip-rows"), QStringLiteral("0"),
                          QStringLiteral("--delimiter"), QStringLiteral("whitespace")});
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains("aligned.data:2:"), none.err.constData()); // the title, 5 fields, read as the header
    const Run bad = cli({QStringLiteral("inspect"), file, QStringLiteral("--skip-rows"), QStringLiteral("two")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains("--skip-rows takes a count of rows"));
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no command") << QStringList{};
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
    QTest::newRow("inspect without file") << QStringList{QStringLiteral("inspect")};
    QTest::newRow("unknown option") << QStringList{QStringLiteral("inspect"), data("iris.csv"),
                                                   QStringLiteral("--bogus")};
    QTest::newRow("bad type override") << QStringList{QStringLiteral("inspect"), data("iris.csv"),
                                                      QStringLiteral("--type"), QStringLiteral("target=colour")};
    QTest::newRow("import without project") << QStringList{QStringLiteral("import"), data("iris.csv")};
    QTest::newRow("report --json without --out")
        << QStringList{QStringLiteral("report"), QStringLiteral("x"), QStringLiteral("--project"),
                       QStringLiteral("p.tbproj"), QStringLiteral("--json")};
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    const Run run = cli(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(!run.err.isEmpty());
}

void TestCli::importAndList()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("p.tbproj"));
    const Run first = cli({QStringLiteral("import"), data("iris.csv"), data("glass.arff"), QStringLiteral("--project"),
                           project, QStringLiteral("--json")});
    QCOMPARE(first.exitCode, 0);
    const QJsonArray imported = json(first).value(QStringLiteral("datasets")).toArray();
    QCOMPARE(imported.size(), 2);
    QCOMPARE(imported.at(1).toObject().value(QStringLiteral("rows")).toInt(), 214);
    const Run again = cli({QStringLiteral("import"), data("iris.csv"), QStringLiteral("--project"), project});
    QCOMPARE(again.exitCode, 0);
    QVERIFY(again.out.contains("already in the project"));
    const Run list = cli({QStringLiteral("datasets"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray datasets = json(list).value(QStringLiteral("datasets")).toArray();
    QCOMPARE(datasets.size(), 2);
    QCOMPARE(datasets.at(0).toObject().value(QStringLiteral("sha256")).toString().size(), 64);

    // A file that is not a project is refused with a clear message.
    const Run wrong = cli({QStringLiteral("datasets"), QStringLiteral("--project"), data("iris.csv")});
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY(wrong.err.contains("is not a Tunebench project"));
}

void TestCli::demo()
{
    QTemporaryDir dir;
    const Run run = cli({QStringLiteral("demo"), QStringLiteral("--out"), dir.path(), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject result = json(run);
    QVERIFY(QFile::exists(result.value(QStringLiteral("project")).toString()));
    const QJsonArray datasets = result.value(QStringLiteral("datasets")).toArray();
    QCOMPARE(datasets.size(), 3);
    for (const QJsonValue& value : datasets)
        QVERIFY(QFile::exists(value.toObject().value(QStringLiteral("inspection")).toString()));
    // The example experiment was tuned in the project, its trials recorded; a second demo keeps them.
    const QJsonObject experiment = result.value(QStringLiteral("experiments")).toArray().at(0).toObject();
    QCOMPARE(experiment.value(QStringLiteral("experiment")).toString(), QStringLiteral("breast-cancer-mlp"));
    const int trials = experiment.value(QStringLiteral("trials")).toInt();
    QVERIFY(trials >= 10);
    QVERIFY(experiment.value(QStringLiteral("best")).toObject().value(QStringLiteral("objective")).toDouble() > 0.98);
    const Run runs = cli({QStringLiteral("runs"), QStringLiteral("breast-cancer-mlp"), QStringLiteral("--project"),
                          result.value(QStringLiteral("project")).toString(), QStringLiteral("--json")});
    QCOMPARE(json(runs).value(QStringLiteral("trials")).toArray().size(), trials);
    // The importance of the example's four hyperparameters: shares summing to one, most important first.
    const Run importance
        = cli({QStringLiteral("importance"), QStringLiteral("breast-cancer-mlp"), QStringLiteral("--project"),
               result.value(QStringLiteral("project")).toString(), QStringLiteral("--json")});
    QCOMPARE(importance.exitCode, 0);
    const QJsonArray shares = json(importance).value(QStringLiteral("importance")).toArray();
    QStringList names;
    double sum = 0.0;
    double previous = 1.0;
    for (const QJsonValue& share : shares) {
        names << share.toObject().value(QStringLiteral("name")).toString();
        const double value = share.toObject().value(QStringLiteral("importance")).toDouble();
        QVERIFY(value <= previous);
        QVERIFY(share.toObject().value(QStringLiteral("main_effect")).toDouble() <= value + 1e-12);
        previous = value;
        sum += value;
    }
    names.sort();
    QCOMPARE(names,
             (QStringList{QStringLiteral("activation"), QStringLiteral("l2"), QStringLiteral("learning_rate"),
                          QStringLiteral("units")}));
    QVERIFY(std::abs(sum - 1.0) < 1e-9);
    // The best trial's model, trained on all the data, predicts it back (nearly) right.
    const QString model = dir.filePath(QStringLiteral("best.model"));
    const Run exported = cli({QStringLiteral("export-model"), QStringLiteral("breast-cancer-mlp"),
                              QStringLiteral("--project"), result.value(QStringLiteral("project")).toString(),
                              QStringLiteral("--out"), model, QStringLiteral("--json")});
    QCOMPARE(exported.exitCode, 0);
    QCOMPARE(json(exported).value(QStringLiteral("trial")).toInt(),
             experiment.value(QStringLiteral("best")).toObject().value(QStringLiteral("trial")).toInt());
    const QString predictions = dir.filePath(QStringLiteral("predictions.csv"));
    QCOMPARE(cli({QStringLiteral("predict"), model, data("breast_cancer.csv"), QStringLiteral("--out"), predictions})
                 .exitCode,
             0);
    QFile predicted(predictions);
    QFile truth(data("breast_cancer.csv"));
    QVERIFY(predicted.open(QIODevice::ReadOnly) && truth.open(QIODevice::ReadOnly));
    (void)predicted.readLine();
    (void)truth.readLine();
    int rows = 0;
    int right = 0;
    while (!predicted.atEnd() && !truth.atEnd()) {
        const QByteArray label = truth.readLine().trimmed().split(',').last();
        right += predicted.readLine().split(',').first() == label;
        ++rows;
    }
    QCOMPARE(rows, 569);
    QVERIFY2(right > 0.95 * rows, qPrintable(QString::number(right)));
    QCOMPARE(cli({QStringLiteral("export-model"), QStringLiteral("breast-cancer-mlp"), QStringLiteral("--project"),
                  result.value(QStringLiteral("project")).toString(), QStringLiteral("--trial"), QStringLiteral("999"),
                  QStringLiteral("--out"), model})
                 .exitCode,
             1);

    // The demo wrote the experiment's report beside the project; the report command writes the same page.
    const QString reportPath = experiment.value(QStringLiteral("report")).toString();
    QCOMPARE(QFileInfo(reportPath).fileName(), QStringLiteral("breast-cancer-mlp.report.html"));
    const QString again = dir.filePath(QStringLiteral("report.html"));
    QCOMPARE(cli({QStringLiteral("report"), QStringLiteral("breast-cancer-mlp"), QStringLiteral("--project"),
                  result.value(QStringLiteral("project")).toString(), QStringLiteral("--out"), again})
                 .exitCode,
             0);
    QCOMPARE(QFileInfo(again).size(), QFileInfo(reportPath).size());
    // The report: one well-formed, self-contained page with every section and its charts inline.
    QFile reportFile(reportPath);
    QVERIFY(reportFile.open(QIODevice::ReadOnly));
    const QByteArray html = reportFile.readAll();
    QXmlStreamReader xml(html);
    QStringList sections;
    int charts = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("h2"))
            sections << xml.attributes().value(QLatin1String("id")).toString();
        if (xml.name() == QLatin1String("svg"))
            ++charts;
        // Nothing is fetched from elsewhere.
        QVERIFY(!xml.attributes().hasAttribute(QLatin1String("src")));
        QVERIFY(xml.name() != QLatin1String("link") && xml.name() != QLatin1String("script"));
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(sections,
             (QStringList{QStringLiteral("dataset"), QStringLiteral("setup"), QStringLiteral("outcome"),
                          QStringLiteral("best"), QStringLiteral("history"), QStringLiteral("curves"),
                          QStringLiteral("importance"), QStringLiteral("evaluation"), QStringLiteral("trials"),
                          QStringLiteral("reproducibility")}));
    QVERIFY2(charts >= 5, qPrintable(QString::number(charts))); // history, curves, importance, ROC, permutation
    // The best trial and the dataset's hash are in it.
    const QString best = QString::number(
        experiment.value(QStringLiteral("best")).toObject().value(QStringLiteral("objective")).toDouble(), 'g', 6);
    QVERIFY2(html.contains(best.toUtf8()), qPrintable(best));
    const QJsonObject inspection
        = json(cli({QStringLiteral("datasets"), QStringLiteral("--project"),
                    result.value(QStringLiteral("project")).toString(), QStringLiteral("--json")}));
    bool hashFound = false;
    for (const QJsonValue& d : inspection.value(QStringLiteral("datasets")).toArray())
        hashFound = hashFound || html.contains(d.toObject().value(QStringLiteral("sha256")).toString().toUtf8());
    QVERIFY(hashFound);
    const Run second = cli({QStringLiteral("demo"), QStringLiteral("--out"), dir.path(), QStringLiteral("--json")});
    QCOMPARE(second.exitCode, 0);
    const QJsonObject kept = json(second).value(QStringLiteral("experiments")).toArray().at(0).toObject();
    QVERIFY(kept.value(QStringLiteral("skipped")).toBool());
    QCOMPARE(kept.value(QStringLiteral("report")).toString(), reportPath);
}

void TestCli::reportAsPdf()
{
    // With no display, nor a session's runtime directory (root, cron, CI): the CLI draws the PDF offscreen,
    // and says nothing on stderr.
    QTemporaryDir dir;
    const Run demo = cli({QStringLiteral("demo"), QStringLiteral("--out"), dir.path(), QStringLiteral("--json")});
    QCOMPARE(demo.exitCode, 0);
    const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
    QProcess report;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_RUNTIME_DIR"})
        environment.remove(QString::fromLatin1(name));
    report.setProcessEnvironment(environment);
    report.start(QStringLiteral(TUNEBENCH_CLI),
                 {QStringLiteral("report"), QStringLiteral("breast-cancer-mlp"), QStringLiteral("--project"),
                  json(demo).value(QStringLiteral("project")).toString(), QStringLiteral("--out"), pdf,
                  QStringLiteral("--json")});
    QVERIFY(report.waitForFinished(120000));
    const QByteArray errors = report.readAllStandardError();
    QVERIFY2(report.exitCode() == 0, errors.constData());
    QVERIFY2(errors.isEmpty(), errors.constData());
    const QJsonObject written = QJsonDocument::fromJson(report.readAllStandardOutput()).object();
    QCOMPARE(written.value(QStringLiteral("report")).toString(), QFileInfo(pdf).absoluteFilePath());
    QCOMPARE(written.value(QStringLiteral("format")).toString(), QStringLiteral("pdf"));
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(5), QByteArray("%PDF-"));

    // Every word lies inside the page's 15 mm margins: no line or table row is cut between two pages (its
    // halves would be drawn clipped, beyond the margins), and a heading is never the last thing on a page
    // before its chart (pdftotext -bbox from poppler-utils: each page's words with their boxes, in points).
    QProcess pdftotext;
    pdftotext.start(QStringLiteral("pdftotext"), {QStringLiteral("-bbox"), pdf, QStringLiteral("-")});
    if (!pdftotext.waitForFinished(30000) || pdftotext.exitCode() != 0)
        QSKIP("pdftotext (poppler-utils) is not installed");
    const QString boxes = QString::fromUtf8(pdftotext.readAllStandardOutput());
    const QStringList pages = boxes.split(QStringLiteral("<page "), Qt::SkipEmptyParts).mid(1);
    QVERIFY(pages.size() >= 3);
    static const QRegularExpression pageHeight(QStringLiteral("height=\"([\\d.]+)\""));
    static const QRegularExpression word(
        QStringLiteral("<word xMin=\"[-\\d.]+\" yMin=\"([-\\d.]+)\" xMax=\"[-\\d.]+\" yMax=\"([-\\d.]+)\">([^<]*)<"));
    const double margin = 15.0 / 25.4 * 72.0;
    QStringList words;
    for (const QString& page : pages) {
        const double height = pageHeight.match(page).captured(1).toDouble();
        QVERIFY(height > 800);
        QString previous;
        for (auto it = word.globalMatch(page); it.hasNext();) {
            const QRegularExpressionMatch box = it.next();
            const double top = box.captured(1).toDouble();
            const double bottom = box.captured(2).toDouble();
            QVERIFY2(
                top > margin - 1 && bottom < height - margin + 1,
                qPrintable(
                    QStringLiteral("'%1' at %2-%3 pt of %4").arg(box.captured(3)).arg(top).arg(bottom).arg(height)));
            // The headings followed by a chart: room for the chart (over 100 pt) below each.
            if ((previous == QLatin1String("Optimisation") && box.captured(3) == QLatin1String("history"))
                || (previous == QLatin1String("Hyperparameter") && box.captured(3) == QLatin1String("importance")))
                QVERIFY2(bottom < height - margin - 100, qPrintable(previous + QLatin1Char(' ') + box.captured(3)));
            previous = box.captured(3);
            words << previous;
        }
    }
    const QString text = words.join(QLatin1Char(' '));
    for (const char* expected :
         {"Experiment breast-cancer-mlp", "Optimisation history", "Learning curves of the best trial",
          "Hyperparameter importance", "Evaluation of the best trial", "Reproducibility"})
        QVERIFY2(text.contains(QLatin1String(expected)), expected);

    // A PDF that cannot be written names the file and why, and leaves nothing behind.
    const QString nowhere = dir.filePath(QStringLiteral("missing/report.pdf"));
    const Run failed = cli({QStringLiteral("report"), QStringLiteral("breast-cancer-mlp"), QStringLiteral("--project"),
                            json(demo).value(QStringLiteral("project")).toString(), QStringLiteral("--out"), nowhere});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.err.contains(nowhere.toUtf8()) && failed.err.contains("No such file or directory"),
             failed.err.constData());
    QVERIFY(!QFileInfo::exists(nowhere));
}

void TestCli::benchmark()
{
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("bench.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "pair", "datasets": ["%1", "%2", "%3"],
        "algorithms": ["logistic", {"algorithm": "knn", "fixed": {"k": 1}, "label": "1-nn"}],
        "metric": "accuracy", "validation": {"folds": 5}, "seed": 2})js")
                          .arg(data("iris.arff"), data("wine_data.csv"), data("glass.arff"))
                          .toUtf8()));
    const Run run = cli({QStringLiteral("benchmark"), spec, QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject result = json(run);
    QCOMPARE(result.value(QStringLiteral("baseline")).toString(), QStringLiteral("logistic"));
    const QJsonArray cells = result.value(QStringLiteral("cells")).toArray();
    QCOMPARE(cells.size(), 6);
    for (const QJsonValue& value : cells) {
        const QJsonObject cell = value.toObject();
        QCOMPARE(cell.value(QStringLiteral("scores")).toArray().size(), 5);
        const QString outcome = cell.value(QStringLiteral("outcome")).toString();
        QVERIFY(cell.value(QStringLiteral("algorithm")).toString() == QLatin1String("logistic")
                    ? outcome == QLatin1String("baseline")
                    : QStringList({QStringLiteral("win"), QStringLiteral("tie"), QStringLiteral("loss")})
                          .contains(outcome));
    }
    const QJsonObject friedman = result.value(QStringLiteral("friedman")).toObject();
    QVERIFY(friedman.value(QStringLiteral("critical_difference")).toDouble() > 0.0);
    // The text report: a row per dataset, the record against the baseline, the Friedman line.
    const Run text = cli({QStringLiteral("benchmark"), spec});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains("wine_data"));
    QVERIFY(text.out.contains("Friedman chi-square"));
    QVERIFY(text.err.contains("[6/6] glass / 1-nn"));
    // A bad spec names the file and the field.
    QVERIFY(writeFile(spec, R"({"datasets": ["nowhere.csv"], "algorithms": ["knn"], "metric": "accuracy"})"));
    const Run bad = cli({QStringLiteral("benchmark"), spec});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("bench.json") && bad.err.contains("datasets[0].path"), bad.err.constData());
}

void TestCli::algorithmsSchema()
{
    const Run run = cli({QStringLiteral("algorithms"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonArray list = json(run).value(QStringLiteral("algorithms")).toArray();
    QStringList ids;
    QStringList classificationOnly; // as "algorithm.param"
    QStringList categoryCodesOnly;
    QStringList regressionDefaults; // as "algorithm.param default/regression default"
    QStringList multiclassDefaults; // as "algorithm.param default/default for three classes or more"
    for (const QJsonValue& value : list) {
        const QJsonObject algorithm = value.toObject();
        ids << algorithm.value(QStringLiteral("id")).toString();
        QVERIFY(!algorithm.value(QStringLiteral("tasks")).toArray().isEmpty());
        for (const QJsonValue& param : algorithm.value(QStringLiteral("params")).toArray()) {
            const QJsonObject spec = param.toObject();
            for (const char* key : {"name", "type", "default", "help"})
                QVERIFY2(spec.contains(QLatin1String(key)), key);
            if (spec.value(QStringLiteral("name")).toString() == QLatin1String("ccp_alpha")) {
                // Bounds wide enough for any target's scale; a search starts where pruning is useful.
                QCOMPARE(spec.value(QStringLiteral("search")).toArray(), (QJsonArray{0.0, 0.05}));
                QCOMPARE(spec.value(QStringLiteral("max")).toDouble(), 1e6);
            }
            const QString qualified = ids.last() + u'.' + spec.value(QStringLiteral("name")).toString();
            if (spec.value(QStringLiteral("classification_only")).toBool())
                classificationOnly << qualified;
            if (spec.value(QStringLiteral("category_codes_only")).toBool())
                categoryCodesOnly << qualified;
            if (const QJsonValue regression = spec.value(QStringLiteral("regression_default"));
                !regression.isUndefined())
                regressionDefaults << qualified + u' ' + spec.value(QStringLiteral("default")).toVariant().toString()
                        + u'/' + regression.toVariant().toString();
            if (const QJsonValue multiclass = spec.value(QStringLiteral("multiclass_default"));
                !multiclass.isUndefined())
                multiclassDefaults << qualified + u' ' + spec.value(QStringLiteral("default")).toVariant().toString()
                        + u'/' + multiclass.toVariant().toString();
        }
    }
    // xgboost's shallower, slower-learning trees for a number to predict, every feature at each split, no least gain
    // (its loss has the target's units).
    QCOMPARE(regressionDefaults,
             (QStringList{QStringLiteral("xgboost.max_depth 6/3"), QStringLiteral("xgboost.eta 0.3/0.2"),
                          QStringLiteral("xgboost.colsample_bynode 0.5/1"), QStringLiteral("xgboost.gamma 1/0")}));
    // No least gain either for three classes or more: each class's trees have small gains (docs/benchmarks.md).
    QCOMPARE(multiclassDefaults, (QStringList{QStringLiteral("xgboost.gamma 1/0")}));
    // What the editor greys out for a regression target, and for one-hot categories.
    QCOMPARE(classificationOnly,
             (QStringList{QStringLiteral("logistic.class_weight"), QStringLiteral("mlp.class_weight"),
                          QStringLiteral("tree.criterion"), QStringLiteral("tree.class_weight"),
                          QStringLiteral("forest.criterion"), QStringLiteral("forest.class_weight"),
                          QStringLiteral("xgboost.class_weight")}));
    QCOMPARE(categoryCodesOnly,
             (QStringList{QStringLiteral("xgboost.max_cat_to_onehot"), QStringLiteral("xgboost.max_cat_threshold")}));
    QCOMPARE(
        ids,
        (QStringList{QStringLiteral("logistic"), QStringLiteral("linear"), QStringLiteral("mlp"), QStringLiteral("knn"),
                     QStringLiteral("tree"), QStringLiteral("forest"), QStringLiteral("xgboost")}));
    const QJsonObject c = list.at(0).toObject().value(QStringLiteral("params")).toArray().at(0).toObject();
    QCOMPARE(c.value(QStringLiteral("name")).toString(), QStringLiteral("C"));
    QCOMPARE(c.value(QStringLiteral("scaling")).toString(), QStringLiteral("log"));
    const Run text = cli({QStringLiteral("algorithms")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("default 6 (regression 3)"), text.out.constData());
}

void TestCli::train_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("atLeast");
    QTest::addColumn<int>("folds");
    // Floors well under scikit-learn's 10-fold figures (shared/peers/RESULTS.md), so a real regression fails.
    QTest::newRow("logistic, breast cancer")
        << QStringList{data("breast_cancer.csv"), QStringLiteral("--algorithm"), QStringLiteral("logistic")} << "auc"
        << 0.98 << 5;
    QTest::newRow("knn k=7, iris arff, 3 folds")
        << QStringList{data("iris.arff"),       QStringLiteral("--algorithm"), QStringLiteral("knn"),
                       QStringLiteral("--set"), QStringLiteral("k=7"),         QStringLiteral("--folds"),
                       QStringLiteral("3")}
        << "accuracy" << 0.9 << 3;
    QTest::newRow("forest, penguins by species, holdout")
        << QStringList{data("penguins.csv"),       QStringLiteral("--algorithm"), QStringLiteral("forest"),
                       QStringLiteral("--target"), QStringLiteral("species"),     QStringLiteral("--holdout"),
                       QStringLiteral("0.3"),      QStringLiteral("--set"),       QStringLiteral("trees=30")}
        << "accuracy" << 0.93 << 1;
    QTest::newRow("mlp, wine, 3 folds") << QStringList{data("wine_data.csv"), QStringLiteral("--algorithm"),
                                                       QStringLiteral("mlp"), QStringLiteral("--folds"),
                                                       QStringLiteral("3")}
                                        << "accuracy" << 0.93 << 3;
    QTest::newRow("linear ridge, cpu regression")
        << QStringList{data("cpu.arff"), QStringLiteral("--algorithm"), QStringLiteral("linear"),
                       QStringLiteral("--set"), QStringLiteral("alpha=0.5")}
        << "r2" << 0.6 << 5;
    QTest::newRow("xgboost, glass, 2x repeated")
        << QStringList{data("glass.arff"),      QStringLiteral("--algorithm"), QStringLiteral("xgboost"),
                       QStringLiteral("--set"), QStringLiteral("rounds=30"),   QStringLiteral("--folds"),
                       QStringLiteral("3"),     QStringLiteral("--repeats"),   QStringLiteral("2")}
        << "accuracy" << 0.6 << 6;
}

void TestCli::train()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, metric);
    QFETCH(double, atLeast);
    QFETCH(int, folds);
    const Run run = cli(QStringList{QStringLiteral("train")} + arguments + QStringList{QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject result = json(run);
    const QJsonObject stat = result.value(QStringLiteral("metrics")).toObject().value(metric).toObject();
    QVERIFY2(stat.value(QStringLiteral("mean")).toDouble() >= atLeast,
             qPrintable(QString::number(stat.value(QStringLiteral("mean")).toDouble())));
    QVERIFY(stat.contains(QStringLiteral("std")));
    QCOMPARE(result.value(QStringLiteral("folds")).toArray().size(), folds);
    QVERIFY(result.value(QStringLiteral("fit_seconds")).toDouble() > 0.0);
    QVERIFY(result.value(QStringLiteral("params")).toObject().size() > 0);
    QCOMPARE(result.value(QStringLiteral("warnings")).toArray(), QJsonArray()); // every class in every fold
    if (metric != QLatin1String("r2")) {
        // Per-class scores and the confusion matrix of the out-of-fold predictions add up to the rows.
        const QJsonObject perClass = result.value(QStringLiteral("per_class")).toObject();
        QCOMPARE(perClass.size(), result.value(QStringLiteral("classes")).toArray().size());
        int support = 0;
        for (const QJsonValue& value : perClass)
            support += value.toObject().value(QStringLiteral("support")).toInt();
        QCOMPARE(support, result.value(QStringLiteral("validated_rows")).toInt());
    }
    // "rows" counts the table's rows with a target, "validated_rows" the predictions the figures rest on.
    if (folds == 1) {
        QCOMPARE(result.value(QStringLiteral("rows")).toInt(), 344);
        QCOMPARE(result.value(QStringLiteral("validated_rows")).toInt(), 103); // 30 % of them
    }
    QCOMPARE(result.value(QStringLiteral("rows_without_target")).toInt(), 0);
}

void TestCli::trainWarnsOfRareClasses()
{
    // Glass has 9 tableware pieces: one of 10 stratified folds tests none of them. The figures are still
    // reported; the warning says what they rest on, on stderr and in the JSON.
    const QString expected = QStringLiteral(
        "class 'tableware' has 9 rows: 1 of 10 folds test none of it, and its figures rest on the others");
    const Run run
        = cli({QStringLiteral("train"), data("glass.arff"), QStringLiteral("--algorithm"), QStringLiteral("tree"),
               QStringLiteral("--folds"), QStringLiteral("10"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(QString::fromUtf8(run.err).contains(QStringLiteral("warning: ") + expected), run.err.constData());
    QCOMPARE(json(run).value(QStringLiteral("warnings")).toArray(), QJsonArray{expected});
    const Run fiveFolds = cli({QStringLiteral("train"), data("glass.arff"), QStringLiteral("--algorithm"),
                               QStringLiteral("tree"), QStringLiteral("--folds"), QStringLiteral("5")});
    QCOMPARE(fiveFolds.exitCode, 0);
    QVERIFY2(!fiveFolds.err.contains("warning"), fiveFolds.err.constData());

    // Rows with no target take no part: said, not silent (iris with four blank targets).
    QTemporaryDir dir;
    QFile iris(data("iris.csv"));
    QVERIFY(iris.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = iris.readAll().split('\n');
    for (const int row : {3, 9, 10, 41}) // data rows, counted from 1 after the header
        lines[row] = lines[row].left(lines[row].lastIndexOf(',') + 1);
    const QString blanks = dir.filePath(QStringLiteral("iris-blanks.csv"));
    QVERIFY(writeFile(blanks, lines.join('\n')));
    const Run missing = cli({QStringLiteral("train"), blanks, QStringLiteral("--algorithm"), QStringLiteral("knn"),
                             QStringLiteral("--json")});
    QVERIFY2(missing.exitCode == 0, missing.err.constData());
    const QString said = QStringLiteral(
        "4 rows have no target value (rows 3, 9, 10, 41): they are left out of training and validation");
    QVERIFY2(QString::fromUtf8(missing.err).contains(said), missing.err.constData());
    QCOMPARE(json(missing).value(QStringLiteral("warnings")).toArray(), QJsonArray{said});
}

void TestCli::trainErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown algorithm") << QStringList{data("iris.csv"), QStringLiteral("--algorithm"),
                                                      QStringLiteral("svm")}
                                       << 2 << "unknown algorithm 'svm'";
    QTest::newRow("unknown hyperparameter")
        << QStringList{data("iris.csv"), QStringLiteral("--algorithm"), QStringLiteral("knn"), QStringLiteral("--set"),
                       QStringLiteral("depth=3")}
        << 2 << "knn has no hyperparameter 'depth'";
    QTest::newRow("value out of bounds") << QStringList{
        data("iris.csv"), QStringLiteral("--algorithm"), QStringLiteral("knn"), QStringLiteral("--set"),
        QStringLiteral("k=0")} << 2 << "k: 0 is outside [1, 200]";
    QTest::newRow("regression algorithm on classes")
        << QStringList{data("iris.csv"), QStringLiteral("--algorithm"), QStringLiteral("linear")} << 2
        << "linear does not support multiclass tasks";
    QTest::newRow("missing target column")
        << QStringList{data("iris.csv"), QStringLiteral("--algorithm"), QStringLiteral("knn"),
                       QStringLiteral("--target"), QStringLiteral("species")}
        << 1 << "has no column named 'species'";
    QTest::newRow("ignoring an unknown column")
        << QStringList{data("iris.csv"), QStringLiteral("--algorithm"), QStringLiteral("knn"),
                       QStringLiteral("--ignore"), QStringLiteral("petal")}
        << 1 << "has no column named 'petal' to ignore";
    QTest::newRow("ignoring the target") << QStringList{data("penguins.csv"),      QStringLiteral("--algorithm"),
                                                        QStringLiteral("knn"),     QStringLiteral("--target"),
                                                        QStringLiteral("species"), QStringLiteral("--ignore"),
                                                        QStringLiteral("species")}
                                         << 2 << "--ignore species: it is the target";
}

void TestCli::trainErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run run = cli(QStringList{QStringLiteral("train")} + arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

void TestCli::outOfFoldMetricsPoolEveryRow_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<int>("rows");
    QTest::newRow("linear, cpu regression") << data("cpu.arff") << QStringLiteral("linear") << 209;
    QTest::newRow("logistic, iris") << data("iris.arff") << QStringLiteral("logistic") << 150;
}

void TestCli::outOfFoldMetricsPoolEveryRow()
{
    // Folds of unequal sizes (row i in fold min(i % 4, 2): a quarter, a quarter and half of the rows), so that
    // the pooled figures differ from the fold means; each must be the row-weighted combination of the folds'.
    QFETCH(QString, file);
    QFETCH(QString, algorithm);
    QFETCH(int, rows);
    QTemporaryDir dir;
    const QString foldsFile = dir.filePath(QStringLiteral("folds.txt"));
    QByteArray assignment;
    std::vector<double> size(3, 0.0);
    for (int row = 0; row < rows; ++row) {
        const int fold = std::min(row % 4, 2);
        size[static_cast<std::size_t>(fold)] += 1.0;
        assignment += QByteArray::number(fold) + '\n';
    }
    QVERIFY(writeFile(foldsFile, assignment));
    const Run run = cli({QStringLiteral("train"), file, QStringLiteral("--algorithm"), algorithm,
                         QStringLiteral("--folds-file"), foldsFile, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject result = json(run);
    const QJsonObject pooled = result.value(QStringLiteral("out_of_fold")).toObject();
    const QJsonArray folds = result.value(QStringLiteral("folds")).toArray();
    QCOMPARE(folds.size(), 3);
    auto weighted = [&](const char* metric, auto transform) {
        double sum = 0.0;
        for (qsizetype k = 0; k < folds.size(); ++k)
            sum += size[static_cast<std::size_t>(k)]
                * transform(folds.at(k).toObject().value(QLatin1String(metric)).toDouble());
        return sum / rows;
    };
    auto same = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); };
    if (algorithm == QLatin1String("linear")) {
        const double mae = pooled.value(QStringLiteral("mae")).toDouble();
        const double rmse = pooled.value(QStringLiteral("rmse")).toDouble();
        QVERIFY2(same(mae, weighted("mae", [](double v) { return v; })), qPrintable(QString::number(mae)));
        QVERIFY2(same(rmse * rmse, weighted("rmse", [](double v) { return v * v; })),
                 qPrintable(QString::number(rmse)));
        QVERIFY(pooled.contains(QStringLiteral("r2")));
    } else {
        const double accuracy = pooled.value(QStringLiteral("accuracy")).toDouble();
        QVERIFY2(same(accuracy, weighted("accuracy", [](double v) { return v; })),
                 qPrintable(QString::number(accuracy)));
        // And it is the confusion matrix's diagonal over every row.
        int correct = 0;
        const QJsonArray matrix = result.value(QStringLiteral("confusion_matrix")).toArray();
        for (qsizetype k = 0; k < matrix.size(); ++k)
            correct += matrix.at(k).toArray().at(k).toInt();
        QVERIFY(same(accuracy, static_cast<double>(correct) / rows));
        QVERIFY(pooled.value(QStringLiteral("auc")).toDouble() > 0.9);
    }
    // The plain-text report says the same.
    const Run text = cli({QStringLiteral("train"), file, QStringLiteral("--algorithm"), algorithm,
                          QStringLiteral("--folds-file"), foldsFile});
    QVERIFY2(text.out.contains("folds: mean +- std   all rows"), text.out.constData());
}

void TestCli::trainRecordsInProject()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("runs.tbproj"));
    const Run run = cli({QStringLiteral("train"), data("wine_data.csv"), QStringLiteral("--algorithm"),
                         QStringLiteral("logistic"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(json(run).value(QStringLiteral("experiment")).toString().startsWith(QLatin1String("train logistic")));
    const Run list = cli({QStringLiteral("datasets"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    QCOMPARE(json(list).value(QStringLiteral("datasets")).toArray().size(), 1);

    // With columns left out, the project still records the file whole (one record for both runs) and the
    // run's spec names what was left out, and how missing values were filled.
    const Run ignoring = cli({QStringLiteral("train"), data("wine_data.csv"), QStringLiteral("--algorithm"),
                              QStringLiteral("logistic"), QStringLiteral("--ignore"), QStringLiteral("alcohol"),
                              QStringLiteral("--impute"), QStringLiteral("median"), QStringLiteral("--project"),
                              project, QStringLiteral("--json")});
    QVERIFY2(ignoring.exitCode == 0, ignoring.err.constData());
    QCOMPARE(json(ignoring).value(QStringLiteral("features")).toInt(), 12);
    const Run again = cli({QStringLiteral("datasets"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    const QJsonArray recorded = json(again).value(QStringLiteral("datasets")).toArray();
    QCOMPARE(recorded.size(), 1);
    QCOMPARE(recorded.at(0).toObject().value(QStringLiteral("columns")).toInt(), 14);
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open_v2(project.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* query = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, "SELECT spec_json FROM experiments WHERE name = ?", -1, &query, nullptr),
             SQLITE_OK);
    const QByteArray name = json(ignoring).value(QStringLiteral("experiment")).toString().toUtf8();
    sqlite3_bind_text(query, 1, name.constData(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    const bool found = sqlite3_step(query) == SQLITE_ROW;
    const QByteArray spec
        = found ? QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(query, 0))) : QByteArray();
    sqlite3_finalize(query);
    sqlite3_close(db);
    QVERIFY(found);
    QVERIFY2(spec.contains(R"("ignore":["alcohol"])"), spec.constData());
    QVERIFY2(spec.contains(R"("preprocessing":{"categorical":"onehot","impute":"median","missing_indicators":false,)"
                           R"("standardize":true})"),
             spec.constData());

    // The one trial has a tuned trial's fields (the run recorder writes both): an objective, each metric's
    // folds and the fit time; the experiment's spec is whole, so its report is written like any other's.
    const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    const auto experiment = store->experimentByName(name.toStdString());
    QVERIFY(experiment);
    QCOMPARE(experiment->status, ExperimentState::Finished);
    const std::vector<store::TrialRecord> trials = store->trials(experiment->id);
    QCOMPARE(trials.size(), std::size_t{1});
    QCOMPARE(trials[0].status, TrialState::Finished);
    QVERIFY(trials[0].objective && *trials[0].objective > 0.8); // accuracy, the task's first metric
    const QJsonObject metrics = QJsonDocument::fromJson(QByteArray::fromStdString(trials[0].metricsJson)).object();
    QCOMPARE(metrics.value(QStringLiteral("accuracy")).toObject().value(QStringLiteral("folds")).toArray().size(), 5);
    QVERIFY(metrics.value(QStringLiteral("fit_seconds")).toDouble() > 0);
    QVERIFY(!store->metricSeries(trials[0].id).empty());
    const QString pdf = dir.filePath(QStringLiteral("train.pdf"));
    const Run report = cli({QStringLiteral("report"), QString::fromUtf8(name), QStringLiteral("--project"), project,
                            QStringLiteral("--no-evaluation"), QStringLiteral("--out"), pdf});
    QVERIFY2(report.exitCode == 0, report.err.constData());
    QFile written(pdf);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QVERIFY(written.read(5) == "%PDF-");
}

void TestCli::saveModelAndPredict()
{
    QTemporaryDir dir;
    const QString model = dir.filePath(QStringLiteral("penguins.tbmodel"));
    const Run train
        = cli({QStringLiteral("train"), data("penguins.csv"), QStringLiteral("--target"), QStringLiteral("species"),
               QStringLiteral("--algorithm"), QStringLiteral("forest"), QStringLiteral("--set"),
               QStringLiteral("trees=20"), QStringLiteral("--save-model"), model, QStringLiteral("--json")});
    QVERIFY2(train.exitCode == 0, train.err.constData());
    QCOMPARE(json(train).value(QStringLiteral("model")).toString(), model);
    const QString predictions = dir.filePath(QStringLiteral("predictions.csv"));
    const Run predict = cli({QStringLiteral("predict"), model, data("penguins.csv"), QStringLiteral("--out"),
                             predictions, QStringLiteral("--json")});
    QVERIFY2(predict.exitCode == 0, predict.err.constData());
    QCOMPARE(json(predict).value(QStringLiteral("rows")).toInt(), 344);
    QCOMPARE(json(predict).value(QStringLiteral("ignored_columns")).toArray(), QJsonArray{}); // the target aside
    QVERIFY2(!predict.err.contains("note"), predict.err.constData());
    QFile csv(predictions);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 345);
    QCOMPARE(lines.at(0), QByteArray("prediction,p_Adelie,p_Chinstrap,p_Gentoo"));
    int right = 0;
    QFile truth(data("penguins.csv"));
    QVERIFY(truth.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = truth.readAll().trimmed().split('\n');
    for (qsizetype i = 1; i < rows.size(); ++i)
        right += lines.at(i).split(',').at(0) == rows.at(i).split(',').at(0) ? 1 : 0;
    QVERIFY(right >= 340); // the training data itself: nearly all right

    // Data without a column the model needs: a clear error naming it.
    QTemporaryDir other;
    const QString partial = other.filePath(QStringLiteral("partial.csv"));
    QVERIFY(writeFile(partial, "island,bill_length_mm\nDream,40\n"));
    const Run missing = cli(
        {QStringLiteral("predict"), model, partial, QStringLiteral("--out"), other.filePath(QStringLiteral("p.csv"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("has no column \"bill_depth_mm\""), missing.err.constData());
    QVERIFY(!QFile::exists(other.filePath(QStringLiteral("p.csv"))));

    // A model trained without a column predicts a file that has it, and says that it left it out.
    const QString withoutYear = dir.filePath(QStringLiteral("without-year.tbmodel"));
    const Run trainWithout
        = cli({QStringLiteral("train"), data("penguins.csv"), QStringLiteral("--target"), QStringLiteral("species"),
               QStringLiteral("--algorithm"), QStringLiteral("logistic"), QStringLiteral("--ignore"),
               QStringLiteral("year"), QStringLiteral("--save-model"), withoutYear, QStringLiteral("--json")});
    QVERIFY2(trainWithout.exitCode == 0, trainWithout.err.constData());
    QCOMPARE(json(trainWithout).value(QStringLiteral("features")).toInt(), 9); // year's one feature less
    const Run predictWithout = cli({QStringLiteral("predict"), withoutYear, data("penguins.csv"),
                                    QStringLiteral("--out"), predictions, QStringLiteral("--json")});
    QVERIFY2(predictWithout.exitCode == 0, predictWithout.err.constData());
    QCOMPARE(json(predictWithout).value(QStringLiteral("ignored_columns")).toArray(),
             QJsonArray{QStringLiteral("year")});
    QVERIFY2(predictWithout.err.contains("the model does not use column 'year'; ignored"),
             predictWithout.err.constData());
}

void TestCli::predictScoresAFileThatHoldsTheTarget()
{
    // Penguins split by row: three in four to train, the fourth to test, plus a species the model never saw
    // and a row whose species is not known.
    QTemporaryDir dir;
    QFile source(data("penguins.csv"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = source.readAll().trimmed().split('\n');
    QByteArray train = lines.at(0) + '\n';
    QByteArray test = lines.at(0) + '\n';
    for (qsizetype i = 1; i < lines.size(); ++i)
        (i % 4 == 0 ? test : train) += lines.at(i) + '\n';
    const QByteArray known = lines.at(1).mid(lines.at(1).indexOf(','));
    test += "Emperor" + known + '\n' + known + '\n';
    const QString trainPath = dir.filePath(QStringLiteral("train.csv"));
    const QString testPath = dir.filePath(QStringLiteral("test.csv"));
    QVERIFY(writeFile(trainPath, train) && writeFile(testPath, test));
    const QString model = dir.filePath(QStringLiteral("penguins.tbmodel"));
    const Run fit
        = cli({QStringLiteral("train"), trainPath, QStringLiteral("--target"), QStringLiteral("species"),
               QStringLiteral("--algorithm"), QStringLiteral("logistic"), QStringLiteral("--save-model"), model});
    QVERIFY2(fit.exitCode == 0, fit.err.constData());
    const QString predictions = dir.filePath(QStringLiteral("predictions.csv"));
    const Run predict = cli(
        {QStringLiteral("predict"), model, testPath, QStringLiteral("--out"), predictions, QStringLiteral("--json")});
    QVERIFY2(predict.exitCode == 0, predict.err.constData());
    QVERIFY2(predict.err.contains("1 rows of classes the model never saw ('Emperor') are not scored"),
             predict.err.constData());
    const QJsonObject evaluation = json(predict).value(QStringLiteral("evaluation")).toObject();
    QCOMPARE(evaluation.value(QStringLiteral("target")).toString(), QStringLiteral("species"));
    QCOMPARE(evaluation.value(QStringLiteral("scored_rows")).toInt(), 86);
    QCOMPARE(evaluation.value(QStringLiteral("unseen_class_rows")).toInt(), 1);
    QCOMPARE(evaluation.value(QStringLiteral("missing_target_rows")).toInt(), 1);
    // The accuracy is what the written predictions say, row by row, and the confusion matrix adds up.
    QFile written(predictions);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QList<QByteArray> predicted = written.readAll().trimmed().split('\n');
    const QList<QByteArray> truth = test.trimmed().split('\n');
    QCOMPARE(predicted.size(), truth.size());
    int right = 0;
    for (qsizetype i = 1; i <= 86; ++i)
        right += predicted.at(i).split(',').at(0) == truth.at(i).split(',').at(0) ? 1 : 0;
    const QJsonObject metrics = evaluation.value(QStringLiteral("metrics")).toObject();
    QCOMPARE(metrics.value(QStringLiteral("accuracy")).toDouble(), right / 86.0);
    QVERIFY2(right >= 82, qPrintable(QString::number(right))); // logistic on penguins: about 99 %
    int total = 0;
    for (const QJsonValue& row : evaluation.value(QStringLiteral("confusion_matrix")).toArray()) {
        for (const QJsonValue& count : row.toArray())
            total += count.toInt();
    }
    QCOMPARE(total, 86);
    // Regression: r2 and friends; a file without the target is only predicted.
    const QString cpuModel = dir.filePath(QStringLiteral("cpu.tbmodel"));
    QCOMPARE(cli({QStringLiteral("train"), data("cpu.arff"), QStringLiteral("--algorithm"), QStringLiteral("linear"),
                  QStringLiteral("--save-model"), cpuModel})
                 .exitCode,
             0);
    const Run regression = cli({QStringLiteral("predict"), cpuModel, data("cpu.arff"), QStringLiteral("--out"),
                                predictions, QStringLiteral("--json")});
    const QJsonObject scored = json(regression).value(QStringLiteral("evaluation")).toObject();
    QVERIFY(scored.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("r2")).toDouble() > 0.8);
    QVERIFY(!scored.contains(QStringLiteral("confusion_matrix")));
    const QString unlabelled = dir.filePath(QStringLiteral("unlabelled.csv"));
    QVERIFY(writeFile(unlabelled,
                      "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"
                      "Dream,40,18,190,3700,male,2008\n"));
    const Run plain = cli(
        {QStringLiteral("predict"), model, unlabelled, QStringLiteral("--out"), predictions, QStringLiteral("--json")});
    QVERIFY2(plain.exitCode == 0, plain.err.constData());
    QVERIFY(!json(plain).contains(QStringLiteral("evaluation")));
}

void TestCli::preprocessingOptions()
{
    auto features = [&](const QStringList& extra, const QString& algorithm = QStringLiteral("knn")) {
        const Run run = cli(QStringList{QStringLiteral("train"), data("penguins.csv"), QStringLiteral("--target"),
                                        QStringLiteral("species"), QStringLiteral("--algorithm"), algorithm,
                                        QStringLiteral("--json")}
                            + extra);
        return run.exitCode == 0 ? json(run).value(QStringLiteral("features")).toInt() : -run.exitCode;
    };
    // island (3 levels) + 4 numeric + sex (2 levels) + year; indicators for the 4 numeric columns with gaps
    // and for sex, which has gaps too.
    QCOMPARE(features({}), 10);
    QCOMPARE(features({QStringLiteral("--missing-indicators"), QStringLiteral("--impute"), QStringLiteral("median")}),
             15);
    QCOMPARE(features({QStringLiteral("--impute"), QStringLiteral("mode")}), -2);
    // Level codes are for algorithms that split on thresholds; knn keeps its one-hot columns.
    QCOMPARE(features({QStringLiteral("--categorical"), QStringLiteral("codes")}), 10);
    QCOMPARE(features({QStringLiteral("--categorical"), QStringLiteral("codes")}, QStringLiteral("forest")), 7);
    QCOMPARE(features({QStringLiteral("--categorical"), QStringLiteral("ordinal")}), -2);
    QCOMPARE(features({QStringLiteral("--ignore"), QStringLiteral("island"), QStringLiteral("--ignore"),
                       QStringLiteral("year")}),
             6);
}

void TestCli::tuneHonoursIgnoredColumnsAndTypes()
{
    // The spec's "ignore" and "types" reach tune's trials (they once reached only the GUI's): with every
    // measurement but body mass ignored, penguins' species is much harder to tell (tst_tuner's own case); the
    // file is recorded in the project whole, and tune warns of nothing on this split.
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("ignore.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "ignore",
        "dataset": {"path": "%1", "target": "species",
                    "ignore": ["bill_length_mm", "bill_depth_mm", "flipper_length_mm"], "types": {"year": "categorical"}},
        "validation": {"folds": 3}, "algorithm": "tree", "ranges": {"max_depth": {"type": "integer", "min": 1, "max": 4}},
        "objective": {"metric": "accuracy"}, "strategy": "grid", "seed": 1})js")
                          .arg(data("penguins.csv"))
                          .toUtf8()));
    const QString project = dir.filePath(QStringLiteral("p.tbproj"));
    const Run tune
        = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project, QStringLiteral("--json")});
    QVERIFY2(tune.exitCode == 0, tune.err.constData());
    const double best
        = json(tune).value(QStringLiteral("best")).toObject().value(QStringLiteral("objective")).toDouble();
    QVERIFY2(best > 0.6 && best < 0.9, qPrintable(QString::number(best))); // all features give ~0.97
    QVERIFY2(!tune.err.contains("warning"), tune.err.constData());
    const Run datasets
        = cli({QStringLiteral("datasets"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    QVERIFY2(datasets.exitCode == 0, datasets.err.constData());
    const QJsonArray recorded = json(datasets).value(QStringLiteral("datasets")).toArray();
    QCOMPARE(recorded.size(), 1);
    QCOMPARE(recorded.at(0).toObject().value(QStringLiteral("columns")).toInt(), 8);
}

void TestCli::tuneReadsTheFileAsTheSpecSays()
{
    // A header of years over decimals reads as data when sniffed (no column "grew"); the spec's "read" says it
    // is a header, tune's trials read it so, and the project keeps the setting with the dataset.
    QTemporaryDir dir;
    QByteArray rows = "region;2019;2020;grew\n";
    for (int i = 0; i < 30; ++i)
        rows += QStringLiteral("r%1;%2,5;%3,25;%4\n")
                    .arg(i)
                    .arg(i % 7)
                    .arg((i * 3) % 11)
                    .arg(i % 2 ? QStringLiteral("yes") : QStringLiteral("no"))
                    .toUtf8();
    const QString file = dir.filePath(QStringLiteral("sales.csv"));
    QVERIFY(writeFile(file, rows));
    const auto specWith = [&](const QString& read) {
        const QString spec = dir.filePath(QStringLiteral("sales.json"));
        writeFile(spec,
                  QStringLiteral(R"js({"name": "sales", "dataset": {"path": "sales.csv", "target": "grew",
            "ignore": ["region"]%1}, "validation": {"folds": 3}, "algorithm": "knn", "fixed": {"k": 3},
            "objective": {"metric": "accuracy"}, "limits": {"max_trials": 1}})js")
                      .arg(read)
                      .toUtf8());
        return spec;
    };
    const QString project = dir.filePath(QStringLiteral("p.tbproj"));
    const Run sniffed = cli({QStringLiteral("tune"), specWith({}), QStringLiteral("--project"), project});
    QCOMPARE(sniffed.exitCode, 1);
    QVERIFY2(sniffed.err.contains("no column named"), sniffed.err.constData());

    const Run tune = cli({QStringLiteral("tune"), specWith(QStringLiteral(R"(, "read": {"header": true})")),
                          QStringLiteral("--project"), project, QStringLiteral("--json")});
    QVERIFY2(tune.exitCode == 0, tune.err.constData());
    QCOMPARE(json(tune).value(QStringLiteral("trials")).toInt(), 1);
    const Run datasets
        = cli({QStringLiteral("datasets"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    const QJsonObject recorded = json(datasets).value(QStringLiteral("datasets")).toArray().at(0).toObject();
    QCOMPARE(recorded.value(QStringLiteral("rows")).toInt(), 30);
    QCOMPARE(recorded.value(QStringLiteral("read")).toObject(), QJsonObject({{QStringLiteral("header"), true}}));
    const Run text = cli({QStringLiteral("datasets"), QStringLiteral("--project"), project});
    QVERIFY2(text.out.contains("  read as: header\n"), text.out.constData());
    // The report says how the file was read.
    const QString page = dir.filePath(QStringLiteral("sales.html"));
    const Run report = cli({QStringLiteral("report"), QStringLiteral("sales"), QStringLiteral("--project"), project,
                            QStringLiteral("--out"), page});
    QVERIFY2(report.exitCode == 0, report.err.constData());
    QFile html(page);
    QVERIFY(html.open(QIODevice::ReadOnly));
    QVERIFY(html.readAll().contains("<th>Read as</th><td>header</td>"));

    // import records the CLI's read options the same way.
    const QString other = dir.filePath(QStringLiteral("other.tbproj"));
    const Run import = cli({QStringLiteral("import"), file, QStringLiteral("--header"), QStringLiteral("--delimiter"),
                            QStringLiteral(";"), QStringLiteral("--project"), other});
    QVERIFY2(import.exitCode == 0, import.err.constData());
    const Run list = cli({QStringLiteral("datasets"), QStringLiteral("--project"), other, QStringLiteral("--json")});
    QCOMPARE(json(list)
                 .value(QStringLiteral("datasets"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("read"))
                 .toObject(),
             QJsonObject({{QStringLiteral("delimiter"), QStringLiteral(";")}, {QStringLiteral("header"), true}}));
}

void TestCli::tuneResumeAndRuns()
{
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("iris-knn.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "iris-knn",
        "dataset": {"path": "%1", "target": "target"}, "validation": {"folds": 3},
        "algorithm": "knn", "ranges": {"k": {"type": "integer", "min": 1, "max": 25},
                                        "weights": ["uniform", "distance"]},
        "objective": {"metric": "accuracy"}, "strategy": "tpe", "limits": {"max_trials": 5, "max_parallel": 2}})js")
                          .arg(data("iris.csv"))
                          .toUtf8()));
    const QString project = dir.filePath(QStringLiteral("p.tbproj"));
    const Run tune
        = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project, QStringLiteral("--json")});
    QCOMPARE(tune.exitCode, 0);
    const QJsonObject result = json(tune);
    QCOMPARE(result.value(QStringLiteral("trials")).toInt(), 5);
    QCOMPARE(result.value(QStringLiteral("stopped_because")).toString(), QStringLiteral("max_trials"));
    const QJsonObject best = result.value(QStringLiteral("best")).toObject();
    QVERIFY(best.value(QStringLiteral("objective")).toDouble() > 0.9);
    QVERIFY(best.value(QStringLiteral("params")).toObject().contains(QStringLiteral("k")));
    QVERIFY(tune.err.contains("trial 1 finished") || tune.err.contains("trial 2 finished"));

    const Run runs = cli({QStringLiteral("runs"), QStringLiteral("iris-knn"), QStringLiteral("--project"), project,
                          QStringLiteral("--json")});
    QCOMPARE(runs.exitCode, 0);
    const QJsonArray trials = json(runs).value(QStringLiteral("trials")).toArray();
    QCOMPARE(trials.size(), 5);
    double bestSeen = 0;
    for (const QJsonValue& trial : trials) {
        const QJsonObject t = trial.toObject();
        QCOMPARE(t.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        for (const char* key : {"id", "params", "objective", "started", "finished"})
            QVERIFY2(t.contains(QLatin1String(key)), key);
        bestSeen = std::max(bestSeen, t.value(QStringLiteral("objective")).toDouble());
    }
    QCOMPARE(bestSeen, best.value(QStringLiteral("objective")).toDouble());
    const Run csv = cli({QStringLiteral("runs"), QStringLiteral("iris-knn"), QStringLiteral("--project"), project,
                         QStringLiteral("--csv")});
    QVERIFY(csv.out.startsWith("trial,status,algorithm,objective,k,weights,started,finished\n"));
    QCOMPARE(csv.out.count('\n'), 6);
    const Run list = cli({QStringLiteral("runs"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    QCOMPARE(json(list).value(QStringLiteral("experiments")).toArray().size(), 1);

    // The same name again is refused; resuming a finished experiment adds nothing.
    const Run again = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("already has an experiment named 'iris-knn'"));
    const Run resume = cli({QStringLiteral("resume"), QStringLiteral("iris-knn"), QStringLiteral("--project"), project,
                            QStringLiteral("--json")});
    QCOMPARE(resume.exitCode, 0);
    QCOMPARE(json(resume).value(QStringLiteral("trials")).toInt(), 5);
    // A bad spec: exit code 2 and where the problem is.
    QVERIFY(writeFile(spec, R"({"name": "x", "dataset": "iris.csv", "algorithm": "knn", "objective": {"metric": "auc"},
        "ranges": {"k": {"type": "integer", "min": 5, "max": 2}}})"));
    const Run bad = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("ranges.k: min (5) must be below max (2)"), bad.err.constData());
}

void TestCli::killedTuningResumesExactly_data()
{
    // Ten kill points: trials finish every ~0.75 s (3 steps of 250 ms, two at a time); the delay after the
    // count is reached moves the kill across a trial's phases (starting, between steps, being recorded).
    QTest::addColumn<int>("killAfter");
    QTest::addColumn<int>("delayMs");
    const std::pair<int, int> points[]
        = {{0, 0}, {0, 400}, {1, 0}, {2, 150}, {3, 300}, {4, 0}, {5, 200}, {6, 100}, {7, 350}, {8, 0}};
    for (const auto& [finished, delay] : points)
        QTest::addRow("%d finished + %d ms", finished, delay) << finished << delay;
}

void TestCli::killedTuningResumesExactly()
{
    QFETCH(int, killAfter);
    QFETCH(int, delayMs);
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("crash.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "crash",
        "algorithm": {"command": ["%1", "branin", "{x1}", "{x2}", "--steps", "3", "--sleep-ms", "250"],
                      "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}},
        "objective": {"metric": "value", "goal": "minimize"},
        "strategy": "bayesian", "limits": {"max_trials": 10, "max_parallel": 2}, "seed": 9})js")
                          .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                          .toUtf8()));
    const QString project = dir.filePath(QStringLiteral("crash.tbproj"));
    auto finishedTrials = [&] {
        const Run runs = cli({QStringLiteral("runs"), QStringLiteral("crash"), QStringLiteral("--project"), project,
                              QStringLiteral("--json")});
        std::map<int, QJsonObject> finished;
        const QJsonArray trials = json(runs).value(QStringLiteral("trials")).toArray();
        for (const QJsonValue& trial : trials) {
            if (trial.toObject().value(QStringLiteral("status")).toString() == QLatin1String("finished"))
                finished[trial.toObject().value(QStringLiteral("id")).toInt()] = trial.toObject();
        }
        return finished;
    };

    QProcess tune;
    tune.start(QStringLiteral(TUNEBENCH_CLI), {QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QVERIFY(tune.waitForStarted());
    // At least one trial under way (the experiment is recorded), and `killAfter` of them finished: read
    // straight from the file (milliseconds), so the kill lands where meant even when the CLI is slow (ASan).
    auto counts = [&](int& recorded, int& finished) {
        recorded = finished = 0;
        sqlite3* peek = nullptr;
        if (!QFile::exists(project)
            || sqlite3_open_v2(project.toUtf8().constData(), &peek, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            sqlite3_close(peek);
            return;
        }
        sqlite3_busy_timeout(peek, 1000);
        sqlite3_stmt* query = nullptr;
        if (sqlite3_prepare_v2(peek, "SELECT COUNT(*), COALESCE(SUM(status = 'finished'), 0) FROM trials", -1, &query,
                               nullptr)
                == SQLITE_OK
            && sqlite3_step(query) == SQLITE_ROW) {
            recorded = sqlite3_column_int(query, 0);
            finished = sqlite3_column_int(query, 1);
        }
        sqlite3_finalize(query);
        sqlite3_close(peek);
    };
    int recorded = 0;
    int finishedNow = 0;
    QTRY_VERIFY_WITH_TIMEOUT((counts(recorded, finishedNow), recorded > 0 && finishedNow >= killAfter), 20000);
    QTest::qWait(delayMs);
    QVERIFY2(tune.state() == QProcess::Running, "the run ended before the kill");
    tune.kill(); // SIGKILL: no chance to clean up
    QVERIFY(tune.waitForFinished());
    const std::map<int, QJsonObject> before = finishedTrials();
    QVERIFY(int(before.size()) >= killAfter && before.size() < 10);

    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open_v2(project.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* check = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
    QCOMPARE(sqlite3_step(check), SQLITE_ROW);
    const QByteArray integrity(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)));
    sqlite3_finalize(check);
    sqlite3_close(db);
    QCOMPARE(integrity, QByteArray("ok"));

    const Run resume = cli({QStringLiteral("resume"), QStringLiteral("crash"), QStringLiteral("--project"), project,
                            QStringLiteral("--json")});
    QCOMPARE(resume.exitCode, 0);
    QCOMPARE(json(resume).value(QStringLiteral("trials")).toInt(), 10);
    const std::map<int, QJsonObject> after = finishedTrials();
    QCOMPARE(after.size(), std::size_t(10)); // exactly the budget: nothing lost, nothing repeated
    for (int number = 1; number <= 10; ++number)
        QVERIFY(after.count(number));
    for (const auto& [number, trial] : before) {
        QCOMPARE(after.at(number).value(QStringLiteral("params")), trial.value(QStringLiteral("params")));
        QCOMPARE(after.at(number).value(QStringLiteral("objective")), trial.value(QStringLiteral("objective")));
        QCOMPARE(after.at(number).value(QStringLiteral("finished")), trial.value(QStringLiteral("finished")));
    }
}

void TestCli::receivedProjectNeedsTrustToResume()
{
    // A project made on this account runs its commands; the same file received from elsewhere (here: a
    // copy at another path) runs none until the user passes --trust, which is then remembered.
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("trust.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "trust",
        "algorithm": {"command": ["%1", "branin", "{x1}", "{x2}"],
                      "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}},
        "objective": {"metric": "value", "goal": "minimize"}, "strategy": "random", "limits": {"max_trials": 3}})js")
                          .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                          .toUtf8()));
    const QString made = dir.filePath(QStringLiteral("made.tbproj"));
    QCOMPARE(cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), made}).exitCode, 0);
    auto resume = [](const QString& project, bool trust) {
        QStringList arguments{QStringLiteral("resume"), QStringLiteral("trust"), QStringLiteral("--project"), project};
        if (trust)
            arguments.append(QStringLiteral("--trust"));
        return cli(arguments);
    };
    QCOMPARE(resume(made, false).exitCode, 0);

    const QString received = dir.filePath(QStringLiteral("received.tbproj"));
    QVERIFY(QFile::copy(made, received));
    const Run refused = resume(received, false);
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains("runs an external command: " TUNEBENCH_TESTFUNCTION " branin {x1} {x2}"),
             refused.err.constData());
    QVERIFY(refused.err.contains("pass --trust"));
    QCOMPARE(resume(received, true).exitCode, 0);
    QCOMPARE(resume(received, false).exitCode, 0); // remembered
}

void TestCli::fullDiskLosesNothing()
{
    // A real full disk: the project on an 8 MiB tmpfs (root only; skipped elsewhere). The run stops with a clear
    // error; every trial reported finished is in the file, intact; with room again, resume completes the budget.
    // 8 MiB, past SQLite's 4 MiB write-ahead log: when a script's lines arrive one by one, each is committed on
    // its own and a 2 MiB disk could fill before a first trial ends (seen on a loaded machine).
    QTemporaryDir dir;
    const QString mountPoint = dir.filePath(QStringLiteral("small"));
    QVERIFY(QDir().mkpath(mountPoint));
    QProcess mount;
    mount.start(QStringLiteral("mount"),
                {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"), QStringLiteral("size=8m"),
                 QStringLiteral("tmpfs"), mountPoint});
    if (!mount.waitForFinished(10000) || mount.exitStatus() != QProcess::NormalExit || mount.exitCode() != 0)
        QSKIP("cannot mount a small tmpfs here (needs root): the full-disk test is skipped");
    struct Unmount
    {
        QString path;
        ~Unmount() { QProcess::execute(QStringLiteral("umount"), {path}); }
    } unmount{mountPoint};

    const QString spec = dir.filePath(QStringLiteral("full.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "full",
        "algorithm": {"command": ["%1", "branin", "{x1}", "{x2}", "--steps", "400"],
                      "metrics": [{"name": "value", "regex": "value=(\\S+)"}, {"name": "loss", "regex": "loss=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}},
        "objective": {"metric": "value", "goal": "minimize"}, "strategy": "random", "limits": {"max_trials": 400}})js")
                          .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                          .toUtf8()));
    const QString project = mountPoint + QStringLiteral("/full.tbproj");
    const Run full = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QVERIFY2(full.exitCode != 0, "400 trials of 400 points each fit in 8 MiB?");
    QVERIFY2(full.err.contains("the disk is full"), full.err.right(600).constData());

    // What was reported finished is there, and the file is sound.
    std::set<int> reported;
    static const QRegularExpression finishedLine(QStringLiteral("trial (\\d+) finished"));
    for (auto it = finishedLine.globalMatch(QString::fromUtf8(full.err)); it.hasNext();)
        reported.insert(it.next().captured(1).toInt());
    QVERIFY2(reported.size() >= 3, full.err.left(2000).constData());
    const Run runs = cli({QStringLiteral("runs"), QStringLiteral("full"), QStringLiteral("--project"), project,
                          QStringLiteral("--json")});
    QCOMPARE(runs.exitCode, 0);
    std::set<int> stored;
    for (const QJsonValue& trial : json(runs).value(QStringLiteral("trials")).toArray()) {
        if (trial.toObject().value(QStringLiteral("status")).toString() == QLatin1String("finished"))
            stored.insert(trial.toObject().value(QStringLiteral("id")).toInt());
    }
    for (int number : reported)
        QVERIFY2(stored.count(number), qPrintable(QString::number(number)));

    // Room again (the project moved to a roomy disk): resume completes exactly the budget.
    const QString moved = dir.filePath(QStringLiteral("full.tbproj"));
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(project + suffix))
            QVERIFY(QFile::copy(project + suffix, moved + suffix));
    }
    const Run resume = cli({QStringLiteral("resume"), QStringLiteral("full"), QStringLiteral("--project"), moved,
                            QStringLiteral("--trust"), QStringLiteral("--json")});
    QCOMPARE(resume.exitCode, 0);
    QCOMPARE(json(resume).value(QStringLiteral("trials")).toInt(), 400);
}

void TestCli::runTrialWritesEventLines()
{
    // One trial with no project: its events as JSON lines, the result the same as train's for the same folds.
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("iris.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "iris", "dataset": {"path": "%1"}, "algorithm": "knn",
        "ranges": {"k": {"type": "integer", "min": 1, "max": 30}}, "validation": {"folds": 4},
        "objective": {"metric": "accuracy"}, "seed": 3})js")
                          .arg(data("iris.arff"))
                          .toUtf8()));
    const QString params = dir.filePath(QStringLiteral("params.json"));
    QVERIFY(writeFile(params, R"({"algorithm": "knn", "params": {"k": 9}})"));
    const QString events = dir.filePath(QStringLiteral("events.jsonl"));
    const Run trial = cli({QStringLiteral("run-trial"), spec, QStringLiteral("--trial"), QStringLiteral("7"),
                           QStringLiteral("--params"), params, QStringLiteral("--out"), events});
    QCOMPARE(trial.exitCode, 0);
    QFile file(events);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QVERIFY(lines.size() >= 2);
    const QJsonObject started = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(started.value(QStringLiteral("event")).toString(), QStringLiteral("started"));
    QCOMPARE(started.value(QStringLiteral("trial")).toInt(), 7);
    const QJsonObject result = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(result.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
    const double objective = result.value(QStringLiteral("objective")).toDouble();
    QCOMPARE(result.value(QStringLiteral("folds")).toObject().value(QStringLiteral("accuracy")).toArray().size(), 4);
    // train's 4-fold accuracy for k=9 with seed 3 is the same number.
    const Run train
        = cli({QStringLiteral("train"), data("iris.arff"), QStringLiteral("--algorithm"), QStringLiteral("knn"),
               QStringLiteral("--set"), QStringLiteral("k=9"), QStringLiteral("--folds"), QStringLiteral("4"),
               QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--json")});
    QCOMPARE(train.exitCode, 0);
    QCOMPARE(objective,
             json(train)
                 .value(QStringLiteral("metrics"))
                 .toObject()
                 .value(QStringLiteral("accuracy"))
                 .toObject()
                 .value(QStringLiteral("mean"))
                 .toDouble());

    // SIGTERM cancels: a "cancelled" line, exit status 143.
    const QString slow = dir.filePath(QStringLiteral("slow.json"));
    QVERIFY(writeFile(slow,
                      QStringLiteral(R"js({"name": "slow",
        "algorithm": {"command": ["%1", "branin", "{x1}", "{x2}", "--steps", "300", "--sleep-ms", "50"],
                      "metrics": [{"name": "value", "regex": "value=(\\S+)"}, {"name": "loss", "regex": "loss=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}},
        "objective": {"metric": "value", "goal": "minimize"}})js")
                          .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                          .toUtf8()));
    QVERIFY(writeFile(params, R"({"x1": 1.0, "x2": 2.0})"));
    QProcess worker;
    worker.start(QStringLiteral(TUNEBENCH_CLI),
                 {QStringLiteral("run-trial"), slow, QStringLiteral("--trial"), QStringLiteral("1"),
                  QStringLiteral("--params"), params});
    QVERIFY(worker.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += worker.readAllStandardOutput()).contains("\"event\":\"point\""), 20000);
    worker.terminate();
    QVERIFY(worker.waitForFinished(10000));
    out += worker.readAllStandardOutput();
    QCOMPARE(worker.exitCode(), 143);
    QCOMPARE(
        QJsonDocument::fromJson(out.trimmed().split('\n').last()).object().value(QStringLiteral("event")).toString(),
        QStringLiteral("cancelled"));
}

void TestCli::rerunSaysWhetherATrialReproduces()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("rerun.tbproj"));
    // Seeded built-in algorithms (an mlp, a forest): every metric comes out identical.
    const QString seeded = dir.filePath(QStringLiteral("seeded.json"));
    QVERIFY(writeFile(seeded,
                      QStringLiteral(R"js({"name": "seeded",
        "dataset": {"path": "%1", "target": "target"},
        "algorithms": [{"algorithm": "forest", "ranges": {"trees": {"type": "integer", "min": 5, "max": 30}}},
                       {"algorithm": "mlp", "fixed": {"epochs": 50}}],
        "objective": {"metric": "accuracy"}, "strategy": "random", "seed": 4, "limits": {"max_trials": 4}})js")
                          .arg(data("iris.csv"))
                          .toUtf8()));
    QCOMPARE(cli({QStringLiteral("tune"), seeded, QStringLiteral("--project"), project}).exitCode, 0);
    std::set<QString> algorithms;
    for (const QString& trial : {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")}) {
        const Run rerun = cli({QStringLiteral("rerun"), QStringLiteral("seeded"), trial, QStringLiteral("--project"),
                               project, QStringLiteral("--json")});
        QCOMPARE(rerun.exitCode, 0);
        const QJsonObject result = json(rerun);
        QVERIFY(result.value(QStringLiteral("reproduced")).toBool());
        algorithms.insert(result.value(QStringLiteral("algorithm")).toString());
        const QJsonArray metrics = result.value(QStringLiteral("metrics")).toArray();
        QVERIFY(metrics.size() > 5); // the objective and every metric the trial recorded
        for (const QJsonValue& metric : metrics) {
            QVERIFY(metric.toObject().value(QStringLiteral("identical")).toBool());
            QCOMPARE(metric.toObject().value(QStringLiteral("difference")).toDouble(), 0.0);
        }
    }
    QCOMPARE(algorithms.size(), std::size_t{2}); // both kinds were checked

    // A script whose result is noise: the difference, metric by metric, and exit status 3.
    const QString noisy = dir.filePath(QStringLiteral("noisy.json"));
    QVERIFY(writeFile(noisy, QByteArrayLiteral(R"js({"name": "noisy",
        "algorithm": {"command": ["/bin/sh", "-c", "echo value=$$"], "metrics": [{"name": "value", "regex": "value=(\\d+)"}]},
        "objective": {"metric": "value"}, "limits": {"max_trials": 1}})js")));
    QCOMPARE(cli({QStringLiteral("tune"), noisy, QStringLiteral("--project"), project}).exitCode, 0);
    const Run differs = cli(
        {QStringLiteral("rerun"), QStringLiteral("noisy"), QStringLiteral("1"), QStringLiteral("--project"), project});
    QCOMPARE(differs.exitCode, 3);
    QVERIFY2(differs.out.contains("NOT reproduced"), differs.out.constData());
    QVERIFY2(differs.out.contains("value: ") && differs.out.contains("differs by"), differs.out.constData());

    // Not for a trial that is not there, or data that changed since.
    QCOMPARE(cli({QStringLiteral("rerun"), QStringLiteral("seeded"), QStringLiteral("9"), QStringLiteral("--project"),
                  project})
                 .exitCode,
             1);
    QCOMPARE(cli({QStringLiteral("rerun"), QStringLiteral("seeded"), QStringLiteral("--project"), project}).exitCode,
             2);
}

void TestCli::stopAsksTheRunsOwner()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("stop.tbproj"));
    const QString spec = dir.filePath(QStringLiteral("slow.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "slow",
        "algorithm": {"command": ["%1", "branin", "{x1}", "{x2}", "--steps", "5", "--sleep-ms", "100"],
                      "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}},
        "objective": {"metric": "value", "goal": "minimize"}, "limits": {"max_trials": 200, "max_parallel": 2}})js")
                          .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                          .toUtf8()));
    QProcess tune;
    tune.start(QStringLiteral(TUNEBENCH_CLI), {QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QVERIFY(tune.waitForStarted());
    const QString owner = QStringLiteral("tunebench-cli, pid %1 on host ").arg(tune.processId());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(project), 10000);
    QJsonObject listed;
    QTRY_VERIFY_WITH_TIMEOUT(
        (listed = json(cli({QStringLiteral("runs"), QStringLiteral("--project"), project, QStringLiteral("--json")})))
                .value(QStringLiteral("experiments"))
                .toArray()
                .size()
            == 1,
        10000);
    const QJsonObject entry = listed.value(QStringLiteral("experiments")).toArray().first().toObject();
    QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QVERIFY2(entry.value(QStringLiteral("owner")).toString().startsWith(owner),
             qPrintable(entry.value(QStringLiteral("owner")).toString()));
    const Run stop = cli({QStringLiteral("stop"), QStringLiteral("slow"), QStringLiteral("--project"), project});
    QCOMPARE(stop.exitCode, 0);
    QVERIFY(stop.out.contains(owner.toUtf8()));
    QVERIFY(tune.waitForFinished(10000));
    QCOMPARE(tune.exitCode(), 0);
    QVERIFY(tune.readAllStandardOutput().contains("stopped because stopped_by_user"));
    // Not running any more: nothing to ask.
    const Run again = cli({QStringLiteral("stop"), QStringLiteral("slow"), QStringLiteral("--project"), project});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("is not running (stopped)"), again.err.constData());
}

// A script that keeps its epoch in {checkpoint_dir}: the run is killed (-9) in the middle of trial 1, resumed, and
// trial 1 continues from its checkpoint: no epoch trained twice but the one in flight, none skipped, and the
// script killed with the run (no orphan training on into the folder the resumed trial uses).
void TestCli::aKilledScriptResumesFromItsCheckpoint()
{
    QTemporaryDir dir;
    const QString script = QStringLiteral(
        "e=0; [ -f \"$1/epoch\" ] && e=$(cat \"$1/epoch\"); "
        "while [ $e -lt 12 ]; do e=$((e+1)); sleep 0.15; echo \"trained $e\" >> \"$1/../trained.log\"; "
        "echo $e > \"$1/epoch.new\"; mv \"$1/epoch.new\" \"$1/epoch\"; echo \"loss=$e\"; done; "
        "echo value=$2");
    const QJsonObject spec = testing::shellScriptSpec(QStringLiteral("epochs"), script,
                                                      {QStringLiteral("{checkpoint_dir}"), QStringLiteral("{x}")},
                                                      {QStringLiteral("value"), QStringLiteral("loss")}, 2, 1);
    const QString specFile = dir.filePath(QStringLiteral("epochs.json"));
    QVERIFY(writeFile(specFile, QJsonDocument(spec).toJson()));
    const QString project = dir.filePath(QStringLiteral("epochs.tbproj"));
    const QString trial = dir.filePath(QStringLiteral("epochs.artifacts/epochs/trial-1"));

    QProcess tune;
    tune.start(QStringLiteral(TUNEBENCH_CLI), {QStringLiteral("tune"), specFile, QStringLiteral("--project"), project});
    QVERIFY(tune.waitForStarted());
    auto checkpoint = [&] {
        QFile file(trial + QStringLiteral("/checkpoint/epoch"));
        return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toInt() : 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(checkpoint() >= 4, 20000);
    tune.kill(); // SIGKILL, in the middle of trial 1
    QVERIFY(tune.waitForFinished());
    const int killedAt = checkpoint();
    QVERIFY2(killedAt < 12, "trial 1 ended before the kill");
    QTest::qWait(400); // an orphan would go on training now
    QCOMPARE(checkpoint(), killedAt);

    const Run resume = cli({QStringLiteral("resume"), QStringLiteral("epochs"), QStringLiteral("--project"), project,
                            QStringLiteral("--json")});
    QVERIFY2(resume.exitCode == 0, resume.err.constData());
    QCOMPARE(json(resume).value(QStringLiteral("trials")).toInt(), 2);
    QCOMPARE(checkpoint(), 12);
    QFile log(trial + QStringLiteral("/trained.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    std::map<int, int> trained;
    for (const QByteArray& line : log.readAll().split('\n')) {
        if (line.startsWith("trained "))
            ++trained[line.mid(8).toInt()];
    }
    int repeated = 0;
    for (int epoch = 1; epoch <= 12; ++epoch) {
        QVERIFY2(trained[epoch] >= 1, qPrintable(QStringLiteral("epoch %1 never trained").arg(epoch)));
        repeated += trained[epoch] - 1;
    }
    QVERIFY2(repeated <= 1, qPrintable(QStringLiteral("%1 epochs trained twice").arg(repeated)));
    QCOMPARE(trained[1], 1); // continued, not started again from epoch 1
}

void TestCli::ashaContinuesScriptsAcrossRungsAndAKill()
{
    // A script that trains epoch by epoch to {budget}, continuing from its own checkpoint (the last epoch done) and
    // logging each epoch it trains; its value is x. ASHA, budgets 1, 3, 9, two trials at a time; killed (-9) once
    // trials have paused and been promoted, then resumed.
    QTemporaryDir dir;
    const QString script
        = QStringLiteral("e=0; [ -f \"$1/epoch\" ] && e=$(cat \"$1/epoch\"); "
                         "while [ $e -lt $2 ]; do e=$((e+1)); sleep 0.05; echo $e >> \"$1/../trained.log\"; "
                         "echo $e > \"$1/epoch.new\"; mv \"$1/epoch.new\" \"$1/epoch\"; echo \"epoch=$e\"; done; "
                         "echo value=$3");
    QJsonObject spec = testing::shellScriptSpec(
        QStringLiteral("asha"), script,
        {QStringLiteral("{checkpoint_dir}"), QStringLiteral("{budget}"), QStringLiteral("{x}")},
        {QStringLiteral("value")}, 12, 2);
    // The epoch counter the script prints, as the step of each point (and its value, to check the step by).
    QJsonObject command = spec.value(QStringLiteral("algorithm")).toObject();
    QJsonArray metrics = command.value(QStringLiteral("metrics")).toArray();
    metrics.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("epoch")},
                               {QStringLiteral("regex"), QStringLiteral("epoch=(?<step>\\d+)")}});
    command.insert(QStringLiteral("metrics"), metrics);
    spec.insert(QStringLiteral("algorithm"), command);
    spec.insert(QStringLiteral("strategy"), QStringLiteral("asha"));
    spec.insert(QStringLiteral("budget"),
                QJsonObject{{QStringLiteral("min_resource"), 1}, {QStringLiteral("max_resource"), 9}});
    const QString specFile = dir.filePath(QStringLiteral("asha.json"));
    QVERIFY(writeFile(specFile, QJsonDocument(spec).toJson()));
    const QString project = dir.filePath(QStringLiteral("asha.tbproj"));
    const QString artifacts = dir.filePath(QStringLiteral("asha.artifacts/asha"));
    auto trainedEpochs = [&](int number) { // the epochs trial `number` trained, in order
        QFile log(artifacts + QStringLiteral("/trial-%1/trained.log").arg(number));
        std::vector<int> epochs;
        if (log.open(QIODevice::ReadOnly)) {
            for (const QByteArray& line : log.readAll().split('\n'))
                if (!line.isEmpty())
                    epochs.push_back(line.toInt());
        }
        return epochs;
    };
    auto promoted = [&] { // a trial trained past the first rung
        for (int number = 1; number <= 12; ++number)
            if (trainedEpochs(number).size() > 1)
                return true;
        return false;
    };

    QVERIFY(killTuneOnce(specFile, project, promoted, 30000));
    const Run before = cli({QStringLiteral("runs"), QStringLiteral("asha"), QStringLiteral("--project"), project,
                            QStringLiteral("--json")});
    QVERIFY2(before.out.contains("\"paused\""), before.out.constData()); // trials waited at a rung at the kill

    const Run resume = cli({QStringLiteral("resume"), QStringLiteral("asha"), QStringLiteral("--project"), project,
                            QStringLiteral("--json")});
    QVERIFY2(resume.exitCode == 0, resume.err.constData());
    const QJsonObject summary = json(resume);
    QCOMPARE(summary.value(QStringLiteral("trials")).toInt(), 12);

    // Each trial trained epochs 1..E once each, E its budget: promotions and the resume continued from the
    // script's checkpoint, never from epoch 1 again, and nothing was trained twice.
    auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    const auto experiment = store->experimentByName("asha");
    QVERIFY(experiment);
    std::int64_t total = 0;
    int reachedTop = 0;
    for (const store::TrialRecord& record : store->trials(experiment->id)) {
        const int budget = budgetOf(record, "budget");
        QVERIFY(budget == 1 || budget == 3 || budget == 9);
        std::vector<int> expected(static_cast<std::size_t>(budget));
        std::iota(expected.begin(), expected.end(), 1);
        QCOMPARE(trainedEpochs(record.number), expected);
        total += budget;
        reachedTop += budget == 9;
        // The recorded curve holds the script's own epoch counter at its step, across rungs and the kill (which may
        // lose the one point in flight: printed, not yet committed).
        const std::vector<store::MetricPoint> curve = store->metricSeries(record.id, "epoch");
        QVERIFY(static_cast<int>(curve.size()) >= budget - 1);
        QCOMPARE(curve.back().step, std::int64_t{budget});
        for (const store::MetricPoint& point : curve)
            QCOMPARE(point.value, static_cast<double>(point.step));
        // And the objective at each budget it reached.
        QVERIFY(!store->metricSeries(record.id, "budget/value").empty());
    }
    QVERIFY(reachedTop >= 1);
    QCOMPARE(summary.value(QStringLiteral("budget_used")).toInteger(), total); // the accounting: what was trained
}

void TestCli::ashaResumesPausedBuiltinFitsAfterAKill()
{
    // The built-in mlp under ASHA (epochs 1, 3, 9, 27), killed (-9) once a trial has paused at 3 epochs, then
    // resumed: paused trials continue from their fits kept in the project's artifacts, and every trial's curves hold
    // each epoch up to its budget once, with no gap where the kill fell.
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("asha.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "asha", "dataset": "%1",
        "validation": {"folds": 2}, "algorithm": "mlp",
        "fixed": {"n_iter_no_change": 0, "units": 256, "batch_size": 8},
        "ranges": {"learning_rate": {"type": "continuous", "min": 0.0001, "max": 0.01, "scaling": "log"}},
        "objective": {"metric": "accuracy"}, "strategy": "asha",
        "budget": {"min_resource": 1, "max_resource": 27}, "limits": {"max_trials": 12, "max_parallel": 2},
        "seed": 3})js")
                          .arg(data("digits.csv.gz"))
                          .toUtf8()));
    const QString project = dir.filePath(QStringLiteral("asha.tbproj"));
    const QDir artifacts(dir.filePath(QStringLiteral("asha.artifacts/asha")));
    auto pausedAtThree = [&] {
        for (const QString& trial : artifacts.entryList({QStringLiteral("trial-*")}, QDir::Dirs))
            if (QFile::exists(artifacts.filePath(trial + QStringLiteral("/checkpoint/fits-3.bin"))))
                return true;
        return false;
    };
    QVERIFY2(killTuneOnce(spec, project, pausedAtThree, 60000), "the run ended before the kill");

    const Run resume = cli({QStringLiteral("resume"), QStringLiteral("asha"), QStringLiteral("--project"), project,
                            QStringLiteral("--json")});
    QVERIFY2(resume.exitCode == 0, resume.err.constData());
    const QJsonObject summary = json(resume);
    QCOMPARE(summary.value(QStringLiteral("trials")).toInt(), 12);
    auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    const auto experiment = store->experimentByName("asha");
    std::int64_t total = 0;
    for (const store::TrialRecord& record : store->trials(experiment->id)) {
        QVERIFY(record.status == TrialState::Paused || record.status == TrialState::Finished);
        const int budget = budgetOf(record, "epochs");
        total += budget;
        for (const char* fold : {"fold1/train_loss", "fold2/train_loss"}) {
            const std::vector<store::MetricPoint> curve = store->metricSeries(record.id, fold);
            QCOMPARE(static_cast<int>(curve.size()), budget);
            for (std::size_t i = 0; i < curve.size(); ++i)
                QCOMPARE(curve[i].step, static_cast<std::int64_t>(i + 1));
        }
    }
    QCOMPARE(summary.value(QStringLiteral("budget_used")).toInteger(), total);
}

void TestCli::sageMakerConfigAsAwsWritesIt()
{
    // XGBoost's names (num_round, early_stopping_rounds), objective and eval_metric among the static
    // hyperparameters, an AutoParameters range: it runs as written, and says what it mapped.
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("sagemaker.tbproj"));
    const Run tune = cli({QStringLiteral("tune"), data("sagemaker-xgboost-cpu.json"), QStringLiteral("--project"),
                          project, QStringLiteral("--json")});
    QVERIFY2(tune.exitCode == 0, tune.err.constData());
    QCOMPARE(json(tune).value(QStringLiteral("trials")).toInt(), 10);
    QVERIFY(json(tune)
                .value(QStringLiteral("best"))
                .toObject()
                .value(QStringLiteral("params"))
                .toObject()
                .contains(QStringLiteral("rounds")));
    QVERIFY2(tune.err.contains("SageMaker's num_round is xgboost's rounds"), tune.err.constData());
    QVERIFY2(tune.err.contains("StaticHyperParameters.objective is left out"), tune.err.constData());
}

void TestCli::sageMakerConfigsOfThreeAlgorithms_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("trials");
    QTest::addColumn<QByteArray>("searched"); // a hyperparameter of ours the best trial was given by the search
    QTest::addColumn<QByteArrayList>("notes"); // what the run says it mapped, narrowed or left out
    QTest::newRow("xgboost direct marketing")
        << QByteArray("sagemaker-xgboost-direct-marketing.json") << 20 << QByteArray("max_depth")
        << QByteArrayList{"SageMaker's num_round is xgboost's rounds",
                          "range for eta [0, 1] is narrowed to xgboost's bounds [0.0001, 1]",
                          "StaticHyperParameters.rate_drop (0.3) is left out"};
    QTest::newRow("xgboost multiclass") << QByteArray("sagemaker-xgboost-multiclass.json") << 12 << QByteArray("rounds")
                                        << QByteArrayList{"validation:merror (Minimize) is accuracy (maximize)"};
    QTest::newRow("linear learner regressor")
        << QByteArray("sagemaker-linear-learner.json") << 10 << QByteArray("fit_intercept")
        << QByteArrayList{
               "SageMaker's use_bias is linear's fit_intercept",
               "ContinuousParameterRanges wd [1e-07, 1] is left out: linear has no hyperparameter that means "
               "the same",
               "validation:objective_loss (Minimize) is rmse"};
    QTest::newRow("linear learner binary")
        << QByteArray("sagemaker-linear-learner-binary.json") << 6 << QByteArray("C")
        << QByteArrayList{"binary_classification_accuracy (Maximize) is accuracy", "AutoParameters C: searched over"};
    QTest::newRow("k-NN classifier") << QByteArray("sagemaker-knn.json") << 10 << QByteArray("k")
                                     << QByteArrayList{"range for k [1, 1024] is narrowed to knn's bounds [1, 200]",
                                                       "IntegerParameterRanges sample_size [256, 2e+07] is left out"};
    QTest::newRow("k-NN regressor") << QByteArray("sagemaker-knn-regressor.json") << 8 << QByteArray("k")
                                    << QByteArrayList{"test:mse (Minimize) is rmse (minimize)"};
}

// AWS's way of writing XGBoost, Linear Learner and k-NN tuning configs (their names, ranges, objectives, limits), kept
// in tests/data: each runs as written beside a dataset and an algorithm, and says what it mapped and left out.
void TestCli::sageMakerConfigsOfThreeAlgorithms()
{
    QFETCH(QByteArray, file);
    QFETCH(int, trials);
    QFETCH(QByteArray, searched);
    QFETCH(QByteArrayList, notes);
    QTemporaryDir dir;
    const Run tune = cli({QStringLiteral("tune"), data(file.constData()), QStringLiteral("--project"),
                          dir.filePath(QStringLiteral("p.tbproj")), QStringLiteral("--json")});
    QVERIFY2(tune.exitCode == 0, tune.err.constData());
    QCOMPARE(json(tune).value(QStringLiteral("trials")).toInt(), trials);
    QCOMPARE(json(tune).value(QStringLiteral("stopped_because")).toString(), QStringLiteral("max_trials"));
    const QJsonObject params
        = json(tune).value(QStringLiteral("best")).toObject().value(QStringLiteral("params")).toObject();
    QVERIFY(params.contains(QString::fromUtf8(searched)));
    for (const QByteArray& note : notes)
        QVERIFY2(tune.err.contains(note), QByteArray(note + " not in:\n" + tune.err).constData());
}

void TestCli::severalObjectivesAndAConstraintSurviveAKill()
{
    // ZDT1 (two objectives) with f1 <= 0.8 required, killed (-9) mid-run and resumed: the finished trials keep their
    // objectives, the run ends with its budget, and "pareto" is exactly the feasible finished trials no other beats in
    // both objectives (checked by brute force from `runs --json`).
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("mo.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "mo",
        "algorithm": {"command": ["%1", "zdt1", "{x1}", "{x2}", "{x3}", "--sleep-ms", "120"],
                      "metrics": [{"name": "f1", "regex": "f1=(\\S+)"}, {"name": "f2", "regex": "f2=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": 0, "max": 1}, "x2": {"type": "continuous", "min": 0, "max": 1},
                   "x3": {"type": "continuous", "min": 0, "max": 1}},
        "objectives": [{"metric": "f1", "goal": "minimize"}, {"metric": "f2", "goal": "minimize"}],
        "constraints": [{"metric": "f1", "<=": 0.8}],
        "strategy": "tpe", "limits": {"max_trials": 16, "max_parallel": 2}, "seed": 4})js")
                          .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                          .toUtf8()));
    const QString project = dir.filePath(QStringLiteral("mo.tbproj"));
    auto finishedTrials = [&] {
        const Run runs = cli({QStringLiteral("runs"), QStringLiteral("mo"), QStringLiteral("--project"), project,
                              QStringLiteral("--json")});
        std::map<int, QJsonObject> finished;
        for (const QJsonValue& trial : json(runs).value(QStringLiteral("trials")).toArray()) {
            if (trial.toObject().value(QStringLiteral("status")).toString() == QLatin1String("finished"))
                finished[trial.toObject().value(QStringLiteral("id")).toInt()] = trial.toObject();
        }
        return finished;
    };
    QVERIFY(killTuneOnce(
        spec, project, [&] { return finishedTrials().size() >= 6; }, 60000));
    const std::map<int, QJsonObject> before = finishedTrials();
    QVERIFY(before.size() < 16);

    const Run resume = cli({QStringLiteral("resume"), QStringLiteral("mo"), QStringLiteral("--project"), project,
                            QStringLiteral("--json")});
    QVERIFY2(resume.exitCode == 0, resume.err.constData());
    const QJsonObject summary = json(resume);
    QCOMPARE(summary.value(QStringLiteral("trials")).toInt(), 16);
    QVERIFY(summary.value(QStringLiteral("best")).isNull()); // several objectives: a front, not one best

    const std::map<int, QJsonObject> after = finishedTrials();
    QCOMPARE(after.size(), std::size_t{16});
    for (const auto& [number, trial] : before)
        QCOMPARE(after.at(number).value(QStringLiteral("objectives")), trial.value(QStringLiteral("objectives")));
    QJsonArray expected;
    int infeasible = 0;
    for (const auto& [number, trial] : after) {
        const QJsonArray f = trial.value(QStringLiteral("objectives")).toArray();
        QCOMPARE(f.size(), 2);
        const bool feasible = f[0].toDouble() <= 0.8;
        QCOMPARE(trial.value(QStringLiteral("feasible")).toBool(), feasible);
        if (!feasible) {
            ++infeasible;
            QVERIFY2(trial.value(QStringLiteral("error")).toString().startsWith(QLatin1String("infeasible: f1 ")),
                     qPrintable(trial.value(QStringLiteral("error")).toString()));
            continue;
        }
        bool dominated = false;
        for (const auto& [other, rival] : after) {
            const QJsonArray g = rival.value(QStringLiteral("objectives")).toArray();
            dominated = dominated
                || (g[0].toDouble() <= 0.8 && g[0].toDouble() <= f[0].toDouble() && g[1].toDouble() <= f[1].toDouble()
                    && (g[0].toDouble() < f[0].toDouble() || g[1].toDouble() < f[1].toDouble()));
        }
        if (!dominated)
            expected.append(number);
    }
    QVERIFY(infeasible > 0); // the constraint ruled some out
    QVERIFY(!expected.isEmpty());
    QCOMPARE(summary.value(QStringLiteral("pareto")).toArray(), expected);
    const Run runs = cli(
        {QStringLiteral("runs"), QStringLiteral("mo"), QStringLiteral("--project"), project, QStringLiteral("--json")});
    QCOMPARE(json(runs).value(QStringLiteral("pareto")).toArray(), expected);

    // The report has the front instead of a best trial: its chart and a table of exactly the front's trials.
    const Run report = cli({QStringLiteral("report"), QStringLiteral("mo"), QStringLiteral("--project"), project});
    QVERIFY2(report.exitCode == 0, report.err.constData());
    const QString html = QString::fromUtf8(report.out);
    QVERIFY(html.contains(QStringLiteral("<h2 id=\"pareto\">Pareto front</h2>")));
    QVERIFY(!html.contains(QStringLiteral("<h2 id=\"best\">")));
    QVERIFY(html.contains(QStringLiteral("%1 of 16 finished trials are on the front").arg(expected.size())));
    QVERIFY(html.contains(QStringLiteral("subject to f1 &lt;= 0.8")));
    const QString table
        = html.section(QStringLiteral("<h2 id=\"pareto\">"), 1).section(QStringLiteral("</table>"), 0, 0);
    static const QRegularExpression row(QStringLiteral("<tr><td class=\"n\">(\\d+)</td>"));
    QJsonArray listed;
    for (auto it = row.globalMatch(table); it.hasNext();)
        listed.append(it.next().captured(1).toInt());
    QCOMPARE(listed, expected);

    // Importance explains each objective on request: f2 (ZDT1's g grows with x2 and x3) is not f1 (x1 alone).
    auto importance = [&](const QString& objective) {
        const Run run = cli({QStringLiteral("importance"), QStringLiteral("mo"), QStringLiteral("--project"), project,
                             QStringLiteral("--objective"), objective, QStringLiteral("--json")});
        return json(run);
    };
    const QJsonObject forF1 = importance(QStringLiteral("f1"));
    QCOMPARE(forF1.value(QStringLiteral("objective")).toString(), QStringLiteral("f1"));
    QCOMPARE(
        forF1.value(QStringLiteral("importance")).toArray().at(0).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("x1"));
    const QJsonObject forF2 = importance(QStringLiteral("f2"));
    QCOMPARE(forF2.value(QStringLiteral("objective")).toString(), QStringLiteral("f2"));
    QVERIFY(forF2.value(QStringLiteral("importance")) != forF1.value(QStringLiteral("importance")));
    const Run unknown = cli({QStringLiteral("importance"), QStringLiteral("mo"), QStringLiteral("--project"), project,
                             QStringLiteral("--objective"), QStringLiteral("f9")});
    QVERIFY2(unknown.err.contains("'f9' is not an objective of 'mo'"), unknown.err.constData());

    // A warm start learns from the front's experiment when it measured the same objectives and constraints, and is
    // refused, naming what differs, when it did not.
    QFile specFile(spec);
    QVERIFY(specFile.open(QIODevice::ReadOnly));
    QByteArray text = specFile.readAll();
    specFile.close();
    QVERIFY(writeFile(spec, text.replace("\"name\": \"mo\"", "\"name\": \"mo-warm\", \"warm_start\": [\"mo\"]")));
    const Run warm
        = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project, QStringLiteral("--json")});
    QVERIFY2(warm.exitCode == 0, warm.err.constData());
    QCOMPARE(json(warm).value(QStringLiteral("trials")).toInt(), 16);
    QVERIFY(writeFile(spec, text.replace("\"mo-warm\"", "\"mo-other\"").replace("\"<=\": 0.8", "\"<=\": 0.5")));
    const Run refused = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("constraints: f1 <= 0.8 there, f1 <= 0.5 here"), refused.err.constData());
}

void TestCli::medianRuleStopsByRankWithSeveralObjectives()
{
    // A script reporting both objectives at each of 8 steps, the median rule on: trials whose values at a step are
    // ranked behind the median of the finished trials' are stopped there, saying so; the front is of finished trials.
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("early.json"));
    QVERIFY(writeFile(spec,
                      QStringLiteral(R"js({"name": "early",
        "algorithm": {"command": ["%1", "zdt1", "{x1}", "{x2}", "{x3}", "--steps", "8"],
                      "metrics": [{"name": "f1", "regex": "f1=(\\S+)"}, {"name": "f2", "regex": "f2=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": 0, "max": 1}, "x2": {"type": "continuous", "min": 0, "max": 1},
                   "x3": {"type": "continuous", "min": 0, "max": 1}},
        "objectives": [{"metric": "f1", "goal": "minimize"}, {"metric": "f2", "goal": "minimize"}],
        "early_stopping": "auto", "strategy": "random", "limits": {"max_trials": 30, "max_parallel": 1}, "seed": 2})js")
                          .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                          .toUtf8()));
    const QString project = dir.filePath(QStringLiteral("early.tbproj"));
    const Run tune
        = cli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project, QStringLiteral("--json")});
    QVERIFY2(tune.exitCode == 0, tune.err.constData());
    const Run runs = cli({QStringLiteral("runs"), QStringLiteral("early"), QStringLiteral("--project"), project,
                          QStringLiteral("--json")});
    int stopped = 0;
    for (const QJsonValue& value : json(runs).value(QStringLiteral("trials")).toArray()) {
        const QJsonObject trial = value.toObject();
        if (trial.value(QStringLiteral("status")).toString() != QLatin1String("stopped"))
            continue;
        ++stopped;
        QVERIFY2(trial.value(QStringLiteral("error")).toString().contains(QLatin1String("non-dominated rank")),
                 qPrintable(trial.value(QStringLiteral("error")).toString()));
    }
    QVERIFY2(stopped >= 2, qPrintable(QString::number(stopped))); // one trial at a time: the same run every time
    QVERIFY(!json(tune).value(QStringLiteral("pareto")).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
