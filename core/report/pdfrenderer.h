#pragma once

#include <string>
#include <string_view>

namespace tunebench::report {

/// Whether a report written to `path` is a PDF: its name ends in .pdf, in any case.
[[nodiscard]] bool isPdfPath(std::string_view path);

/// The program that draws a report's PDF pages: $TUNEBENCH_PDF_RENDERER when set, else tunebench-pdf beside the
/// running program (a build tree) or in ../libexec/tunebench/ from it (an installed package).
[[nodiscard]] std::string pdfRendererPath();

/// Writes an HTML report (experimentReportHtml) as a PDF at `pdfPath` through the tunebench-pdf program, which
/// links Qt Gui and Svg so that the engine, tunebench-cli and the cluster worker need neither. Blocking.
/// Throws std::runtime_error saying why when the renderer is missing or fails (the file is then not written).
void renderPdf(const std::string& html, const std::string& pdfPath);

} // namespace tunebench::report
