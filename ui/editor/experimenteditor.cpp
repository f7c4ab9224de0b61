#include "editor/experimenteditor.h"

#include <algorithm>
#include <chrono>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include "algorithms/registry.h"
#include "common/text.h"
#include "data/column.h"
#include "data/dataset.h"
#include "editor/algorithmpage.h"
#include "editor/commandeditor.h"
#include "editor/measureseditor.h"
#include "jobs/compatibility.h"
#include "jobs/runsetup.h"
#include "store/datasetregistry.h"

namespace tunebench::ui {

namespace {

/// Hyperband, ASHA and BOHB run trials to budgets of a resource (the Hyperband row).
bool usesBudget(const QString& strategy)
{
    return strategy == QLatin1String("hyperband") || strategy == QLatin1String("asha")
        || strategy == QLatin1String("bohb");
}

/// ASHA and BOHB pause trials at rungs (and take a number of brackets).
bool pausesTrials(const QString& strategy)
{
    return strategy == QLatin1String("asha") || strategy == QLatin1String("bohb");
}

constexpr int kUndoQuietMs = 400; // typing settles into one undo step

/// One form state to another: undo and redo set the whole spec.
class SpecEdit : public QUndoCommand
{
public:
    SpecEdit(QJsonObject before, QJsonObject after, std::function<void(const QJsonObject&)> apply)
        : m_before(std::move(before))
        , m_after(std::move(after))
        , m_apply(std::move(apply))
    {
        setText(QObject::tr("edit experiment"));
    }
    void undo() override { m_apply(m_before); }
    void redo() override
    {
        if (!m_first)
            m_apply(m_after);
        m_first = false;
    }

private:
    QJsonObject m_before;
    QJsonObject m_after;
    std::function<void(const QJsonObject&)> m_apply;
    bool m_first = true; ///< the form already shows `after` when the edit is pushed
};

} // namespace

ExperimentEditor::ExperimentEditor(QWidget* parent)
    : QWidget(parent)
    , m_name(new QLineEdit(this))
    , m_dataset(new QComboBox(this))
    , m_target(new QComboBox(this))
    , m_task(new QLabel(this))
    , m_validation(new QComboBox(this))
    , m_folds(new QSpinBox(this))
    , m_repeats(new QSpinBox(this))
    , m_holdout(new QDoubleSpinBox(this))
    , m_stratified(new QCheckBox(tr("Stratified"), this))
    , m_validationSeed(new QSpinBox(this))
    , m_impute(new QComboBox(this))
    , m_indicators(new QCheckBox(tr("Indicator columns"), this))
    , m_standardize(new QCheckBox(tr("Standardise"), this))
    , m_categorical(new QComboBox(this))
    , m_algorithms(new QTabWidget(this))
    , m_metric(new QComboBox(this))
    , m_goal(new QComboBox(this))
    , m_measures(new MeasuresEditor(this))
    , m_strategy(new QComboBox(this))
    , m_maxTrials(new QSpinBox(this))
    , m_maxParallel(new QSpinBox(this))
    , m_threads(new QSpinBox(this))
    , m_gpus(new QLineEdit(this))
    , m_trialGpus(new QSpinBox(this))
    , m_gridResolution(new QSpinBox(this))
    , m_maxSeconds(new QSpinBox(this))
    , m_trialTimeout(new QSpinBox(this))
    , m_useTarget(new QCheckBox(tr("Stop at"), this))
    , m_targetValue(new QLineEdit(this))
    , m_notImproving(new QSpinBox(this))
    , m_convergence(new QCheckBox(tr("Stop once converged"), this))
    , m_earlyStopping(new QComboBox(this))
    , m_seed(new QSpinBox(this))
    , m_hyperbandRow(new QWidget(this))
    , m_resource(new QComboBox(this))
    , m_minResource(new QDoubleSpinBox(this))
    , m_maxResource(new QDoubleSpinBox(this))
    , m_eta(new QSpinBox(this))
    , m_brackets(new QSpinBox(this))
    , m_warmStart(new QToolButton(this))
    , m_warmStartType(new QComboBox(this))
    , m_executor(new QComboBox(this))
    , m_slurmFolder(new QLineEdit(this))
    , m_slurmPartition(new QLineEdit(this))
    , m_slurmMinutes(new QSpinBox(this))
    , m_slurmCpus(new QSpinBox(this))
    , m_slurmMemory(new QSpinBox(this))
    , m_slurmRow(new QWidget(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_problemLabel(new QLabel(this))
    , m_importNotes(new QLabel(this))
    , m_undo(new QUndoStack(this))
    , m_undoTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("experimentEditor"));
    m_name->setObjectName(QStringLiteral("experimentName"));
    m_name->setPlaceholderText(tr("A name for the experiment"));
    m_dataset->setObjectName(QStringLiteral("datasetChooser"));
    m_target->setObjectName(QStringLiteral("targetChooser"));
    m_metric->setObjectName(QStringLiteral("metricChooser"));
    m_run->setObjectName(QStringLiteral("runButton"));
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));

    // Layout: three groups over a scrollable page, the Run row at the bottom.
    QGroupBox* data = createDataGroup();
    QGroupBox* model = createModelGroup();
    QGroupBox* search = createSearchGroup();

    auto* page = new QWidget;
    auto* pageLayout = new QGridLayout(page);
    // Data and search side by side; the algorithms below across the whole width (their tables have eight
    // columns, a script's page its command, metrics and tester).
    pageLayout->addWidget(data, 0, 0);
    pageLayout->addWidget(search, 0, 1);
    pageLayout->addWidget(model, 1, 0, 1, 2);
    pageLayout->setColumnStretch(0, 2);
    pageLayout->setColumnStretch(1, 3);
    pageLayout->setRowStretch(1, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_run->setDefault(true);
    m_run->setMinimumWidth(120);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_problemLabel, 1);
    runRow->addWidget(m_run);
    m_importNotes->setObjectName(QStringLiteral("importNotes"));
    m_importNotes->setWordWrap(true);
    m_importNotes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_importNotes->setVisible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_importNotes);
    layout->addLayout(runRow);

    m_undoTimer->setSingleShot(true);
    m_undoTimer->setInterval(kUndoQuietMs);
    connect(m_undoTimer, &QTimer::timeout, this, &ExperimentEditor::commitUndoStep);

    connectEdits();

    m_holdout->setVisible(false);
    m_gridResolution->setEnabled(false); // the grid's, and Bayesian optimisation is the first strategy
    addAlgorithm(QStringLiteral("logistic"));
    setWarmStartChoices({});
    updateMetrics();
    m_committed = spec();
    validate();
}

ExperimentEditor::~ExperimentEditor()
{
    m_tryCancel.cancel(); // a dry run still going stops its script
}

/// Name, dataset, target, validation, preprocessing and objective.
QGroupBox* ExperimentEditor::createDataGroup()
{
    m_validation->addItem(tr("k-fold cross-validation"), QStringLiteral("kfold"));
    m_validation->addItem(tr("Hold-out split"), QStringLiteral("holdout"));
    m_folds->setRange(2, 100);
    m_folds->setValue(5);
    m_folds->setSuffix(tr(" folds"));
    m_holdout->setRange(0.05, 0.9);
    m_holdout->setSingleStep(0.05);
    m_holdout->setValue(0.25);
    m_holdout->setToolTip(tr("Fraction of the rows held out for validation"));
    m_repeats->setRange(1, 100);
    m_repeats->setPrefix(tr("repeats "));
    m_repeats->setToolTip(tr("Repeated k-fold: the folds drawn this many times, each with another shuffle"));
    m_validationSeed->setRange(-1, 1 << 30);
    m_validationSeed->setValue(-1);
    m_validationSeed->setSpecialValueText(tr("search's seed"));
    m_validationSeed->setPrefix(tr("split seed "));
    m_validationSeed->setToolTip(tr("The seed of the folds' shuffle; by default the experiment's seed"));
    m_stratified->setChecked(true);
    m_stratified->setToolTip(tr("Each fold keeps the class proportions (classification)"));
    m_impute->addItem(tr("Missing numbers: mean"), QStringLiteral("mean"));
    m_impute->addItem(tr("Missing numbers: median"), QStringLiteral("median"));
    m_impute->setToolTip(tr("What a missing number becomes, computed on each training fold; a missing category "
                            "becomes the most frequent one"));
    m_indicators->setToolTip(tr("A 0/1 feature per column with missing values, for data where a blank means "
                                "something"));
    m_standardize->setChecked(true);
    m_standardize->setToolTip(tr("Centre and scale numeric features for the algorithms that need it (never "
                                 "trees, forests or xgboost)"));
    m_categorical->addItem(tr("Categories: one-hot"), QStringLiteral("onehot"));
    m_categorical->addItem(tr("Categories: codes"), QStringLiteral("codes"));
    m_categorical->setToolTip(tr("One-hot: a 0/1 feature per level of a categorical column. Codes (tree, forest, "
                                 "xgboost): one feature per column, its levels numbered in the order of the "
                                 "target's mean per level; a column of thousands of levels then costs one "
                                 "feature, not thousands"));

    auto* data = new QGroupBox(tr("Data and objective"), this);
    auto* dataForm = new QFormLayout(data);
    dataForm->addRow(tr("Name"), m_name);
    dataForm->addRow(tr("Dataset"), m_dataset);
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(m_task);
    dataForm->addRow(tr("Target"), targetRow);
    auto* validationRow = new QHBoxLayout;
    validationRow->addWidget(m_validation);
    validationRow->addWidget(m_folds);
    validationRow->addWidget(m_repeats);
    validationRow->addWidget(m_holdout);
    validationRow->addStretch(1);
    dataForm->addRow(tr("Validation"), validationRow);
    auto* splitRow = new QHBoxLayout;
    splitRow->addWidget(m_stratified);
    splitRow->addWidget(m_validationSeed);
    splitRow->addStretch(1);
    dataForm->addRow(QString(), splitRow);
    // Two lines, the choices above the switches: one line would widen the form past the search panel.
    auto* preprocessingChoices = new QHBoxLayout;
    preprocessingChoices->addWidget(m_impute);
    preprocessingChoices->addWidget(m_categorical);
    preprocessingChoices->addStretch(1);
    auto* preprocessingSwitches = new QHBoxLayout;
    preprocessingSwitches->addWidget(m_indicators);
    preprocessingSwitches->addWidget(m_standardize);
    preprocessingSwitches->addStretch(1);
    auto* preprocessingRow = new QVBoxLayout;
    preprocessingRow->addLayout(preprocessingChoices);
    preprocessingRow->addLayout(preprocessingSwitches);
    dataForm->addRow(tr("Preprocessing"), preprocessingRow);
    auto* objectiveRow = new QHBoxLayout;
    objectiveRow->addWidget(m_metric, 1);
    objectiveRow->addWidget(m_goal);
    dataForm->addRow(tr("Objective"), objectiveRow);
    dataForm->addRow(QString(), m_measures);
    return data;
}

/// The algorithm and its hyperparameters' table.

/// The algorithms, a tab each, and the objective's goal.
QGroupBox* ExperimentEditor::createModelGroup()
{
    m_goal->addItem(tr("maximize"), QStringLiteral("maximize"));
    m_goal->addItem(tr("minimize"), QStringLiteral("minimize"));
    m_algorithms->setObjectName(QStringLiteral("algorithmTabs"));
    m_algorithms->setDocumentMode(true);
    auto* add = new QToolButton(m_algorithms);
    add->setObjectName(QStringLiteral("addAlgorithm"));
    add->setText(tr("Add Algorithm"));
    add->setToolTip(tr("Search several algorithms in one experiment: the algorithm becomes a choice every "
                       "strategy searches, each with its own fixed values and ranges"));
    add->setAutoRaise(true);
    connect(add, &QToolButton::clicked, this, [this] {
        // The first built-in algorithm the experiment does not have yet.
        QStringList used;
        for (int i = 0; i < algorithmCount(); ++i)
            used << algorithmPage(i)->algorithmId();
        for (const auto& algorithm : algorithms::allAlgorithms()) {
            if (!used.contains(qs(algorithm->id()))) {
                addAlgorithm(qs(algorithm->id()));
                break;
            }
        }
        algorithmsChanged();
        edited();
    });
    m_algorithms->setCornerWidget(add, Qt::TopRightCorner);
    connect(m_algorithms, &QTabWidget::tabCloseRequested, this, [this](int index) {
        removeAlgorithm(index);
        edited();
    });

    auto* model = new QGroupBox(tr("Algorithms and hyperparameters"), this);
    auto* modelLayout = new QVBoxLayout(model);
    modelLayout->addWidget(m_algorithms, 1);
    return model;
}

/// Strategy, limits, completion, early stopping, seed, warm start, and where the trials run.
QGroupBox* ExperimentEditor::createSearchGroup()
{
    for (const auto& [id, label] : std::initializer_list<std::pair<const char*, QString>>{
             {"bayesian", tr("Bayesian optimisation (Gaussian process)")},
             {"tpe", tr("TPE (tree-structured Parzen estimators)")},
             {"random", tr("Random search")},
             {"sobol", tr("Quasi-random (Sobol)")},
             {"grid", tr("Grid search")},
             {"nsga2", tr("NSGA-II (evolutionary, several objectives)")},
             {"hyperband", tr("Hyperband")},
             {"asha", tr("ASHA (pause and promote)")},
             {"bohb", tr("BOHB (ASHA with TPE)")}})
        m_strategy->addItem(label, QString::fromLatin1(id));
    m_strategy->setObjectName(QStringLiteral("strategyChooser"));
    // Narrower than its longest name when ASHA's brackets sit beside it (the name shows whole in the list).
    m_strategy->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_strategy->setMinimumContentsLength(24);
    m_maxTrials->setRange(0, 100000);
    m_maxTrials->setValue(20);
    m_maxTrials->setSpecialValueText(tr("grid: all"));
    m_maxTrials->setToolTip(tr(
        "Trials to start at most (failed ones count); \"grid: all\" runs a grid to its end (20 for other strategies)"));
    m_maxParallel->setRange(1, 256);
    m_maxParallel->setValue(2);
    m_maxParallel->setToolTip(tr("At most this many trials at once; never more than the machine's cores"));
    m_threads->setRange(1, 256);
    m_threads->setToolTip(tr("Threads each trial's fit may use (forest, xgboost, kNN, MLP)"));
    m_gpus->setObjectName(QStringLiteral("machineGpus"));
    m_gpus->setPlaceholderText(tr("none"));
    m_gpus->setToolTip(tr("The machine's GPUs by index (0, 1, 2, 3): each trial is given its own, through {gpu} and "
                          "CUDA_VISIBLE_DEVICES, and no more trials run than they allow"));
    m_gpus->setMinimumWidth(m_gpus->fontMetrics().horizontalAdvance(QStringLiteral("0,1,2,3")));
    m_trialGpus->setRange(0, 64);
    m_trialGpus->setSpecialValueText(tr("none"));
    m_trialGpus->setToolTip(tr("GPUs each trial needs (on Slurm: --gres=gpu:N)"));
    m_gridResolution->setRange(1, 1000);
    m_gridResolution->setValue(5);
    m_gridResolution->setSuffix(tr(" points"));
    m_gridResolution->setToolTip(tr("Grid search: points of each continuous range, bounds included"));
    m_maxSeconds->setRange(0, 7 * 24 * 3600);
    m_maxSeconds->setSpecialValueText(tr("no limit"));
    m_maxSeconds->setSuffix(tr(" s"));
    m_trialTimeout->setRange(0, 7 * 24 * 3600);
    m_trialTimeout->setSpecialValueText(tr("no limit"));
    m_trialTimeout->setSuffix(tr(" s"));
    m_useTarget->setToolTip(tr("Stop once the best objective reaches this value"));
    m_convergence->setToolTip(tr("Stop when the best has improved by less than 0.1 % of the range of objectives "
                                 "seen over the last max(10, 2 x dimensions) trials"));
    m_targetValue->setEnabled(false);
    m_targetValue->setPlaceholderText(tr("e.g. 0.99"));
    m_notImproving->setRange(0, 10000);
    m_notImproving->setSpecialValueText(tr("off"));
    m_notImproving->setSuffix(tr(" trials"));
    m_notImproving->setToolTip(tr("Stop when this many finished trials in a row brought no new best"));
    m_earlyStopping->addItem(tr("Off"), QStringLiteral("off"));
    m_earlyStopping->addItem(tr("Median rule (stop trials worse than the median)"), QStringLiteral("auto"));
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    m_warmStart->setObjectName(QStringLiteral("warmStart"));
    m_warmStart->setPopupMode(QToolButton::InstantPopup);
    m_warmStart->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_warmStart->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_warmStart->setMenu(new QMenu(m_warmStart));
    m_warmStart->menu()->setToolTipsVisible(true);
    connect(m_warmStart->menu(), &QMenu::aboutToShow, this, &ExperimentEditor::checkWarmStartChoices);
    m_warmStartType->addItem(tr("same data"), QStringLiteral("identical_data_and_algorithm"));
    m_warmStartType->addItem(tr("transfer"), QStringLiteral("transfer_learning"));
    m_warmStartType->setToolTip(tr("Same data and algorithm: an earlier experiment on other data, target, validation "
                                   "or objective is refused, naming each difference. Transfer learning takes its "
                                   "trials anyway and records what differs."));

    // The strategy across the top; limits on the left, when to stop, seeds and where on the right.
    auto* search = new QGroupBox(tr("Search"), this);
    auto* layout = new QVBoxLayout(search);
    auto* strategyForm = new QFormLayout;
    // ASHA's and BOHB's brackets beside the strategy: the budget's row below is full.
    auto* strategyRow = new QHBoxLayout;
    strategyRow->addWidget(m_strategy, 1);
    strategyRow->addWidget(m_brackets);
    strategyForm->addRow(tr("Strategy"), strategyRow);
    strategyForm->addRow(QString(), createHyperbandRow());
    layout->addLayout(strategyForm);
    auto* columns = new QHBoxLayout;
    auto* limits = new QFormLayout;
    limits->addRow(tr("Max trials"), m_maxTrials);
    limits->addRow(tr("Max parallel"), m_maxParallel);
    limits->addRow(tr("Threads per trial"), m_threads);
    auto* gpuRow = new QHBoxLayout;
    gpuRow->addWidget(m_gpus, 1);
    gpuRow->addWidget(m_trialGpus);
    limits->addRow(tr("GPUs / each"), gpuRow);
    limits->addRow(tr("Grid"), m_gridResolution);
    limits->addRow(tr("Max run time"), m_maxSeconds);
    limits->addRow(tr("Trial time limit"), m_trialTimeout);
    limits->addRow(tr("Seed"), m_seed);
    auto* stopping = new QFormLayout;
    auto* targetValueRow = new QHBoxLayout;
    targetValueRow->addWidget(m_useTarget);
    targetValueRow->addWidget(m_targetValue, 1);
    stopping->addRow(tr("Completion"), targetValueRow);
    stopping->addRow(tr("Not improving"), m_notImproving);
    stopping->addRow(QString(), m_convergence);
    stopping->addRow(tr("Early stopping"), m_earlyStopping);
    auto* warmRow = new QHBoxLayout;
    warmRow->addWidget(m_warmStart, 1);
    warmRow->addWidget(m_warmStartType);
    stopping->addRow(tr("Warm start"), warmRow);
    stopping->addRow(tr("Run on"), m_executor);
    stopping->addRow(QString(), createExecutorRow());
    // Long choices ("Median rule (stop trials worse than the median)") are cut rather than widening the page.
    for (QComboBox* combo : {m_strategy, m_earlyStopping, m_executor, m_warmStartType, m_resource}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
    }
    columns->addLayout(limits, 1);
    columns->addLayout(stopping, 1);
    layout->addLayout(columns);
    layout->addStretch(1);
    return search;
}

/// Hyperband's resource (the hyperparameter it sets), its range and eta; shown for the Hyperband strategy.
QWidget* ExperimentEditor::createHyperbandRow()
{
    m_resource->setObjectName(QStringLiteral("hyperbandResource"));
    m_resource->setEditable(true);
    m_resource->lineEdit()->setPlaceholderText(tr("resource"));
    // As narrow as a name: with ASHA's brackets the row still fits beside the form's other columns.
    m_resource->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_resource->setMinimumContentsLength(6);
    m_resource->setToolTip(tr("The hyperparameter Hyperband sets per rung: epochs, boosting rounds, trees, "
                              "iterations, or a script's own"));
    m_minResource->setRange(0.001, 1e6); // a million epochs or rounds: the spin boxes stay narrow
    m_minResource->setDecimals(0); // epochs, rounds, trees, iterations
    m_minResource->setValue(1);
    m_minResource->setPrefix(tr("from "));
    m_maxResource->setRange(0.001, 1e6);
    m_maxResource->setDecimals(0);
    m_maxResource->setValue(81);
    m_maxResource->setPrefix(tr("to "));
    m_eta->setRange(2, 100);
    m_eta->setValue(3);
    m_eta->setPrefix(tr("eta "));
    m_eta->setToolTip(tr("Each rung keeps the best 1/eta of its trials"));
    m_brackets->setObjectName(QStringLiteral("hyperbandBrackets"));
    m_brackets->setRange(0, 20);
    m_brackets->setPrefix(tr("brackets "));
    m_brackets->setSpecialValueText(tr("all brackets"));
    m_brackets->setToolTip(tr("Hyperband's brackets that run, the most aggressive first: 1 starts every trial at the "
                              "smallest budget (ASHA); all also start some at larger budgets"));
    auto* layout = new QHBoxLayout(m_hyperbandRow);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_resource, 1);
    layout->addWidget(m_minResource);
    layout->addWidget(m_maxResource);
    layout->addWidget(m_eta);
    m_hyperbandRow->setVisible(false);
    m_brackets->setVisible(false);
    return m_hyperbandRow;
}

/// This machine, or a Slurm cluster through sbatch (docs/cluster.md) with its settings.
QWidget* ExperimentEditor::createExecutorRow()
{
    m_executor->setObjectName(QStringLiteral("executor"));
    m_executor->addItem(tr("This machine"), QStringLiteral("local"));
    m_executor->addItem(tr("Slurm cluster"), QStringLiteral("slurm"));
    m_slurmFolder->setObjectName(QStringLiteral("slurmFolder"));
    m_slurmFolder->setPlaceholderText(tr("work folder the nodes share"));
    m_slurmFolder->setToolTip(tr("Trials' files go here; the cluster's nodes must see it at the same path."));
    m_slurmPartition->setPlaceholderText(tr("partition (default)"));
    m_slurmMinutes->setRange(1, 60 * 24 * 30);
    m_slurmMinutes->setValue(60);
    m_slurmMinutes->setSuffix(tr(" min per trial"));
    m_slurmCpus->setRange(0, 1024);
    m_slurmCpus->setSpecialValueText(tr("CPUs: threads per trial"));
    m_slurmCpus->setSuffix(tr(" CPUs"));
    m_slurmMemory->setRange(0, 1 << 24);
    m_slurmMemory->setSpecialValueText(tr("memory: the cluster's default"));
    m_slurmMemory->setSuffix(tr(" MB"));
    auto* slurmLayout = new QVBoxLayout(m_slurmRow);
    slurmLayout->setContentsMargins(0, 0, 0, 0);
    slurmLayout->addWidget(m_slurmFolder);
    auto* slurmDetails = new QHBoxLayout;
    slurmDetails->addWidget(m_slurmPartition, 1);
    slurmDetails->addWidget(m_slurmMinutes);
    slurmLayout->addLayout(slurmDetails);
    auto* slurmResources = new QHBoxLayout;
    slurmResources->addWidget(m_slurmCpus);
    slurmResources->addWidget(m_slurmMemory);
    slurmLayout->addLayout(slurmResources);
    m_slurmRow->setVisible(false);
    return m_slurmRow;
}

void ExperimentEditor::connectEdits()
{
    auto changed = [this] { edited(); };
    connect(m_name, &QLineEdit::textChanged, this, changed);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_applying) {
            m_ignored.clear();
            m_types = {};
            m_read = {};
        }
        updateTargets();
        edited();
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        updateMetrics();
        edited();
    });
    connect(m_validation, &QComboBox::currentIndexChanged, this, [this] {
        const bool kfold = m_validation->currentData().toString() == QLatin1String("kfold");
        m_folds->setVisible(kfold);
        m_repeats->setVisible(kfold);
        m_holdout->setVisible(!kfold);
        edited();
    });
    connect(m_folds, &QSpinBox::valueChanged, this, changed);
    connect(m_repeats, &QSpinBox::valueChanged, this, changed);
    connect(m_validationSeed, &QSpinBox::valueChanged, this, changed);
    connect(m_holdout, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_stratified, &QCheckBox::toggled, this, changed);
    connect(m_impute, &QComboBox::currentIndexChanged, this, changed);
    connect(m_indicators, &QCheckBox::toggled, this, changed);
    connect(m_standardize, &QCheckBox::toggled, this, changed);
    connect(m_categorical, &QComboBox::currentIndexChanged, this, [this] {
        applyContextToParams();
        edited();
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] {
        // The metric's natural direction, unless a loaded spec said otherwise.
        const auto known = tuning::builtinMetrics().find(m_metric->currentData().toString().toStdString());
        if (!m_applying && known != tuning::builtinMetrics().end())
            m_goal->setCurrentIndex(known->second ? 0 : 1);
        edited();
    });
    connect(m_goal, &QComboBox::currentIndexChanged, this, changed);
    connect(m_measures, &MeasuresEditor::changed, this, changed);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, [this] {
        const QString strategy = m_strategy->currentData().toString();
        m_hyperbandRow->setVisible(usesBudget(strategy) || m_keepHyperband);
        m_brackets->setVisible(pausesTrials(strategy));
        if (!m_applying)
            m_brackets->setValue(strategy == QLatin1String("asha") ? 1 : 0);
        m_gridResolution->setEnabled(strategy == QLatin1String("grid"));
        edited();
    });
    for (QSpinBox* spin : {m_maxTrials, m_maxParallel, m_threads, m_gridResolution, m_maxSeconds, m_trialTimeout,
                           m_notImproving, m_seed, m_eta, m_brackets, m_slurmCpus, m_slurmMemory})
        connect(spin, &QSpinBox::valueChanged, this, changed);
    for (QDoubleSpinBox* spin : {m_minResource, m_maxResource})
        connect(spin, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_resource, &QComboBox::currentTextChanged, this, changed);
    connect(m_gpus, &QLineEdit::textChanged, this, changed);
    connect(m_trialGpus, &QSpinBox::valueChanged, this, changed);
    connect(m_warmStartType, &QComboBox::currentIndexChanged, this, changed);
    connect(m_useTarget, &QCheckBox::toggled, this, [this](bool on) {
        m_targetValue->setEnabled(on);
        edited();
    });
    connect(m_targetValue, &QLineEdit::textChanged, this, changed);
    connect(m_convergence, &QCheckBox::toggled, this, changed);
    connect(m_earlyStopping, &QComboBox::currentIndexChanged, this, changed);
    connect(m_executor, &QComboBox::currentIndexChanged, this, [this, changed] {
        m_slurmRow->setVisible(m_executor->currentData().toString() == QLatin1String("slurm"));
        changed();
    });
    connect(m_slurmFolder, &QLineEdit::textChanged, this, changed);
    connect(m_slurmPartition, &QLineEdit::textChanged, this, changed);
    connect(m_slurmMinutes, &QSpinBox::valueChanged, this, changed);
    connect(m_run, &QPushButton::clicked, this, [this] {
        commitUndoStep();
        if (m_parsed)
            Q_EMIT runRequested(*m_parsed);
    });
}

void ExperimentEditor::setProject(const std::vector<store::DatasetRecord>& datasets, const QStringList& experimentNames)
{
    m_applying = true;
    m_datasets = datasets;
    m_takenNames = experimentNames;
    setWarmStartChoices(warmStartNames());
    const QString current = m_dataset->currentData().toString();
    m_dataset->clear();
    for (const store::DatasetRecord& record : datasets) {
        m_dataset->addItem(tr("%1  (%2 × %3)").arg(qs(record.name)).arg(record.rows).arg(record.columns),
                           qs(record.path));
        // Where the file is, and how it is read when the project says more than sniffing would.
        QString tip = qs(record.path);
        try {
            if (const data::ReadSettings settings = store::readSettingsOf(record); !settings.isDefault())
                tip += QLatin1Char('\n') + tr("Read as: %1").arg(qs(data::describe(settings)));
        } catch (const std::exception&) { } // settings of a newer version: the file is read as sniffed
        m_dataset->setItemData(m_dataset->count() - 1, tip, Qt::ToolTipRole);
    }
    const int index = m_dataset->findData(current);
    m_dataset->setCurrentIndex(index >= 0 ? index : (m_dataset->count() > 0 ? 0 : -1));
    m_applying = false;
    if (m_name->text().isEmpty()) {
        // A free default name: experiment-1, experiment-2, ...
        for (int n = 1;; ++n) {
            const QString name = QStringLiteral("experiment-%1").arg(n);
            if (!m_takenNames.contains(name)) {
                m_name->setText(name);
                break;
            }
        }
    }
    updateTargets();
    m_committed = spec();
    m_undo->clear();
    validate();
}

void ExperimentEditor::setDataset(const QString& path, const QString& target, const QStringList& ignored,
                                  const QJsonObject& types)
{
    QJsonObject next = spec();
    QJsonObject dataset{{QStringLiteral("path"), path}};
    if (!target.isEmpty())
        dataset.insert(QStringLiteral("target"), target);
    if (!ignored.isEmpty())
        dataset.insert(QStringLiteral("ignore"), QJsonArray::fromStringList(ignored));
    if (!types.isEmpty())
        dataset.insert(QStringLiteral("types"), types);
    next.insert(QStringLiteral("dataset"), dataset);
    setSpec(next);
}

QJsonObject ExperimentEditor::readSettingsFor(const QString& path) const
{
    // The project's word on how its file reads is the latest; a spec's own stands for a file the project lacks.
    for (const store::DatasetRecord& record : m_datasets) {
        if (qs(record.path) == path)
            return QJsonDocument::fromJson(QByteArray::fromStdString(record.readSettingsJson)).object();
    }
    return m_read;
}

void ExperimentEditor::updateTargets()
{
    const QSignalBlocker blocker(m_target);
    const QString previous = m_target->currentText();
    m_target->clear();
    const QString path = m_dataset->currentData().toString();
    for (const store::DatasetRecord& record : m_datasets) {
        if (qs(record.path) != path)
            continue;
        const QJsonObject schema = QJsonDocument::fromJson(QByteArray::fromStdString(record.schemaJson)).object();
        for (const QJsonValue& column : schema.value(QLatin1String("columns")).toArray()) {
            const QJsonObject c = column.toObject();
            m_target->addItem(c.value(QLatin1String("name")).toString(), c);
        }
        const QString suggested = schema.value(QLatin1String("target")).toString();
        const int keep = m_target->findText(previous);
        m_target->setCurrentIndex(keep >= 0 && !previous.isEmpty() ? keep : m_target->findText(suggested));
    }
    updateMetrics();
}

std::optional<data::Task> ExperimentEditor::task() const
{
    const QJsonObject column = m_target->currentData().toJsonObject();
    if (column.isEmpty())
        return std::nullopt;
    const QString typeName = m_types.value(column.value(QLatin1String("name")).toString())
                                 .toString(column.value(QLatin1String("type")).toString());
    const auto type = data::columnTypeFromString(typeName.toStdString());
    if (!type)
        return std::nullopt;
    return data::detectTask(*type, static_cast<std::size_t>(column.value(QLatin1String("distinct")).toInteger()),
                            column.value(QLatin1String("possibly_categorical")).toBool());
}

void ExperimentEditor::updateMetrics()
{
    applyContextToParams();
    const std::optional<data::Task> detected = task();
    m_task->setText(detected ? tr("task: %1").arg(QString::fromLatin1(data::toString(*detected)))
                             : tr("task: unknown"));
    const QString previous = m_metric->currentData().toString();
    const QSignalBlocker blocker(m_metric);
    m_metric->clear();
    if (hasCommand()) { // a script's own metrics, whose direction only the user knows
        for (int i = 0; i < algorithmCount(); ++i) {
            for (const QString& name : algorithmPage(i)->commandEditor()->metricNames())
                m_metric->addItem(name, name);
        }
        m_metric->setCurrentIndex(std::max(0, m_metric->findData(previous)));
        QStringList names;
        for (int i = 0; i < m_metric->count(); ++i)
            names << m_metric->itemData(i).toString();
        m_measures->setMetrics(names);
        return;
    }
    const bool regression = detected && *detected == data::Task::Regression;
    static const QStringList regressionMetrics{QStringLiteral("rmse"), QStringLiteral("mae"), QStringLiteral("r2")};
    for (const auto& [name, maximize] : tuning::builtinMetrics()) {
        const QString metric = qs(name);
        if (detected && regressionMetrics.contains(metric) != regression)
            continue; // a task unknown (a file the project does not hold): every metric
        if (detected && *detected == data::Task::Multiclass && (metric == QLatin1String("pr_auc")))
            continue;
        m_metric->addItem(metric, metric);
    }
    int index = m_metric->findData(previous);
    if (index < 0)
        index = m_metric->findData(regression ? QStringLiteral("rmse") : QStringLiteral("accuracy"));
    m_metric->setCurrentIndex(std::max(index, 0));
    const auto known = tuning::builtinMetrics().find(m_metric->currentData().toString().toStdString());
    if (!m_applying && index != m_metric->findData(previous) && known != tuning::builtinMetrics().end())
        m_goal->setCurrentIndex(known->second ? 0 : 1);
    // More objectives and constraints may also name what a fit costs.
    QStringList names;
    for (int i = 0; i < m_metric->count(); ++i)
        names << m_metric->itemData(i).toString();
    for (const auto& [name, maximize] : tuning::builtinCosts())
        names << qs(name);
    m_measures->setMetrics(names);
}

void ExperimentEditor::applyContextToParams()
{
    const bool codes = m_categorical->isEnabled() && m_categorical->currentData().toString() == QLatin1String("codes");
    for (int i = 0; i < algorithmCount(); ++i)
        algorithmPage(i)->parameterTable()->applyContext(task(), codes);
}

int ExperimentEditor::algorithmCount() const
{
    return m_algorithms->count();
}

AlgorithmPage* ExperimentEditor::algorithmPage(int index) const
{
    return qobject_cast<AlgorithmPage*>(m_algorithms->widget(index));
}

AlgorithmPage* ExperimentEditor::addAlgorithm(const QString& id)
{
    auto* page = new AlgorithmPage(m_algorithms);
    {
        const QSignalBlocker blocker(page);
        page->algorithmChooser()->setCurrentIndex(std::max(0, page->algorithmChooser()->findData(id)));
    }
    connect(page, &AlgorithmPage::edited, this, &ExperimentEditor::edited);
    connect(page, &AlgorithmPage::algorithmChanged, this, &ExperimentEditor::algorithmsChanged);
    connect(page->commandEditor(), &CommandEditor::tryRequested, this, [this, page] { tryOneTrial(page); });
    connect(page->commandEditor(), &CommandEditor::tryStopRequested, this, [this] { m_tryCancel.cancel(); });
    connect(page->commandEditor(), &CommandEditor::metricsChanged, this, [this] {
        updateMetrics();
        edited();
    });
    connect(m_metric, &QComboBox::currentIndexChanged, page,
            [this, page] { page->commandEditor()->setObjective(m_metric->currentData().toString()); });
    m_algorithms->addTab(page, page->title());
    m_algorithms->setCurrentWidget(page);
    algorithmsChanged();
    return page;
}

void ExperimentEditor::removeAlgorithm(int index)
{
    if (algorithmCount() <= 1 || index < 0 || index >= algorithmCount())
        return;
    QWidget* page = m_algorithms->widget(index);
    m_algorithms->removeTab(index);
    page->deleteLater();
    algorithmsChanged();
}

void ExperimentEditor::algorithmsChanged()
{
    bool scales = false;
    bool codes = false;
    for (int i = 0; i < algorithmCount(); ++i) {
        AlgorithmPage* page = algorithmPage(i);
        m_algorithms->setTabText(i, page->title());
        if (const auto algorithm = algorithms::findAlgorithm(page->algorithmId().toStdString())) {
            scales = scales || algorithm->wantsScaling();
            codes = codes || algorithm->takesCategoryCodes();
        }
    }
    m_algorithms->setTabsClosable(algorithmCount() > 1);
    // Preprocessing is for built-in algorithms; scaling only where one of them wants it, codes where one takes them.
    const bool command = hasCommand();
    for (QWidget* widget : std::initializer_list<QWidget*>{m_impute, m_indicators})
        widget->setEnabled(!command);
    m_standardize->setEnabled(!command && scales);
    m_categorical->setEnabled(!command && codes);
    // Hyperband's resource: the first algorithm's integer parameters, or a script's.
    const QString resource = m_resource->currentText();
    const QSignalBlocker blocker(m_resource);
    m_resource->clear();
    if (AlgorithmPage* first = algorithmPage(0)) {
        for (const ParameterTable::Row& row : first->parameterTable()->rows()) {
            if (row.paramType == algorithms::ParamType::Integer || row.type)
                m_resource->addItem(row.currentName());
        }
    }
    m_resource->setCurrentText(resource);
    updateMetrics();
}

void ExperimentEditor::tryOneTrial(AlgorithmPage* page)
{
    CommandEditor* command = page->commandEditor();
    commitUndoStep();
    if (!m_parsed) {
        command->setTrying(false, tr("Cannot try it yet: %1").arg(m_problem));
        return;
    }
    m_tryCancel = util::CancelToken();
    command->setTrying(true);
    const QPointer<CommandEditor> shown(command);
    m_try.run(
        [spec = *m_parsed, cancel = m_tryCancel]() -> std::pair<QString, QString> {
            const auto start = std::chrono::steady_clock::now();
            try {
                const tuning::SearchSpace space = spec.searchSpace();
                const tuning::TrialConfig config = spec.configFor(space.decode(std::vector<double>(space.size(), 0.5)));
                const auto runner = jobs::makeTrialRunner(spec);
                const QTemporaryDir checkpoints; // a dry run's {checkpoint_dir}, gone with it
                algorithms::TrainingContext context(cancel, [](int, const std::string&, double) {});
                context.setCheckpointDirectory(checkpoints.path().toStdString());
                const jobs::TrialResult result = runner->run(config, 0, context);
                const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                return {QString::fromStdString(result.output),
                        tr("Finished in %1 s: %2 = %3 (its output is above)")
                            .arg(seconds, 0, 'f', 1)
                            .arg(qs(spec.metric))
                            .arg(result.objective)};
            } catch (const jobs::TrialFailed& failure) {
                return {QString::fromStdString(failure.output()), tr("Failed: %1").arg(qs(failure.what()))};
            } catch (const util::Cancelled&) {
                return {QString(), tr("Stopped.")};
            } catch (const std::exception& failure) {
                return {QString(), tr("Failed: %1").arg(qs(failure.what()))};
            }
        },
        [shown](const std::pair<QString, QString>& outcome) {
            if (!shown)
                return;
            if (!outcome.first.isEmpty())
                shown->setSampleOutput(outcome.first);
            shown->setTrying(false, outcome.second);
        });
}

bool ExperimentEditor::hasCommand() const
{
    for (int i = 0; i < algorithmCount(); ++i) {
        if (algorithmPage(i)->isCommand())
            return true;
    }
    return false;
}

bool ExperimentEditor::isTrainingJob() const
{
    return algorithmCount() == 1 && !algorithmPage(0)->parameterTable()->searchesAnything();
}

QComboBox* ExperimentEditor::algorithmChooser() const
{
    return algorithmPage(0)->algorithmChooser();
}

QTableWidget* ExperimentEditor::parameterTable() const
{
    return algorithmPage(0)->parameterTable();
}

const ExperimentEditor::ParamRow* ExperimentEditor::paramRow(const QString& name) const
{
    return algorithmPage(0)->parameterTable()->row(name);
}

void ExperimentEditor::setBaseFolder(const QString& folder)
{
    m_baseFolder = folder;
    validate();
}

void ExperimentEditor::setWarmStartChoices(const QStringList& checked)
{
    QMenu* menu = m_warmStart->menu();
    menu->clear();
    QStringList names = m_takenNames;
    for (const QString& name : checked) {
        if (!names.contains(name))
            names << name; // named by a loaded spec: kept, though this project does not hold it
    }
    for (const QString& name : names) {
        QAction* action = menu->addAction(name);
        action->setData(name); // the text may say more (how it compares)
        action->setCheckable(true);
        action->setChecked(checked.contains(name));
        connect(action, &QAction::toggled, this, [this] {
            showWarmStartChoice();
            edited();
        });
    }
    m_warmStart->setEnabled(!names.isEmpty());
    m_warmStart->setToolTip(tr("Earlier experiments of this project whose finished trials inform the search"));
    showWarmStartChoice();
}

QStringList ExperimentEditor::warmStartNames() const
{
    QStringList chosen;
    for (const QAction* action : m_warmStart->menu()->actions()) {
        if (action->isChecked())
            chosen << action->data().toString();
    }
    return chosen;
}

void ExperimentEditor::checkWarmStartChoices()
{
    if (!m_parsed || m_projectFile.isEmpty())
        return;
    std::optional<std::string> sha256; // the data file's content, as the project recorded it
    for (const store::DatasetRecord& record : m_datasets) {
        if (record.path == m_parsed->datasetPath)
            sha256 = record.sha256;
    }
    using Verdicts = std::map<QString, std::pair<bool, QString>>; // name -> (data or objective differ, what)
    m_warmCheck.run(
        [file = m_projectFile.toStdString(), spec = *m_parsed, sha256]() -> Verdicts {
            Verdicts verdicts;
            try {
                const auto project = store::ProjectStore::open(file, store::ProjectStore::Mode::ReadOnly);
                for (const store::ExperimentRecord& record : project->experiments()) {
                    try {
                        const tuning::ExperimentSpec earlier
                            = tuning::parseSpec(QByteArray::fromStdString(record.specJson), record.name, "/");
                        const auto found = jobs::differences(earlier, jobs::recordedSha256(*project, record.datasetId),
                                                             spec, sha256);
                        const bool apart = std::ranges::any_of(found, [](const auto& d) { return d.dataOrObjective; });
                        verdicts[qs(record.name)] = {apart, qs(jobs::describe(found))};
                    } catch (const std::exception&) { } // a spec of a newer version: nothing to say
                }
            } catch (const std::exception&) { } // the project cannot be read now: the run checks again
            return verdicts;
        },
        [this](const Verdicts& verdicts) {
            for (QAction* action : m_warmStart->menu()->actions()) {
                const auto found = verdicts.find(action->data().toString());
                if (found == verdicts.end())
                    continue;
                const auto& [apart, what] = found->second;
                action->setText(tr("%1 — %2").arg(action->data().toString(),
                                                  what.isEmpty() ? tr("same data and objective")
                                                      : apart    ? tr("differs (transfer learning only)")
                                                                 : tr("another search space")));
                action->setToolTip(what.isEmpty() ? tr("Its trials measured what this experiment measures")
                                                  : tr("Differs: %1").arg(what));
            }
        });
}

void ExperimentEditor::showWarmStartChoice()
{
    const QStringList chosen = warmStartNames();
    m_warmStart->setText(chosen.isEmpty() ? (m_warmStart->menu()->isEmpty() ? tr("(none yet)") : tr("(none)"))
                                          : chosen.join(QStringLiteral(", ")));
    m_warmStartType->setEnabled(!chosen.isEmpty());
}

QJsonObject ExperimentEditor::spec() const
{
    QJsonObject spec = m_extra;
    spec.insert(QStringLiteral("name"), m_name->text().trimmed());
    if (!m_dataset->currentData().toString().isEmpty()) {
        QJsonObject dataset{{QStringLiteral("path"), m_dataset->currentData().toString()}};
        if (!m_target->currentText().isEmpty())
            dataset.insert(QStringLiteral("target"), m_target->currentText());
        if (!m_ignored.isEmpty())
            dataset.insert(QStringLiteral("ignore"), QJsonArray::fromStringList(m_ignored));
        if (!m_types.isEmpty())
            dataset.insert(QStringLiteral("types"), m_types);
        if (const QJsonObject read = readSettingsFor(dataset.value(QLatin1String("path")).toString()); !read.isEmpty())
            dataset.insert(QStringLiteral("read"), read);
        spec.insert(QStringLiteral("dataset"), dataset);
    }
    QJsonObject validation{{QStringLiteral("method"), m_validation->currentData().toString()}};
    if (m_validation->currentData().toString() == QLatin1String("kfold")) {
        validation.insert(QStringLiteral("folds"), m_folds->value());
        validation.insert(QStringLiteral("repeats"), m_repeats->value());
    } else
        validation.insert(QStringLiteral("holdout"), m_holdout->value());
    validation.insert(QStringLiteral("stratified"), m_stratified->isChecked());
    if (m_validationSeed->value() >= 0)
        validation.insert(QStringLiteral("seed"), m_validationSeed->value());
    spec.insert(QStringLiteral("validation"), validation);
    if (!hasCommand()) { // a command prepares its own data
        algorithms::PreprocessOptions preprocess;
        preprocess.medianImpute = m_impute->currentData().toString() == QLatin1String("median");
        preprocess.missingIndicators = m_indicators->isChecked();
        preprocess.standardize = m_standardize->isChecked();
        preprocess.categoryCodes = m_categorical->currentData().toString() == QLatin1String("codes");
        spec.insert(QStringLiteral("preprocessing"), tuning::preprocessingToJson(preprocess));
    }
    insertAlgorithms(spec);
    const QJsonObject first{{QStringLiteral("metric"), m_metric->currentData().toString()},
                            {QStringLiteral("goal"), m_goal->currentData().toString()}};
    if (const QJsonArray more = m_measures->objectives(); more.isEmpty())
        spec.insert(QStringLiteral("objective"), first);
    else {
        QJsonArray objectives{first};
        for (const QJsonValue& objective : more)
            objectives.append(objective);
        spec.insert(QStringLiteral("objectives"), objectives);
    }
    if (const QJsonArray constraints = m_measures->constraints(); !constraints.isEmpty())
        spec.insert(QStringLiteral("constraints"), constraints);
    insertSearch(spec);
    return spec;
}

/// One algorithm as "algorithm", "fixed" and "ranges"; several as "algorithms".
void ExperimentEditor::insertAlgorithms(QJsonObject& spec) const
{
    for (const char* key : {"algorithm", "algorithms", "fixed", "ranges"})
        spec.remove(QLatin1String(key));
    if (algorithmCount() == 1) {
        const QJsonObject entry = algorithmPage(0)->entry();
        for (auto it = entry.begin(); it != entry.end(); ++it)
            spec.insert(it.key(), it.value());
        return;
    }
    QJsonArray list;
    for (int i = 0; i < algorithmCount(); ++i)
        list.append(algorithmPage(i)->entry());
    spec.insert(QStringLiteral("algorithms"), list);
}

/// Strategy, Hyperband, limits, completion, early stopping, seed, warm start and executor.
void ExperimentEditor::insertSearch(QJsonObject& spec) const
{
    spec.insert(QStringLiteral("strategy"), m_strategy->currentData().toString());
    spec.remove(QStringLiteral("budget")); // written as "hyperband", its first name
    if (m_hyperbandRow->isVisibleTo(this) || m_keepHyperband) {
        QJsonObject hyperband{{QStringLiteral("min_resource"), m_minResource->value()},
                              {QStringLiteral("max_resource"), m_maxResource->value()},
                              {QStringLiteral("eta"), m_eta->value()}};
        if (!m_resource->currentText().trimmed().isEmpty())
            hyperband.insert(QStringLiteral("resource"), m_resource->currentText().trimmed());
        if (pausesTrials(m_strategy->currentData().toString()))
            hyperband.insert(QStringLiteral("brackets"), m_brackets->value());
        spec.insert(QStringLiteral("hyperband"), hyperband);
    } else
        spec.remove(QStringLiteral("hyperband"));
    QJsonObject limits{{QStringLiteral("max_parallel"), m_maxParallel->value()},
                       {QStringLiteral("threads_per_trial"), m_threads->value()},
                       {QStringLiteral("grid_resolution"), m_gridResolution->value()}};
    if (m_maxTrials->value() > 0)
        limits.insert(QStringLiteral("max_trials"), m_maxTrials->value());
    if (m_maxSeconds->value() > 0)
        limits.insert(QStringLiteral("max_seconds"), m_maxSeconds->value());
    if (m_trialTimeout->value() > 0)
        limits.insert(QStringLiteral("trial_timeout_seconds"), m_trialTimeout->value());
    spec.insert(QStringLiteral("limits"), limits);
    QJsonObject completion;
    if (m_useTarget->isChecked())
        completion.insert(QStringLiteral("target_value"), numberOrText(m_targetValue->text()));
    if (m_notImproving->value() > 0)
        completion.insert(QStringLiteral("trials_not_improving"), m_notImproving->value());
    if (m_convergence->isChecked())
        completion.insert(QStringLiteral("convergence"), true);
    if (!completion.isEmpty())
        spec.insert(QStringLiteral("completion"), completion);
    else
        spec.remove(QStringLiteral("completion"));
    spec.insert(QStringLiteral("early_stopping"), m_earlyStopping->currentData().toString());
    spec.insert(QStringLiteral("seed"), m_seed->value());
    if (const QStringList warm = warmStartNames(); !warm.isEmpty())
        spec.insert(QStringLiteral("warm_start"),
                    QJsonObject{{QStringLiteral("experiments"), QJsonArray::fromStringList(warm)},
                                {QStringLiteral("type"), m_warmStartType->currentData().toString()}});
    else
        spec.remove(QStringLiteral("warm_start"));
    insertResources(spec);
    if (m_executor->currentData().toString() == QLatin1String("slurm")) {
        // The settings made here, over any others the loaded spec had (worker, sbatch_args, ...).
        QJsonObject executor = m_extra.value(QLatin1String("executor")).toObject();
        executor.insert(QStringLiteral("type"), QStringLiteral("slurm"));
        executor.insert(QStringLiteral("work_dir"), m_slurmFolder->text().trimmed());
        executor.insert(QStringLiteral("time_minutes"), m_slurmMinutes->value());
        const std::pair<const char*, QString> optional[]
            = {{"partition", m_slurmPartition->text().trimmed()},
               {"cpus", m_slurmCpus->value() > 0 ? QString::number(m_slurmCpus->value()) : QString()},
               {"memory_mb", m_slurmMemory->value() > 0 ? QString::number(m_slurmMemory->value()) : QString()}};
        for (const auto& [key, text] : optional) {
            if (text.isEmpty())
                executor.remove(QLatin1String(key));
            else if (QLatin1String(key) == QLatin1String("partition"))
                executor.insert(QLatin1String(key), text);
            else
                executor.insert(QLatin1String(key), text.toInt());
        }
        spec.insert(QStringLiteral("executor"), executor);
    } else {
        spec.remove(QStringLiteral("executor"));
    }
}

/// "resources": the machine's GPUs and a trial's, over whatever else the loaded spec said (cores, memory, slots).
void ExperimentEditor::insertResources(QJsonObject& spec) const
{
    QJsonObject resources = m_extra.value(QLatin1String("resources")).toObject();
    QJsonObject machine = resources.value(QLatin1String("machine")).toObject();
    QJsonObject trial = resources.value(QLatin1String("trial")).toObject();
    QJsonArray gpus;
    for (const QString& index : m_gpus->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int gpu = index.trimmed().toInt(&ok);
        gpus.append(ok ? QJsonValue(gpu) : QJsonValue(index.trimmed())); // the parser names what is not an index
    }
    if (gpus.isEmpty())
        machine.remove(QStringLiteral("gpus"));
    else
        machine.insert(QStringLiteral("gpus"), gpus);
    if (m_trialGpus->value() > 0)
        trial.insert(QStringLiteral("gpus"), m_trialGpus->value());
    else
        trial.remove(QStringLiteral("gpus"));
    for (const auto& [key, side] :
         {std::pair{QStringLiteral("machine"), machine}, std::pair{QStringLiteral("trial"), trial}}) {
        if (side.isEmpty())
            resources.remove(key);
        else
            resources.insert(key, side);
    }
    if (resources.isEmpty())
        spec.remove(QStringLiteral("resources"));
    else
        spec.insert(QStringLiteral("resources"), resources);
}

void ExperimentEditor::setSpec(const QJsonObject& spec)
{
    applySpec(spec);
    commitUndoStep();
}

void ExperimentEditor::applySpec(const QJsonObject& spec)
{
    m_applying = true;
    QJsonObject extra = spec;
    for (const char* key : {"name", "dataset", "validation", "preprocessing", "algorithm", "algorithms", "fixed",
                            "ranges", "objective", "objectives", "constraints", "strategy", "hyperband", "limits",
                            "completion", "early_stopping", "seed", "warm_start"})
        extra.remove(QLatin1String(key));
    m_extra = extra; // "executor" stays: its settings without a widget are written back as loaded

    m_name->setText(spec.value(QLatin1String("name")).toString());
    const QJsonValue datasetValue = spec.value(QLatin1String("dataset"));
    const QJsonObject dataset = datasetValue.isString() ? QJsonObject{{QStringLiteral("path"), datasetValue.toString()}}
                                                        : datasetValue.toObject();
    const QString path = dataset.value(QLatin1String("path")).toString();
    int datasetIndex = m_dataset->findData(path);
    if (datasetIndex < 0) {
        m_dataset->addItem(path.isEmpty() ? tr("(none: the script reads its own data)") : QFileInfo(path).fileName(),
                           path);
        datasetIndex = m_dataset->count() - 1;
    }
    m_dataset->setCurrentIndex(datasetIndex);
    m_ignored.clear();
    for (const QJsonValue& name : dataset.value(QLatin1String("ignore")).toArray())
        m_ignored << name.toString();
    m_types = dataset.value(QLatin1String("types")).toObject();
    m_read = dataset.value(QLatin1String("read")).toObject();
    updateTargets();
    if (const QString target = dataset.value(QLatin1String("target")).toString(); !target.isEmpty()) {
        if (m_target->findText(target) < 0)
            m_target->addItem(target); // a file the project does not hold: its target as the spec names it
        m_target->setCurrentIndex(m_target->findText(target));
    }

    const QJsonObject validation = spec.value(QLatin1String("validation")).toObject();
    m_validation->setCurrentIndex(std::max(
        0, m_validation->findData(validation.value(QLatin1String("method")).toString(QStringLiteral("kfold")))));
    m_folds->setValue(validation.value(QLatin1String("folds")).toInt(5));
    m_repeats->setValue(validation.value(QLatin1String("repeats")).toInt(1));
    m_holdout->setValue(validation.value(QLatin1String("holdout")).toDouble(0.25));
    m_stratified->setChecked(validation.value(QLatin1String("stratified")).toBool(true));
    m_validationSeed->setValue(static_cast<int>(validation.value(QLatin1String("seed")).toInteger(-1)));
    const QJsonObject preprocessing = spec.value(QLatin1String("preprocessing")).toObject();
    m_impute->setCurrentIndex(
        std::max(0, m_impute->findData(preprocessing.value(QLatin1String("impute")).toString(QStringLiteral("mean")))));
    m_indicators->setChecked(preprocessing.value(QLatin1String("missing_indicators")).toBool(false));
    m_standardize->setChecked(preprocessing.value(QLatin1String("standardize")).toBool(true));
    m_categorical->setCurrentIndex(std::max(
        0,
        m_categorical->findData(preprocessing.value(QLatin1String("categorical")).toString(QStringLiteral("onehot")))));

    applyAlgorithms(spec);
    // The first objective in the form's own row; more objectives and constraints below it.
    QJsonArray objectives = spec.value(QLatin1String("objectives")).toArray();
    const QJsonObject objective
        = objectives.isEmpty() ? spec.value(QLatin1String("objective")).toObject() : objectives.takeAt(0).toObject();
    m_measures->setMeasures(objectives, spec.value(QLatin1String("constraints")).toArray());
    if (const int index = m_metric->findData(objective.value(QLatin1String("metric")).toString()); index >= 0)
        m_metric->setCurrentIndex(index);
    const QString goal = objective.value(QLatin1String("goal")).toString();
    if (!goal.isEmpty())
        m_goal->setCurrentIndex(goal == QLatin1String("minimize") ? 1 : 0);
    else if (const auto known = tuning::builtinMetrics().find(m_metric->currentData().toString().toStdString());
             known != tuning::builtinMetrics().end())
        m_goal->setCurrentIndex(known->second ? 0 : 1);
    else
        m_goal->setCurrentIndex(1); // a command's metric without a goal is minimised
    applySearch(spec);
    m_applying = false;
    validate();
}

/// The algorithm pages, one per algorithm of the spec.
void ExperimentEditor::applyAlgorithms(const QJsonObject& spec)
{
    QList<QJsonObject> entries;
    if (spec.contains(QLatin1String("algorithms"))) {
        for (const QJsonValue& entry : spec.value(QLatin1String("algorithms")).toArray())
            entries << entry.toObject();
    } else
        entries << QJsonObject{{QStringLiteral("algorithm"), spec.value(QLatin1String("algorithm"))},
                               {QStringLiteral("fixed"), spec.value(QLatin1String("fixed"))},
                               {QStringLiteral("ranges"), spec.value(QLatin1String("ranges"))}};
    while (algorithmCount() > std::max<qsizetype>(1, entries.size())) {
        QWidget* page = m_algorithms->widget(algorithmCount() - 1);
        m_algorithms->removeTab(algorithmCount() - 1);
        page->deleteLater();
    }
    while (algorithmCount() < entries.size())
        addAlgorithm(QStringLiteral("logistic"));
    for (int i = 0; i < entries.size(); ++i)
        algorithmPage(i)->setEntry(entries[i]);
    m_algorithms->setCurrentIndex(0);
    algorithmsChanged();
}

/// Strategy, Hyperband, limits, completion, early stopping, seed, warm start and executor.
void ExperimentEditor::applySearch(const QJsonObject& spec)
{
    m_keepHyperband = (spec.contains(QLatin1String("hyperband")) || spec.contains(QLatin1String("budget")))
        && !usesBudget(spec.value(QLatin1String("strategy")).toString());
    m_strategy->setCurrentIndex(
        std::max(0, m_strategy->findData(spec.value(QLatin1String("strategy")).toString(QStringLiteral("bayesian")))));
    m_hyperbandRow->setVisible(usesBudget(m_strategy->currentData().toString()) || m_keepHyperband);
    m_brackets->setVisible(pausesTrials(m_strategy->currentData().toString()));
    m_gridResolution->setEnabled(m_strategy->currentData().toString() == QLatin1String("grid"));
    // Hyperband's settings as the parser resolves them (its resource and maximum follow the algorithm).
    m_resource->setCurrentText(QString());
    m_minResource->setValue(1);
    m_maxResource->setValue(81);
    m_eta->setValue(3);
    try {
        const tuning::ExperimentSpec parsed
            = tuning::parseSpec(QJsonDocument(spec).toJson(QJsonDocument::Compact), "spec", m_baseFolder.toStdString());
        if (parsed.hyperband) {
            m_resource->setCurrentText(qs(parsed.resource));
            m_minResource->setValue(parsed.hyperband->minResource);
            m_maxResource->setValue(parsed.hyperband->maxResource);
            m_eta->setValue(parsed.hyperband->eta);
            m_brackets->setValue(parsed.hyperband->brackets);
        }
    } catch (const std::exception&) { } // the spec's problem is shown by validate()
    const QJsonObject limits = spec.value(QLatin1String("limits")).toObject();
    const bool grid = m_strategy->currentData().toString() == QLatin1String("grid");
    m_maxTrials->setValue(limits.value(QLatin1String("max_trials")).toInt(grid ? 0 : 20)); // 0: a grid's every point
    m_maxParallel->setValue(limits.value(QLatin1String("max_parallel")).toInt(1));
    m_threads->setValue(limits.value(QLatin1String("threads_per_trial")).toInt(1));
    m_gridResolution->setValue(limits.value(QLatin1String("grid_resolution")).toInt(5));
    m_maxSeconds->setValue(static_cast<int>(limits.value(QLatin1String("max_seconds")).toDouble(0)));
    m_trialTimeout->setValue(static_cast<int>(limits.value(QLatin1String("trial_timeout_seconds")).toDouble(0)));
    const QJsonObject completion = spec.value(QLatin1String("completion")).toObject();
    m_useTarget->setChecked(completion.contains(QLatin1String("target_value")));
    m_targetValue->setEnabled(m_useTarget->isChecked());
    m_targetValue->setText(completion.contains(QLatin1String("target_value"))
                               ? jsonText(completion.value(QLatin1String("target_value")))
                               : QString());
    m_notImproving->setValue(completion.value(QLatin1String("trials_not_improving")).toInt(0));
    m_convergence->setChecked(completion.value(QLatin1String("convergence")).toBool(false));
    m_earlyStopping->setCurrentIndex(
        spec.value(QLatin1String("early_stopping")).toString() == QLatin1String("auto") ? 1 : 0);
    m_seed->setValue(static_cast<int>(spec.value(QLatin1String("seed")).toInteger(0)));
    const QJsonValue warm = spec.value(QLatin1String("warm_start"));
    QStringList warmNames;
    for (const QJsonValue& name :
         warm.isArray() ? warm.toArray() : warm.toObject().value(QLatin1String("experiments")).toArray())
        warmNames << name.toString();
    setWarmStartChoices(warmNames);
    m_warmStartType->setCurrentIndex(
        warm.toObject().value(QLatin1String("type")).toString() == QLatin1String("transfer_learning") ? 1 : 0);
    const QJsonObject resources = spec.value(QLatin1String("resources")).toObject();
    QStringList gpus;
    for (const QJsonValue& gpu :
         resources.value(QLatin1String("machine")).toObject().value(QLatin1String("gpus")).toArray())
        gpus << jsonText(gpu);
    m_gpus->setText(gpus.join(QStringLiteral(", ")));
    m_trialGpus->setValue(resources.value(QLatin1String("trial")).toObject().value(QLatin1String("gpus")).toInt(0));
    const QJsonObject executor = spec.value(QLatin1String("executor")).toObject();
    const bool slurm = executor.value(QLatin1String("type")).toString() == QLatin1String("slurm");
    m_executor->setCurrentIndex(slurm ? 1 : 0);
    m_slurmRow->setVisible(slurm);
    m_slurmFolder->setText(executor.value(QLatin1String("work_dir")).toString());
    m_slurmPartition->setText(executor.value(QLatin1String("partition")).toString());
    m_slurmMinutes->setValue(executor.value(QLatin1String("time_minutes")).toInt(60));
    m_slurmCpus->setValue(executor.value(QLatin1String("cpus")).toInt(0));
    m_slurmMemory->setValue(executor.value(QLatin1String("memory_mb")).toInt(0));
}

void ExperimentEditor::edited()
{
    if (m_applying)
        return;
    validate();
    m_undoTimer->start();
}

void ExperimentEditor::commitUndoStep()
{
    m_undoTimer->stop();
    const QJsonObject now = spec();
    if (now == m_committed)
        return;
    m_undo->push(new SpecEdit(m_committed, now, [this](const QJsonObject& state) {
        m_undoTimer->stop();
        applySpec(state);
        m_committed = spec();
    }));
    m_committed = now;
}

/// What the form itself finds wrong before the parser sees the spec, or empty.
QString ExperimentEditor::formProblem() const
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        return tr("Give the experiment a name.");
    if (m_takenNames.contains(name))
        return tr("The project already has an experiment named \"%1\".").arg(name);
    if (m_dataset->currentData().toString().isEmpty() && !hasCommand())
        return tr("Choose a dataset (drop a data file on the window to add one).");
    if (m_metric->currentIndex() < 0)
        return hasCommand() ? tr("Name a metric your script prints, and the expression that reads it.")
                            : tr("Choose an objective metric.");
    for (int i = 0; i < algorithmCount(); ++i) {
        const AlgorithmPage* page = algorithmPage(i);
        if (const QString problem = page->problem(); !problem.isEmpty())
            return algorithmCount() > 1 ? tr("%1: %2").arg(page->title(), problem) : problem;
        const auto algorithm = algorithms::findAlgorithm(page->algorithmId().toStdString());
        if (const std::optional<data::Task> detected = task(); algorithm && detected && !algorithm->supports(*detected))
            return tr("%1 does not support %2 targets.")
                .arg(page->title(), QString::fromLatin1(data::toString(*detected)));
    }
    return {};
}

void ExperimentEditor::validate()
{
    m_parsed.reset();
    QString problem = formProblem();
    if (problem.isEmpty()) {
        try {
            m_parsed = tuning::parseSpec(QJsonDocument(spec()).toJson(QJsonDocument::Compact), "spec",
                                         m_baseFolder.toStdString());
        } catch (const std::exception& error) {
            // "spec: ranges.lr.min: ..." -> "ranges.lr.min: ..."
            problem = QString::fromStdString(error.what());
            if (problem.startsWith(QLatin1String("spec: ")))
                problem = problem.mid(6);
        }
    }
    const bool training = isTrainingJob();
    m_run->setText(training ? tr("Train") : tr("Run"));
    m_run->setEnabled(problem.isEmpty());
    m_run->setToolTip(!problem.isEmpty() ? problem
                          : training ? tr("Nothing is searched: one training job, a fit with these values (its curves, "
                                          "metrics and model kept)")
                                     : tr("Run the experiment in the background"));
    m_problemLabel->setText(problem.isEmpty() ? QString() : tr("Cannot run: %1").arg(problem));
    QPalette palette = m_problemLabel->palette();
    palette.setColor(QPalette::WindowText, QColor(200, 60, 50));
    m_problemLabel->setPalette(palette);
    if (problem != m_problem) {
        m_problem = problem;
        Q_EMIT problemChanged(problem);
    }
}

bool ExperimentEditor::loadFile(const QString& path, QString* error)
{
    try {
        // The CLI's parser reads both formats; its native rewrite is what the form shows.
        const tuning::ExperimentSpec parsed = tuning::parseSpecFile(path.toStdString());
        return showSpec(parsed, error);
    } catch (const std::exception& failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
}

bool ExperimentEditor::showSpec(const tuning::ExperimentSpec& parsed, QString* error)
{
    const QJsonObject previous = spec();
    QJsonObject json = parsed.json;
    json.insert(QStringLiteral("name"), qs(parsed.name)); // a spec without one is named after its file
    applySpec(json);
    // What the form now says must be the same experiment; else it would rewrite the spec silently.
    QString difference;
    try {
        const tuning::ExperimentSpec shown = tuning::parseSpec(QJsonDocument(spec()).toJson(QJsonDocument::Compact),
                                                               parsed.name, m_baseFolder.toStdString());
        if (const std::string path
            = tuning::firstDifference(tuning::canonicalJson(parsed), tuning::canonicalJson(shown));
            !path.empty())
            difference = tr("%1 of '%2' as it is").arg(qs(path), qs(parsed.name));
    } catch (const std::exception& failure) {
        difference = tr("'%1' (%2)").arg(qs(parsed.name), QString::fromUtf8(failure.what()));
    }
    if (difference.isEmpty()) {
        commitUndoStep();
        // What importing a SageMaker config mapped or left out, in front of the user (each run records it too).
        QStringList notes;
        for (const std::string& note : parsed.importNotes)
            notes << qs(note);
        m_importNotes->setText(tr("Imported: %1.").arg(notes.join(QStringLiteral("; "))));
        m_importNotes->setVisible(!notes.isEmpty());
        return true;
    }
    applySpec(previous);
    if (error)
        *error = tr("The editor cannot show %1; run it with tunebench-cli tune, or edit the file.").arg(difference);
    return false;
}

bool ExperimentEditor::saveFile(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(spec()).toJson(QJsonDocument::Indented)) < 0
        || !file.commit()) {
        if (error)
            *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace tunebench::ui
