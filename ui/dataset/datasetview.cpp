#include "dataset/datasetview.h"

#include <algorithm>
#include <cmath>

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTime>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include "charts/charts.h"
#include "common/progresscallback.h"
#include "common/text.h"
#include "common/workpool.h"
#include "data/reader.h"
#include "dataset/readsettingsdialog.h"
#include "report/exporting.h"
#include "store/datasetregistry.h"

namespace tunebench::ui {

namespace {

/// A row-count axis from 0 past `highest` with whole-number ticks, 1, 2 or 5 times a power of ten apart, at most
/// six of them: its "%d" labels would otherwise repeat ("0 0 0 0 0 1" for counts up to 1).
void setCountRange(QValueAxis* axis, int highest)
{
    highest = std::max(1, highest);
    int step = 1;
    for (int scale = 1; step * 5 < highest; scale *= 10) {
        for (const int factor : {1, 2, 5}) {
            step = factor * scale;
            if (step * 5 >= highest)
                break;
        }
    }
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setRange(0, step * ((highest + step - 1) / step));
}

constexpr int kHistogramBins = 20;
constexpr int kMaxBars = 10; // levels in the chart, the most frequent: their names readable down the side

struct Loaded
{
    std::shared_ptr<const data::Dataset> dataset;
    QString error;
    data::ReadReport report;
    std::optional<store::DatasetRecord> record; ///< the project's record, when new settings were recorded
};

} // namespace

DatasetTableModel::DatasetTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void DatasetTableModel::setDataset(std::shared_ptr<const data::Dataset> dataset)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    endResetModel();
}

int DatasetTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_dataset
        ? 0
        : static_cast<int>(std::min<std::size_t>(m_dataset->rowCount(), static_cast<std::size_t>(m_rowLimit)));
}

int DatasetTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_dataset ? 0 : static_cast<int>(m_dataset->columnCount());
}

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_dataset || !index.isValid())
        return {};
    const data::Column& column = m_dataset->column(static_cast<std::size_t>(index.column()));
    const auto row = static_cast<std::size_t>(index.row());
    const bool missing = column.hasCodes() ? column.codes[row] < 0 : std::isnan(column.values[row]);
    if (role == Qt::TextAlignmentRole)
        return column.hasCodes() ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && missing)
        return QColor(150, 150, 150);
    if (role != Qt::DisplayRole)
        return {};
    if (missing)
        return QStringLiteral("—");
    switch (column.type) {
    case data::ColumnType::Numeric: return qs(data::formatNumber(column.values[row]));
    case data::ColumnType::Boolean: return column.values[row] != 0.0 ? QStringLiteral("true") : QStringLiteral("false");
    case data::ColumnType::Date: {
        // A day as a day; a moment with its time (UTC, as read).
        const QDateTime when = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(column.values[row]), QTimeZone::utc());
        return when.time() == QTime(0, 0) ? when.date().toString(Qt::ISODate)
                                          : when.toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
    }
    case data::ColumnType::Categorical:
    case data::ColumnType::Text: return qs(column.levels[static_cast<std::size_t>(column.codes[row])]);
    }
    return {};
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || !m_dataset)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Vertical)
        return section + 1;
    const data::Column& column = m_dataset->column(static_cast<std::size_t>(section));
    return tr("%1\n%2").arg(qs(column.name), QString::fromLatin1(data::toString(column.type)));
}

DatasetView::DatasetView(store::DatasetRecord record, QString projectPath, QWidget* parent)
    : QWidget(parent)
    , m_record(std::move(record))
    , m_projectPath(std::move(projectPath))
    , m_schema(QJsonDocument::fromJson(QByteArray::fromStdString(m_record.schemaJson)).object())
    , m_summary(new QLabel(this))
    , m_target(new QComboBox(this))
    , m_task(new QLabel(this))
    , m_newExperiment(new QPushButton(tr("New Experiment..."), this))
    , m_readAs(new QPushButton(tr("Read As..."), this))
    , m_progress(new QProgressBar(this))
    , m_table(new QTableView(this))
    , m_columns(new QTableWidget(this))
    , m_chart(new QChartView(new QChart, this))
    , m_model(new DatasetTableModel(this))
{
    setObjectName(QStringLiteral("datasetView"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setToolTip(qs(m_record.path));
    m_target->setObjectName(QStringLiteral("targetChooser"));
    m_newExperiment->setObjectName(QStringLiteral("newExperimentButton"));
    m_newExperiment->setToolTip(tr("Tune a model on this dataset with this target and these columns"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(new QLabel(tr("Target"), this));
    top->addWidget(m_target);
    top->addWidget(m_task);
    top->addWidget(m_newExperiment);
    top->addWidget(m_readAs);
    m_readAs->setObjectName(QStringLiteral("readAsButton"));
    m_readAs->setToolTip(tr("Say how the file is laid out (delimiter, header, rows above the table, ...) and read it "
                            "again"));
    m_readAs->setEnabled(false);

    m_progress->setFormat(tr("Reading %p%"));
    m_table->setModel(m_model);
    m_table->setObjectName(QStringLiteral("datasetTable"));
    // Fixed row heights keep scrolling through a million rows cheap.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setDefaultSectionSize(110);
    m_table->setAlternatingRowColors(true);

    m_columns->setObjectName(QStringLiteral("columnTable"));
    addTableExport(m_columns);
    addImageExport(m_chart);
    m_columns->setColumnCount(5);
    m_columns->setHorizontalHeaderLabels({tr("Column"), tr("Type"), tr("Role"), tr("Missing"), tr("Distinct")});
    m_columns->verticalHeader()->hide();
    m_columns->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_columns->horizontalHeader()->setStretchLastSection(true);
    m_columns->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_columns->setSelectionMode(QAbstractItemView::SingleSelection);

    m_chart->setObjectName(QStringLiteral("distributionChart"));
    m_chart->setAcceptDrops(false); // a file dropped on it goes to the window, which imports it
    m_chart->setMinimumHeight(220);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->chart()->setMargins(QMargins(2, 2, 2, 2));
    m_chart->chart()->legend()->setAlignment(Qt::AlignBottom);
    applyPaletteTheme(m_chart->chart(), palette());

    auto* side = new QSplitter(Qt::Vertical, this);
    side->addWidget(m_columns);
    side->addWidget(m_chart);
    side->setStretchFactor(0, 3);
    side->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* tablePane = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_progress);
    tableLayout->addWidget(m_table, 1);
    split->addWidget(tablePane);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    fillColumns();
    connect(m_target, &QComboBox::currentTextChanged, this, [this](const QString& target) {
        if (!m_updating)
            setRole(target, QStringLiteral("target"));
    });
    connect(m_columns, &QTableWidget::currentCellChanged, this, [this](int row) { showDistribution(row); });
    connect(m_newExperiment, &QPushButton::clicked, this,
            [this] { Q_EMIT newExperimentRequested(qs(m_record.path), target(), ignoredColumns(), typeOverrides()); });
    connect(m_readAs, &QPushButton::clicked, this, &DatasetView::openReadAsDialog);
    read(recordedSettings(), false);
}

DatasetView::~DatasetView()
{
    m_cancel.cancel();
}

void DatasetView::read(const data::ReadSettings& settings, bool record)
{
    if (!record)
        m_summary->setText(headline());
    m_readAs->setEnabled(false);
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->show();
    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, record] {
        watcher->deleteLater();
        const Loaded result = watcher->result();
        m_progress->hide();
        // An ARFF or LIBSVM file says its own layout: there is nothing to read it as.
        const bool text = !result.dataset || result.report.format == data::FileFormat::Csv;
        m_readAs->setEnabled(text);
        if (!text)
            m_readAs->setToolTip(tr("%1 files say their own layout")
                                     .arg(qs(std::string(data::toString(result.report.format))).toUpper()));
        if (!result.dataset) {
            // A new reading that fails leaves what was shown, and the project, as they were.
            m_summary->setText(headline() + QStringLiteral("<br>")
                               + (record ? tr("Not read again: %1") : tr("Cannot read %1: %2").arg(qs(m_record.path)))
                                     .arg(result.error)
                                     .toHtmlEscaped());
            Q_EMIT loaded();
            return;
        }
        m_report = result.report;
        if (result.record) {
            m_record = *result.record;
            m_schema = QJsonDocument::fromJson(QByteArray::fromStdString(m_record.schemaJson)).object();
            fillColumns();
        }
        // How the file was read on a line of its own: a label that wraps beside the target's controls is
        // given one line by the box layout and clipped.
        m_summary->setText(headline() + QStringLiteral("<br>") + qs(data::describe(result.report)).toHtmlEscaped());
        showDataset(result.dataset);
        if (result.record)
            Q_EMIT readingChanged(m_record.id);
    });
    data::ReadOptions options;
    settings.applyTo(options);
    options.cancel = m_cancel;
    options.progress = progressTo(
        m_progress, [](QProgressBar& bar, double fraction) { bar.setValue(static_cast<int>(fraction * 100)); });
    const std::string project = record ? m_projectPath.toStdString() : std::string();
    watcher->setFuture(
        QtConcurrent::run(workPool(), [path = m_record.path, current = m_record, project, options]() -> Loaded {
            try {
                if (!project.empty()) {
                    // Read and recorded on this thread, with a connection of its own.
                    const auto store = store::ProjectStore::open(project);
                    store::RegisteredDataset reread = store::rereadDataset(*store, current, options);
                    auto dataset = std::make_shared<const data::Dataset>(std::move(reread.dataset));
                    return {std::move(dataset), {}, reread.report, std::move(reread.record)};
                }
                data::ReadReport report;
                auto dataset = std::make_shared<const data::Dataset>(data::readDataset(path, options, &report));
                return {std::move(dataset), {}, report, std::nullopt};
            } catch (const std::exception& error) {
                return {nullptr, QString::fromStdString(error.what()), {}, std::nullopt};
            }
        }));
}

QString DatasetView::headline() const
{
    return tr("<b>%1</b> — %2 rows × %3 columns — SHA-256 %4")
        .arg(qs(m_record.name).toHtmlEscaped())
        .arg(m_record.rows)
        .arg(m_record.columns)
        .arg(qs(m_record.sha256).left(12));
}

data::ReadSettings DatasetView::recordedSettings() const
{
    try {
        return store::readSettingsOf(m_record);
    } catch (const std::exception&) {
        return {}; // settings a newer version wrote: read as sniffed, and "Read As" can set them again
    }
}

void DatasetView::readAs(const data::ReadSettings& settings)
{
    read(settings, !m_projectPath.isEmpty());
}

void DatasetView::openReadAsDialog()
{
    const data::ReadSettings current = recordedSettings();
    auto* dialog = new ReadSettingsDialog(tr("How <b>%1</b> is laid out. Choices left to sniffing are guessed from "
                                             "its first rows.")
                                              .arg(qs(m_record.name).toHtmlEscaped()),
                                          current, m_report ? &*m_report : nullptr, this, qs(m_record.path));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { readAs(dialog->settings()); });
    dialog->open();
}

void DatasetView::showDataset(std::shared_ptr<const data::Dataset> dataset)
{
    m_model->setDataset(std::move(dataset));
    m_table->resizeColumnsToContents();
    for (int column = 0; column < m_model->columnCount(); ++column)
        m_table->setColumnWidth(column, std::min(m_table->columnWidth(column), 220));
    showDistribution(m_columns->currentRow() >= 0 ? m_columns->currentRow() : 0);
    Q_EMIT loaded();
}

void DatasetView::fillColumns()
{
    m_updating = true;
    const QJsonArray columns = m_schema.value(QLatin1String("columns")).toArray();
    const QString suggested = m_schema.value(QLatin1String("target")).toString();
    m_columns->setRowCount(static_cast<int>(columns.size()));
    m_target->clear();
    for (int row = 0; row < columns.size(); ++row) {
        const QJsonObject column = columns.at(row).toObject();
        const QString name = column.value(QLatin1String("name")).toString();
        m_target->addItem(name);
        auto* nameItem = new QTableWidgetItem(name);
        nameItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        m_columns->setItem(row, 0, nameItem);
        auto* type = new QComboBox(m_columns);
        const QString inferred = column.value(QLatin1String("type")).toString();
        for (const char* t : {"numeric", "categorical", "boolean", "date", "text"})
            type->addItem(QString::fromLatin1(t));
        type->setCurrentText(inferred);
        type->setProperty("inferred", inferred);
        type->setToolTip(column.value(QLatin1String("possibly_categorical")).toBool()
                             ? tr("Integers with few distinct values: maybe categories")
                             : tr("Inferred: %1").arg(inferred));
        m_columns->setCellWidget(row, 1, type);
        auto* role = new QComboBox(m_columns);
        role->addItems({QStringLiteral("feature"), QStringLiteral("target"), QStringLiteral("ignore")});
        role->setCurrentText(name == suggested ? QStringLiteral("target") : QStringLiteral("feature"));
        connect(role, &QComboBox::currentTextChanged, this, [this, name](const QString& value) {
            if (!m_updating)
                setRole(name, value);
        });
        m_columns->setCellWidget(row, 2, role);
        // Free text is never a feature, and a category of thousands of levels is a costly one: say so where
        // the role says "feature" (the 1,000 of evaluation::wideColumnWarnings).
        const qint64 levels = column.value(QLatin1String("distinct")).toInteger();
        auto explainRole = [type, role, levels] {
            const bool text = type->currentText() == QLatin1String("text");
            const bool wide = type->currentText() == QLatin1String("categorical") && levels > 1000;
            role->setToolTip(text       ? tr("Free text is not a feature: no algorithm uses it. Read the column as "
                                                   "categorical if its values are a few repeated levels.")
                                 : wide ? tr("%1 categories: one-hot encoding makes a feature of each, which slows "
                                             "every fit. Ignore the column if it all but identifies rows (an "
                                             "identifier, a zip code).")
                                              .arg(levels)
                                        : QString());
            QFont font = role->font();
            font.setItalic(text || wide);
            role->setFont(font);
        };
        explainRole();
        connect(type, &QComboBox::currentTextChanged, this, [this, explainRole] {
            explainRole();
            updateTask();
        });
        const qint64 missing = column.value(QLatin1String("missing")).toInteger();
        auto* missingItem = new QTableWidgetItem(QString::number(missing));
        missingItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (missing > 0)
            missingItem->setForeground(QColor(210, 120, 30));
        m_columns->setItem(row, 3, missingItem);
        auto* distinct = new QTableWidgetItem(QString::number(column.value(QLatin1String("distinct")).toInteger()));
        distinct->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_columns->setItem(row, 4, distinct);
    }
    m_target->setCurrentText(suggested);
    m_updating = false;
    updateTask();
}

void DatasetView::setRole(const QString& column, const QString& role)
{
    m_updating = true;
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        auto* combo = static_cast<QComboBox*>(m_columns->cellWidget(row, 2));
        const QString name = m_columns->item(row, 0)->text();
        if (name == column)
            combo->setCurrentText(role);
        else if (role == QLatin1String("target") && combo->currentText() == QLatin1String("target"))
            combo->setCurrentText(QStringLiteral("feature")); // one target
    }
    if (role == QLatin1String("target"))
        m_target->setCurrentText(column);
    else if (m_target->currentText() == column)
        m_target->setCurrentIndex(-1);
    m_updating = false;
    updateTask();
}

QString DatasetView::target() const
{
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        if (static_cast<QComboBox*>(m_columns->cellWidget(row, 2))->currentText() == QLatin1String("target"))
            return m_columns->item(row, 0)->text();
    }
    return {};
}

QStringList DatasetView::ignoredColumns() const
{
    QStringList ignored;
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        if (static_cast<QComboBox*>(m_columns->cellWidget(row, 2))->currentText() == QLatin1String("ignore"))
            ignored << m_columns->item(row, 0)->text();
    }
    return ignored;
}

QJsonObject DatasetView::typeOverrides() const
{
    QJsonObject types;
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        const auto* combo = static_cast<QComboBox*>(m_columns->cellWidget(row, 1));
        if (combo->currentText() != combo->property("inferred").toString())
            types.insert(m_columns->item(row, 0)->text(), combo->currentText());
    }
    return types;
}

void DatasetView::updateTask()
{
    const QString name = target();
    m_newExperiment->setEnabled(!name.isEmpty());
    if (name.isEmpty()) {
        m_task->setText(tr("no target"));
        return;
    }
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        if (m_columns->item(row, 0)->text() != name)
            continue;
        const QJsonObject column = m_schema.value(QLatin1String("columns")).toArray().at(row).toObject();
        const QString typeName = static_cast<QComboBox*>(m_columns->cellWidget(row, 1))->currentText();
        const auto type = data::columnTypeFromString(typeName.toStdString());
        const data::Task task
            = data::detectTask(type.value_or(data::ColumnType::Numeric),
                               static_cast<std::size_t>(column.value(QLatin1String("distinct")).toInteger()),
                               column.value(QLatin1String("possibly_categorical")).toBool());
        m_task->setText(tr("task: <b>%1</b>").arg(QString::fromLatin1(data::toString(task))));
    }
}

void DatasetView::showDistribution(int row)
{
    QChart* chart = m_chart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis); // gives it back: ours to delete
        delete axis;
    }
    const data::Dataset* dataset = m_model->dataset();
    if (!dataset || row < 0 || row >= static_cast<int>(dataset->columnCount())) {
        chart->setTitle(tr("Distribution"));
        return;
    }
    const data::Column& column = dataset->column(static_cast<std::size_t>(row));
    const data::ColumnSummary summary = data::summarize(column);
    auto* y = new QValueAxis;
    y->setTitleText(tr("rows"));
    y->setLabelFormat(QStringLiteral("%d"));
    if (column.type == data::ColumnType::Numeric || column.type == data::ColumnType::Date) {
        // A histogram as a filled step line over a value axis: its tick labels stay readable.
        std::array<int, kHistogramBins> counts{};
        const double width = (summary.max - summary.min) / kHistogramBins;
        for (double value : column.values) {
            if (std::isnan(value))
                continue;
            const int bin
                = width > 0 ? std::min(kHistogramBins - 1, static_cast<int>((value - summary.min) / width)) : 0;
            ++counts[static_cast<std::size_t>(bin)];
        }
        auto* upper = new QLineSeries;
        auto* lower = new QLineSeries;
        const double binWidth = width > 0 ? width : 1.0;
        // Dates are seconds since the epoch; a date axis counts milliseconds.
        const bool date = column.type == data::ColumnType::Date;
        const double scale = date ? 1000.0 : 1.0;
        int highest = 0;
        for (int bin = 0; bin < kHistogramBins; ++bin) {
            const double left = (summary.min + binWidth * bin) * scale;
            const double right = left + binWidth * scale;
            const int count = counts[static_cast<std::size_t>(bin)];
            highest = std::max(highest, count);
            upper->append(left, count);
            upper->append(right, count);
            lower->append(left, 0);
            lower->append(right, 0);
        }
        auto* area = new QAreaSeries(upper, lower);
        upper->setParent(area); // an area series does not own its lines
        lower->setParent(area);
        area->setName(tr("rows per bin"));
        chart->addSeries(area);
        QAbstractAxis* x = nullptr;
        if (date) {
            // In UTC, as the reader stores them; the time of day only when some value has one.
            auto* axis = new QDateTimeAxis;
            const bool days = std::all_of(column.values.begin(), column.values.end(),
                                          [](double v) { return std::isnan(v) || std::fmod(v, 86400.0) == 0.0; });
            auto when = [](double seconds) {
                return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(seconds * 1000.0), QTimeZone::utc());
            };
            axis->setRange(when(summary.min), when(summary.min + binWidth * kHistogramBins));
            // Tick labels as fine as the span needs and no finer, so that four of them fit.
            const double span = summary.max - summary.min;
            constexpr double kDay = 86400.0;
            axis->setFormat(span > 3 * 365 * kDay         ? QStringLiteral("yyyy")
                                : span > 90 * kDay        ? QStringLiteral("yyyy-MM")
                                : days || span > 2 * kDay ? QStringLiteral("yyyy-MM-dd")
                                                          : QStringLiteral("MM-dd hh:mm"));
            axis->setTickCount(4);
            x = axis;
            const QString format = days ? QStringLiteral("yyyy-MM-dd") : QStringLiteral("yyyy-MM-dd hh:mm");
            chart->setTitle(
                tr("%1: histogram (%2 to %3)")
                    .arg(qs(column.name), when(summary.min).toString(format), when(summary.max).toString(format)));
        } else {
            auto* axis = new QValueAxis;
            axis->setRange(summary.min, summary.min + binWidth * kHistogramBins);
            axis->setLabelFormat(QStringLiteral("%.4g"));
            axis->applyNiceNumbers();
            x = axis;
            chart->setTitle(tr("%1: histogram (mean %2, sd %3)")
                                .arg(qs(column.name))
                                .arg(summary.mean, 0, 'g', 4)
                                .arg(summary.stddev, 0, 'g', 4));
        }
        x->setTitleText(qs(column.name));
        setCountRange(y, highest);
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        area->attachAxis(x);
        area->attachAxis(y);
    } else {
        // Levels down the side, most frequent on top: their names read across, where columns of a narrow
        // chart left each label a few pixels and Qt Charts showed "…".
        auto* set = new QBarSet(tr("rows"));
        QStringList labels;
        int highest = 0;
        const int shown = std::min(static_cast<int>(summary.levelCounts.size()), kMaxBars);
        for (int i = shown - 1; i >= 0; --i) { // the axis runs bottom up
            const auto& [level, count] = summary.levelCounts[static_cast<std::size_t>(i)];
            highest = std::max(highest, static_cast<int>(count));
            *set << static_cast<double>(count);
            QString label = qs(level);
            if (label.size() > 24)
                label = label.left(23) + QChar(0x2026);
            // A category axis needs distinct labels: two levels cut to the same text stay apart.
            while (labels.contains(label))
                label += QChar(0x200B);
            labels << label;
        }
        chart->setTitle(summary.levelCounts.size() > kMaxBars ? tr("%1: the %2 most frequent of %3 values")
                                                                    .arg(qs(column.name))
                                                                    .arg(kMaxBars)
                                                                    .arg(summary.levelCounts.size())
                                                              : tr("%1: value counts").arg(qs(column.name)));
        auto* series = new QHorizontalBarSeries;
        series->append(set);
        series->setBarWidth(0.8);
        chart->addSeries(series);
        auto* levels = new QBarCategoryAxis;
        levels->append(labels);
        chart->addAxis(levels, Qt::AlignLeft);
        chart->addAxis(y, Qt::AlignBottom);
        series->attachAxis(levels);
        series->attachAxis(y);
        setCountRange(y, highest);
    }
    chart->legend()->setVisible(true);
    applyPaletteTheme(chart, palette());
}

} // namespace tunebench::ui
