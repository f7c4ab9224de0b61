#include <QApplication>
#include <QCommandLineParser>

#include "mainwindow.h"

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tunebench"));
    QApplication::setOrganizationName(QStringLiteral("Tunebench"));
    QApplication::setApplicationVersion(QStringLiteral(TUNEBENCH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tunebench: a workbench for machine-learning experiments."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A project file to open."),
                                 QStringLiteral("[PROJECT]"));
    parser.addOption({QStringLiteral("demo"), QStringLiteral("Open the bundled demo project, written to DIR."),
                      QStringLiteral("DIR")});
    parser.process(app);

    tunebench::ui::MainWindow window;
    window.show();
    if (parser.isSet(QStringLiteral("demo")))
        window.openDemoProject(parser.value(QStringLiteral("demo")));
    else if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());
    return QApplication::exec();
}
