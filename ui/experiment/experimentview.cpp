#include "experiment/experimentview.h"

#include <map>

#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "charts/charts.h"
#include "charts/paretochart.h"
#include "charts/rungschart.h"
#include "common/text.h"
#include "common/workpool.h"
#include "experiment/experimentrun.h"
#include "experiment/trialsmodel.h"
#include "report/exporting.h"
#include "tuning/experimentspec.h"

namespace tunebench::ui {

/// What the project holds about the experiment, read on a pool thread.
struct ExperimentView::Snapshot
{
    std::optional<store::ExperimentRecord> record;
    std::optional<store::RunOwner> owner; ///< the live process running it
    jobs::TuningUpdate everything; ///< every trial (typed here, on the pool thread) and point
    std::shared_ptr<jobs::RunFollower> follower; ///< goes on from here
    QString metric = QStringLiteral("objective");
    bool maximize = true;
    QString resource; ///< asha and bohb: the budget's hyperparameter
    int maxTrials = 0;
    std::shared_ptr<const tuning::ExperimentSpec> spec; ///< when this version reads it
    QStringList warnings; ///< the experiment's warning events, oldest first
    QString error;
};

namespace {

ExperimentView::Snapshot readSnapshot(const QString& projectPath, const QString& name)
{
    ExperimentView::Snapshot snapshot;
    try {
        snapshot.follower = std::make_shared<jobs::RunFollower>(projectPath.toStdString(), name.toStdString());
        jobs::FollowedRun first = snapshot.follower->poll();
        snapshot.record = std::move(first.record);
        snapshot.owner = std::move(first.owner);
        snapshot.everything = std::move(first.update);
        if (!snapshot.record)
            return snapshot;
        try {
            const tuning::ExperimentSpec spec
                = tuning::parseSpec(QByteArray::fromStdString(snapshot.record->specJson), name.toStdString(), "/");
            snapshot.metric = QString::fromStdString(spec.metric);
            snapshot.maximize = spec.maximize;
            if (tuning::isMultiFidelity(spec.strategy.kind))
                snapshot.resource = QString::fromStdString(spec.resource);
            snapshot.maxTrials = spec.completion.maxTrials.value_or(0);
            snapshot.spec = std::make_shared<const tuning::ExperimentSpec>(spec);
        } catch (const std::exception&) {
            // A spec this version cannot read still shows its trials.
        }
        const auto project = store::ProjectStore::open(projectPath.toStdString(), store::ProjectStore::Mode::ReadOnly);
        for (const store::EventRecord& event : project->events(snapshot.record->id)) {
            if (event.kind == "warning")
                snapshot.warnings.append(QString::fromStdString(event.message));
        }
    } catch (const std::exception& error) {
        snapshot.error = QString::fromStdString(error.what());
    }
    return snapshot;
}

} // namespace

ExperimentView::ExperimentView(QString projectPath, QString experimentName, QWidget* parent)
    : QWidget(parent)
    , m_projectPath(std::move(projectPath))
    , m_name(std::move(experimentName))
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_warnings(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_resume(new QPushButton(tr("Resume"), this))
    , m_compare(new QPushButton(tr("Compare"), this))
    , m_curves(new CurvesChart(this))
    , m_bestChart(new BestSoFarChart(this))
    , m_rungs(new RungsChart(this))
    , m_pareto(new ParetoPanel(this))
    , m_quantity(new QComboBox(this))
    , m_fold(new QSpinBox(this))
    , m_train(new QCheckBox(tr("Train"), this))
    , m_validation(new QCheckBox(tr("Validation"), this))
    , m_logScale(new QCheckBox(tr("Log scale"), this))
    , m_filterText(new QLineEdit(this))
    , m_statusFilter(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_model(new TrialsModel(this))
    , m_filter(new TrialsFilterModel(this))
{
    setObjectName(QStringLiteral("experimentView"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setText(m_name);
    m_progress->setMinimumWidth(170);
    m_progress->setMaximumWidth(260);
    m_progress->setFormat(tr("%v of %m trials"));
    m_stop->setToolTip(tr("Finish the trials in flight and start no more"));
    m_cancel->setToolTip(tr("Stop every trial now"));
    m_resume->setToolTip(tr("Run the interrupted trials again and continue the search"));
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_compare->setObjectName(QStringLiteral("compareButton"));
    m_compare->setToolTip(tr("Compare the selected trials (all of them when fewer than two are selected): "
                             "differences, parallel coordinates, parameter importance"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addSpacing(12);
    header->addWidget(m_status, 1);
    header->addWidget(m_progress);
    header->addWidget(m_compare);
    header->addWidget(m_resume);
    header->addWidget(m_stop);
    header->addWidget(m_cancel);

    QSplitter* charts = createChartsPane();
    QWidget* tablePane = createTablePane();

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts);
    split->addWidget(tablePane);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    m_warnings->setObjectName(QStringLiteral("runWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextFormat(Qt::PlainText);
    m_warnings->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #664d03; border: 1px solid #e0c46c;"
                                             " border-radius: 3px; padding: 4px 8px; }"));
    m_warnings->hide();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_warnings);
    layout->addWidget(split, 1);

    connect(m_quantity, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        if (!text.isEmpty())
            m_curves->setQuantity(text);
    });
    connect(m_fold, &QSpinBox::valueChanged, m_curves, &CurvesChart::setFold);
    connect(m_train, &QCheckBox::toggled, m_curves, &CurvesChart::setShowTrain);
    connect(m_validation, &QCheckBox::toggled, m_curves, &CurvesChart::setShowValidation);
    connect(m_logScale, &QCheckBox::toggled, m_curves, &CurvesChart::setLogScale);
    connect(m_curves, &CurvesChart::quantitiesChanged, this, [this] {
        const QSignalBlocker blocker(m_quantity);
        m_quantity->clear();
        m_quantity->addItems(m_curves->quantities());
        m_quantity->setCurrentText(m_curves->quantity());
    });
    connect(m_curves, &CurvesChart::trialClicked, this, &ExperimentView::selectTrial);
    connect(m_bestChart, &BestSoFarChart::trialClicked, this, &ExperimentView::selectTrial);
    connect(m_rungs, &RungsChart::trialClicked, this, &ExperimentView::selectTrial);
    connect(m_pareto->chart(), &ParetoChart::trialClicked, this, [this](int number) {
        selectTrial(number);
        Q_EMIT trialActivated(number); // a point of the front: open its trial
    });
    connect(m_filterText, &QLineEdit::textChanged, m_filter, &TrialsFilterModel::setFilterFixedString);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setStatusFilter(m_statusFilter->currentData().toString()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_curves->setHighlightedTrial(selectedTrial()); });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        Q_EMIT trialActivated(index.data(TrialsModel::TrialNumberRole).toInt());
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, &ExperimentView::showTableMenu);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this, &ExperimentView::showColumnMenu);
    connect(m_model, &TrialsModel::bestTrialChanged, this, [this](int number) { m_curves->setBestTrial(number); });
    connect(m_stop, &QPushButton::clicked, this, &ExperimentView::stopRun);
    connect(m_cancel, &QPushButton::clicked, this, &ExperimentView::cancelRun);
    connect(m_resume, &QPushButton::clicked, this, [this] { Q_EMIT resumeRequested(m_name); });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const QList<int> selected = selectedTrials();
        Q_EMIT compareRequested(selected.size() >= 2 ? selected : QList<int>());
    });
    const auto reportTarget = [this] { return ReportTarget{m_projectPath, m_name}; };
    addImageExport(m_curves, reportTarget);
    addImageExport(m_bestChart, reportTarget);
    addImageExport(m_rungs, reportTarget);
    addImageExport(m_pareto->chart(), reportTarget);

    updateHeader();
    reload();
}

/// The learning curves under their controls (quantity, fold, train and validation, log scale), beside the best
/// so far.
QSplitter* ExperimentView::createChartsPane()
{
    m_quantity->setObjectName(QStringLiteral("quantityChooser"));
    m_quantity->setToolTip(tr("The quantity the curves show"));
    m_fold->setPrefix(tr("fold "));
    m_fold->setRange(1, 1);
    m_fold->setToolTip(tr("Which validation fold's curves to show"));
    m_train->setChecked(true);
    m_validation->setChecked(true);
    m_logScale->setObjectName(QStringLiteral("logScaleToggle"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show"), this));
    controls->addWidget(m_quantity);
    controls->addWidget(m_fold);
    controls->addWidget(m_train);
    controls->addWidget(m_validation);
    controls->addWidget(m_logScale);
    controls->addStretch(1);
    auto* curvesPane = new QWidget(this);
    auto* curvesLayout = new QVBoxLayout(curvesPane);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    curvesLayout->addLayout(controls);
    curvesLayout->addWidget(m_curves, 1);
    m_curves->setMinimumSize(360, 260);
    m_bestChart->setMinimumSize(280, 260);

    auto* charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(curvesPane);
    charts->addWidget(m_bestChart);
    charts->addWidget(m_rungs);
    charts->addWidget(m_pareto);
    m_pareto->setObjectName(QStringLiteral("paretoPanel"));
    m_pareto->setMinimumSize(300, 260);
    m_pareto->setVisible(false); // several objectives only
    m_rungs->setObjectName(QStringLiteral("rungsChart"));
    m_rungs->setMinimumSize(280, 260);
    m_rungs->setVisible(false); // until a trial reaches a rung (asha, bohb)
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    charts->setStretchFactor(2, 2);
    charts->setStretchFactor(3, 3);
    return charts;
}

/// The trials table under its filters (any column's text, one status).
QWidget* ExperimentView::createTablePane()
{
    m_filterText->setPlaceholderText(tr("Filter trials (any column)"));
    m_filterText->setClearButtonEnabled(true);
    m_filterText->setObjectName(QStringLiteral("trialFilter"));
    m_statusFilter->addItem(tr("All statuses"), QString());
    for (const TrialState state :
         {TrialState::Running, TrialState::Paused, TrialState::Finished, TrialState::Failed, TrialState::Stopped})
        m_statusFilter->addItem(qs(state), qs(state));
    auto* filters = new QHBoxLayout;
    filters->addWidget(m_filterText, 1);
    filters->addWidget(m_statusFilter);
    m_filter->setSourceModel(m_model);
    m_table->setModel(m_filter);
    m_table->setObjectName(QStringLiteral("trialsTable"));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    auto* tablePane = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addLayout(filters);
    tableLayout->addWidget(m_table, 1);
    return tablePane;
}

void ExperimentView::reload()
{
    m_loading = true;
    m_following.drop(); // a look from the last load's follower: the new load reads everything
    m_followAgain = false;
    updateHeader();
    // A reload overtaken by another (a resumed run asks for one) delivers only the latest snapshot.
    m_loader.run([path = m_projectPath, name = m_name] { return readSnapshot(path, name); },
                 [this](const Snapshot& snapshot) { applySnapshot(snapshot); });
}

void ExperimentView::applySnapshot(const Snapshot& snapshot)
{
    m_loading = false;
    m_follower = snapshot.follower;
    if (snapshot.record) {
        // An experiment that does not exist yet (a run just starting) keeps what its run said.
        m_record = snapshot.record;
        m_owner = snapshot.owner;
        m_maxTrials = snapshot.maxTrials;
        m_model->setObjective(snapshot.metric, snapshot.maximize);
        m_bestChart->setObjective(snapshot.metric, snapshot.maximize);
        m_rungs->setObjective(snapshot.metric, snapshot.maximize);
        m_rungs->setResource(snapshot.resource);
        m_curves->setStepName(snapshot.resource); // asha, bohb: a step is one unit of the budget
        if (snapshot.spec)
            showObjectives(*snapshot.spec);
    }
    for (const QString& warning : snapshot.warnings)
        addWarning(warning);
    m_model->setTrials(snapshot.everything.trials);
    m_curves->clear();
    m_rungs->clear();
    addPoints(snapshot.everything.points);
    m_curves->setBestTrial(m_model->bestTrial());
    for (jobs::TuningUpdate& update : std::exchange(m_waiting, {}))
        applyUpdate(update);
    refreshCharts();
    m_table->resizeColumnsToContents();
    updateHeader();
    Q_EMIT loaded();
    if (std::exchange(m_followAgain, false))
        follow();
}

void ExperimentView::follow()
{
    if (m_run)
        return;
    if (m_loading || m_following.isBusy()) {
        m_followAgain = true; // once the look in flight is in
        return;
    }
    if (!m_follower) { // a run of this window ended here: read it whole, and follow from there
        reload();
        return;
    }
    m_following.run(
        [follower = m_follower]() -> std::optional<jobs::FollowedRun> {
            try {
                return follower->poll();
            } catch (const std::exception&) {
                return std::nullopt; // a project that cannot be read now: the next change tries again
            }
        },
        [this](const std::optional<jobs::FollowedRun>& followed) {
            if (followed)
                applyFollowed(*followed);
            if (std::exchange(m_followAgain, false))
                follow();
        });
}

void ExperimentView::applyFollowed(const jobs::FollowedRun& followed)
{
    if (m_run) // a run of this process took over meanwhile: it reports itself
        return;
    if (followed.record) {
        const bool stateChanged = !m_record || m_record->status != followed.record->status;
        m_record = followed.record;
        if (stateChanged && m_record->status != ExperimentState::Running)
            m_askedToStop = false;
    }
    m_owner = followed.owner;
    if (!followed.update.empty())
        applyUpdate(followed.update);
    else
        updateHeader();
}

void ExperimentView::stopRun()
{
    if (m_run)
        m_run->stop();
    else if (isFollowing())
        askOwner(jobs::RunRequestKind::Stop);
    updateHeader();
}

void ExperimentView::cancelRun()
{
    if (m_run)
        m_run->cancel();
    else if (isFollowing())
        askOwner(jobs::RunRequestKind::Cancel);
    updateHeader();
}

void ExperimentView::askOwner(jobs::RunRequestKind kind, std::optional<int> trial)
{
    if (!m_record)
        return;
    if (kind == jobs::RunRequestKind::Stop || kind == jobs::RunRequestKind::Cancel)
        m_askedToStop = true;
    askRunOwner(m_projectPath, m_record->id, kind, trial);
}

void askRunOwner(const QString& projectPath, std::int64_t experimentId, jobs::RunRequestKind kind,
                 std::optional<int> trial)
{
    (void)QtConcurrent::run(workPool(), [path = projectPath.toStdString(), experimentId, kind, trial] {
        try {
            const auto project = store::ProjectStore::open(path);
            jobs::askOwner(*project, experimentId, kind, trial);
        } catch (const std::exception&) {
            // The owner then runs on; Stop and Cancel stay to try again.
        }
    });
}

void ExperimentView::attach(ExperimentRun* run)
{
    m_run = run;
    // The run reports itself; what the project says is read again once it ends and the project changes.
    m_following.drop();
    m_follower.reset();
    m_owner.reset();
    m_askedToStop = false;
    m_model->setObjective(QString::fromStdString(run->spec().metric), run->spec().maximize);
    m_bestChart->setObjective(QString::fromStdString(run->spec().metric), run->spec().maximize);
    m_rungs->setObjective(QString::fromStdString(run->spec().metric), run->spec().maximize);
    const QString resource
        = tuning::isMultiFidelity(run->spec().strategy.kind) ? QString::fromStdString(run->spec().resource) : QString();
    m_rungs->setResource(resource);
    m_curves->setStepName(resource);
    showObjectives(run->spec());
    m_maxTrials = run->spec().completion.maxTrials.value_or(0);
    connect(run, &ExperimentRun::updated, this, [this](const jobs::TuningUpdate& update) {
        if (m_loading)
            m_waiting.push_back(update);
        else
            applyUpdate(update);
    });
    connect(run, &ExperimentRun::started, this, [this] {
        // A resumed run cleared the interrupted trials' points: read the project again.
        if (m_run && m_run->isResume())
            reload();
    });
    connect(run, &ExperimentRun::progressChanged, this, &ExperimentView::applyProgress);
    connect(run, &ExperimentRun::finished, this, &ExperimentView::runFinished);
    updateHeader();
}

void ExperimentView::addPoints(const std::vector<std::pair<int, store::MetricPoint>>& points)
{
    // Thousands of points a second: their names are converted once per run of one name, not once per point.
    const std::string* lastName = nullptr;
    QString name;
    for (const auto& [number, point] : points) {
        if (!lastName || point.name != *lastName) {
            lastName = &point.name;
            name = QString::fromStdString(point.name);
        }
        m_curves->addPoint(number, name, static_cast<double>(point.step), point.value);
        if (name.startsWith(QLatin1String("budget/"))) // asha, bohb: the objective at a rung's budget
            m_rungs->addPoint(number, static_cast<double>(point.step), point.value);
    }
}

void ExperimentView::applyUpdate(const jobs::TuningUpdate& update)
{
    for (int number : update.restarted) {
        m_curves->clearTrial(number);
        m_rungs->clearTrial(number);
    }
    for (const jobs::Trial& trial : update.trials)
        m_model->apply(trial);
    addPoints(update.points);
    if (!update.trials.empty()) {
        refreshBest();
        m_table->resizeColumnToContents(0);
    }
    // A view in a background tab keeps its data and redraws when it is shown.
    if (isVisible()) {
        m_fold->setMaximum(std::max(1, m_curves->foldCount()));
        m_curves->refresh();
    }
    updateHeader();
}

void ExperimentView::addWarning(const QString& warning)
{
    if (warning.isEmpty() || m_warningTexts.contains(warning))
        return;
    m_warningTexts.append(warning);
    m_warnings->setText(tr("Warning: %1.").arg(m_warningTexts.join(tr("; "))));
    m_warnings->show();
}

void ExperimentView::applyProgress(const jobs::TuningProgress& progress)
{
    for (const std::string& warning : progress.warnings)
        addWarning(QString::fromStdString(warning));
    if (progress.maxTrials)
        m_maxTrials = *progress.maxTrials;
    updateHeader();
}

void ExperimentView::runFinished(const jobs::TuningSummary& summary, const QString& error)
{
    m_run = nullptr;
    m_owner.reset();
    if (!error.isEmpty()) {
        updateHeader();
        m_status->setText(tr("Could not run: %1").arg(error));
        return;
    }
    if (!m_record) {
        m_record = store::ExperimentRecord{};
        m_record->name = m_name.toStdString();
    }
    const bool interrupted = summary.stoppedBecause == "cancelled" || summary.stoppedBecause == "stopped_by_user";
    m_record->status = interrupted ? ExperimentState::Stopped : ExperimentState::Finished;
    m_record->stoppedBecause = summary.stoppedBecause;
    m_table->resizeColumnsToContents();
    updateHeader();
}

void ExperimentView::refreshCharts()
{
    m_fold->setMaximum(std::max(1, m_curves->foldCount()));
    m_curves->refresh();
    refreshBest();
}

void ExperimentView::refreshBest()
{
    std::vector<std::pair<int, double>> values;
    std::map<int, TrialState> states;
    for (const jobs::Trial& trial : m_model->trials()) {
        // A paused trial's result at its rung is a real model's score (asha, bohb).
        if (hasResult(trial.state) && trial.objective)
            values.emplace_back(trial.number, *trial.objective);
        states[trial.number] = trial.state;
    }
    m_bestChart->setValues(std::move(values));
    if (!m_rungs->isEmpty()) {
        m_rungs->setVisible(true);
        m_rungs->setStates(std::move(states));
        m_rungs->refresh();
    }
    if (m_pareto->isVisibleTo(this))
        m_pareto->chart()->setTrials(m_model->trials());
}

void ExperimentView::showObjectives(const tuning::ExperimentSpec& spec)
{
    // One objective has its best so far; several have a front instead.
    m_model->setMeasures(spec);
    m_pareto->setVisible(spec.isMultiObjective());
    m_bestChart->setVisible(!spec.isMultiObjective());
    if (spec.isMultiObjective())
        m_pareto->setSpec(spec);
}

void ExperimentView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refreshCharts();
}

bool ExperimentView::isInterrupted() const
{
    return !m_run && !m_owner && m_record && m_record->status == ExperimentState::Running;
}

void ExperimentView::updateHeader()
{
    int done = 0;
    int running = 0;
    int failed = 0;
    for (const jobs::Trial& trial : m_model->trials()) {
        done += hasEnded(trial.state) ? 1 : 0;
        running += trial.state == TrialState::Running ? 1 : 0;
        failed += trial.state == TrialState::Failed ? 1 : 0;
    }
    const bool followed = isFollowing() && m_record && m_record->status == ExperimentState::Running;
    const bool live = (m_run && m_run->isRunning()) || followed;
    const bool stopping = m_run ? m_run->isStopping() : m_askedToStop;
    // While running: out of the trial budget; once ended: the trials there are.
    const int total = live ? std::max({m_maxTrials, static_cast<int>(m_model->trials().size()), 1})
                           : std::max(static_cast<int>(m_model->trials().size()), 1);
    m_progress->setRange(0, total);
    m_progress->setValue(live ? done : total);
    m_progress->setFormat(live ? tr("%v of %m trials") : tr("%m trials"));
    m_stop->setVisible(live);
    m_cancel->setVisible(live);
    m_stop->setEnabled(live && !stopping);
    m_cancel->setEnabled(live && !(followed && m_askedToStop && !m_run));
    m_resume->setVisible(isInterrupted() || (!live && m_record && m_record->status == ExperimentState::Stopped));
    QString text;
    if (m_loading)
        text = tr("Loading...");
    else if (followed)
        text = (stopping ? tr("Asked to stop: %1 trials running in %2") : tr("Running in %2: %1 trials in flight"))
                   .arg(running)
                   .arg(QString::fromStdString(jobs::describe(*m_owner)));
    else if (live)
        text = stopping ? tr("Stopping: %1 trials running").arg(running)
                        : tr("Running: %1 trials in flight").arg(running);
    else if (isInterrupted())
        text = tr("Interrupted: resume to run the unfinished trials again");
    else if (m_record)
        text = m_record->stoppedBecause.empty() ? QString::fromLatin1(stateName(m_record->status))
                                                : tr("%1 (%2)").arg(QString::fromLatin1(stateName(m_record->status)),
                                                                    QString::fromStdString(m_record->stoppedBecause));
    if (const std::optional<int> best = m_model->bestTrial()) {
        const jobs::Trial* trial = m_model->trial(*best);
        text += tr("  ·  best: trial %1, %2 = %3")
                    .arg(*best)
                    .arg(m_model->objectiveName())
                    .arg(trial && trial->objective ? QString::number(*trial->objective, 'f', 4) : QString());
    }
    if (failed > 0)
        text += tr("  ·  %n failed", nullptr, failed);
    m_status->setText(text);
}

void ExperimentView::selectTrial(int number)
{
    const int row = m_model->rowOfTrial(number);
    if (row < 0)
        return;
    const QModelIndex index = m_filter->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return;
    m_table->selectRow(index.row());
    m_table->scrollTo(index);
}

std::optional<int> ExperimentView::selectedTrial() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return rows.constFirst().data(TrialsModel::TrialNumberRole).toInt();
}

QList<int> ExperimentView::selectedTrials() const
{
    QList<int> numbers;
    for (const QModelIndex& row : m_table->selectionModel()->selectedRows())
        numbers << row.data(TrialsModel::TrialNumberRole).toInt();
    return numbers;
}

void ExperimentView::showTableMenu(const QPoint& position)
{
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid()) {
        QMenu menu(this);
        addTableExportActions(&menu, m_table);
        menu.exec(m_table->viewport()->mapToGlobal(position));
        return;
    }
    const int number = index.data(TrialsModel::TrialNumberRole).toInt();
    const jobs::Trial* trial = m_model->trial(number);
    QMenu menu(this);
    menu.addAction(tr("Open trial %1").arg(number), this, [this, number] { Q_EMIT trialActivated(number); });
    const bool live = (m_run && m_run->isRunning() && !m_run->isStopping()) || (isFollowing() && !m_askedToStop);
    QAction* stop = menu.addAction(tr("Stop trial"), this, [this, number] {
        if (m_run)
            m_run->stopTrial(number);
        else if (isFollowing())
            askOwner(jobs::RunRequestKind::StopTrial, number);
    });
    stop->setEnabled(live && trial && trial->state == TrialState::Running);
    QAction* restart = menu.addAction(tr("Restart trial"), this, [this, number] {
        if (m_run)
            m_run->restartTrial(number);
        else if (isFollowing())
            askOwner(jobs::RunRequestKind::RestartTrial, number);
    });
    restart->setEnabled(live && trial && trial->state != TrialState::Finished);
    const QList<int> selected = selectedTrials();
    QAction* compare
        = menu.addAction(tr("Compare Selected Trials"), this, [this, selected] { Q_EMIT compareRequested(selected); });
    compare->setEnabled(selected.size() >= 2);
    menu.addSeparator();
    addTableExportActions(&menu, m_table);
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

void ExperimentView::showColumnMenu(const QPoint& position)
{
    QMenu menu(this);
    QHeaderView* header = m_table->horizontalHeader();
    for (int column = 0; column < m_model->columnCount(); ++column) {
        QAction* action = menu.addAction(m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        connect(action, &QAction::toggled, header,
                [header, column](bool on) { header->setSectionHidden(column, !on); });
    }
    menu.exec(header->mapToGlobal(position));
}

} // namespace tunebench::ui
