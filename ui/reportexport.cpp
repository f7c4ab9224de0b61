#include "reportexport.h"

#include <QAbstractTextDocumentLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QTextDocument>

namespace tunebench::ui {

namespace {

/// The page's stylesheet, simplified for QTextDocument's subset of CSS.
const char* kPdfStyle = "body { font-family: 'DejaVu Sans'; font-size: 9pt; color: #000000; } h1 { font-size: 16pt; } "
                        "h2 { font-size: 12pt; color: #1f3f8f; margin-top: 14pt; } th { background-color: #eef2fb; } "
                        "pre { font-size: 7pt; } .muted { color: #666666; }";

} // namespace

void setUpReportPages(QPagedPaintDevice& device)
{
    device.setPageSize(QPageSize(QPageSize::A4));
    device.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
}

void paintReport(const std::string& html, QPagedPaintDevice& device, QPainter& painter)
{
    const double resolution = device.logicalDpiY();
    const QRectF page = device.pageLayout().paintRectPixels(static_cast<int>(resolution));
    const double width = page.width();
    const double height = page.height();
    double y = 0.0;
    auto newPage = [&] {
        device.newPage();
        y = 0.0;
    };

    // Body only, split into runs of HTML and inline SVG charts.
    QString body = QString::fromStdString(html);
    body.remove(QRegularExpression(QStringLiteral("^.*<body>"), QRegularExpression::DotMatchesEverythingOption));
    body.remove(QRegularExpression(QStringLiteral("</body>.*$"), QRegularExpression::DotMatchesEverythingOption));
    static const QRegularExpression svg(QStringLiteral("<svg.*?</svg>"),
                                        QRegularExpression::DotMatchesEverythingOption);
    qsizetype position = 0;
    auto drawHtml = [&](const QString& fragment) {
        if (fragment.trimmed().isEmpty())
            return;
        QTextDocument document;
        document.setDefaultStyleSheet(QString::fromLatin1(kPdfStyle));
        document.setDocumentMargin(0);
        // QTextDocument measures in the painter's device pixels: scale its points up to the 300 dpi page.
        const double scale = resolution / 96.0;
        document.setTextWidth(width / scale);
        document.setHtml(fragment);
        document.setPageSize(QSizeF(width / scale, height / scale));
        const double documentHeight = document.size().height() * scale;
        // Text taller than what is left of the page flows over pages, one page's height at a time.
        double drawn = 0.0;
        while (drawn < documentHeight) {
            if (y > 0 && height - y < std::min(documentHeight - drawn, 40.0 * scale))
                newPage();
            const double slice = std::min(documentHeight - drawn, height - y);
            painter.save();
            painter.translate(0, y - drawn);
            painter.scale(scale, scale);
            QAbstractTextDocumentLayout::PaintContext context;
            // Paper is white whatever the desktop's palette: dark text, never the dark theme's light one.
            context.palette.setColor(QPalette::Text, Qt::black);
            context.palette.setColor(QPalette::WindowText, Qt::black);
            context.clip = QRectF(0, drawn / scale, width / scale, slice / scale);
            painter.setClipRect(context.clip);
            document.documentLayout()->draw(&painter, context);
            painter.restore();
            drawn += slice;
            y += slice;
            if (drawn < documentHeight)
                newPage();
        }
    };
    for (auto it = svg.globalMatch(body); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        drawHtml(body.mid(position, match.capturedStart() - position));
        position = match.capturedEnd();
        QSvgRenderer renderer(match.captured(0).toUtf8());
        if (!renderer.isValid())
            continue;
        const QSizeF size = renderer.defaultSize();
        const double chartWidth = std::min(width, size.width() * resolution / 96.0);
        const double chartHeight = chartWidth * size.height() / std::max(1.0, size.width());
        if (y + chartHeight > height)
            newPage();
        renderer.render(&painter, QRectF(0, y, chartWidth, chartHeight));
        y += chartHeight + 20;
    }
    drawHtml(body.mid(position));
}

bool writeReportPdf(const std::string& html, const QString& path, QString* error)
{
    QPdfWriter writer(path);
    setUpReportPages(writer);
    writer.setResolution(300);
    writer.setTitle(QStringLiteral("Tunebench report"));
    writer.setCreator(QStringLiteral("Tunebench"));
    QPainter painter;
    if (!painter.begin(&writer)) {
        if (error)
            *error = QObject::tr("Could not write %1").arg(path);
        return false;
    }
    paintReport(html, writer, painter);
    painter.end();
    return true;
}

QString writeReport(const std::string& html, const QString& path)
{
    QString error;
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return writeReportPdf(html, path, &error) ? QString() : error;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(html.data(), static_cast<qint64>(html.size())) < 0
        || !file.commit())
        return QObject::tr("Could not write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace tunebench::ui
