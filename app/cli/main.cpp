#include <QCoreApplication>

#include "cli.h"

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tunebench-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TUNEBENCH_VERSION));
    return tunebench::cli::run(QCoreApplication::arguments());
}
