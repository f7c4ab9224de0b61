#include <cstring>
#include <memory>

#include <QCoreApplication>
#include <QGuiApplication>

#include "cli.h"

int main(int argc, char* argv[])
{
    // Only `report` draws (a PDF's text and charts need a QGuiApplication's fonts); it draws offscreen, so
    // that it runs with no display, and every other command stays a plain QCoreApplication.
    std::unique_ptr<QCoreApplication> app;
    if (argc > 1 && std::strcmp(argv[1], "report") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("tunebench-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TUNEBENCH_VERSION));
    return tunebench::cli::run(QCoreApplication::arguments());
}
