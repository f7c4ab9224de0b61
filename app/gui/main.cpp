#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

#include "tuning/experimentspec.h"
#include "window/mainwindow.h"

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
    parser.addOption({QStringLiteral("run"),
                      QStringLiteral("Run the experiment in SPEC (native or SageMaker JSON) in PROJECT at once."),
                      QStringLiteral("SPEC")});
    parser.process(app);

    tunebench::ui::MainWindow window;
    window.show();
    if (parser.isSet(QStringLiteral("demo"))) {
        window.openDemoProject(parser.value(QStringLiteral("demo")));
    } else if (!parser.positionalArguments().isEmpty()) {
        if (window.openProject(parser.positionalArguments().constFirst()) && parser.isSet(QStringLiteral("run"))) {
            try {
                window.runExperiment(
                    tunebench::tuning::parseSpecFile(parser.value(QStringLiteral("run")).toStdString()));
            } catch (const std::exception& error) {
                QMessageBox::critical(&window, QObject::tr("Cannot run the experiment"),
                                      QString::fromStdString(error.what()));
            }
        }
    } else if (parser.isSet(QStringLiteral("run"))) {
        parser.showHelp(2); // --run needs a project
    }
    return QApplication::exec();
}
