#pragma once

#include <string>

#include <QString>

namespace tunebench::ui {

/// Lays an HTML report (jobs::experimentReportHtml) out on A4 pages of a PDF: text and tables through
/// QTextDocument, each inline SVG chart drawn by QSvgRenderer as vectors. Safe on any thread. Returns
/// false and says why in `error`.
bool writeReportPdf(const std::string& html, const QString& path, QString* error = nullptr);

} // namespace tunebench::ui
