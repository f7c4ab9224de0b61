#include "compare/compareview.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScatterSeries>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include "charts/charts.h"
#include "common/text.h"
#include "compare/parallelcoordinates.h"
#include "compare/surfaceplot.h"
#include "jobs/trial.h"
#include "report/exporting.h"
#include "tuning/importance.h"
#include "tuning/pareto.h"
#include "tuning/tuningloop.h"

namespace tunebench::ui {

namespace {

constexpr std::size_t kMaxCurves = 50;

/// Adds a parameter to the union, or the levels it did not have yet.
Comparison::Parameter& parameterNamed(std::vector<Comparison::Parameter>& parameters, const QString& name)
{
    const auto found = std::find_if(parameters.begin(), parameters.end(),
                                    [&](const Comparison::Parameter& p) { return p.name == name; });
    if (found != parameters.end())
        return *found;
    parameters.push_back({name, false, {}});
    return parameters.back();
}

void readParams(Comparison& data, Comparison::Trial& trial, const store::TrialRecord& record,
                const tuning::ExperimentSpec* spec)
{
    if (spec) {
        const algorithms::Params joint = spec->jointOf(spec->recordedConfig(record.algorithm, record.paramsJson));
        for (const auto& [name, value] : joint) {
            const QString key = qs(name);
            // Shown to six significant digits; exports take the exact value from paramValue.
            trial.paramText[key] = std::holds_alternative<double>(value)
                ? QString::number(std::get<double>(value), 'g', 6)
                : qs(algorithms::formatValue(value));
            Comparison::Parameter& parameter = parameterNamed(data.parameters, key);
            if (const auto* number = std::get_if<double>(&value))
                trial.paramValue[key] = *number;
            else if (const auto* integer = std::get_if<std::int64_t>(&value))
                trial.paramValue[key] = static_cast<double>(*integer);
            else {
                const QString level = std::holds_alternative<bool>(value)
                    ? (std::get<bool>(value) ? QStringLiteral("true") : QStringLiteral("false"))
                    : qs(std::get<std::string>(value));
                if (!parameter.levels.contains(level))
                    parameter.levels << level;
                trial.paramValue[key] = static_cast<double>(parameter.levels.indexOf(level));
            }
        }
        return;
    }
    // A spec this version cannot read: show the recorded values as they are.
    const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(record.paramsJson)).object();
    for (auto it = params.begin(); it != params.end(); ++it) {
        Comparison::Parameter& parameter = parameterNamed(data.parameters, it.key());
        if (it.value().isDouble()) {
            trial.paramText[it.key()] = QString::number(it.value().toDouble(), 'g', 6);
            trial.paramValue[it.key()] = it.value().toDouble();
        } else {
            const QString level = it.value().isBool()
                ? (it.value().toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                : it.value().toString();
            if (!parameter.levels.contains(level))
                parameter.levels << level;
            trial.paramText[it.key()] = level;
            trial.paramValue[it.key()] = static_cast<double>(parameter.levels.indexOf(level));
        }
    }
}

QColor differenceColour(const QPalette& palette)
{
    QColor colour = palette.color(QPalette::Highlight);
    colour.setAlpha(55);
    return colour;
}

} // namespace

QString Comparison::label(const Trial& trial) const
{
    return experiments.size() > 1 ? QStringLiteral("%1 #%2").arg(trial.experiment).arg(trial.number)
                                  : QObject::tr("trial %1").arg(trial.number);
}

namespace {

/// An experiment of several objectives: each trial's other objectives and Pareto rank, and the importance of each
/// objective after the first ("name: metric").
void addObjectives(Comparison& data, const QString& name, const tuning::ExperimentSpec& spec,
                   const std::vector<store::TrialRecord>& records, int threads)
{
    if (data.experiments.size() == 1)
        for (std::size_t k = 1; k < spec.objectives.size(); ++k)
            data.moreObjectives << qs(spec.objectives[k].metric);
    std::vector<int> numbers;
    std::vector<tuning::Point> points;
    std::map<int, std::vector<double>> values;
    for (const store::TrialRecord& record : records) {
        if (record.status != TrialState::Finished || !record.objective)
            continue;
        const auto [view, measured] = jobs::measuredTrial(spec, jobs::trialFromRecord(record));
        values[record.number] = measured.objectives;
        if (view.feasible() && std::none_of(measured.objectives.begin(), measured.objectives.end(), [](double v) {
                return std::isnan(v);
            })) {
            numbers.push_back(record.number);
            points.push_back(view.point());
        }
    }
    const std::vector<int> ranks = tuning::nonDominatedRanks(points);
    for (Comparison::Trial& trial : data.trials) {
        if (trial.experiment != name)
            continue;
        if (const auto found = values.find(trial.number); found != values.end())
            trial.moreObjectives.assign(found->second.begin() + 1, found->second.end());
        if (const auto at = std::find(numbers.begin(), numbers.end(), trial.number); at != numbers.end())
            trial.paretoRank = ranks[static_cast<std::size_t>(at - numbers.begin())];
    }
    for (std::size_t k = 1; k < spec.objectives.size(); ++k) {
        const QString set = name + QStringLiteral(": ") + qs(spec.objectives[k].metric);
        data.importance[set] = jobs::parameterImportance(spec, records, threads, k);
        data.importanceSets << set;
    }
}

} // namespace

Comparison readComparison(const QString& projectPath, const std::vector<TrialRef>& selection)
{
    Comparison data;
    try {
        const auto project = store::ProjectStore::open(projectPath.toStdString(), store::ProjectStore::Mode::ReadOnly);
        QStringList order;
        std::map<QString, std::set<int>> wanted; // empty: every trial
        for (const TrialRef& ref : selection) {
            if (!order.contains(ref.experiment))
                order << ref.experiment;
            if (ref.number > 0)
                wanted[ref.experiment].insert(ref.number);
            else
                wanted[ref.experiment].clear(), wanted[ref.experiment].insert(0);
        }
        for (const QString& name : order) {
            const auto record = project->experimentByName(name.toStdString());
            if (!record) {
                data.error = QObject::tr("The project has no experiment named '%1'.").arg(name);
                continue;
            }
            data.experiments << name;
            std::optional<tuning::ExperimentSpec> spec;
            try {
                spec = tuning::parseSpec(QByteArray::fromStdString(record->specJson), name.toStdString(), "/");
            } catch (const std::exception&) {
                // Shown with the recorded values only.
            }
            if (spec) {
                if (data.experiments.size() == 1) {
                    data.metric = qs(spec->metric);
                    data.maximize = spec->maximize;
                } else if (qs(spec->metric) != data.metric) {
                    data.mixedObjectives = true;
                }
                const tuning::SearchSpace space = spec->searchSpace();
                for (const tuning::Dimension& dimension : space.dimensions()) {
                    Comparison::Parameter& parameter = parameterNamed(data.parameters, qs(dimension.name()));
                    parameter.logScale = dimension.range.scaling == algorithms::Scaling::Log;
                    for (const std::string& level : dimension.range.values) {
                        if (!parameter.levels.contains(qs(level)))
                            parameter.levels << qs(level);
                    }
                    if (dimension.range.type == algorithms::ParamType::Boolean && parameter.levels.isEmpty())
                        parameter.levels = {QStringLiteral("false"), QStringLiteral("true")};
                }
            }
            const std::vector<store::TrialRecord> trials = project->trials(record->id);
            const std::set<int>& numbers = wanted[name];
            for (const store::TrialRecord& record : trials) {
                if (!numbers.count(0) && !numbers.count(record.number))
                    continue;
                Comparison::Trial trial;
                trial.experiment = name;
                trial.number = record.number;
                trial.algorithm = qs(record.algorithm);
                trial.status = qs(record.status);
                trial.objective = record.objective;
                const QJsonObject metrics
                    = QJsonDocument::fromJson(QByteArray::fromStdString(record.metricsJson)).object();
                for (auto it = metrics.begin(); it != metrics.end(); ++it) {
                    const QJsonValue mean
                        = it.value().isObject() ? it.value().toObject().value(QStringLiteral("mean")) : it.value();
                    if (!mean.isDouble())
                        continue;
                    trial.metrics[it.key()] = mean.toDouble();
                    if (!data.metricNames.contains(it.key()))
                        data.metricNames << it.key();
                }
                readParams(data, trial, record, spec ? &*spec : nullptr);
                trial.points = project->metricSeries(record.id);
                data.trials.push_back(std::move(trial));
            }
            if (spec) {
                const int threads = std::max(1, QThread::idealThreadCount());
                data.importance[name] = jobs::parameterImportance(*spec, trials, threads);
                data.importanceSets << name;
                data.points[name] = jobs::finishedTrialPoints(*spec, trials);
                if (spec->isMultiObjective())
                    addObjectives(data, name, *spec, trials, threads);
            }
        }
    } catch (const std::exception& error) {
        data.error = qs(error.what());
    }
    return data;
}

CompareView::CompareView(QString projectPath, std::vector<TrialRef> selection, QWidget* parent)
    : QWidget(parent)
    , m_projectPath(std::move(projectPath))
    , m_selection(std::move(selection))
    , m_title(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_curves(new CurvesChart(this))
    , m_quantity(new QComboBox(this))
    , m_curvesNote(new QLabel(this))
    , m_differences(new QTableView(this))
    , m_differencesModel(new QStandardItemModel(this))
    , m_onlyDifferences(new QCheckBox(tr("Only rows that differ"), this))
    , m_parallel(new ParallelCoordinatesPlot(this))
    , m_brushed(new QTableView(this))
    , m_brushedModel(new QStandardItemModel(this))
    , m_scatterParameter(new QComboBox(this))
    , m_scatter(new ThemedChartView(this))
    , m_history(new ThemedChartView(this))
    , m_importance(new ThemedChartView(this))
    , m_importanceNote(new QLabel(this))
    , m_contourX(new QComboBox(this))
    , m_contourY(new QComboBox(this))
    , m_contour(new SurfacePlot(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setText(tr("Comparison"));
    m_summary->setText(tr("Reading the trials..."));
    auto* header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addSpacing(12);
    header->addWidget(m_summary, 1);
    // Charts go to the report of the (first) compared experiment.
    const auto reportTarget = [this] { return ReportTarget{m_projectPath, m_data.experiments.value(0)}; };

    // Curves.
    auto* curvesPane = new QWidget(this);
    auto* curvesControls = new QHBoxLayout;
    curvesControls->addWidget(new QLabel(tr("Show"), this));
    curvesControls->addWidget(m_quantity);
    curvesControls->addStretch(1);
    curvesControls->addWidget(m_curvesNote);
    auto* curvesLayout = new QVBoxLayout(curvesPane);
    curvesLayout->addLayout(curvesControls);
    curvesLayout->addWidget(m_curves, 1);
    m_quantity->setObjectName(QStringLiteral("compareQuantity"));
    connect(m_quantity, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        if (!text.isEmpty())
            m_curves->setQuantity(text);
    });
    connect(m_curves, &CurvesChart::quantitiesChanged, this, [this] {
        const QSignalBlocker blocker(m_quantity);
        m_quantity->clear();
        m_quantity->addItems(m_curves->quantities());
        m_quantity->setCurrentText(m_curves->quantity());
    });
    connect(m_curves, &CurvesChart::trialClicked, m_curves, &CurvesChart::setHighlightedTrial);

    // Differences.
    auto* differencesPane = new QWidget(this);
    auto* differencesLayout = new QVBoxLayout(differencesPane);
    differencesLayout->addWidget(m_onlyDifferences);
    differencesLayout->addWidget(m_differences, 1);
    m_differences->setObjectName(QStringLiteral("differencesTable"));
    m_differences->setModel(m_differencesModel);
    m_differences->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_differences->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_onlyDifferences->setObjectName(QStringLiteral("onlyDifferences"));
    connect(m_onlyDifferences, &QCheckBox::toggled, this, [this] { fillDifferences(); });
    addTableExport(m_differences);

    QSplitter* parallelPane = createParallelPane(reportTarget);

    // Objective against a parameter.
    auto* scatterPane = new QWidget(this);
    auto* scatterLayout = new QVBoxLayout(scatterPane);
    auto* scatterControls = new QHBoxLayout;
    scatterControls->addWidget(new QLabel(tr("Parameter"), this));
    scatterControls->addWidget(m_scatterParameter);
    scatterControls->addStretch(1);
    scatterLayout->addLayout(scatterControls);
    scatterLayout->addWidget(m_scatter, 1);
    m_scatterParameter->setObjectName(QStringLiteral("scatterParameter"));
    connect(m_scatterParameter, &QComboBox::currentTextChanged, this, [this] { fillScatter(); });

    auto* importancePane = new QWidget(this);
    auto* importanceLayout = new QVBoxLayout(importancePane);
    importanceLayout->addWidget(m_importance, 1);
    importanceLayout->addWidget(m_importanceNote);
    m_importanceNote->setWordWrap(true);

    for (QWidget* chart : {static_cast<QWidget*>(m_curves), static_cast<QWidget*>(m_scatter),
                           static_cast<QWidget*>(m_history), static_cast<QWidget*>(m_importance)})
        addImageExport(chart, reportTarget);

    m_tabs->addTab(curvesPane, tr("Curves"));
    m_tabs->addTab(differencesPane, tr("Differences"));
    m_tabs->addTab(parallelPane, tr("Parallel coordinates"));
    m_tabs->addTab(scatterPane, tr("Parameter vs objective"));
    auto* contourPane = new QWidget(this);
    auto* contourLayout = new QVBoxLayout(contourPane);
    auto* contourControls = new QHBoxLayout;
    contourControls->addWidget(new QLabel(tr("x"), this));
    contourControls->addWidget(m_contourX);
    contourControls->addWidget(new QLabel(tr("y"), this));
    contourControls->addWidget(m_contourY);
    contourControls->addStretch(1);
    contourLayout->addLayout(contourControls);
    contourLayout->addWidget(m_contour, 1);
    m_contourX->setObjectName(QStringLiteral("contourX"));
    m_contourY->setObjectName(QStringLiteral("contourY"));
    connect(m_contourX, &QComboBox::currentIndexChanged, this, [this] { fillContour(); });
    connect(m_contourY, &QComboBox::currentIndexChanged, this, [this] { fillContour(); });
    addImageExport(m_contour, reportTarget);
    m_tabs->addTab(contourPane, tr("Contour"));
    m_tabs->addTab(m_history, tr("History"));
    m_tabs->addTab(importancePane, tr("Importance"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_tabs, 1);

    m_followLater = new QTimer(this);
    m_followLater->setSingleShot(true);
    connect(m_followLater, &QTimer::timeout, this, &CompareView::follow);
    m_sinceLoad.start();
    m_loader.run([path = m_projectPath, selection = m_selection] { return readComparison(path, selection); },
                 [this](Comparison data) { apply(std::move(data)); });
}

void CompareView::follow()
{
    if (m_loading || m_loader.isBusy() || m_followLater->isActive()) {
        if (!m_followLater->isActive())
            m_followLater->start(500);
        return;
    }
    if (m_sinceLoad.elapsed() < 2000) {
        m_followLater->start(static_cast<int>(2000 - m_sinceLoad.elapsed()));
        return;
    }
    m_sinceLoad.start();
    m_loader.run([path = m_projectPath, selection = m_selection] { return readComparison(path, selection); },
                 [this](Comparison data) { applyFollowed(std::move(data)); });
}

namespace {

bool sameTrials(const Comparison& a, const Comparison& b)
{
    return std::equal(a.trials.begin(), a.trials.end(), b.trials.begin(), b.trials.end(),
                      [](const Comparison::Trial& x, const Comparison::Trial& y) {
                          return x.experiment == y.experiment && x.number == y.number && x.status == y.status
                              && x.objective == y.objective && x.points.size() == y.points.size();
                      });
}

} // namespace

void CompareView::applyFollowed(Comparison data)
{
    if (sameTrials(data, m_data))
        return;
    // What the user chose, by name: the trials change under it, not the choices.
    const QString scatter = m_scatterParameter->currentText();
    const QString contourX = m_contourX->currentText();
    const QString contourY = m_contourY->currentText();
    std::map<QString, std::pair<double, double>> brushes;
    for (int axis = 0; axis < static_cast<int>(m_parallel->axes().size()); ++axis) {
        if (const auto range = m_parallel->brush(axis))
            brushes[m_parallel->axes()[static_cast<std::size_t>(axis)].name] = *range;
    }
    const int tab = m_tabs->currentIndex();
    apply(std::move(data));
    m_tabs->setCurrentIndex(tab);
    for (int axis = 0; axis < static_cast<int>(m_parallel->axes().size()); ++axis) {
        const auto found = brushes.find(m_parallel->axes()[static_cast<std::size_t>(axis)].name);
        if (found != brushes.end())
            m_parallel->setBrush(axis, found->second.first, found->second.second);
    }
    if (const int index = m_scatterParameter->findText(scatter); index >= 0 && !scatter.isEmpty())
        m_scatterParameter->setCurrentIndex(index);
    if (const int index = m_contourX->findText(contourX); index >= 0)
        m_contourX->setCurrentIndex(index);
    if (const int index = m_contourY->findText(contourY); index >= 0)
        m_contourY->setCurrentIndex(index);
}

/// Parallel coordinates (drag along an axis to select) over the table of the trials they select.
QSplitter* CompareView::createParallelPane(const std::function<ReportTarget()>& reportTarget)
{
    auto* parallelPane = new QSplitter(Qt::Vertical, this);
    auto* clear = new QPushButton(tr("Clear selection"), this);
    clear->setObjectName(QStringLiteral("clearBrushes"));
    auto* plotPane = new QWidget(parallelPane);
    auto* plotLayout = new QVBoxLayout(plotPane);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->addWidget(m_parallel, 1);
    auto* plotControls = new QHBoxLayout;
    plotControls->addWidget(new QLabel(tr("Drag along an axis to select a range; click it to clear."), this), 1);
    plotControls->addWidget(clear);
    plotLayout->addLayout(plotControls);
    parallelPane->addWidget(plotPane);
    parallelPane->addWidget(m_brushed);
    parallelPane->setStretchFactor(0, 3);
    parallelPane->setStretchFactor(1, 2);
    m_parallel->setObjectName(QStringLiteral("parallelCoordinates"));
    m_brushed->setObjectName(QStringLiteral("brushedTrials"));
    m_brushed->setModel(m_brushedModel);
    m_brushed->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_brushed->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_brushed->setSelectionMode(QAbstractItemView::SingleSelection);
    m_brushed->verticalHeader()->hide();
    m_brushed->horizontalHeader()->setStretchLastSection(true);
    connect(clear, &QPushButton::clicked, m_parallel, &ParallelCoordinatesPlot::clearBrushes);
    connect(m_parallel, &ParallelCoordinatesPlot::selectionChanged, this, &CompareView::applyBrush);
    connect(m_brushed->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_brushed->selectionModel()->selectedRows();
        m_parallel->setHighlightedRow(rows.isEmpty() ? std::nullopt : std::optional<int>(rows.constFirst().row()));
    });
    connect(m_brushed, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const Comparison::Trial& trial = m_data.trials.at(static_cast<std::size_t>(index.row()));
        Q_EMIT trialActivated(trial.experiment, trial.number);
    });
    addTableExport(m_brushed);
    addImageExport(m_parallel, reportTarget);
    return parallelPane;
}

void CompareView::apply(Comparison data)
{
    m_data = std::move(data);
    m_loading = false;
    const auto count = static_cast<int>(m_data.trials.size());
    m_title->setText(m_data.experiments.size() == 1 ? tr("Compare: %1").arg(m_data.experiments.constFirst())
                                                    : tr("Compare %1 experiments").arg(m_data.experiments.size()));
    QString summary = tr("%n trial(s)", nullptr, count)
        + tr(" · objective: %1 (%2)")
              .arg(m_data.metric, m_data.maximize ? tr("higher is better") : tr("lower is better"));
    if (m_data.mixedObjectives)
        summary += tr(" · the experiments optimise different metrics: objectives are not comparable");
    if (!m_data.error.isEmpty())
        summary += QStringLiteral(" · ") + m_data.error;
    m_summary->setText(summary);
    fillCurves();
    fillDifferences();
    fillParallel();
    {
        const QSignalBlocker blocker(m_scatterParameter);
        m_scatterParameter->clear();
        for (const Comparison::Parameter& parameter : m_data.parameters)
            m_scatterParameter->addItem(parameter.name);
    }
    fillScatter();
    fillHistory();
    fillImportance();
    fillContourChoices();
    Q_EMIT loaded();
}

void CompareView::fillCurves()
{
    m_curves->clear();
    // Past a few dozen, overlaid curves are unreadable and slow to build: the best ones are drawn.
    std::vector<std::size_t> shown(m_data.trials.size());
    std::iota(shown.begin(), shown.end(), std::size_t(0));
    if (shown.size() > kMaxCurves) {
        auto better = [this](std::size_t a, std::size_t b) {
            const auto& x = m_data.trials[a].objective;
            const auto& y = m_data.trials[b].objective;
            if (!x || !y)
                return x.has_value() && !y.has_value();
            return m_data.maximize ? *x > *y : *x < *y;
        };
        std::stable_sort(shown.begin(), shown.end(), better);
        shown.resize(kMaxCurves);
        std::sort(shown.begin(), shown.end());
    }
    m_curvesNote->setText(
        shown.size() < m_data.trials.size()
            ? tr("The curves of the best %1 of the %2 trials.").arg(shown.size()).arg(m_data.trials.size())
            : QString());
    m_curvesNote->setVisible(shown.size() < m_data.trials.size());
    for (std::size_t i : shown) {
        const Comparison::Trial& trial = m_data.trials[i];
        const int key = static_cast<int>(i) + 1;
        m_curves->setTrialLabel(key, m_data.label(trial));
        for (const store::MetricPoint& point : trial.points)
            m_curves->addPoint(key, qs(point.name), static_cast<double>(point.step), point.value);
    }
    m_curves->refresh();
}

void CompareView::fillDifferences()
{
    m_differencesModel->clear();
    QStringList columns;
    for (const Comparison::Trial& trial : m_data.trials)
        columns << m_data.label(trial);
    m_differencesModel->setHorizontalHeaderLabels(columns);

    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < m_data.trials.size(); ++i) {
        const auto& objective = m_data.trials[i].objective;
        if (objective
            && (!best
                || (m_data.maximize ? *objective > *m_data.trials[*best].objective
                                    : *objective < *m_data.trials[*best].objective)))
            best = i;
    }
    const QColor highlight = differenceColour(palette());
    // textOf gives a cell's text and, for rounded numbers, its exact value.
    auto addRow = [&](const QString& name, auto textOf, bool markBest = false) {
        QList<QStandardItem*> items;
        std::set<QString> distinct;
        for (std::size_t i = 0; i < m_data.trials.size(); ++i) {
            const auto [text, exact] = textOf(m_data.trials[i]);
            distinct.insert(exact.isEmpty() ? text : exact);
            auto* item = new QStandardItem(text);
            if (!exact.isEmpty())
                item->setData(exact, kExactValueRole);
            if (markBest && best && *best == i) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
                item->setToolTip(tr("The best objective of these trials"));
            }
            items << item;
        }
        const bool differs = distinct.size() > 1;
        if (!differs && m_onlyDifferences->isChecked()) {
            qDeleteAll(items);
            return;
        }
        auto* header = new QStandardItem(name);
        if (differs) {
            QFont bold = header->font();
            bold.setBold(true);
            header->setFont(bold);
            header->setData(true, Qt::UserRole);
            for (QStandardItem* item : items)
                item->setBackground(highlight);
        }
        m_differencesModel->appendRow(items);
        m_differencesModel->setVerticalHeaderItem(m_differencesModel->rowCount() - 1, header);
    };
    using Cell = std::pair<QString, QString>;
    auto number = [](std::optional<double> value) -> Cell {
        if (!value)
            return {};
        return {QString::number(*value, 'g', 6), QString::number(*value, 'g', 17)};
    };
    if (m_data.experiments.size() > 1)
        addRow(tr("experiment"), [](const Comparison::Trial& t) { return Cell{t.experiment, {}}; });
    addRow(tr("algorithm"), [](const Comparison::Trial& t) { return Cell{t.algorithm, {}}; });
    addRow(tr("status"), [](const Comparison::Trial& t) { return Cell{t.status, {}}; });
    addRow(
        tr("objective (%1)").arg(m_data.metric), [&](const Comparison::Trial& t) { return number(t.objective); }, true);
    for (const Comparison::Parameter& parameter : m_data.parameters) {
        addRow(parameter.name, [&](const Comparison::Trial& t) {
            const auto found = t.paramText.find(parameter.name);
            if (found == t.paramText.end())
                return Cell{};
            return Cell{found->second,
                        parameter.levels.isEmpty() ? QString::number(t.paramValue.at(parameter.name), 'g', 17)
                                                   : QString()};
        });
    }
    for (const QString& metric : m_data.metricNames) {
        addRow(metric, [&](const Comparison::Trial& t) {
            const auto found = t.metrics.find(metric);
            return found == t.metrics.end() ? Cell{} : number(found->second);
        });
    }
    // Measuring every cell of a wide table takes long: past a few dozen trials columns keep a fixed width.
    if (m_differencesModel->columnCount() <= 50)
        m_differences->resizeColumnsToContents();
}

QStringList CompareView::differingRows() const
{
    QStringList rows;
    for (int row = 0; row < m_differencesModel->rowCount(); ++row) {
        const QStandardItem* header = m_differencesModel->verticalHeaderItem(row);
        if (header && header->data(Qt::UserRole).toBool())
            rows << header->text();
    }
    return rows;
}

void CompareView::fillParallel()
{
    std::vector<ParallelCoordinatesPlot::Axis> axes;
    std::vector<const Comparison::Parameter*> parameters;
    for (const Comparison::Parameter& parameter : m_data.parameters) {
        axes.push_back({parameter.name, parameter.logScale, parameter.levels});
        parameters.push_back(&parameter);
    }
    axes.push_back({m_data.metric, false, {}});
    // Several objectives: an axis each, and the lines coloured by Pareto rank (the last axis; 0 is the front).
    const bool ranked = !m_data.moreObjectives.isEmpty();
    for (const QString& objective : m_data.moreObjectives)
        axes.push_back({objective, false, {}});
    if (ranked)
        axes.push_back({tr("Pareto rank"), false, {}});
    std::vector<std::vector<double>> values;
    QStringList headers{tr("Experiment"), tr("Trial"), tr("Algorithm"), m_data.metric};
    for (const Comparison::Parameter* parameter : parameters)
        headers << parameter->name;
    m_brushedModel->clear();
    m_brushedModel->setHorizontalHeaderLabels(headers);
    for (const Comparison::Trial& trial : m_data.trials) {
        std::vector<double> row;
        for (const Comparison::Parameter* parameter : parameters) {
            const auto found = trial.paramValue.find(parameter->name);
            row.push_back(found == trial.paramValue.end() ? std::nan("") : found->second);
        }
        row.push_back(trial.objective.value_or(std::nan("")));
        for (qsizetype k = 0; k < m_data.moreObjectives.size(); ++k)
            row.push_back(static_cast<std::size_t>(k) < trial.moreObjectives.size()
                              ? trial.moreObjectives[static_cast<std::size_t>(k)]
                              : std::nan(""));
        if (ranked)
            row.push_back(trial.paretoRank);
        values.push_back(std::move(row));
        QList<QStandardItem*> items{
            new QStandardItem(trial.experiment), new QStandardItem(QString::number(trial.number)),
            new QStandardItem(trial.algorithm),
            new QStandardItem(trial.objective ? QString::number(*trial.objective, 'g', 6) : QString())};
        items[1]->setData(trial.number, Qt::UserRole);
        if (trial.objective)
            items[3]->setData(QString::number(*trial.objective, 'g', 17), kExactValueRole);
        for (const Comparison::Parameter* parameter : parameters) {
            const auto found = trial.paramText.find(parameter->name);
            auto* item = new QStandardItem(found == trial.paramText.end() ? QString() : found->second);
            if (found != trial.paramText.end() && parameter->levels.isEmpty())
                item->setData(QString::number(trial.paramValue.at(parameter->name), 'g', 17), kExactValueRole);
            items << item;
        }
        m_brushedModel->appendRow(items);
    }
    m_parallel->setData(std::move(axes), std::move(values), ranked ? false : m_data.maximize);
    m_brushed->resizeColumnsToContents();
}

void CompareView::applyBrush()
{
    for (int row = 0; row < m_brushedModel->rowCount(); ++row)
        m_brushed->setRowHidden(row, !m_parallel->isSelected(row));
}

void CompareView::fillScatter()
{
    QChart* chart = m_scatter->chart();
    resetChart(chart, QString());
    const int index = m_scatterParameter->currentIndex();
    if (index < 0 || index >= static_cast<int>(m_data.parameters.size())) {
        chart->setTitle(tr("No parameters to plot"));
        return;
    }
    const Comparison::Parameter& parameter = m_data.parameters[static_cast<std::size_t>(index)];
    chart->setTitle(tr("%1 against %2").arg(m_data.metric, parameter.name));
    QAbstractAxis* x = nullptr;
    if (!parameter.levels.isEmpty()) {
        auto* categories = new QCategoryAxis;
        categories->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        for (qsizetype level = 0; level < parameter.levels.size(); ++level)
            categories->append(parameter.levels[level], static_cast<double>(level));
        categories->setRange(-0.5, static_cast<double>(parameter.levels.size()) - 0.5);
        x = categories;
    } else if (parameter.logScale) {
        auto* log = new QLogValueAxis;
        log->setLabelFormat(QStringLiteral("%.3g"));
        log->setMinorTickCount(8);
        x = log;
    } else {
        auto* linear = new QValueAxis;
        linear->setLabelFormat(QStringLiteral("%.4g"));
        x = linear;
    }
    x->setTitleText(parameter.name + (parameter.logScale ? tr(" (log scale)") : QString()));
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.4g"));
    y->setTitleText(tr("%1 (%2)").arg(m_data.metric, m_data.maximize ? tr("higher is better") : tr("lower is better")));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double minX = std::numeric_limits<double>::infinity();
    double maxX = -minX;
    double minY = minX;
    double maxY = -minX;
    for (const QString& experiment : m_data.experiments) {
        auto* series = new QScatterSeries;
        series->setName(m_data.experiments.size() > 1 ? experiment : tr("finished trials"));
        series->setMarkerSize(8);
        series->setBorderColor(Qt::transparent);
        for (const Comparison::Trial& trial : m_data.trials) {
            const auto value = trial.paramValue.find(parameter.name);
            if (trial.experiment != experiment || !trial.objective || value == trial.paramValue.end()
                || (parameter.logScale && !(value->second > 0.0)))
                continue;
            series->append(value->second, *trial.objective);
            minX = std::min(minX, value->second);
            maxX = std::max(maxX, value->second);
            minY = std::min(minY, *trial.objective);
            maxY = std::max(maxY, *trial.objective);
        }
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    if (std::isfinite(minY)) {
        const double pad = maxY > minY ? 0.05 * (maxY - minY) : 0.5;
        setNiceRange(y, minY - pad, maxY + pad);
        if (parameter.levels.isEmpty()) {
            if (parameter.logScale)
                x->setRange(minX / 1.2, maxX * 1.2);
            else {
                const double padX = maxX > minX ? 0.05 * (maxX - minX) : 0.5;
                setNiceRange(x, minX - padX, maxX + padX);
            }
        }
    }
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignBottom);
}

void CompareView::fillHistory()
{
    QChart* chart = m_history->chart();
    resetChart(chart, tr("Optimisation history"));
    auto* x = new QValueAxis;
    x->setTitleText(tr("Trial"));
    x->setLabelFormat(QStringLiteral("%d"));
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.4g"));
    y->setTitleText(tr("%1 (%2)").arg(m_data.metric, m_data.maximize ? tr("higher is better") : tr("lower is better")));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double maxX = 1.0;
    double minY = std::numeric_limits<double>::infinity();
    double maxY = -minY;
    for (const QString& experiment : m_data.experiments) {
        std::vector<std::pair<int, double>> values;
        for (const Comparison::Trial& trial : m_data.trials) {
            if (trial.experiment == experiment && trial.objective && std::isfinite(*trial.objective))
                values.emplace_back(trial.number, *trial.objective);
        }
        std::sort(values.begin(), values.end());
        auto* points = new QScatterSeries;
        auto* best = new QLineSeries;
        const QString prefix = m_data.experiments.size() > 1 ? experiment + QStringLiteral(": ") : QString();
        points->setName(prefix + tr("trial"));
        points->setMarkerSize(7);
        points->setBorderColor(Qt::transparent);
        best->setName(prefix + tr("best so far"));
        std::optional<double> bestValue;
        for (const auto& [number, value] : values) {
            points->append(number, value);
            if (!bestValue || (m_data.maximize ? value > *bestValue : value < *bestValue)) {
                if (bestValue)
                    best->append(number, *bestValue);
                bestValue = value;
            }
            best->append(number, *bestValue);
            maxX = std::max(maxX, static_cast<double>(number));
            minY = std::min(minY, value);
            maxY = std::max(maxY, value);
        }
        chart->addSeries(points);
        chart->addSeries(best);
        for (QXYSeries* series : {static_cast<QXYSeries*>(points), static_cast<QXYSeries*>(best)}) {
            series->attachAxis(x);
            series->attachAxis(y);
        }
        QPen pen = best->pen();
        pen.setWidthF(2.5);
        best->setPen(pen);
    }
    x->setRange(0.0, maxX + 1.0);
    if (std::isfinite(minY)) {
        const double pad = maxY > minY ? 0.05 * (maxY - minY) : 0.5;
        setNiceRange(y, minY - pad, maxY + pad);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
}

void CompareView::fillImportance()
{
    QChart* chart = m_importance->chart();
    resetChart(chart, tr("Hyperparameter importance (functional ANOVA)"));
    // Categories: the first experiment's order, least important first (a horizontal bar chart draws the
    // first category at the bottom), then any parameter only the others have.
    QStringList categories;
    for (const QString& experiment : m_data.importanceSets) {
        const auto found = m_data.importance.find(experiment);
        if (found == m_data.importance.end())
            continue;
        for (auto it = found->second.rbegin(); it != found->second.rend(); ++it) {
            if (!categories.contains(qs(it->name)))
                categories << qs(it->name);
        }
    }
    if (categories.isEmpty()) {
        chart->setTitle(tr("Hyperparameter importance: needs at least two finished trials"));
        m_importanceNote->clear();
        return;
    }
    auto* series = new QHorizontalBarSeries;
    QStringList notes;
    for (const QString& experiment : m_data.importanceSets) {
        const auto found = m_data.importance.find(experiment);
        if (found == m_data.importance.end() || found->second.empty())
            continue;
        auto* set = new QBarSet(experiment);
        double explained = 0.0;
        for (const QString& name : categories) {
            const auto it = std::find_if(found->second.begin(), found->second.end(),
                                         [&](const jobs::ParameterImportance& p) { return qs(p.name) == name; });
            *set << (it == found->second.end() ? 0.0 : 100.0 * it->importance);
        }
        for (const jobs::ParameterImportance& p : found->second)
            explained += p.mainEffect;
        series->append(set);
        notes << tr("%1: main effects explain %2% of the objective's variance; the rest comes from interactions.")
                     .arg(experiment)
                     .arg(100.0 * explained, 0, 'f', 0);
    }
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    y->setTruncateLabels(false);
    auto* x = new QValueAxis;
    x->setRange(0.0, 100.0);
    x->setLabelFormat(QStringLiteral("%d%%"));
    x->setTitleText(tr("share of the variance the parameters explain on their own"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_importanceNote->setText(
        notes.join(QLatin1Char('\n'))
        + tr("\nEstimated by functional ANOVA on a 64-tree random-forest surrogate of the finished trials."));
}

void CompareView::fillContourChoices()
{
    // The surface is one experiment's surrogate: the first one's parameters.
    const QSignalBlocker blockX(m_contourX);
    const QSignalBlocker blockY(m_contourY);
    m_contourX->clear();
    m_contourY->clear();
    const auto found
        = m_data.experiments.isEmpty() ? m_data.points.end() : m_data.points.find(m_data.experiments.constFirst());
    if (found == m_data.points.end() || found->second.dimensions.size() < 2) {
        m_contourTask.drop();
        m_contour->setMessage(tr("A contour needs an experiment with two parameters or more"));
        return;
    }
    // The two most important parameters first.
    QStringList names;
    for (const jobs::ParameterImportance& p : m_data.importance[m_data.experiments.constFirst()])
        names << qs(p.name);
    for (const tuning::Dimension& dimension : found->second.dimensions) {
        if (!names.contains(qs(dimension.name())))
            names << qs(dimension.name());
    }
    m_contourX->addItems(names);
    m_contourY->addItems(names);
    m_contourX->setCurrentIndex(0);
    m_contourY->setCurrentIndex(1);
    fillContour();
}

void CompareView::fillContour()
{
    if (m_data.experiments.isEmpty() || m_contourX->currentIndex() < 0 || m_contourY->currentIndex() < 0)
        return;
    const auto found = m_data.points.find(m_data.experiments.constFirst());
    if (found == m_data.points.end())
        return;
    const jobs::TrialPoints& points = found->second;
    auto indexOf = [&points](const QString& name) -> Eigen::Index {
        for (std::size_t i = 0; i < points.dimensions.size(); ++i) {
            if (qs(points.dimensions[i].name()) == name)
                return static_cast<Eigen::Index>(i);
        }
        return -1;
    };
    const Eigen::Index x = indexOf(m_contourX->currentText());
    const Eigen::Index y = indexOf(m_contourY->currentText());
    if (x < 0 || y < 0 || x == y) {
        m_contourTask.drop();
        m_contour->setMessage(tr("Choose two different parameters"));
        return;
    }
    if (points.unit.rows() < 2) {
        m_contourTask.drop();
        m_contour->setMessage(tr("A contour needs at least two finished trials"));
        return;
    }
    // Ticks in the parameters' own values, at five evenly spaced positions.
    auto axisOf = [&points](Eigen::Index index) {
        const tuning::Dimension& dimension = points.dimensions[static_cast<std::size_t>(index)];
        SurfacePlot::Axis axis{qs(dimension.name()), {}};
        for (double t : {0.1, 0.3, 0.5, 0.7, 0.9}) {
            const algorithms::ParamValue value = dimension.fromUnit(t);
            axis.ticks.emplace_back(t,
                                    std::holds_alternative<double>(value)
                                        ? QString::number(std::get<double>(value), 'g', 3)
                                        : qs(algorithms::formatValue(value)));
        }
        return axis;
    };
    std::vector<QPointF> trials;
    for (Eigen::Index row = 0; row < points.unit.rows(); ++row)
        trials.emplace_back(points.unit(row, x), points.unit(row, y));
    m_contour->setMessage(tr("Computing the surface..."));
    const std::uint64_t seed = 0;
    // A surface for axes the user has changed since is stale: only the latest choice's is drawn.
    m_contourTask.run([unit = points.unit, objective = points.objective, x, y,
                       seed] { return tuning::pairMarginal(unit, objective, x, y, 40, {.seed = seed, .threads = 1}); },
                      [this, xAxis = axisOf(x), yAxis = axisOf(y), trials](tuning::PairMarginal marginal) mutable {
                          m_contour->setData(std::move(xAxis), std::move(yAxis), marginal.resolution,
                                             std::move(marginal.values), std::move(trials), m_data.metric,
                                             m_data.maximize);
                      });
}

} // namespace tunebench::ui
