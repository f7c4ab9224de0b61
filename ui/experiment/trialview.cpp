#include "experiment/trialview.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTableWidgetItem>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "charts/charts.h"
#include "common/text.h"
#include "jobs/analysis.h"
#include "jobs/rerun.h"
#include "report/exporting.h"
#include "store/projectstore.h"
#include "store/trust.h"

namespace tunebench::ui {

namespace {

constexpr qint64 kMaxOutputBytes = 2 << 20;

QTableWidgetItem* cell(const QString& text, bool number = false)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

struct TrialView::Details
{
    std::optional<store::TrialRecord> trial;
    std::optional<store::DatasetRecord> dataset;
    std::vector<store::MetricPoint> points;
    QString output;
    QJsonObject manifest;
    QString error;
};

namespace {

TrialView::Details readDetails(const QString& projectPath, const QString& experimentName, int number)
{
    TrialView::Details details;
    try {
        const auto project = store::ProjectStore::open(projectPath.toStdString(), store::ProjectStore::Mode::ReadOnly);
        const auto experiment = project->experimentByName(experimentName.toStdString());
        if (!experiment) {
            details.error = QObject::tr("The project has no experiment named %1.").arg(experimentName);
            return details;
        }
        for (const store::TrialRecord& trial : project->trials(experiment->id)) {
            if (trial.number == number)
                details.trial = trial;
        }
        if (!details.trial) {
            details.error = QObject::tr("Experiment %1 has no trial %2.").arg(experimentName).arg(number);
            return details;
        }
        details.points = project->metricSeries(details.trial->id);
        for (const store::DatasetRecord& dataset : project->datasets()) {
            if (experiment->datasetId && dataset.id == *experiment->datasetId)
                details.dataset = dataset;
        }
        for (const store::ArtifactRecord& artifact : project->artifacts(experiment->id)) {
            if (artifact.trialId != details.trial->id || artifact.kind != "output")
                continue;
            QFile file(qs(project->artifactsDirectory() + "/" + artifact.path));
            if (file.open(QIODevice::ReadOnly))
                details.output = QString::fromUtf8(file.read(kMaxOutputBytes));
        }
        // The manifest of the run that produced the trial: the last one logged before it started.
        for (const store::EventRecord& event : project->events(experiment->id)) {
            if (event.kind == "manifest" && (details.manifest.isEmpty() || event.at <= details.trial->startedAt))
                details.manifest = QJsonDocument::fromJson(QByteArray::fromStdString(event.message)).object();
        }
        const QJsonObject spec = QJsonDocument::fromJson(QByteArray::fromStdString(experiment->specJson)).object();
        details.manifest.insert(QStringLiteral("experiment"), experimentName);
        details.manifest.insert(QStringLiteral("spec"), spec);
    } catch (const std::exception& error) {
        details.error = qs(error.what());
    }
    return details;
}

} // namespace

TrialView::TrialView(QString projectPath, QString experimentName, int trialNumber, QWidget* parent)
    : QWidget(parent)
    , m_projectPath(std::move(projectPath))
    , m_experiment(std::move(experimentName))
    , m_number(trialNumber)
    , m_header(new QLabel(this))
    , m_evaluate(new QPushButton(tr("Evaluate"), this))
    , m_exportModel(new QPushButton(tr("Export Model..."), this))
    , m_params(new QTableWidget(this))
    , m_metrics(new QTableWidget(this))
    , m_curves(new CurvesChart(this))
    , m_quantity(new QComboBox(this))
    , m_output(new QPlainTextEdit(this))
    , m_manifest(new QPlainTextEdit(this))
    , m_rerun(new QPushButton(tr("Rerun"), this))
    , m_bottom(new QTabWidget(this))
    , m_rerunSummary(new QLabel(this))
    , m_rerunTable(new QTableWidget(this))
{
    setObjectName(QStringLiteral("trialView"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QTableWidget* table : {m_params, m_metrics}) {
        table->verticalHeader()->hide();
        table->horizontalHeader()->setStretchLastSection(true);
        table->setAlternatingRowColors(true);
    }
    m_params->setObjectName(QStringLiteral("trialParameters"));
    addTableExport(m_params);
    addTableExport(m_metrics);
    addImageExport(m_curves, [this] { return ReportTarget{m_projectPath, m_experiment}; });
    m_metrics->setObjectName(QStringLiteral("trialMetrics"));
    m_params->setColumnCount(2);
    m_params->setHorizontalHeaderLabels({tr("Parameter"), tr("Value")});
    m_metrics->setColumnCount(3);
    m_metrics->setHorizontalHeaderLabels({tr("Metric"), tr("Mean"), tr("Std. dev.")}); // + one column per fold
    m_output->setReadOnly(true);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setPlaceholderText(
        tr("No output: built-in algorithms print nothing; external commands' output shows here."));
    m_manifest->setReadOnly(true);
    m_manifest->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto* tables = new QSplitter(Qt::Vertical, this);
    tables->addWidget(m_params);
    tables->addWidget(m_metrics);
    auto* curvesPane = new QWidget(this);
    auto* curvesLayout = new QVBoxLayout(curvesPane);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show"), this));
    controls->addWidget(m_quantity);
    controls->addStretch(1);
    curvesLayout->addLayout(controls);
    curvesLayout->addWidget(m_curves, 1);
    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(tables);
    top->addWidget(curvesPane);
    top->setStretchFactor(0, 2);
    top->setStretchFactor(1, 3);
    QTabWidget* bottom = m_bottom;
    bottom->addTab(m_output, tr("Output"));
    bottom->addTab(m_manifest, tr("Manifest"));
    m_rerunPane = createRerunPane();
    bottom->addTab(m_rerunPane, tr("Reproduction"));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    m_evaluate->setObjectName(QStringLiteral("evaluateTrial"));
    m_evaluate->setToolTip(tr("Run the trial's cross-validation again for its confusion matrix, ROC, "
                              "precision-recall and calibration curves (or residuals) and permutation importance"));
    auto* header = new QHBoxLayout;
    header->addWidget(m_header, 1);
    header->addWidget(m_evaluate, 0, Qt::AlignTop);
    header->addWidget(m_exportModel, 0, Qt::AlignTop);
    header->addWidget(m_rerun, 0, Qt::AlignTop);
    m_rerun->setObjectName(QStringLiteral("rerunTrial"));
    m_rerun->setToolTip(tr("Train this trial again with its parameters, data, validation and seeds, and compare "
                           "every metric with the recorded one"));
    connect(m_rerun, &QPushButton::clicked, this, &TrialView::rerun);
    m_exportModel->setObjectName(QStringLiteral("exportModel"));
    m_exportModel->setToolTip(tr("Train this trial's configuration on the whole dataset and save the model file "
                                 "(for tunebench-cli predict)"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(split, 1);
    connect(m_evaluate, &QPushButton::clicked, this, [this] { Q_EMIT evaluateRequested(m_experiment, m_number); });
    connect(m_exportModel, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export Model"), QStringLiteral("%1-trial%2.model").arg(m_experiment).arg(m_number),
            tr("Tunebench model (*.model *.json)"));
        if (!path.isEmpty())
            Q_EMIT exportModelRequested(m_experiment, m_number, path);
    });

    connect(m_quantity, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        if (!text.isEmpty())
            m_curves->setQuantity(text);
    });
    reload();
}

QWidget* TrialView::createRerunPane()
{
    auto* pane = new QWidget(this);
    m_rerunSummary->setObjectName(QStringLiteral("rerunSummary"));
    m_rerunSummary->setWordWrap(true);
    m_rerunSummary->setText(tr("Rerun trains the trial again and compares its metrics with the recorded ones: "
                               "seeded built-in algorithms reproduce exactly."));
    m_rerunTable->setObjectName(QStringLiteral("rerunTable"));
    m_rerunTable->setColumnCount(4);
    m_rerunTable->setHorizontalHeaderLabels({tr("Metric"), tr("Recorded"), tr("Rerun"), tr("Verdict")});
    m_rerunTable->verticalHeader()->hide();
    m_rerunTable->horizontalHeader()->setStretchLastSection(true);
    m_rerunTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    addTableExport(m_rerunTable);
    auto* layout = new QVBoxLayout(pane);
    layout->addWidget(m_rerunSummary);
    layout->addWidget(m_rerunTable, 1);
    return pane;
}

TrialView::~TrialView()
{
    m_rerunCancel.cancel();
}

void TrialView::rerun()
{
    if (m_rerunTask.isBusy()) {
        m_rerunCancel.cancel();
        m_rerunTask.drop();
        m_rerun->setText(tr("Rerun"));
        m_rerunSummary->setText(tr("Rerun cancelled."));
        return;
    }
    m_rerun->setText(tr("Cancel Rerun"));
    m_bottom->setCurrentWidget(m_rerunPane);
    m_rerunSummary->setText(tr("Training trial %1 again...").arg(m_number));
    m_rerunTable->setRowCount(0);
    m_rerunCancel = util::CancelToken();
    struct Outcome
    {
        std::optional<jobs::Rerun> rerun;
        QString error;
    };
    m_rerunTask.run(
        [path = m_projectPath.toStdString(), experiment = m_experiment.toStdString(), number = m_number,
         cancel = m_rerunCancel] {
            Outcome outcome;
            try {
                const auto project = store::ProjectStore::open(path, store::ProjectStore::Mode::ReadOnly);
                if (jobs::loadExperiment(*project, experiment).spec.command && !store::isTrusted(path))
                    throw std::invalid_argument("this project was not made on this account: trust it (run or resume "
                                                "one of its experiments) before its command runs");
                outcome.rerun = jobs::rerunTrial(*project, experiment, number, cancel);
            } catch (const std::exception& error) {
                outcome.error = QString::fromStdString(error.what());
            }
            return outcome;
        },
        [this](const Outcome& outcome) {
            m_rerun->setText(tr("Rerun"));
            if (!outcome.rerun) {
                m_rerunSummary->setText(tr("Could not rerun: %1").arg(outcome.error));
                Q_EMIT rerunFinished();
                return;
            }
            const jobs::Rerun& rerun = *outcome.rerun;
            int identical = 0;
            for (const jobs::Rerun::Metric& metric : rerun.metrics) {
                const int row = m_rerunTable->rowCount();
                m_rerunTable->insertRow(row);
                auto number = [](const std::optional<double>& value) {
                    return value ? QString::number(*value, 'g', 10) : QStringLiteral("—");
                };
                m_rerunTable->setItem(row, 0, new QTableWidgetItem(qs(metric.name)));
                m_rerunTable->setItem(row, 1, new QTableWidgetItem(number(metric.recorded)));
                m_rerunTable->setItem(row, 2, new QTableWidgetItem(number(metric.rerun)));
                auto* verdict = new QTableWidgetItem(metric.identical() ? tr("identical")
                                                         : metric.difference()
                                                         ? tr("differs by %1").arg(*metric.difference(), 0, 'g', 4)
                                                         : tr("only one run has it"));
                verdict->setForeground(metric.identical() ? QColor(0x1b, 0x7a, 0x3d) : QColor(0xb0, 0x2a, 0x2a));
                m_rerunTable->setItem(row, 3, verdict);
                identical += metric.identical() ? 1 : 0;
            }
            m_rerunTable->resizeColumnsToContents();
            const int total = static_cast<int>(rerun.metrics.size());
            m_rerunSummary->setText((rerun.reproduced() ? tr("Reproduced: %1 of %2 metrics identical.")
                                                        : tr("Not reproduced: %1 of %2 metrics identical."))
                                        .arg(identical)
                                        .arg(total)
                                    + tr(" Fit took %1 s (recorded %2 s; times are not compared).")
                                          .arg(rerun.fitSeconds, 0, 'f', 2)
                                          .arg(rerun.recordedFitSeconds, 0, 'f', 2));
            Q_EMIT rerunFinished();
        });
}

void TrialView::reload()
{
    m_loader.run([path = m_projectPath, experiment = m_experiment,
                  number = m_number] { return readDetails(path, experiment, number); },
                 [this](const Details& details) { show(details); });
}

void TrialView::show(const Details& details)
{
    if (!details.trial) {
        m_header->setText(details.error);
        Q_EMIT loaded();
        return;
    }
    const store::TrialRecord& trial = *details.trial;
    QString header = tr("<b>%1 — trial %2</b> · %3 · %4")
                         .arg(m_experiment.toHtmlEscaped())
                         .arg(trial.number)
                         .arg(qs(trial.algorithm), qs(trial.status));
    if (trial.objective)
        header += tr(" · objective %1").arg(*trial.objective, 0, 'f', 4);
    header += tr("<br>started %1, ended %2")
                  .arg(qs(trial.startedAt), trial.finishedAt.empty() ? tr("—") : qs(trial.finishedAt));
    if (!trial.error.empty())
        header += tr("<br>%1").arg(qs(trial.error).toHtmlEscaped());
    m_header->setText(header);

    const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(trial.paramsJson)).object();
    m_params->setRowCount(static_cast<int>(params.size()));
    int row = 0;
    for (auto it = params.begin(); it != params.end(); ++it, ++row) {
        m_params->setItem(row, 0, cell(it.key()));
        const QJsonValue value = it.value();
        m_params->setItem(row, 1,
                          cell(value.isDouble()
                                   ? QString::number(value.toDouble(), 'g', 8)
                                   : (value.isBool() ? (value.toBool() ? tr("true") : tr("false")) : value.toString()),
                               value.isDouble()));
    }
    m_params->resizeColumnToContents(0);
    const QJsonObject metrics = QJsonDocument::fromJson(QByteArray::fromStdString(trial.metricsJson)).object();
    m_metrics->setRowCount(0);
    int folds = 0;
    for (auto it = metrics.begin(); it != metrics.end(); ++it)
        folds = std::max(folds, static_cast<int>(it.value()[QLatin1String("folds")].toArray().size()));
    m_metrics->setColumnCount(3 + folds);
    QStringList headers{tr("Metric"), tr("Mean"), tr("Std. dev.")};
    for (int fold = 1; fold <= folds; ++fold)
        headers << tr("Fold %1").arg(fold);
    m_metrics->setHorizontalHeaderLabels(headers);
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const int at = m_metrics->rowCount();
        m_metrics->insertRow(at);
        m_metrics->setItem(at, 0, cell(it.key()));
        if (it.value().isObject()) {
            m_metrics->setItem(at, 1,
                               cell(QString::number(it.value()[QLatin1String("mean")].toDouble(), 'f', 4), true));
            m_metrics->setItem(at, 2, cell(QString::number(it.value()[QLatin1String("std")].toDouble(), 'f', 4), true));
            const QJsonArray values = it.value()[QLatin1String("folds")].toArray();
            for (int fold = 0; fold < values.size(); ++fold)
                m_metrics->setItem(at, 3 + fold, cell(QString::number(values.at(fold).toDouble(), 'f', 4), true));
        } else
            m_metrics->setItem(at, 1, cell(QString::number(it.value().toDouble(), 'g', 5), true));
    }
    m_metrics->resizeColumnsToContents();

    m_curves->clear();
    for (const store::MetricPoint& point : details.points)
        m_curves->addPoint(trial.number, qs(point.name), static_cast<double>(point.step), point.value);
    m_curves->setHighlightedTrial(trial.number);
    m_curves->refresh();
    {
        const QSignalBlocker blocker(m_quantity);
        m_quantity->clear();
        m_quantity->addItems(m_curves->quantities());
        m_quantity->setCurrentText(m_curves->quantity());
    }
    m_output->setPlainText(details.output);
    QJsonObject manifest = details.manifest;
    if (details.dataset) {
        manifest.insert(QStringLiteral("dataset"),
                        QJsonObject{{QStringLiteral("path"), qs(details.dataset->path)},
                                    {QStringLiteral("sha256"), qs(details.dataset->sha256)},
                                    {QStringLiteral("rows"), static_cast<qint64>(details.dataset->rows)},
                                    {QStringLiteral("columns"), static_cast<qint64>(details.dataset->columns)}});
    }
    manifest.insert(QStringLiteral("trial"), trial.number);
    manifest.insert(QStringLiteral("params"), params);
    m_manifest->setPlainText(QString::fromUtf8(QJsonDocument(manifest).toJson(QJsonDocument::Indented)));
    Q_EMIT loaded();
}

} // namespace tunebench::ui
