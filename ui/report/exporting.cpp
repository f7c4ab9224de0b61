#include "report/exporting.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QChartView>
#include <QClipboard>
#include <QCursor>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTableView>
#include <QToolTip>

#include "report/report.h"
#include "store/projectstore.h"

namespace tunebench::ui {

namespace {

bool writeText(const QString& path, const QString& text, QString* error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.commit())
        return true;
    if (error)
        *error = QObject::tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
}

bool isNumber(const QString& text)
{
    bool ok = false;
    text.toDouble(&ok);
    return ok;
}

QString latexEscaped(QString text)
{
    static const QRegularExpression special(QStringLiteral(R"([&%$#_{}~^\\])"));
    QString escaped;
    escaped.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\\'))
            escaped += QLatin1String("\\textbackslash{}");
        else if (c == QLatin1Char('~'))
            escaped += QLatin1String("\\textasciitilde{}");
        else if (c == QLatin1Char('^'))
            escaped += QLatin1String("\\textasciicircum{}");
        else if (special.match(QString(c)).hasMatch())
            escaped += QLatin1Char('\\') + c;
        else
            escaped += c;
    }
    return escaped;
}

void reportFailure(QWidget* parent, const QString& error)
{
    QMessageBox::warning(parent, QObject::tr("Export failed"), error);
}

} // namespace

QByteArray widgetSvg(QWidget* widget, const QString& title)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(widget->size());
    generator.setViewBox(QRect(QPoint(0, 0), widget->size()));
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("Exported by Tunebench"));
    QPainter painter;
    if (!painter.begin(&generator))
        return {};
    widget->render(&painter);
    painter.end();
    return buffer.data();
}

bool saveWidgetImage(QWidget* widget, const QString& path, QString* error)
{
    // Whole or not at all, and a failure says why (a folder that is gone, a full disk).
    QSaveFile file(path);
    bool written = file.open(QIODevice::WriteOnly);
    if (written && QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        const QByteArray svg = widgetSvg(
            widget, widget->windowTitle().isEmpty() ? QStringLiteral("Tunebench chart") : widget->windowTitle());
        written = !svg.isEmpty() && file.write(svg) == svg.size();
    } else if (written) {
        written = widget->grab().save(&file, "PNG");
    }
    if (written && file.commit())
        return true;
    if (error)
        *error = QObject::tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
}

bool addChartToReport(QWidget* chart, const ReportTarget& target, const QString& title, QString* error)
{
    const QByteArray svg = widgetSvg(chart, title);
    try {
        const auto project = store::ProjectStore::open(target.projectPath.toStdString());
        (void)report::addReportFigure(*project, target.experiment.toStdString(), svg.toStdString());
        return true;
    } catch (const std::exception& problem) {
        if (error)
            *error = QString::fromStdString(problem.what());
        return false;
    }
}

QList<QStringList> visibleCells(const QTableView* view)
{
    const QAbstractItemModel* model = view->model();
    QList<QStringList> rows;
    if (!model)
        return rows;
    const QHeaderView* columns = view->horizontalHeader();
    QList<int> order;
    for (int visual = 0; visual < columns->count(); ++visual) {
        const int logical = columns->logicalIndex(visual);
        if (!view->isColumnHidden(logical))
            order << logical;
    }
    QStringList header;
    for (int column : order)
        header << model->headerData(column, Qt::Horizontal).toString();
    rows << header;
    const bool rowHeaders = !view->verticalHeader()->isHidden();
    if (rowHeaders)
        rows.front().prepend(QString());
    for (int row = 0; row < model->rowCount(); ++row) {
        if (view->isRowHidden(row))
            continue;
        QStringList cells;
        if (rowHeaders)
            cells << model->headerData(row, Qt::Vertical).toString();
        for (int column : order) {
            const QModelIndex index = model->index(row, column);
            const QVariant exact = index.data(kExactValueRole);
            cells << (exact.isValid() ? exact.toString() : index.data(Qt::DisplayRole).toString());
        }
        rows << cells;
    }
    return rows;
}

QString toCsv(const QList<QStringList>& rows)
{
    QString csv;
    for (const QStringList& row : rows) {
        QStringList fields;
        for (QString field : row) {
            if (field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"'))
                || field.contains(QLatin1Char('\n')) || field.contains(QLatin1Char('\r')))
                field = QLatin1Char('"') + field.replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
            fields << field;
        }
        csv += fields.join(QLatin1Char(',')) + QLatin1String("\r\n");
    }
    return csv;
}

QString toTabSeparated(const QList<QStringList>& rows)
{
    QString text;
    for (const QStringList& row : rows) {
        QStringList fields;
        for (QString field : row)
            fields << field.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
        text += fields.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return text;
}

QString toLatex(const QList<QStringList>& rows)
{
    if (rows.isEmpty())
        return {};
    const qsizetype columns = rows.front().size();
    QString spec;
    for (qsizetype column = 0; column < columns; ++column) {
        bool numeric = rows.size() > 1;
        for (qsizetype row = 1; row < rows.size() && numeric; ++row) {
            const QString cell = column < rows[row].size() ? rows[row][column] : QString();
            numeric = cell.isEmpty() || isNumber(cell);
        }
        spec += numeric ? QLatin1Char('r') : QLatin1Char('l');
    }
    auto line = [](const QStringList& cells) -> QString {
        QStringList escaped;
        for (const QString& cell : cells)
            escaped << latexEscaped(cell);
        return escaped.join(QLatin1String(" & ")) + QLatin1String(" \\\\\n");
    };
    QString latex = QStringLiteral("%% Generated by Tunebench; needs \\usepackage{booktabs}\n");
    latex += QStringLiteral("\\begin{tabular}{%1}\n\\toprule\n").arg(spec);
    latex += line(rows.front());
    latex += QLatin1String("\\midrule\n");
    for (qsizetype row = 1; row < rows.size(); ++row)
        latex += line(rows[row]);
    latex += QLatin1String("\\bottomrule\n\\end{tabular}\n");
    return latex;
}

bool saveTable(const QTableView* view, const QString& path, QString* error)
{
    const QList<QStringList> cells = visibleCells(view);
    const bool latex = QFileInfo(path).suffix().compare(QLatin1String("tex"), Qt::CaseInsensitive) == 0;
    return writeText(path, latex ? toLatex(cells) : toCsv(cells), error);
}

void addImageExport(QWidget* chart, std::function<ReportTarget()> report)
{
    chart->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (const auto& [label, suffix] : {std::pair{QObject::tr("Save image as PNG..."), QStringLiteral("png")},
                                        std::pair{QObject::tr("Save image as SVG..."), QStringLiteral("svg")}}) {
        auto* action = new QAction(label, chart);
        QObject::connect(action, &QAction::triggered, chart, [chart, suffix] {
            const QString path = QFileDialog::getSaveFileName(
                chart, QObject::tr("Save image"), QStringLiteral("chart.%1").arg(suffix),
                suffix == QLatin1String("svg") ? QObject::tr("SVG images (*.svg)") : QObject::tr("PNG images (*.png)"));
            QString error;
            if (!path.isEmpty() && !saveWidgetImage(chart, path, &error))
                reportFailure(chart, error);
        });
        chart->addAction(action);
    }
    if (!report)
        return;
    auto* add = new QAction(QObject::tr("Add to Report"), chart);
    QObject::connect(add, &QAction::triggered, chart, [chart, report] {
        const ReportTarget target = report();
        if (target.experiment.isEmpty())
            return;
        // The chart's title, where it has one, captions the figure.
        QString title = chart->windowTitle();
        if (auto* view = qobject_cast<QChartView*>(chart); view && !view->chart()->title().isEmpty())
            title = view->chart()->title();
        QString error;
        if (addChartToReport(chart, target, title.isEmpty() ? QObject::tr("Figure") : title, &error))
            QToolTip::showText(QCursor::pos(), QObject::tr("Added to the report of %1").arg(target.experiment), chart);
        else
            reportFailure(chart, error);
    });
    chart->addAction(add);
}

void addTableExportActions(QMenu* menu, QTableView* table)
{
    menu->addAction(QObject::tr("Copy table"), table, [table] {
        const QList<QStringList> cells = visibleCells(table);
        auto* data = new QMimeData;
        data->setText(toTabSeparated(cells));
        data->setData(QStringLiteral("text/csv"), toCsv(cells).toUtf8());
        QApplication::clipboard()->setMimeData(data);
    });
    for (const auto& [label, suffix] : {std::pair{QObject::tr("Export as CSV..."), QStringLiteral("csv")},
                                        std::pair{QObject::tr("Export as LaTeX..."), QStringLiteral("tex")}}) {
        menu->addAction(label, table, [table, suffix] {
            const QString path = QFileDialog::getSaveFileName(
                table, QObject::tr("Export table"), QStringLiteral("table.%1").arg(suffix),
                suffix == QLatin1String("tex") ? QObject::tr("LaTeX (*.tex)") : QObject::tr("CSV (*.csv)"));
            QString error;
            if (!path.isEmpty() && !saveTable(table, path, &error))
                reportFailure(table, error);
        });
    }
}

void addTableExport(QTableView* table)
{
    table->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(table, &QWidget::customContextMenuRequested, table, [table](const QPoint& position) {
        QMenu menu(table);
        addTableExportActions(&menu, table);
        menu.exec(table->viewport()->mapToGlobal(position));
    });
}

} // namespace tunebench::ui
