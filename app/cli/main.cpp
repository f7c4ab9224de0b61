#include <QCoreApplication>

#include "cli.h"

int main(int argc, char* argv[])
{
    // Qt Core only, for every command: a report's PDF is drawn by the tunebench-pdf program (report::renderPdf).
    const QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tunebench-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TUNEBENCH_VERSION));
    return tunebench::cli::run(QCoreApplication::arguments());
}
