#pragma once

// Getting charts and tables out of the workbench: images (PNG, SVG), CSV, LaTeX and the clipboard.

#include <functional>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

class QMenu;
class QTableView;
class QWidget;

namespace tunebench::ui {

/// A cell may hold its exact value under this role when it displays a rounded one: exports use it.
inline constexpr int kExactValueRole = Qt::UserRole + 64;

/// Writes what a widget shows as PNG (at the screen's device pixel ratio) or SVG (vector), by the
/// suffix of `path`. Returns false and says why in `error`.
bool saveWidgetImage(QWidget* widget, const QString& path, QString* error = nullptr);

/// The cells a table view shows, header row first: hidden rows and columns left out, rows in view order.
[[nodiscard]] QList<QStringList> visibleCells(const QTableView* view);
/// RFC 4180 CSV: fields with a comma, quote or line break are quoted.
[[nodiscard]] QString toCsv(const QList<QStringList>& rows);
/// A booktabs tabular; numeric columns right-aligned, LaTeX's special characters escaped.
[[nodiscard]] QString toLatex(const QList<QStringList>& rows);
/// Tab-separated, for pasting into a spreadsheet.
[[nodiscard]] QString toTabSeparated(const QList<QStringList>& rows);
/// Writes a table as CSV (.csv) or LaTeX (.tex). Returns false and says why in `error`.
bool saveTable(const QTableView* view, const QString& path, QString* error = nullptr);

/// The experiment whose report a chart can be added to.
struct ReportTarget
{
    QString projectPath;
    QString experiment;
};

/// A widget drawn as SVG (vector), its <title> `title`.
[[nodiscard]] QByteArray widgetSvg(QWidget* widget, const QString& title);
/// Adds what a chart shows to an experiment's report (report::addReportFigure). Returns false and says why.
bool addChartToReport(QWidget* chart, const ReportTarget& target, const QString& title, QString* error = nullptr);

/// Gives a chart a context menu with "Save image as PNG/SVG..." and, when `report` gives an experiment,
/// "Add to Report".
void addImageExport(QWidget* chart, std::function<ReportTarget()> report = {});
/// Appends Copy, Export as CSV... and Export as LaTeX... for `table` to a menu.
void addTableExportActions(QMenu* menu, QTableView* table);
/// Gives a table a context menu with those actions (for tables with no menu of their own).
void addTableExport(QTableView* table);

} // namespace tunebench::ui
