#include "report/pdfrenderer.h"

#include <stdexcept>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryFile>

namespace tunebench::report {

namespace {

constexpr int kRenderTimeoutMs = 300000;

} // namespace

bool isPdfPath(std::string_view path)
{
    if (path.size() < 4)
        return false;
    const std::string_view suffix = path.substr(path.size() - 4);
    return QString::fromUtf8(suffix.data(), static_cast<qsizetype>(suffix.size()))
               .compare(QLatin1String(".pdf"), Qt::CaseInsensitive)
        == 0;
}

std::string pdfRendererPath()
{
    if (const QByteArray chosen = qgetenv("TUNEBENCH_PDF_RENDERER"); !chosen.isEmpty())
        return chosen.toStdString();
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {here.filePath(QStringLiteral("tunebench-pdf")),
                                     here.filePath(QStringLiteral("../libexec/tunebench/tunebench-pdf"))}) {
        if (QFileInfo(candidate).isExecutable())
            return QDir::cleanPath(candidate).toStdString();
    }
    return {};
}

void renderPdf(const std::string& html, const std::string& pdfPath)
{
    const std::string renderer = pdfRendererPath();
    if (renderer.empty())
        throw std::runtime_error("cannot write a PDF: the program tunebench-pdf is not installed beside "
                                 + QCoreApplication::applicationFilePath().toStdString()
                                 + " (write the report as .html, or install Tunebench's PDF renderer)");
    QTemporaryFile page(QDir::tempPath() + QStringLiteral("/tunebench-report-XXXXXX.html"));
    if (!page.open() || page.write(html.data(), static_cast<qint64>(html.size())) < 0 || !page.flush())
        throw std::runtime_error("cannot write a PDF: no room for the page in " + QDir::tempPath().toStdString());
    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(QString::fromStdString(renderer), {page.fileName(), QString::fromStdString(pdfPath)});
    const bool ended = process.waitForFinished(kRenderTimeoutMs);
    const QString said = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    if (!ended) {
        process.kill();
        process.waitForFinished();
        throw std::runtime_error("cannot write a PDF: " + renderer + " did not finish in 5 minutes");
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw std::runtime_error(said.isEmpty() ? "cannot write a PDF: " + renderer + " failed ("
                                         + process.errorString().toStdString() + ")"
                                                : said.toStdString());
}

} // namespace tunebench::report
