#pragma once

#include <string>

#include <QString>

class QPagedPaintDevice;
class QPainter;

namespace tunebench::ui {

/// A4 with 15 mm margins, the report's pages everywhere.
void setUpReportPages(QPagedPaintDevice& device);

/// Lays an HTML report (report::experimentReportHtml) out on the pages of `device` (a PDF writer, a printer,
/// a print preview) through `painter`, already begun on it: text and tables through QTextDocument, each
/// inline SVG chart drawn by QSvgRenderer as vectors. Safe on any thread for a device of that thread.
void paintReport(const std::string& html, QPagedPaintDevice& device, QPainter& painter);

/// Lays an HTML report (report::experimentReportHtml) out on A4 pages of a PDF: text and tables through
/// QTextDocument, each inline SVG chart drawn by QSvgRenderer as vectors. Safe on any thread. Returns
/// false and says why in `error`.
bool writeReportPdf(const std::string& html, const QString& path, QString* error = nullptr);

/// Whether writeReport makes a PDF of `path`: its name ends in .pdf, in any case.
bool isPdfPath(const QString& path);

/// Writes the report to `path`: a PDF (writeReportPdf) when isPdfPath, the HTML page itself otherwise
/// (atomically). Returns the error, empty on success. Safe on any thread.
QString writeReport(const std::string& html, const QString& path);

} // namespace tunebench::ui
