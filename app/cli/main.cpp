#include <algorithm>
#include <cstring>
#include <memory>

#include <QCoreApplication>
#include <QGuiApplication>

#include "cli.h"
#include "reportexport.h"

namespace {

QtMessageHandler previousHandler = nullptr;

/// Drawing offscreen where no session set XDG_RUNTIME_DIR (root, cron, a CI job), Qt falls back to a private
/// directory of its own and says so on stderr, which reads as a fault in a script's log; that notice alone
/// is dropped.
void quietRuntimeDirNotice(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

int main(int argc, char* argv[])
{
    // Only `report` to a PDF draws (its text and charts need a QGuiApplication's fonts); it draws offscreen,
    // so that it runs with no display, and everything else stays a plain QCoreApplication.
    const auto isPdf = [](const char* argument) { return tunebench::ui::isPdfPath(QString::fromLocal8Bit(argument)); };
    std::unique_ptr<QCoreApplication> app;
    if (argc > 1 && std::strcmp(argv[1], "report") == 0 && std::any_of(argv + 2, argv + argc, isPdf)) {
        qputenv("QT_QPA_PLATFORM", "offscreen"); // never a window: no display needed, whatever the session says
        previousHandler = qInstallMessageHandler(quietRuntimeDirNotice);
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("tunebench-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TUNEBENCH_VERSION));
    return tunebench::cli::run(QCoreApplication::arguments());
}
