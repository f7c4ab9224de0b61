#include "report/reportexport.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include <QAbstractTextDocumentLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>
#include <QTextTable>

namespace tunebench::ui {

namespace {

/// The page's stylesheet, simplified for QTextDocument's subset of CSS.
const char* kPdfStyle = "body { font-family: 'DejaVu Sans'; font-size: 9pt; color: #000000; } h1 { font-size: 16pt; } "
                        "h2 { font-size: 12pt; color: #1f3f8f; margin-top: 14pt; } th { background-color: #eef2fb; } "
                        "pre { font-size: 7pt; } .muted { color: #666666; }";

/// Where a laid-out document may be cut between pages, in `scale` x its units.
struct PageBreaks
{
    /// Ascending: halfway between a line and the next, never through a line, nor through a table row (its
    /// cells' lines go together).
    std::vector<double> cuts;
    /// For each cut, the header rows (<thead>) of the table it falls in, to repeat at the top of the next
    /// page: from the table's top border to the cut after them; empty (0, 0) outside such a table.
    std::vector<std::pair<double, double>> headers;
};

PageBreaks pageBreaks(const QTextDocument& document, double scale)
{
    struct Row
    {
        double top, bottom;
    };
    std::map<std::pair<const QTextTable*, int>, Row> rows;
    std::vector<std::pair<double, double>> spans; // top, bottom: a line outside tables, or a table row
    QAbstractTextDocumentLayout* layout = document.documentLayout();
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        const QTextLayout* text = block.layout();
        if (!text || text->lineCount() == 0)
            continue;
        const double top = layout->blockBoundingRect(block).top(); // where the layout, and its line 0, start
        const QTextTable* table = QTextCursor(block).currentTable();
        for (int i = 0; i < text->lineCount(); ++i) {
            const double lineTop = top + text->lineAt(i).y();
            const double lineBottom = lineTop + text->lineAt(i).height();
            if (!table) {
                spans.emplace_back(lineTop, lineBottom);
                continue;
            }
            const auto [row, added]
                = rows.try_emplace({table, table->cellAt(block.position()).row()}, Row{lineTop, lineBottom});
            row->second.top = std::min(row->second.top, lineTop);
            row->second.bottom = std::max(row->second.bottom, lineBottom);
        }
    }
    struct Extent
    {
        double top; ///< the table's frame, its outer border included
        double bottom = -1e300, headerBottom = -1e300;
        bool header = false;
    };
    std::map<const QTextTable*, Extent> tables;
    for (const auto& [key, row] : rows) {
        spans.emplace_back(row.top, row.bottom);
        // The outer border and the cells' padding lie above the frame's top as the layout reports it.
        const QTextTableFormat format = key.first->format();
        const double frameTop = layout->frameBoundingRect(const_cast<QTextTable*>(key.first)).top();
        const double outerTop
            = frameTop - format.border() - format.cellPadding() - format.cellSpacing() - format.topMargin() - 1.0;
        Extent& table = tables.try_emplace(key.first, Extent{outerTop}).first->second;
        table.bottom = std::max(table.bottom, row.bottom);
        if (key.second < key.first->format().headerRowCount()) {
            table.header = true;
            table.headerBottom = std::max(table.headerBottom, row.bottom);
        }
    }
    std::sort(spans.begin(), spans.end());
    PageBreaks breaks;
    double bottom = spans.empty() ? 0.0 : spans.front().second;
    for (const auto& [spanTop, spanBottom] : spans) {
        if (spanTop >= bottom)
            breaks.cuts.push_back((bottom + spanTop) / 2);
        bottom = std::max(bottom, spanBottom);
    }
    // The cut at or before `at` (or the document's top), and the one at or after it (or `at` itself).
    auto cutBefore = [&](double at) {
        const auto found = std::upper_bound(breaks.cuts.begin(), breaks.cuts.end(), at);
        return found == breaks.cuts.begin() ? 0.0 : *std::prev(found);
    };
    auto cutAfter = [&](double at) {
        const auto found = std::lower_bound(breaks.cuts.begin(), breaks.cuts.end(), at);
        return found == breaks.cuts.end() ? at : *found;
    };
    for (const double cut : breaks.cuts) {
        std::pair<double, double> header;
        for (const auto& [table, extent] : tables) {
            if (extent.header && cut > extent.headerBottom && cut < extent.bottom)
                header = {scale * std::max(extent.top, cutBefore(extent.top + 2.0)),
                          scale * cutAfter(extent.headerBottom)};
        }
        breaks.headers.push_back(header);
    }
    for (double& cut : breaks.cuts)
        cut *= scale;
    return breaks;
}

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
    // QTextDocument measures in the painter's device pixels: scale its points up to the 300 dpi page.
    const double scale = resolution / 96.0;
    auto layOut = [&](QTextDocument& document, const QString& fragment) {
        document.setDefaultStyleSheet(QString::fromLatin1(kPdfStyle));
        document.setDocumentMargin(0);
        document.setTextWidth(width / scale);
        document.setHtml(fragment);
        return document.size().height() * scale;
    };
    auto drawHtml = [&](const QString& fragment) {
        if (fragment.trimmed().isEmpty())
            return;
        QTextDocument document;
        const double documentHeight = layOut(document, fragment);
        const PageBreaks breaks = pageBreaks(document, scale);
        // Draws the document's band [from, to) at y.
        auto drawBand = [&](double from, double to) {
            painter.save();
            painter.translate(0, y - from);
            painter.scale(scale, scale);
            QAbstractTextDocumentLayout::PaintContext context;
            // Paper is white whatever the desktop's palette: dark text, never the dark theme's light one.
            context.palette.setColor(QPalette::Text, Qt::black);
            context.palette.setColor(QPalette::WindowText, Qt::black);
            // A hair inside the cuts: a line that only touches one (lines of a <pre> follow with no gap) is
            // left to its own page, not drawn clipped to nothing here as well (its text would be in both).
            const double hair = 0.05;
            context.clip = QRectF(0, from / scale + hair, width / scale, (to - from) / scale - 2 * hair);
            painter.setClipRect(context.clip);
            document.documentLayout()->draw(&painter, context);
            painter.restore();
            y += to - from;
        };
        // Text taller than what is left of the page flows over pages, each cut between two lines (or table
        // rows), never through one; a table's header rows start each page it continues on.
        double drawn = 0.0;
        while (drawn < documentHeight) {
            double end = documentHeight;
            auto fits = breaks.cuts.end();
            if (drawn + (height - y) < documentHeight) {
                // The last cut that fits; none: a new page, unless this one is empty (a line taller than a page).
                fits = std::upper_bound(breaks.cuts.begin(), breaks.cuts.end(), drawn + (height - y));
                if (fits == breaks.cuts.begin() || *std::prev(fits) <= drawn) {
                    if (y > 0) {
                        newPage();
                        continue;
                    }
                    end = drawn + (height - y);
                    fits = breaks.cuts.end();
                } else {
                    --fits;
                    end = *fits;
                }
            }
            drawBand(drawn, end);
            drawn = end;
            if (drawn < documentHeight) {
                newPage();
                if (fits != breaks.cuts.end()) {
                    const auto& [from, to] = breaks.headers[static_cast<std::size_t>(fits - breaks.cuts.begin())];
                    if (to > from && to - from < height / 2)
                        drawBand(from, to);
                }
            }
        }
    };
    // A heading right before a chart stays with it: never alone at the foot of a page.
    static const QRegularExpression trailingHeading(QStringLiteral("<h[1-6][^>]*>(?:(?!<h[1-6]).)*</h[1-6]>\\s*"
                                                                   "(?:<figure>\\s*)?$"),
                                                    QRegularExpression::DotMatchesEverythingOption);
    qsizetype position = 0;
    for (auto it = svg.globalMatch(body); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        QString lead = body.mid(position, match.capturedStart() - position);
        position = match.capturedEnd();
        QSvgRenderer renderer(match.captured(0).toUtf8());
        if (!renderer.isValid()) {
            drawHtml(lead);
            continue;
        }
        const QSizeF size = renderer.defaultSize();
        const double chartWidth = std::min(width, size.width() * resolution / 96.0);
        const double chartHeight = chartWidth * size.height() / std::max(1.0, size.width());
        QString heading;
        if (const QRegularExpressionMatch found = trailingHeading.match(lead); found.hasMatch()) {
            heading = found.captured(0);
            lead.truncate(found.capturedStart());
        }
        drawHtml(lead);
        QTextDocument measured;
        const double headingHeight = heading.trimmed().isEmpty() ? 0.0 : layOut(measured, heading);
        if (y > 0 && y + headingHeight + chartHeight > height)
            newPage();
        drawHtml(heading);
        if (y > 0 && y + chartHeight > height) // a chart taller than a page less its heading
            newPage();
        renderer.render(&painter, QRectF(0, y, chartWidth, chartHeight));
        y += chartHeight + 20;
    }
    drawHtml(body.mid(position));
}

bool writeReportPdf(const std::string& html, const QString& path, QString* error)
{
    // Into a QSaveFile: the PDF appears whole or not at all, and a failure says why.
    QSaveFile file(path);
    auto failed = [&] {
        if (error)
            *error = QObject::tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    };
    if (!file.open(QIODevice::WriteOnly))
        return failed();
    {
        QPdfWriter writer(&file);
        setUpReportPages(writer);
        writer.setResolution(300);
        writer.setTitle(QStringLiteral("Tunebench report"));
        writer.setCreator(QStringLiteral("Tunebench"));
        QPainter painter;
        if (!painter.begin(&writer))
            return failed();
        paintReport(html, writer, painter);
        painter.end();
    }
    if (!file.commit())
        return failed();
    return true;
}

bool isPdfPath(const QString& path)
{
    return path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive);
}

QString writeReport(const std::string& html, const QString& path)
{
    QString error;
    if (isPdfPath(path))
        return writeReportPdf(html, path, &error) ? QString() : error;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(html.data(), static_cast<qint64>(html.size())) < 0
        || !file.commit())
        return QObject::tr("Could not write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace tunebench::ui
