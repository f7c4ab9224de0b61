// tunebench-pdf HTML OUT.pdf: draws an HTML report (report::experimentReportHtml) as PDF pages, offscreen. The one
// program besides the workbench that links Qt Gui and Svg, so that tunebench-cli and the cluster worker need
// Qt Core only (report::renderPdf runs this).

#include <QFile>
#include <QGuiApplication>
#include <QTextStream>

#include "report/reportexport.h"

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
    qputenv("QT_QPA_PLATFORM", "offscreen"); // never a window: no display needed, whatever the session says
    previousHandler = qInstallMessageHandler(quietRuntimeDirNotice);
    const QGuiApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() != 3) {
        err << "usage: tunebench-pdf REPORT.html OUT.pdf" << Qt::endl;
        return 2;
    }
    QFile page(arguments.at(1));
    if (!page.open(QIODevice::ReadOnly)) {
        err << "tunebench-pdf: cannot read " << page.fileName() << ": " << page.errorString() << Qt::endl;
        return 1;
    }
    QString error;
    if (!tunebench::ui::writeReportPdf(page.readAll().toStdString(), arguments.at(2), &error)) {
        err << error << Qt::endl;
        return 1;
    }
    return 0;
}
