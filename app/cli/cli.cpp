#include "cli.h"

#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <QThread>
#include <QTimeZone>

#include "algorithms/modelfile.h"
#include "algorithms/paramsjson.h"
#include "algorithms/registry.h"
#include "cli_p.h"
#include "data/datasetinfo.h"
#include "data/reader.h"
#include "evaluation/validation.h"
#include "jobs/runrecorder.h"
#include "report/report.h"
#include "store/datasetregistry.h"
#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "util/isa.h"

namespace tunebench::cli {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(const QString& message, int code)
{
    err() << "tunebench-cli: error: " << message << Qt::endl;
    return code;
}

void printJson(const QJsonObject& object)
{
    out() << QJsonDocument(object).toJson(QJsonDocument::Indented);
    out().flush();
}

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QString qs(TrialState state)
{
    return QString::fromLatin1(stateName(state));
}

QString qs(ExperimentState state)
{
    return QString::fromLatin1(stateName(state));
}

/// Parses a command's arguments; on --help prints the usage and returns 0 through `exitCode`.
bool parseCommand(QCommandLineParser& parser, const QStringList& arguments, const QString& description, int& exitCode)
{
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        exitCode = fail(parser.errorText(), kUsage);
        return false;
    }
    if (parser.isSet(help)) {
        // helpText() names the binary by its path; name the command instead.
        QString text = parser.helpText();
        const auto options = text.indexOf(QLatin1String(" [options]"));
        if (text.startsWith(QLatin1String("Usage: ")) && options > 0)
            text.replace(7, options - 7, arguments.constFirst());
        out() << text;
        out().flush();
        exitCode = 0;
        return false;
    }
    return true;
}

namespace {

/// Options shared by every command that reads a data file.
void addReadOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("delimiter"),
                      QStringLiteral("CSV field delimiter (default: sniffed; 'tab' for tab; 'whitespace' or ' ' for "
                                     "columns split by runs of spaces and tabs)."),
                      QStringLiteral("char")});
    parser.addOption({QStringLiteral("decimal"),
                      QStringLiteral("CSV decimal mark: '.' or ',' (default: ',' when the delimiter is not a comma and "
                                     "the first rows write 1,5 but never 1.5)."),
                      QStringLiteral("mark")});
    parser.addOption({QStringLiteral("skip-rows"),
                      QStringLiteral("Leave out the first N rows of a CSV file: a title or notes above the table "
                                     "(default: sniffed, as the rows before the table's first whose fields differ in "
                                     "number from the table's)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("header"), QStringLiteral("The first CSV row holds column names.")});
    parser.addOption({QStringLiteral("no-header"), QStringLiteral("The first CSV row is data.")});
    parser.addOption({QStringLiteral("missing"),
                      QStringLiteral("Comma-separated tokens read as missing (default: NA,N/A,NaN,null,?)."),
                      QStringLiteral("tokens")});
    parser.addOption({QStringLiteral("type"),
                      QStringLiteral("Force a column's type: COL=numeric|categorical|boolean|date|text (repeatable)."),
                      QStringLiteral("COL=TYPE")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("csv, arff or libsvm (default: from the name)."),
                      QStringLiteral("format")});
    parser.addOption(
        {QStringLiteral("skip-bad-rows"), QStringLiteral("Skip rows that cannot be read and count them.")});
}

/// Fills ReadOptions from the parsed options; returns an error message or an empty string.
QString readOptionsFrom(const QCommandLineParser& parser, data::ReadOptions& options)
{
    if (parser.isSet(QStringLiteral("delimiter"))) {
        const auto delimiter = data::delimiterFromName(parser.value(QStringLiteral("delimiter")).toStdString());
        if (!delimiter)
            return QStringLiteral("--delimiter takes one ASCII character (not a letter, digit or quote), 'tab' or "
                                  "'whitespace'");
        options.delimiter = *delimiter;
    }
    if (parser.isSet(QStringLiteral("skip-rows"))) {
        bool ok = false;
        const int rows = parser.value(QStringLiteral("skip-rows")).toInt(&ok);
        if (!ok || rows < 0)
            return QStringLiteral("--skip-rows takes a count of rows (0 or more), got '%1'")
                .arg(parser.value(QStringLiteral("skip-rows")));
        options.skipRows = static_cast<std::size_t>(rows);
    }
    if (parser.isSet(QStringLiteral("decimal"))) {
        const QString value = parser.value(QStringLiteral("decimal"));
        if (value != QLatin1String(".") && value != QLatin1String(","))
            return QStringLiteral("--decimal takes '.' or ','");
        options.decimalMark = value.at(0).toLatin1();
    }
    if (parser.isSet(QStringLiteral("header")) && parser.isSet(QStringLiteral("no-header")))
        return QStringLiteral("--header and --no-header contradict each other");
    if (parser.isSet(QStringLiteral("header")))
        options.header = data::ReadOptions::Header::Present;
    if (parser.isSet(QStringLiteral("no-header")))
        options.header = data::ReadOptions::Header::Absent;
    if (parser.isSet(QStringLiteral("missing"))) {
        options.missingTokens.clear();
        for (const QString& token : parser.value(QStringLiteral("missing")).split(QLatin1Char(',')))
            options.missingTokens.push_back(token.toStdString());
    }
    for (const QString& override : parser.values(QStringLiteral("type"))) {
        const auto equals = override.lastIndexOf(QLatin1Char('='));
        const auto type
            = equals > 0 ? data::columnTypeFromString(override.mid(equals + 1).toStdString()) : std::nullopt;
        if (!type)
            return QStringLiteral("--type expects COL=numeric|categorical|boolean|date|text, got '%1'").arg(override);
        options.typeOverrides[override.left(equals).toStdString()] = *type;
    }
    if (parser.isSet(QStringLiteral("format"))) {
        const QString format = parser.value(QStringLiteral("format"));
        if (format == QLatin1String("csv"))
            options.format = data::FileFormat::Csv;
        else if (format == QLatin1String("arff"))
            options.format = data::FileFormat::Arff;
        else if (format == QLatin1String("libsvm"))
            options.format = data::FileFormat::LibSvm;
        else
            return QStringLiteral("--format is csv, arff or libsvm, got '%1'").arg(format);
    }
    options.skipBadRows = parser.isSet(QStringLiteral("skip-bad-rows"));
    return {};
}

QString summaryText(const QJsonObject& column)
{
    const QString type = column.value(QStringLiteral("type")).toString();
    if (column.contains(QStringLiteral("levels"))) {
        QStringList parts;
        const QJsonObject counts = column.value(QStringLiteral("level_counts")).toObject();
        const QJsonArray levels = column.value(QStringLiteral("levels")).toArray();
        for (qsizetype i = 0; i < levels.size() && i < 5; ++i) {
            const QString level = levels.at(i).toString();
            parts << QStringLiteral("%1 (%2)").arg(level).arg(counts.value(level).toInteger());
        }
        if (levels.size() > 5)
            parts << QStringLiteral("...");
        return parts.join(QStringLiteral(", "));
    }
    if (column.contains(QStringLiteral("mean"))) {
        QString text = QStringLiteral("min %1  max %2  mean %3")
                           .arg(column.value(QStringLiteral("min")).toDouble(), 0, 'g', 6)
                           .arg(column.value(QStringLiteral("max")).toDouble(), 0, 'g', 6)
                           .arg(column.value(QStringLiteral("mean")).toDouble(), 0, 'g', 6);
        if (column.value(QStringLiteral("possibly_categorical")).toBool())
            text += QStringLiteral("  (integer codes: possibly categorical)");
        return text;
    }
    if (type == QLatin1String("date") && column.value(QStringLiteral("min")).isDouble()) {
        // Seconds since the epoch, UTC: shown as dates, with the time of day when any is not midnight.
        const auto first = static_cast<qint64>(column.value(QStringLiteral("min")).toDouble());
        const auto last = static_cast<qint64>(column.value(QStringLiteral("max")).toDouble());
        const bool days = first % 86400 == 0 && last % 86400 == 0;
        auto show = [days](qint64 seconds) {
            const QDateTime when = QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc());
            return days ? when.date().toString(Qt::ISODate) : when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        };
        return QStringLiteral("from %1 to %2%3")
            .arg(show(first), show(last), days ? QString() : QStringLiteral(" UTC"));
    }
    return type == QLatin1String("text") ? QStringLiteral("free text") : QString();
}

void printInspection(const QString& file, const QJsonObject& info, const data::ReadReport& report)
{
    const QJsonArray columns = info.value(QStringLiteral("columns")).toArray();
    out() << file << ": " << info.value(QStringLiteral("rows")).toInteger() << " rows x " << columns.size()
          << " columns (" << qs(data::describe(report)) << ")\n";
    if (report.skippedRows > 0)
        out() << "skipped " << report.skippedRows << " bad rows\n";
    if (!info.value(QStringLiteral("target")).isNull())
        out() << "target: " << info.value(QStringLiteral("target")).toString() << " ("
              << info.value(QStringLiteral("task")).toString() << ")\n";
    qsizetype width = 4;
    for (const QJsonValue& column : columns)
        width = std::max(width, column.toObject().value(QStringLiteral("name")).toString().size());
    width = std::min<qsizetype>(width, 40);
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                 .arg(QStringLiteral("#"), 3)
                 .arg(QStringLiteral("name"), static_cast<int>(-width))
                 .arg(QStringLiteral("type"), -11)
                 .arg(QStringLiteral("missing"), 7)
                 .arg(QStringLiteral("distinct"), 8)
                 .arg(QStringLiteral("summary"));
    int index = 0;
    for (const QJsonValue& value : columns) {
        const QJsonObject column = value.toObject();
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                     .arg(++index, 3)
                     .arg(column.value(QStringLiteral("name")).toString(), static_cast<int>(-width))
                     .arg(column.value(QStringLiteral("type")).toString(), -11)
                     .arg(column.value(QStringLiteral("missing")).toInteger(), 7)
                     .arg(column.value(QStringLiteral("distinct")).toInteger(), 8)
                     .arg(summaryText(column));
    }
    out().flush();
}

int inspect(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("A CSV, TSV, ARFF or LIBSVM file, optionally .gz."));
    parser.addOption({QStringLiteral("target"), QStringLiteral("The column to predict (default: suggested)."),
                      QStringLiteral("COL")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    addReadOptions(parser);
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Reads a data file and prints its rows, columns (type, missing values, distinct "
                                     "values, levels), the suggested target and the task."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("inspect takes exactly one FILE (see tunebench-cli inspect --help)"), kUsage);
    data::ReadOptions options;
    if (const QString problem = readOptionsFrom(parser, options); !problem.isEmpty())
        return fail(problem, kUsage);
    const QString file = parser.positionalArguments().constFirst();
    data::ReadReport report;
    data::Dataset dataset;
    try {
        dataset = data::readDataset(file.toStdString(), options, &report);
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
    std::optional<std::size_t> target;
    if (parser.isSet(QStringLiteral("target"))) {
        target = dataset.indexOf(parser.value(QStringLiteral("target")).toStdString());
        if (!target)
            return fail(
                QStringLiteral("%1 has no column named '%2'").arg(file, parser.value(QStringLiteral("target"))));
    }
    QJsonObject info = data::describeDataset(dataset, target);
    if (parser.isSet(QStringLiteral("json"))) {
        info.insert(QStringLiteral("file"), file);
        info.insert(QStringLiteral("format"), qs(std::string(data::toString(report.format))));
        info.insert(QStringLiteral("skipped_rows"), static_cast<qint64>(report.skippedRows));
        if (report.format == data::FileFormat::Csv) {
            info.insert(QStringLiteral("delimiter"), qs(data::delimiterName(report.delimiter)));
            info.insert(QStringLiteral("header"), report.hasHeader);
            info.insert(QStringLiteral("preamble_rows"), static_cast<qint64>(report.preambleRows));
        }
        printJson(info);
    } else {
        printInspection(file, info, report);
    }
    return 0;
}

QJsonObject describeRegistration(const QString& file, const store::RegisteredDataset& registered)
{
    return {{QStringLiteral("file"), file},
            {QStringLiteral("id"), static_cast<qint64>(registered.record.id)},
            {QStringLiteral("sha256"), qs(registered.record.sha256)},
            {QStringLiteral("rows"), static_cast<qint64>(registered.dataset.rowCount())},
            {QStringLiteral("columns"), static_cast<qint64>(registered.dataset.columnCount())},
            {QStringLiteral("already_present"), registered.alreadyPresent}};
}

int importCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Data files to add to the project."),
                                 QStringLiteral("FILE..."));
    parser.addOption(
        {QStringLiteral("project"), QStringLiteral("The project file (created when missing)."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    addReadOptions(parser);
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Reads data files and records them in a project with their content hash and "
                                     "schema. A file whose content is already there is not added twice."),
                      code))
        return code;
    if (parser.positionalArguments().isEmpty() || !parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("import needs FILE... and --project P"), kUsage);
    data::ReadOptions options;
    if (const QString problem = readOptionsFrom(parser, options); !problem.isEmpty())
        return fail(problem, kUsage);
    try {
        auto project = store::ProjectStore::open(parser.value(QStringLiteral("project")).toStdString());
        QJsonArray imported;
        for (const QString& file : parser.positionalArguments()) {
            const QJsonObject entry
                = describeRegistration(file, store::registerDataset(*project, file.toStdString(), options));
            imported.append(entry);
            if (!parser.isSet(QStringLiteral("json")))
                out() << file << ": " << entry.value(QStringLiteral("rows")).toInteger() << " rows x "
                      << entry.value(QStringLiteral("columns")).toInteger() << " columns, "
                      << (entry.value(QStringLiteral("already_present")).toBool() ? "already in" : "added to")
                      << " the project as dataset " << entry.value(QStringLiteral("id")).toInteger() << Qt::endl;
        }
        if (parser.isSet(QStringLiteral("json")))
            printJson({{QStringLiteral("datasets"), imported}});
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
    return 0;
}

int datasetsCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    int code = 0;
    if (!parseCommand(parser, arguments, QStringLiteral("Lists the datasets recorded in a project."), code))
        return code;
    if (!parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("datasets needs --project P"), kUsage);
    try {
        auto project = store::ProjectStore::open(parser.value(QStringLiteral("project")).toStdString(),
                                                 store::ProjectStore::Mode::ReadOnly);
        QJsonArray list;
        for (const store::DatasetRecord& record : project->datasets()) {
            const data::ReadSettings settings = store::readSettingsOf(record);
            list.append(QJsonObject{{QStringLiteral("id"), static_cast<qint64>(record.id)},
                                    {QStringLiteral("name"), qs(record.name)},
                                    {QStringLiteral("path"), qs(record.path)},
                                    {QStringLiteral("sha256"), qs(record.sha256)},
                                    {QStringLiteral("rows"), static_cast<qint64>(record.rows)},
                                    {QStringLiteral("columns"), static_cast<qint64>(record.columns)},
                                    {QStringLiteral("imported_at"), qs(record.importedAt)},
                                    {QStringLiteral("read"), data::toJson(settings)}});
            if (!parser.isSet(QStringLiteral("json"))) {
                out() << record.id << "  " << qs(record.name) << "  " << record.rows << " x " << record.columns << "  "
                      << qs(record.sha256).left(12) << "  " << qs(record.importedAt)
                      << (settings.isDefault() ? QString()
                                               : QStringLiteral("  read as: ") + qs(data::describe(settings)))
                      << "\n";
            }
        }
        if (parser.isSet(QStringLiteral("json")))
            printJson({{QStringLiteral("datasets"), list}});
        out().flush();
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
    return 0;
}

int demoCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Folder for the demo project and its results (default: tunebench-demo)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Runs the bundled demo: writes the demo datasets, records them in a new project, "
                                     "writes an inspection of each next to it, tunes the example experiments "
                                     "in the project and writes each one's HTML report."),
                      code))
        return code;
    const QString outName = parser.value(QStringLiteral("out")).isEmpty() ? QStringLiteral("tunebench-demo")
                                                                          : parser.value(QStringLiteral("out"));
    const QDir outDir(outName);
    QJsonArray results;
    store::DemoProject demo;
    try {
        demo = store::createDemoProject(outName.toStdString());
        for (const store::RegisteredDataset& registered : demo.datasets) {
            const QString file = qs(registered.record.path);
            const QJsonObject info = data::describeDataset(registered.dataset);
            QFile report(outDir.absoluteFilePath(QFileInfo(file).completeBaseName() + QStringLiteral(".inspect.json")));
            if (!report.open(QIODevice::WriteOnly) || report.write(QJsonDocument(info).toJson()) < 0)
                return fail(QStringLiteral("cannot write %1").arg(report.fileName()));
            QJsonObject result = describeRegistration(file, registered);
            result.insert(QStringLiteral("target"), info.value(QStringLiteral("target")));
            result.insert(QStringLiteral("task"), info.value(QStringLiteral("task")));
            result.insert(QStringLiteral("inspection"), report.fileName());
            results.append(result);
        }
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
    // The example experiments, tuned in the project (once: a second demo run finds them there).
    QJsonArray experiments;
    try {
        const auto project = store::ProjectStore::open(demo.projectPath.string());
        for (const auto& spec : demo.specs) {
            // Each experiment's report beside the project, the best trial evaluated in it.
            QJsonObject experiment = runExampleExperiment(spec.string(), *project);
            const QString name = experiment.value(QStringLiteral("experiment")).toString();
            const QString report = outDir.absoluteFilePath(name + QStringLiteral(".report.html"));
            writeExperimentReport(*project, name.toStdString(), report, report::ReportOptions{});
            experiment.insert(QStringLiteral("report"), report);
            experiments.append(experiment);
        }
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
    const QString projectPath = QFileInfo(qs(demo.projectPath.string())).absoluteFilePath();
    if (parser.isSet(QStringLiteral("json"))) {
        printJson({{QStringLiteral("project"), projectPath},
                   {QStringLiteral("datasets"), results},
                   {QStringLiteral("experiments"), experiments}});
        return 0;
    }
    for (const QJsonValue& value : results) {
        const QJsonObject entry = value.toObject();
        out() << QFileInfo(entry.value(QStringLiteral("file")).toString()).fileName() << ": "
              << entry.value(QStringLiteral("rows")).toInteger() << " rows x "
              << entry.value(QStringLiteral("columns")).toInteger() << " columns, target '"
              << entry.value(QStringLiteral("target")).toString() << "' ("
              << entry.value(QStringLiteral("task")).toString() << ")\n";
    }
    for (const QJsonValue& value : experiments) {
        const QJsonObject entry = value.toObject();
        out() << "experiment " << entry.value(QStringLiteral("experiment")).toString() << ": ";
        if (entry.value(QStringLiteral("skipped")).toBool()) {
            out() << "ran before (" << entry.value(QStringLiteral("status")).toString() << ")";
        } else {
            const QJsonObject best = entry.value(QStringLiteral("best")).toObject();
            out() << entry.value(QStringLiteral("trials")).toInt() << " trials, stopped because "
                  << entry.value(QStringLiteral("stopped_because")).toString() << "; best "
                  << entry.value(QStringLiteral("metric")).toString() << " "
                  << QString::number(best.value(QStringLiteral("objective")).toDouble(), 'f', 4) << " (trial "
                  << best.value(QStringLiteral("trial")).toInt() << ")";
        }
        out() << "\n  report: " << entry.value(QStringLiteral("report")).toString() << "\n";
    }
    out() << "Demo project: " << projectPath << "\n"
          << "Results:      " << outDir.absolutePath() << "/*.report.html and *.inspect.json, and the experiments in "
          << "the project (tunebench-cli runs --project " << projectPath << ")" << Qt::endl;
    return 0;
}

int algorithmsCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Lists every algorithm with its hyperparameter schema (type, bounds, scaling, "
                                     "default, help)."),
                      code))
        return code;
    QJsonArray list;
    for (const auto& algorithm : algorithms::allAlgorithms())
        list.append(algorithms::describeAlgorithm(*algorithm));
    if (parser.isSet(QStringLiteral("json"))) {
        printJson({{QStringLiteral("algorithms"), list}});
        return 0;
    }
    for (const QJsonValue& value : list) {
        const QJsonObject algorithm = value.toObject();
        QStringList tasks;
        for (const QJsonValue& task : algorithm.value(QStringLiteral("tasks")).toArray())
            tasks << task.toString();
        out() << algorithm.value(QStringLiteral("id")).toString() << "  "
              << algorithm.value(QStringLiteral("name")).toString() << " (" << tasks.join(QStringLiteral(", "))
              << ")\n";
        for (const QJsonValue& paramValue : algorithm.value(QStringLiteral("params")).toArray()) {
            const QJsonObject param = paramValue.toObject();
            QString range;
            if (param.contains(QStringLiteral("values"))) {
                QStringList values;
                for (const QJsonValue& v : param.value(QStringLiteral("values")).toArray())
                    values << v.toString();
                range = values.join(QLatin1Char('|'));
            } else if (param.contains(QStringLiteral("min"))) {
                range = QStringLiteral("[%1, %2] %3")
                            .arg(param.value(QStringLiteral("min")).toDouble())
                            .arg(param.value(QStringLiteral("max")).toDouble())
                            .arg(param.value(QStringLiteral("scaling")).toString());
                if (const QJsonArray search = param.value(QStringLiteral("search")).toArray(); search.size() == 2)
                    range += QStringLiteral(", search %1 to %2")
                                 .arg(search.at(0).toDouble())
                                 .arg(search.at(1).toDouble());
            }
            QString byDefault = param.value(QStringLiteral("default")).toVariant().toString();
            QStringList otherDefaults;
            if (const QJsonValue regression = param.value(QStringLiteral("regression_default"));
                !regression.isUndefined())
                otherDefaults << QStringLiteral("regression %1").arg(regression.toVariant().toString());
            if (const QJsonValue multiclass = param.value(QStringLiteral("multiclass_default"));
                !multiclass.isUndefined())
                otherDefaults << QStringLiteral("3+ classes %1").arg(multiclass.toVariant().toString());
            if (!otherDefaults.isEmpty())
                byDefault += QStringLiteral(" (%1)").arg(otherDefaults.join(QStringLiteral(", ")));
            out() << QStringLiteral("    %1 %2 %3 default %4\n")
                         .arg(param.value(QStringLiteral("name")).toString(), -18)
                         .arg(param.value(QStringLiteral("type")).toString(), -12)
                         .arg(range, -28)
                         .arg(byDefault);
        }
    }
    out().flush();
    return 0;
}

/// "per_class" (precision, recall, F1, support) and "confusion_matrix" (rows true, columns predicted).
void insertClassReport(QJsonObject& output, const std::vector<std::string>& classes, const Eigen::MatrixXi& confusion)
{
    const auto scores = evaluation::perClassScores(confusion);
    QJsonObject perClass;
    QJsonArray matrix;
    for (Eigen::Index k = 0; k < confusion.rows(); ++k) {
        const auto& score = scores[static_cast<std::size_t>(k)];
        perClass.insert(qs(classes[static_cast<std::size_t>(k)]),
                        QJsonObject{{QStringLiteral("precision"), score.precision},
                                    {QStringLiteral("recall"), score.recall},
                                    {QStringLiteral("f1"), score.f1},
                                    {QStringLiteral("support"), score.support}});
        QJsonArray row;
        for (Eigen::Index j = 0; j < confusion.cols(); ++j)
            row.append(confusion(k, j));
        matrix.append(row);
    }
    output.insert(QStringLiteral("per_class"), perClass);
    output.insert(QStringLiteral("confusion_matrix"), matrix);
}

/// The options of `train`.
void addTrainOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("target"), QStringLiteral("The column to predict (default: suggested)."),
                      QStringLiteral("COL")});
    parser.addOption({QStringLiteral("algorithm"), QStringLiteral("Algorithm id (see tunebench-cli algorithms)."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("ignore"),
                      QStringLiteral("Leave this column out of the features (an identifier, a leak; repeatable)."),
                      QStringLiteral("COL")});
    parser.addOption(
        {QStringLiteral("set"), QStringLiteral("A hyperparameter value (repeatable)."), QStringLiteral("NAME=VALUE")});
    parser.addOption(
        {QStringLiteral("folds"), QStringLiteral("k-fold cross-validation (default 5)."), QStringLiteral("K")});
    parser.addOption({QStringLiteral("repeats"), QStringLiteral("Repeat k-fold with new shuffles (default 1)."),
                      QStringLiteral("R")});
    parser.addOption(
        {QStringLiteral("holdout"), QStringLiteral("One split, this fraction for validation."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("no-stratify"), QStringLiteral("Do not keep class proportions in folds.")});
    parser.addOption({QStringLiteral("folds-file"),
                      QStringLiteral("Use these folds: one 0-based fold index per data row, one per line (as "
                                     "scikit-learn's fold assignment is exported), to compare on identical folds."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the splits (default 0)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Threads for one fit (default: the machine's cores)."),
                      QStringLiteral("T")});
    parser.addOption({QStringLiteral("project"),
                      QStringLiteral("Record the run (dataset, parameters, metrics, curves) in this project."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("impute"),
                      QStringLiteral("Missing numbers become the training fold's mean (default) or median."),
                      QStringLiteral("mean|median")});
    parser.addOption({QStringLiteral("missing-indicators"),
                      QStringLiteral("Add a 0/1 feature, 1 where missing, per column with missing values.")});
    parser.addOption({QStringLiteral("no-standardize"), QStringLiteral("Do not centre and scale numeric features.")});
    parser.addOption(
        {QStringLiteral("categorical"),
         QStringLiteral("Categorical columns one-hot encoded (default), or, for tree, forest and "
                        "xgboost, one feature of level codes ordered by the target (xgboost splits them as "
                        "categories)."),
         QStringLiteral("onehot|codes")});
    parser.addOption(
        {QStringLiteral("save-model"),
         QStringLiteral("After evaluating, train on all rows and save the model (preprocessing included) here."),
         QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    addReadOptions(parser);
}

/// A command-line value that does not do: what to say, and the exit code.
struct Problem
{
    QString message;
    int code = kUsage;
};

/// `train`'s validation (folds, repeats, hold-out, a folds file, seed) and preprocessing, from its options.
std::optional<Problem> trainSetupFrom(const QCommandLineParser& parser, evaluation::ValidationSpec& validation,
                                      algorithms::PreprocessOptions& preprocess)
{
    bool ok = true;
    if (parser.isSet(QStringLiteral("holdout"))) {
        validation.method = evaluation::ValidationSpec::Method::Holdout;
        validation.holdoutFraction = parser.value(QStringLiteral("holdout")).toDouble(&ok);
        if (!ok || validation.holdoutFraction <= 0 || validation.holdoutFraction >= 1)
            return Problem{QStringLiteral("--holdout takes a fraction between 0 and 1"), kUsage};
    }
    if (parser.isSet(QStringLiteral("folds"))) {
        validation.folds = parser.value(QStringLiteral("folds")).toInt(&ok);
        if (!ok || validation.folds < 2)
            return Problem{QStringLiteral("--folds takes an integer of at least 2"), kUsage};
    }
    if (parser.isSet(QStringLiteral("repeats"))) {
        validation.repeats = parser.value(QStringLiteral("repeats")).toInt(&ok);
        if (!ok || validation.repeats < 1)
            return Problem{QStringLiteral("--repeats takes a positive integer"), kUsage};
    }
    validation.stratified = !parser.isSet(QStringLiteral("no-stratify"));
    const QString impute = parser.value(QStringLiteral("impute"));
    if (!impute.isEmpty() && impute != QLatin1String("mean") && impute != QLatin1String("median"))
        return Problem{QStringLiteral("--impute is mean or median"), kUsage};
    preprocess.medianImpute = impute == QLatin1String("median");
    preprocess.missingIndicators = parser.isSet(QStringLiteral("missing-indicators"));
    preprocess.standardize = !parser.isSet(QStringLiteral("no-standardize"));
    const QString categorical = parser.value(QStringLiteral("categorical"));
    if (!categorical.isEmpty() && categorical != QLatin1String("onehot") && categorical != QLatin1String("codes"))
        return Problem{QStringLiteral("--categorical is onehot or codes"), kUsage};
    preprocess.categoryCodes = categorical == QLatin1String("codes");
    if (parser.isSet(QStringLiteral("folds-file"))) {
        QFile foldsFile(parser.value(QStringLiteral("folds-file")));
        if (!foldsFile.open(QIODevice::ReadOnly | QIODevice::Text))
            return Problem{QStringLiteral("cannot read %1: %2").arg(foldsFile.fileName(), foldsFile.errorString()),
                           kFailure};
        validation.method = evaluation::ValidationSpec::Method::Predefined;
        int lineNumber = 0;
        while (!foldsFile.atEnd()) {
            const QByteArray line = foldsFile.readLine().trimmed();
            ++lineNumber;
            if (line.isEmpty())
                continue;
            const int fold = line.toInt(&ok);
            if (!ok || fold < -1)
                return Problem{QStringLiteral("%1:%2: expected a fold index").arg(foldsFile.fileName()).arg(lineNumber),
                               kFailure};
            validation.assignment.push_back(fold);
        }
    }
    validation.seed = parser.value(QStringLiteral("seed")).toULongLong();
    return std::nullopt;
}

/// `train`'s --set NAME=VALUE options, typed by the algorithm's hyperparameters.
std::optional<Problem> paramsFrom(const QCommandLineParser& parser, const algorithms::Algorithm& algorithm,
                                  algorithms::Params& params)
{
    const std::vector<algorithms::ParamSpec> specs = algorithm.params();
    for (const QString& assignment : parser.values(QStringLiteral("set"))) {
        const auto equals = assignment.indexOf(QLatin1Char('='));
        const std::string name = assignment.left(equals).toStdString();
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; });
        if (equals <= 0 || spec == specs.end())
            return Problem{
                QStringLiteral("--set %1: %2 has no hyperparameter '%3'").arg(assignment, qs(algorithm.id()), qs(name)),
                kUsage};
        try {
            params[name] = spec->parse(assignment.mid(equals + 1).toStdString());
        } catch (const std::invalid_argument& error) {
            return Problem{QStringLiteral("--set %1: %2").arg(assignment, qs(error.what())), kUsage};
        }
    }
    return std::nullopt;
}

/// `train`'s text output: what was trained on what, each metric over the folds and over every row, the fit time.
void printTrainResult(const QString& file, const QJsonObject& output, const evaluation::EvaluationResult& result,
                      const QJsonObject& outOfFold)
{
    if (output.contains(QStringLiteral("model")))
        err() << "model trained on all rows, saved to " << output.value(QStringLiteral("model")).toString() << Qt::endl;
    out() << output.value(QStringLiteral("algorithm")).toString() << " on " << file << ": target '"
          << output.value(QStringLiteral("target")).toString() << "' ("
          << output.value(QStringLiteral("task")).toString() << "), "
          << output.value(QStringLiteral("rows")).toInteger() << " rows"
          << (output.value(QStringLiteral("validated_rows")).toInteger()
                      != output.value(QStringLiteral("rows")).toInteger()
                  ? QStringLiteral(" (%1 validated)").arg(output.value(QStringLiteral("validated_rows")).toInteger())
                  : QString())
          << ", " << result.featureNames.size() << " features, " << result.folds.size() << " folds\n";
    // Each metric's fold mean and spread, then the same metric over every out-of-fold prediction at once.
    out() << QStringLiteral("  %1 %2 %3\n")
                 .arg(QString(), -18)
                 .arg(QStringLiteral("folds: mean +- std"), 23)
                 .arg(QStringLiteral("all rows"), 10);
    for (const auto& [name, stat] : result.summary)
        out() << QStringLiteral("  %1 %2 +- %3 %4\n")
                     .arg(qs(name), -18)
                     .arg(stat.mean, 10, 'f', 4)
                     .arg(stat.std, -9, 'f', 4)
                     .arg(outOfFold.value(qs(name)).toDouble(), 10, 'f', 4);
    out() << QStringLiteral("  fit time %1 s\n").arg(result.fitSeconds, 0, 'f', 3);
    out().flush();
}

/// Every out-of-fold prediction (of the first repeat) scored together, as Weka's and MATLAB's cross-validation
/// report it; the fold means weigh a small fold as much as a large one.
QJsonObject outOfFoldMetrics(const evaluation::EvaluationResult& result, data::Task task)
{
    QJsonObject outOfFold;
    for (const auto& [name, value] : task == data::Task::Regression
             ? evaluation::regressionMetrics(result.oofTruth, result.oofPredictions)
             : evaluation::classificationMetrics(result.oofTruth, result.oofProbabilities))
        outOfFold.insert(qs(name), value);
    return outOfFold;
}

/// `train --json`'s output: what was trained, each metric's mean and spread, every fold, and per class.
QJsonObject trainOutput(const algorithms::Algorithm& algorithm, const algorithms::Params& resolved,
                        const std::string& target, data::Task task, const evaluation::EvaluationResult& result)
{
    QJsonObject metrics;
    for (const auto& [name, stat] : result.summary)
        metrics.insert(qs(name), QJsonObject{{QStringLiteral("mean"), stat.mean}, {QStringLiteral("std"), stat.std}});
    QJsonArray folds;
    for (const evaluation::FoldResult& fold : result.folds) {
        QJsonObject entry;
        for (const auto& [name, value] : fold.metrics)
            entry.insert(qs(name), value);
        entry.insert(QStringLiteral("fit_seconds"), fold.fitSeconds);
        folds.append(entry);
    }
    QJsonObject output{{QStringLiteral("algorithm"), qs(algorithm.id())},
                       {QStringLiteral("params"), algorithms::toJson(resolved)},
                       {QStringLiteral("target"), qs(target)},
                       {QStringLiteral("task"), qs(std::string(data::toString(task)))},
                       {QStringLiteral("validated_rows"), static_cast<qint64>(result.oofRows.size())},
                       {QStringLiteral("features"), static_cast<qint64>(result.featureNames.size())},
                       {QStringLiteral("metrics"), metrics},
                       {QStringLiteral("folds"), folds},
                       {QStringLiteral("fit_seconds"), result.fitSeconds}};
    if (task != data::Task::Regression) {
        QJsonArray classes;
        for (const std::string& label : result.encoding.classes)
            classes.append(qs(label));
        output.insert(QStringLiteral("classes"), classes);
        // Per class, over the out-of-fold predictions of the first repeat.
        insertClassReport(output, result.encoding.classes,
                          evaluation::confusionMatrix(result.oofTruth, result.oofPredictions,
                                                      static_cast<int>(result.encoding.classes.size())));
    }
    return output;
}

/// What one `train` run did, to record in a project.
struct TrainedRun
{
    QString file;
    const data::Dataset& dataset; ///< the file as read, every column
    QJsonObject datasetSpec; ///< path, target and ignored columns, as a spec says them
    const algorithms::Algorithm& algorithm;
    const algorithms::Params& params;
    data::Task task;
    const evaluation::ValidationSpec& validation;
    const algorithms::PreprocessOptions& preprocess;
    int threads;
    const evaluation::EvaluationResult& result;
    const std::vector<store::MetricPoint>& points;
    std::string startedAt;
};

/// Records a `train` run in the project as a one-trial experiment with a whole spec (reports, compare and resume
/// read it), through the run recorder, so its trial has a tuned trial's fields; its objective is the task's first
/// metric. Returns the experiment's name.
std::string recordTrainRun(const QString& projectPath, const TrainedRun& run)
{
    auto project = store::ProjectStore::open(projectPath.toStdString());
    // The file was read already: recorded without reading it again.
    const store::DatasetRecord datasetRecord = store::recordDataset(*project, run.file.toStdString(), run.dataset);
    const std::string name = "train " + run.algorithm.id() + " " + store::ProjectStore::nowUtc();
    const std::string metric = run.task == data::Task::Regression ? "r2" : "accuracy";
    QJsonObject json{{QStringLiteral("name"), qs(name)},
                     {QStringLiteral("algorithm"), qs(run.algorithm.id())},
                     {QStringLiteral("fixed"), algorithms::toJson(run.params)},
                     {QStringLiteral("dataset"), run.datasetSpec},
                     {QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), qs(metric)}}},
                     {QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), 1}}},
                     {QStringLiteral("seed"), static_cast<qint64>(run.validation.seed)}};
    if (const auto folds = tuning::validationToJson(run.validation))
        json.insert(QStringLiteral("validation"), *folds);
    if (run.preprocess != algorithms::PreprocessOptions{})
        json.insert(QStringLiteral("preprocessing"), tuning::preprocessingToJson(run.preprocess));
    tuning::ExperimentSpec spec
        = tuning::parseSpec(QJsonDocument(json).toJson(), name, QDir::currentPath().toStdString());
    spec.threadsPerTrial = run.threads;
    jobs::RunRecorder recorder(*project, spec);
    recorder.create(datasetRecord.id);
    jobs::Trial trial;
    trial.number = 1;
    trial.state = TrialState::Finished;
    trial.config = {run.algorithm.id(), run.params};
    const jobs::TrialResult trialResult = jobs::trialResultOf(run.result);
    trial.metrics = jobs::metricSummaries(trialResult);
    if (const auto objective = trialResult.metrics.find(metric); objective != trialResult.metrics.end())
        trial.objective = objective->second.mean;
    trial.fitSeconds = trialResult.fitSeconds;
    trial.startedAt = run.startedAt;
    recorder.started(trial.number, trial.config);
    for (const store::MetricPoint& point : run.points)
        recorder.point(trial.number, point);
    recorder.ended(std::move(trial));
    (void)recorder.commit();
    recorder.complete("single training run");
    return name;
}

int trainCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The data file."));
    addTrainOptions(parser);
    int code = 0;
    if (!parseCommand(
            parser, arguments,
            QStringLiteral("Trains an algorithm with fixed hyperparameters and evaluates it by cross-validation "
                           "(or a holdout split); prints each metric's mean and standard deviation over the "
                           "folds, the per-fold values and the fit time."),
            code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("algorithm")))
        return fail(QStringLiteral("train needs FILE and --algorithm ID (see tunebench-cli train --help)"), kUsage);
    data::ReadOptions readOptions;
    if (const QString problem = readOptionsFrom(parser, readOptions); !problem.isEmpty())
        return fail(problem, kUsage);
    const auto algorithm = algorithms::findAlgorithm(parser.value(QStringLiteral("algorithm")).toStdString());
    if (!algorithm)
        return fail(QStringLiteral("unknown algorithm '%1' (see tunebench-cli algorithms)")
                        .arg(parser.value(QStringLiteral("algorithm"))),
                    kUsage);
    algorithms::Params params;
    if (const auto problem = paramsFrom(parser, *algorithm, params))
        return fail(problem->message, problem->code);
    evaluation::ValidationSpec validation;
    algorithms::PreprocessOptions preprocess;
    if (const auto problem = trainSetupFrom(parser, validation, preprocess))
        return fail(problem->message, problem->code);
    const int threads = parser.isSet(QStringLiteral("threads")) ? parser.value(QStringLiteral("threads")).toInt()
                                                                : std::max(1, QThread::idealThreadCount());

    const QString file = parser.positionalArguments().constFirst();
    try {
        data::Dataset read = data::readDataset(file.toStdString(), readOptions);
        std::vector<std::string> ignored;
        for (const QString& name : parser.values(QStringLiteral("ignore"))) {
            if (name == parser.value(QStringLiteral("target")))
                return fail(QStringLiteral("--ignore %1: it is the target").arg(name), kUsage);
            ignored.push_back(name.toStdString());
        }
        // A project records the whole file, as tune does; the run's spec says what was left out.
        std::optional<data::Dataset> whole;
        if (!ignored.empty() && parser.isSet(QStringLiteral("project")))
            whole = read;
        data::Dataset dataset;
        try {
            dataset = data::withoutColumns(std::move(read), ignored);
        } catch (const std::invalid_argument& error) {
            return fail(QStringLiteral("%1: %2").arg(file, qs(error.what())));
        }
        std::optional<std::size_t> target = data::suggestTarget(dataset);
        if (parser.isSet(QStringLiteral("target")))
            target = dataset.indexOf(parser.value(QStringLiteral("target")).toStdString());
        if (!target)
            return fail(
                QStringLiteral("%1 has no column named '%2'").arg(file, parser.value(QStringLiteral("target"))));
        const data::Task task = data::detectTask(dataset.column(*target));
        const algorithms::Params resolved = algorithms::resolve(algorithm->params(), params, task);

        std::vector<store::MetricPoint> points;
        std::mutex pointsMutex;
        const algorithms::TrainingContext context(
            util::CancelToken(),
            [&](int step, const std::string& metric, double value) {
                const std::lock_guard lock(pointsMutex);
                points.push_back(
                    {metric, step, value, static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0});
            },
            threads);
        const QString started = qs(store::ProjectStore::nowUtc());
        const evaluation::EvaluationResult result
            = evaluation::evaluate(dataset, *target, task, *algorithm, resolved, validation, context, preprocess);
        QJsonArray warnings;
        for (const std::string& warning : result.warnings) {
            err() << "tunebench-cli: warning: " << qs(warning) << Qt::endl;
            warnings.append(qs(warning));
        }

        const QJsonObject outOfFold = outOfFoldMetrics(result, task);
        QJsonObject output = trainOutput(*algorithm, resolved, dataset.column(*target).name, task, result);
        // What the rows count: those with a target (they train and validate), those the validation predicted (a
        // holdout's share; every row for k-fold), those with none.
        const auto withTarget = static_cast<qint64>(dataset.rowCount() - dataset.column(*target).missingCount());
        output.insert(QStringLiteral("rows"), withTarget);
        output.insert(QStringLiteral("rows_without_target"), static_cast<qint64>(dataset.rowCount()) - withTarget);
        output.insert(QStringLiteral("out_of_fold"), outOfFold);
        output.insert(QStringLiteral("warnings"), warnings);
        if (parser.isSet(QStringLiteral("project"))) {
            QJsonObject datasetSpec{{QStringLiteral("path"), file},
                                    {QStringLiteral("target"), output.value(QStringLiteral("target"))}};
            if (!ignored.empty())
                datasetSpec.insert(QStringLiteral("ignore"),
                                   QJsonArray::fromStringList(parser.values(QStringLiteral("ignore"))));
            const TrainedRun run{.file = file,
                                 .dataset = whole ? *whole : dataset,
                                 .datasetSpec = datasetSpec,
                                 .algorithm = *algorithm,
                                 .params = resolved,
                                 .task = task,
                                 .validation = validation,
                                 .preprocess = preprocess,
                                 .threads = threads,
                                 .result = result,
                                 .points = points,
                                 .startedAt = started.toStdString()};
            output.insert(QStringLiteral("experiment"),
                          qs(recordTrainRun(parser.value(QStringLiteral("project")), run)));
        }
        if (parser.isSet(QStringLiteral("save-model"))) {
            const QString modelPath = parser.value(QStringLiteral("save-model"));
            const algorithms::ModelFile model
                = algorithms::trainFinalModel(dataset, *target, task, *algorithm, resolved, context, preprocess);
            algorithms::saveModelFile(model, modelPath.toStdString());
            output.insert(QStringLiteral("model"), QFileInfo(modelPath).absoluteFilePath());
        }
        if (parser.isSet(QStringLiteral("json"))) {
            printJson(output);
            return 0;
        }
        printTrainResult(file, output, result, outOfFold);
    } catch (const std::invalid_argument& error) {
        return fail(qs(error.what()), kUsage);
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
    return 0;
}

/// One CSV field, quoted when it must be (RFC 4180).
QString csvField(const std::string& text)
{
    QString field = QString::fromStdString(text);
    if (field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"')) || field.contains(QLatin1Char('\n')))
        field = QLatin1Char('"') + field.replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
    return field;
}

int predictCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A model file saved by train --save-model."));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("Data with the columns the model was trained on."));
    parser.addOption(
        {QStringLiteral("out"), QStringLiteral("Where to write the predictions (CSV)."), QStringLiteral("FILE.csv")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print a JSON summary on stdout.")});
    addReadOptions(parser);
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Predicts every row of a data file with a saved model and writes a CSV: the "
                                     "prediction, and for classes the probability of each (columns p_CLASS). "
                                     "A file that holds the target column is scored against it."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 2 || !parser.isSet(QStringLiteral("out")))
        return fail(QStringLiteral("predict needs MODEL FILE --out FILE.csv"), kUsage);
    data::ReadOptions readOptions;
    if (const QString problem = readOptionsFrom(parser, readOptions); !problem.isEmpty())
        return fail(problem, kUsage);
    const QString modelPath = parser.positionalArguments().at(0);
    const QString dataPath = parser.positionalArguments().at(1);
    try {
        algorithms::ModelFile model = algorithms::loadModelFile(modelPath.toStdString());
        const data::Dataset dataset = data::readDataset(dataPath.toStdString(), readOptions);
        algorithms::Prediction prediction;
        try {
            prediction = algorithms::predictDataset(model, dataset);
        } catch (const std::invalid_argument& error) {
            return fail(QStringLiteral("%1: %2").arg(dataPath, qs(error.what())));
        }
        const bool classification = model.encoding.task != data::Task::Regression;
        QStringList header{QStringLiteral("prediction")};
        if (classification) {
            for (const std::string& label : model.encoding.classes)
                header << csvField("p_" + label);
        }
        QByteArray text = header.join(QLatin1Char(',')).toUtf8() + '\n';
        const Eigen::Index rows = prediction.values.size();
        for (Eigen::Index i = 0; i < rows; ++i) {
            QStringList fields;
            if (classification) {
                fields << csvField(model.encoding.classes[static_cast<std::size_t>(prediction.values[i])]);
                for (Eigen::Index k = 0; k < prediction.probabilities.cols(); ++k)
                    fields << QString::number(prediction.probabilities(i, k), 'g', 10);
            } else {
                fields << QString::number(prediction.values[i], 'g', 15);
            }
            text += fields.join(QLatin1Char(',')).toUtf8() + '\n';
        }
        // Written to a temporary file and renamed: never half a result under the final name.
        QSaveFile csv(parser.value(QStringLiteral("out")));
        if (!csv.open(QIODevice::WriteOnly) || csv.write(text) < 0 || !csv.commit())
            return fail(QStringLiteral("cannot write %1: %2").arg(csv.fileName(), csv.errorString()));
        // Extra columns are left out, and said so: a column the user meant the model to use must not go
        // unnoticed.
        QJsonArray unused;
        QStringList unusedNames;
        for (const std::string& name : algorithms::unusedColumns(model, dataset)) {
            unused.append(qs(name));
            unusedNames << QLatin1Char('\'') + qs(name) + QLatin1Char('\'');
        }
        if (!unusedNames.isEmpty())
            err() << "tunebench-cli: note: " << dataPath << ": the model does not use "
                  << (unusedNames.size() == 1 ? QStringLiteral("column ") : QStringLiteral("columns "))
                  << unusedNames.join(QStringLiteral(", ")) << "; ignored" << Qt::endl;
        QJsonObject summary{{QStringLiteral("model"), modelPath},
                            {QStringLiteral("algorithm"), qs(model.algorithm)},
                            {QStringLiteral("rows"), static_cast<qint64>(rows)},
                            {QStringLiteral("ignored_columns"), unused},
                            {QStringLiteral("out"), parser.value(QStringLiteral("out"))}};
        // A file that holds the target is a test set: the predictions are scored against it.
        std::optional<evaluation::HeldOutScore> score;
        if (const auto target = dataset.indexOf(model.target)) {
            try {
                score = evaluation::scoreHeldOut(dataset.column(*target), model.encoding, prediction);
            } catch (const std::invalid_argument& error) {
                err() << "tunebench-cli: note: " << dataPath << ": not scored: " << qs(error.what()) << Qt::endl;
            }
        }
        if (score) {
            if (score->unseenRows > 0) {
                QStringList names;
                for (const std::string& name : score->unseenClasses)
                    names << QLatin1Char('\'') + qs(name) + QLatin1Char('\'');
                err() << "tunebench-cli: note: " << dataPath << ": " << score->unseenRows
                      << " rows of classes the model never saw (" << names.join(QStringLiteral(", "))
                      << ") are not scored" << Qt::endl;
            }
            QJsonObject metrics;
            for (const auto& [name, value] : score->metrics)
                metrics.insert(qs(name), value);
            QJsonObject evaluation{{QStringLiteral("target"), qs(model.target)},
                                   {QStringLiteral("scored_rows"), static_cast<qint64>(score->scored)},
                                   {QStringLiteral("missing_target_rows"), static_cast<qint64>(score->missingTarget)},
                                   {QStringLiteral("unseen_class_rows"), static_cast<qint64>(score->unseenRows)},
                                   {QStringLiteral("metrics"), metrics}};
            if (model.encoding.task != data::Task::Regression)
                insertClassReport(evaluation, model.encoding.classes, score->confusion);
            summary.insert(QStringLiteral("evaluation"), evaluation);
        }
        if (parser.isSet(QStringLiteral("json"))) {
            printJson(summary);
        } else {
            out() << rows << " predictions by " << qs(model.algorithm) << " written to "
                  << parser.value(QStringLiteral("out")) << Qt::endl;
            if (score) {
                out() << "scored against its '" << qs(model.target) << "' column, " << score->scored << " rows:\n";
                for (const auto& [name, value] : score->metrics)
                    out() << QStringLiteral("  %1 %2\n").arg(qs(name), -18).arg(value, 10, 'f', 4);
                out().flush();
            }
        }
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
    return 0;
}

struct Command
{
    const char* name;
    const char* summary;
    std::function<int(const QStringList&)> run;
};

const std::vector<Command>& commands()
{
    static const std::vector<Command> table = {
        {"inspect", "Show a data file's rows, columns, types, missing values, target and task.", inspect},
        {"import", "Record data files in a project (content hash and schema).", importCommand},
        {"algorithms", "List the algorithms and their hyperparameter schemas.", algorithmsCommand},
        {"train", "Train and cross-validate an algorithm with fixed hyperparameters.", trainCommand},
        {"predict", "Predict a data file with a saved model.", predictCommand},
        {"datasets", "List the datasets of a project.", datasetsCommand},
        {"demo", "Run the bundled demo and write its results to a folder.", demoCommand},
        {"tune", "Run a tuning experiment from a spec (native or SageMaker JSON).", tuneCommand},
        {"resume", "Continue an interrupted tuning experiment of a project.", resumeCommand},
        {"runs", "List a project's experiments, or one experiment's trials.", runsCommand},
        {"stop", "Ask the process running an experiment to stop it (or cancel it).", stopCommand},
        {"rerun", "Train a recorded trial again and say whether each metric reproduces.", rerunCommand},
        {"run-trial", "Run one trial with no project file, its events as JSON lines (a cluster node's work).",
         runTrialCommand},
        {"export-model", "Train a trial (the best by default) on all the data and save its model file.",
         exportModelCommand},
        {"report", "Write an experiment's report: one self-contained HTML file, or a PDF.", reportCommand},
        {"benchmark", "Compare algorithms across datasets: t-tests against a baseline, Friedman test.",
         benchmarkCommand},
        {"importance", "Show how much each hyperparameter of an experiment matters (functional ANOVA).",
         importanceCommand},
    };
    return table;
}

QString usage()
{
    QString text = QStringLiteral("Usage: tunebench-cli COMMAND [options]\n\n"
                                  "Drives the Tunebench engine from scripts and CI. Every command takes --help;\n"
                                  "--json prints machine-readable output on stdout; errors go to stderr.\n\n"
                                  "Commands:\n");
    for (const Command& command : commands())
        text += QStringLiteral("  %1 %2\n").arg(QLatin1String(command.name), -10).arg(QLatin1String(command.summary));
    text += QStringLiteral("\nOptions:\n  -h, --help     Show this help.\n  -v, --version  Show the version.\n");
    return text;
}

} // namespace

int run(const QStringList& arguments)
{
    if (arguments.size() < 2) {
        err() << usage();
        return kUsage;
    }
    const QString first = arguments.at(1);
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        out() << usage();
        return 0;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        out() << "tunebench-cli " << TUNEBENCH_VERSION << " (engine compiled for "
              << QString::fromLatin1(util::instructionSetLevel()) << ")" << Qt::endl;
        return 0;
    }
    for (const Command& command : commands()) {
        if (first == QLatin1String(command.name)) {
            QStringList rest = arguments;
            rest.removeAt(1); // QCommandLineParser expects the program name first
            rest[0] = QStringLiteral("tunebench-cli ") + first;
            return command.run(rest);
        }
    }
    return fail(QStringLiteral("unknown command '%1'\n\n").arg(first) + usage(), kUsage);
}

} // namespace tunebench::cli
