#pragma once

// Helpers the CLI's command files share; not part of any public API.

#include <string>

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QTextStream>

#include "util/states.h"

namespace tunebench::store {
class ProjectStore;
}
namespace tunebench::report {
struct ReportOptions;
}

namespace tunebench::cli {

inline constexpr int kFailure = 1;
inline constexpr int kUsage = 2;
inline constexpr int kNotReproduced = 3; ///< rerun: the trial ran again and a metric differs

QTextStream& out();
QTextStream& err();
/// Prints "tunebench-cli: error: MESSAGE" on stderr and returns `code`.
int fail(const QString& message, int code = kFailure);
void printJson(const QJsonObject& object);
QString qs(const std::string& text);
/// A state's name, as the project and the JSON output spell it.
QString qs(TrialState state);
QString qs(ExperimentState state);
/// Parses a command's arguments; on --help prints the usage and returns false with `exitCode` 0.
bool parseCommand(QCommandLineParser& parser, const QStringList& arguments, const QString& description, int& exitCode);

int tuneCommand(const QStringList& arguments);
int resumeCommand(const QStringList& arguments);
int runTrialCommand(const QStringList& arguments);
int runsCommand(const QStringList& arguments);
int stopCommand(const QStringList& arguments);
int rerunCommand(const QStringList& arguments);
int importanceCommand(const QStringList& arguments);
int benchmarkCommand(const QStringList& arguments);
int reportCommand(const QStringList& arguments);
int exportModelCommand(const QStringList& arguments);

/// Runs an example experiment of the demo in `project` unless it ran there before; its summary as
/// `tunebench-cli tune --json` prints it, with "skipped": true when it had run. Throws like the tuner.
QJsonObject runExampleExperiment(const std::string& specPath, store::ProjectStore& project);

/// Writes `experiment`'s report (report::experimentReportHtml) to `path`: a PDF when it ends in .pdf (drawn by
/// tunebench-pdf), else the HTML page, atomically. Throws std::runtime_error naming the file when
/// it cannot be written, and as the report does.
void writeExperimentReport(store::ProjectStore& project, const std::string& experiment, const QString& path,
                           const report::ReportOptions& options);

} // namespace tunebench::cli
