#include "editor/experimenteditor.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include "algorithms/registry.h"
#include "common/text.h"
#include "data/column.h"
#include "data/dataset.h"
#include "store/datasetregistry.h"

namespace tunebench::ui {

namespace {

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

// The checked values as the button's text and, in full, its tooltip (a long list is cut at the cell's edge).
void showChecked(QToolButton* button)
{
    QStringList values;
    for (const QAction* action : button->menu()->actions()) {
        if (action->isChecked())
            values << action->text();
    }
    const QString checked = values.isEmpty() ? QObject::tr("(none)") : values.join(QStringLiteral(", "));
    button->setText(checked);
    button->setToolTip(QObject::tr("The values to search: %1").arg(checked));
}

QJsonValue numberOrText(const QString& text, bool integer)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok)
        return text; // the parser names the path and says a number is expected
    if (integer && value == std::floor(value))
        return static_cast<qint64>(value);
    return value;
}

/// A value as the form shows it: numbers to 12 significant digits (0.9, not 0.90000000000000002).
QString displayValue(const algorithms::ParamValue& value)
{
    if (const auto* number = std::get_if<double>(&value))
        return QString::number(*number, 'g', 12);
    if (const auto* integer = std::get_if<std::int64_t>(&value))
        return QString::number(*integer);
    if (const auto* flag = std::get_if<bool>(&value))
        return *flag ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromStdString(std::get<std::string>(value));
}

QString jsonText(const QJsonValue& value)
{
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 12);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

} // namespace

ExperimentEditor::ExperimentEditor(QWidget* parent)
    : QWidget(parent)
    , m_name(new QLineEdit(this))
    , m_dataset(new QComboBox(this))
    , m_target(new QComboBox(this))
    , m_task(new QLabel(this))
    , m_validation(new QComboBox(this))
    , m_folds(new QSpinBox(this))
    , m_holdout(new QDoubleSpinBox(this))
    , m_stratified(new QCheckBox(tr("Stratified"), this))
    , m_impute(new QComboBox(this))
    , m_indicators(new QCheckBox(tr("Indicator columns"), this))
    , m_standardize(new QCheckBox(tr("Standardise"), this))
    , m_categorical(new QComboBox(this))
    , m_algorithm(new QComboBox(this))
    , m_algorithmHelp(new QLabel(this))
    , m_metric(new QComboBox(this))
    , m_goal(new QComboBox(this))
    , m_params(new QTableWidget(this))
    , m_strategy(new QComboBox(this))
    , m_maxTrials(new QSpinBox(this))
    , m_maxParallel(new QSpinBox(this))
    , m_maxSeconds(new QSpinBox(this))
    , m_trialTimeout(new QSpinBox(this))
    , m_useTarget(new QCheckBox(tr("Stop at objective"), this))
    , m_targetValue(new QLineEdit(this))
    , m_notImproving(new QSpinBox(this))
    , m_convergence(new QCheckBox(tr("Stop when the search has converged"), this))
    , m_earlyStopping(new QComboBox(this))
    , m_seed(new QSpinBox(this))
    , m_executor(new QComboBox(this))
    , m_slurmFolder(new QLineEdit(this))
    , m_slurmPartition(new QLineEdit(this))
    , m_slurmMinutes(new QSpinBox(this))
    , m_slurmRow(new QWidget(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_problemLabel(new QLabel(this))
    , m_undo(new QUndoStack(this))
    , m_undoTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("experimentEditor"));
    m_name->setObjectName(QStringLiteral("experimentName"));
    m_name->setPlaceholderText(tr("A name for the experiment"));
    m_dataset->setObjectName(QStringLiteral("datasetChooser"));
    m_target->setObjectName(QStringLiteral("targetChooser"));
    m_algorithm->setObjectName(QStringLiteral("algorithmChooser"));
    m_metric->setObjectName(QStringLiteral("metricChooser"));
    m_params->setObjectName(QStringLiteral("parameterTable"));
    m_run->setObjectName(QStringLiteral("runButton"));
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));

    // Layout: three groups over a scrollable page, the Run row at the bottom.
    QGroupBox* data = createDataGroup();
    QGroupBox* model = createModelGroup();
    QGroupBox* search = createSearchGroup();

    auto* page = new QWidget;
    auto* pageLayout = new QGridLayout(page);
    pageLayout->addWidget(data, 0, 0);
    pageLayout->addWidget(search, 0, 1, 2, 1);
    pageLayout->addWidget(model, 1, 0);
    pageLayout->setColumnStretch(0, 3);
    pageLayout->setColumnStretch(1, 2);
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
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(runRow);

    m_undoTimer->setSingleShot(true);
    m_undoTimer->setInterval(kUndoQuietMs);
    connect(m_undoTimer, &QTimer::timeout, this, &ExperimentEditor::commitUndoStep);

    connectEdits();

    m_holdout->setVisible(false);
    buildParamTable();
    updateMetrics();
    m_committed = spec();
    validate();
}

ExperimentEditor::~ExperimentEditor() = default;

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
    validationRow->addWidget(m_holdout);
    validationRow->addWidget(m_stratified);
    validationRow->addStretch(1);
    dataForm->addRow(tr("Validation"), validationRow);
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
    return data;
}

/// The algorithm and its hyperparameters' table.
QGroupBox* ExperimentEditor::createModelGroup()
{
    for (const auto& algorithm : algorithms::allAlgorithms()) {
        m_algorithm->addItem(qs(algorithm->displayName()), qs(algorithm->id()));
        m_algorithm->setItemData(m_algorithm->count() - 1, qs(algorithm->description()), Qt::ToolTipRole);
    }
    m_algorithmHelp->setWordWrap(true);
    m_goal->addItem(tr("maximize"), QStringLiteral("maximize"));
    m_goal->addItem(tr("minimize"), QStringLiteral("minimize"));

    m_params->setColumnCount(6);
    m_params->setHorizontalHeaderLabels({tr("Parameter"), tr("Tune"), tr("Value"), tr("From"), tr("To"), tr("Log")});
    m_params->verticalHeader()->hide();
    m_params->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_params->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_params->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_params->horizontalHeader()->setSectionResizeMode(4, QHeaderView::Stretch);
    m_params->setSelectionMode(QAbstractItemView::NoSelection);
    m_params->setMinimumHeight(240);

    auto* model = new QGroupBox(tr("Algorithm and hyperparameters"), this);
    auto* modelLayout = new QVBoxLayout(model);
    auto* algorithmForm = new QFormLayout;
    algorithmForm->addRow(tr("Algorithm"), m_algorithm);
    modelLayout->addLayout(algorithmForm);
    modelLayout->addWidget(m_algorithmHelp);
    modelLayout->addWidget(m_params, 1);
    return model;
}

/// Strategy, limits, completion, early stopping, seed, and where the trials run.
QGroupBox* ExperimentEditor::createSearchGroup()
{
    for (const auto& [id, label] : std::initializer_list<std::pair<const char*, QString>>{
             {"bayesian", tr("Bayesian optimisation (Gaussian process)")},
             {"tpe", tr("TPE (tree-structured Parzen estimators)")},
             {"random", tr("Random search")},
             {"sobol", tr("Quasi-random (Sobol)")},
             {"grid", tr("Grid search")},
             {"hyperband", tr("Hyperband")}})
        m_strategy->addItem(label, QString::fromLatin1(id));
    m_strategy->setObjectName(QStringLiteral("strategyChooser"));
    m_maxTrials->setRange(1, 100000);
    m_maxTrials->setValue(20);
    m_maxParallel->setRange(1, 256);
    m_maxParallel->setValue(2);
    m_maxParallel->setToolTip(tr("At most this many trials at once; never more than the machine's cores"));
    m_maxSeconds->setRange(0, 7 * 24 * 3600);
    m_maxSeconds->setSpecialValueText(tr("no limit"));
    m_maxSeconds->setSuffix(tr(" s"));
    m_trialTimeout->setRange(0, 7 * 24 * 3600);
    m_trialTimeout->setSpecialValueText(tr("no limit"));
    m_trialTimeout->setSuffix(tr(" s"));
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

    auto* search = new QGroupBox(tr("Search"), this);
    auto* searchForm = new QFormLayout(search);
    searchForm->addRow(tr("Strategy"), m_strategy);
    searchForm->addRow(tr("Max trials"), m_maxTrials);
    searchForm->addRow(tr("Max parallel"), m_maxParallel);
    searchForm->addRow(tr("Max run time"), m_maxSeconds);
    searchForm->addRow(tr("Trial time limit"), m_trialTimeout);
    auto* targetValueRow = new QHBoxLayout;
    targetValueRow->addWidget(m_useTarget);
    targetValueRow->addWidget(m_targetValue, 1);
    searchForm->addRow(tr("Completion"), targetValueRow);
    searchForm->addRow(tr("Not improving for"), m_notImproving);
    searchForm->addRow(QString(), m_convergence);
    searchForm->addRow(tr("Early stopping"), m_earlyStopping);
    searchForm->addRow(tr("Seed"), m_seed);
    // Where the trials run: this machine's threads, or a Slurm cluster through sbatch (docs/cluster.md).
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
    auto* slurmLayout = new QVBoxLayout(m_slurmRow);
    slurmLayout->setContentsMargins(0, 0, 0, 0);
    slurmLayout->addWidget(m_slurmFolder);
    auto* slurmDetails = new QHBoxLayout;
    slurmDetails->addWidget(m_slurmPartition, 1);
    slurmDetails->addWidget(m_slurmMinutes);
    slurmLayout->addLayout(slurmDetails);
    m_slurmRow->setVisible(false);
    searchForm->addRow(tr("Run on"), m_executor);
    searchForm->addRow(QString(), m_slurmRow);
    return search;
}

/// Every field edits the spec: validated at once, an undo step after a quiet moment.
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
        m_holdout->setVisible(!kfold);
        edited();
    });
    connect(m_folds, &QSpinBox::valueChanged, this, changed);
    connect(m_holdout, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_stratified, &QCheckBox::toggled, this, changed);
    connect(m_impute, &QComboBox::currentIndexChanged, this, changed);
    connect(m_indicators, &QCheckBox::toggled, this, changed);
    connect(m_standardize, &QCheckBox::toggled, this, changed);
    connect(m_categorical, &QComboBox::currentIndexChanged, this, [this] {
        applyContextToParams();
        edited();
    });
    connect(m_algorithm, &QComboBox::currentIndexChanged, this, [this] {
        buildParamTable();
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
    connect(m_strategy, &QComboBox::currentIndexChanged, this, changed);
    for (QSpinBox* spin : {m_maxTrials, m_maxParallel, m_maxSeconds, m_trialTimeout, m_notImproving, m_seed})
        connect(spin, &QSpinBox::valueChanged, this, changed);
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
    const bool regression = detected && *detected == data::Task::Regression;
    const QString previous = m_metric->currentData().toString();
    const QSignalBlocker blocker(m_metric);
    m_metric->clear();
    static const QStringList regressionMetrics{QStringLiteral("rmse"), QStringLiteral("mae"), QStringLiteral("r2")};
    for (const auto& [name, maximize] : tuning::builtinMetrics()) {
        const QString metric = qs(name);
        if (regressionMetrics.contains(metric) != regression)
            continue;
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
}

void ExperimentEditor::buildParamTable()
{
    m_rows.clear();
    m_params->clearSpans();
    m_params->setRowCount(0);
    const auto algorithm = algorithms::findAlgorithm(m_algorithm->currentData().toString().toStdString());
    if (!algorithm)
        return;
    m_algorithmHelp->setText(qs(algorithm->description()));
    // Trees, forests and xgboost never scale their inputs: the choice does not apply to them.
    m_standardize->setEnabled(algorithm->wantsScaling());
    m_categorical->setEnabled(algorithm->takesCategoryCodes());
    const std::vector<algorithms::ParamSpec> schema = algorithm->params();
    m_params->setRowCount(static_cast<int>(schema.size()));
    auto changed = [this] { edited(); };
    for (std::size_t i = 0; i < schema.size(); ++i) {
        const algorithms::ParamSpec& param = schema[i];
        const int row = static_cast<int>(i);
        ParamRow editors;
        editors.name = qs(param.name);
        editors.classesDefault = displayValue(param.defaultFor(data::Task::Binary));
        editors.numbersDefault = displayValue(param.defaultFor(data::Task::Regression));
        editors.severalClassesDefault = displayValue(param.defaultFor(data::Task::Multiclass));
        const QString defaultText = editors.classesDefault;
        editors.shownDefault = defaultText;
        QString defaults = tr("\nDefault: %1").arg(defaultText);
        if (editors.numbersDefault != defaultText || editors.severalClassesDefault != defaultText)
            defaults = editors.severalClassesDefault == defaultText
                ? tr("\nDefault: %1 for classes, %2 for a number to predict").arg(defaultText, editors.numbersDefault)
                : tr("\nDefault: %1 for two classes, %2 for three or more, %3 for a number to predict")
                      .arg(defaultText, editors.severalClassesDefault, editors.numbersDefault);
        QString help = qs(param.help) + defaults;
        if (param.type == algorithms::ParamType::Continuous || param.type == algorithms::ParamType::Integer)
            help += tr("\nAllowed: %1 to %2%3")
                        .arg(param.min)
                        .arg(param.max)
                        .arg(param.scaling == algorithms::Scaling::Log ? tr(", usually searched on a log scale")
                                                                       : QString());
        editors.classificationOnly = param.classificationOnly;
        if (param.classificationOnly)
            help += tr("\nClassification only: greyed out when the target is a number to predict.");
        editors.categoryCodesOnly = param.categoryCodesOnly;
        if (param.categoryCodesOnly)
            help += tr("\nCategory codes only: greyed out when categories are one-hot.");
        auto* name = new QTableWidgetItem(editors.name);
        name->setToolTip(help);
        name->setFlags(Qt::ItemIsEnabled);
        m_params->setItem(row, 0, name);

        editors.tune = new QCheckBox(m_params);
        editors.tune->setToolTip(tr("Search this parameter instead of fixing it"));
        m_params->setCellWidget(row, 1, editors.tune);
        connect(editors.tune, &QCheckBox::toggled, this, changed);

        const bool numeric
            = param.type == algorithms::ParamType::Continuous || param.type == algorithms::ParamType::Integer;
        if (numeric) {
            auto* value = new QLineEdit(defaultText, m_params);
            auto* from = new QLineEdit(m_params);
            auto* to = new QLineEdit(m_params);
            // The first range: where the schema says a search should start, else its bounds.
            const auto [low, high] = param.searchRange.value_or(std::make_pair(param.min, param.max));
            const bool log = param.scaling == algorithms::Scaling::Log && low > 0;
            const bool integer = param.type == algorithms::ParamType::Integer;
            from->setText(integer ? displayValue(static_cast<std::int64_t>(low)) : displayValue(low));
            to->setText(integer ? displayValue(static_cast<std::int64_t>(high)) : displayValue(high));
            for (QLineEdit* edit : {value, from, to}) {
                edit->setToolTip(help);
                connect(edit, &QLineEdit::textChanged, this, changed);
            }
            editors.value = value;
            editors.from = from;
            editors.to = to;
            editors.log = new QCheckBox(m_params);
            editors.log->setChecked(log);
            editors.log->setToolTip(tr("Search uniformly in log(value); needs a positive lower bound"));
            connect(editors.log, &QCheckBox::toggled, this, changed);
            m_params->setCellWidget(row, 2, value);
            m_params->setCellWidget(row, 3, from);
            m_params->setCellWidget(row, 4, to);
            m_params->setCellWidget(row, 5, editors.log);
        } else {
            QStringList values = param.type == algorithms::ParamType::Boolean
                ? QStringList{QStringLiteral("true"), QStringLiteral("false")}
                : QStringList();
            for (const std::string& v : param.values)
                values << qs(v);
            auto* value = new QComboBox(m_params);
            value->addItems(values);
            value->setCurrentText(defaultText);
            value->setToolTip(help);
            connect(value, &QComboBox::currentIndexChanged, this, changed);
            auto* choices = new QToolButton(m_params);
            choices->setPopupMode(QToolButton::InstantPopup);
            choices->setToolButtonStyle(Qt::ToolButtonTextOnly);
            choices->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
            auto* menu = new QMenu(choices);
            for (const QString& v : values) {
                QAction* action = menu->addAction(v);
                action->setCheckable(true);
                // The first choices to search: the schema's, else all of them.
                action->setChecked(param.searchValues.empty()
                                   || std::ranges::find(param.searchValues, v.toStdString())
                                       != param.searchValues.end());
                connect(action, &QAction::toggled, this, [this, choices] {
                    showChecked(choices);
                    edited();
                });
            }
            choices->setMenu(menu);
            showChecked(choices);
            editors.value = value;
            editors.from = choices;
            m_params->setCellWidget(row, 2, value);
            // The values to search take the whole range (From, To and Log), which a list of names needs.
            m_params->setCellWidget(row, 3, choices);
            m_params->setSpan(row, 3, 1, 3);
        }
        m_rows.push_back(editors);
        // Range editors only make sense while tuning, the value only while fixed.
        auto sync = [row = m_rows.size() - 1, this] {
            const ParamRow& r = m_rows[row];
            const bool tuned = r.tune->isChecked();
            r.value->setEnabled(!tuned);
            r.from->setEnabled(tuned);
            if (r.to)
                r.to->setEnabled(tuned);
            if (r.log)
                r.log->setEnabled(tuned);
        };
        connect(editors.tune, &QCheckBox::toggled, this, sync);
        sync();
    }
    m_params->resizeRowsToContents();
    applyContextToParams();
}

void ExperimentEditor::applyContextToParams()
{
    const std::optional<data::Task> detected = task();
    const bool regression = detected && *detected == data::Task::Regression;
    const bool codes = m_categorical->isEnabled() && m_categorical->currentData().toString() == QLatin1String("codes");
    for (ParamRow& row : m_rows) {
        // A value the user left at its default follows the task's default (xgboost's depth: 6 for classes, 3 for
        // a number); one typed stays.
        const QString taskDefault = regression                ? row.numbersDefault
            : detected && *detected == data::Task::Multiclass ? row.severalClassesDefault
                                                              : row.classesDefault;
        if (taskDefault != row.shownDefault && row.valueText() == row.shownDefault) {
            const QSignalBlocker blocker(row.value);
            row.setValueText(taskDefault);
        }
        row.shownDefault = taskDefault;
        if (!row.classificationOnly && !row.categoryCodesOnly)
            continue;
        const bool inert = (row.classificationOnly && regression) || (row.categoryCodesOnly && !codes);
        if (inert)
            row.tune->setChecked(false); // a search over it would run the same model again and again
        row.tune->setEnabled(!inert);
        row.value->setEnabled(!inert && !row.tune->isChecked());
    }
}

QString ExperimentEditor::ParamRow::valueText() const
{
    if (const auto* edit = qobject_cast<const QLineEdit*>(value))
        return edit->text();
    return static_cast<const QComboBox*>(value)->currentText();
}

void ExperimentEditor::ParamRow::setValueText(const QString& text) const
{
    if (auto* edit = qobject_cast<QLineEdit*>(value))
        edit->setText(text);
    else
        static_cast<QComboBox*>(value)->setCurrentText(text);
}

const ExperimentEditor::ParamRow* ExperimentEditor::paramRow(const QString& name) const
{
    for (const ParamRow& row : m_rows) {
        if (row.name == name)
            return &row;
    }
    return nullptr;
}

QJsonObject ExperimentEditor::spec() const
{
    QJsonObject spec = m_extra;
    spec.insert(QStringLiteral("name"), m_name->text().trimmed());
    if (m_dataset->currentIndex() >= 0) {
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
    if (m_validation->currentData().toString() == QLatin1String("kfold"))
        validation.insert(QStringLiteral("folds"), m_folds->value());
    else
        validation.insert(QStringLiteral("holdout"), m_holdout->value());
    validation.insert(QStringLiteral("stratified"), m_stratified->isChecked());
    spec.insert(QStringLiteral("validation"), validation);
    algorithms::PreprocessOptions preprocess;
    preprocess.medianImpute = m_impute->currentData().toString() == QLatin1String("median");
    preprocess.missingIndicators = m_indicators->isChecked();
    preprocess.standardize = m_standardize->isChecked();
    preprocess.categoryCodes = m_categorical->currentData().toString() == QLatin1String("codes");
    spec.insert(QStringLiteral("preprocessing"), tuning::preprocessingToJson(preprocess));

    spec.insert(QStringLiteral("algorithm"), m_algorithm->currentData().toString());
    QJsonObject fixed;
    QJsonObject ranges;
    const auto algorithm = algorithms::findAlgorithm(m_algorithm->currentData().toString().toStdString());
    for (std::size_t i = 0; algorithm && i < m_rows.size(); ++i) {
        const ParamRow& row = m_rows[i];
        const algorithms::ParamSpec param = algorithm->params().at(i);
        const bool integer = param.type == algorithms::ParamType::Integer;
        const bool numeric = integer || param.type == algorithms::ParamType::Continuous;
        if (!row.tune->isChecked()) {
            const QString text = row.valueText();
            if (text == row.shownDefault)
                continue; // defaults stay implicit: the spec says only what differs
            if (numeric)
                fixed.insert(row.name, numberOrText(text, integer));
            else if (param.type == algorithms::ParamType::Boolean)
                fixed.insert(row.name, text == QLatin1String("true"));
            else
                fixed.insert(row.name, text);
            continue;
        }
        if (numeric) {
            ranges.insert(
                row.name,
                QJsonObject{
                    {QStringLiteral("type"), integer ? QStringLiteral("integer") : QStringLiteral("continuous")},
                    {QStringLiteral("min"),
                     numberOrText(row.from ? static_cast<QLineEdit*>(row.from)->text() : QString(), integer)},
                    {QStringLiteral("max"), numberOrText(row.to->text(), integer)},
                    {QStringLiteral("scaling"),
                     row.log->isChecked() ? QStringLiteral("log") : QStringLiteral("linear")},
                });
        } else {
            QJsonArray values;
            for (const QAction* action : static_cast<QToolButton*>(row.from)->menu()->actions()) {
                if (action->isChecked()) {
                    if (param.type == algorithms::ParamType::Boolean)
                        values.append(action->text() == QLatin1String("true"));
                    else
                        values.append(action->text());
                }
            }
            ranges.insert(row.name,
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("categorical")},
                                      {QStringLiteral("values"), values}});
        }
    }
    if (!fixed.isEmpty())
        spec.insert(QStringLiteral("fixed"), fixed);
    spec.insert(QStringLiteral("ranges"), ranges);
    spec.insert(QStringLiteral("objective"),
                QJsonObject{{QStringLiteral("metric"), m_metric->currentData().toString()},
                            {QStringLiteral("goal"), m_goal->currentData().toString()}});
    spec.insert(QStringLiteral("strategy"), m_strategy->currentData().toString());
    QJsonObject limits{{QStringLiteral("max_trials"), m_maxTrials->value()},
                       {QStringLiteral("max_parallel"), m_maxParallel->value()}};
    if (m_maxSeconds->value() > 0)
        limits.insert(QStringLiteral("max_seconds"), m_maxSeconds->value());
    if (m_trialTimeout->value() > 0)
        limits.insert(QStringLiteral("trial_timeout_seconds"), m_trialTimeout->value());
    QJsonObject extraLimits = m_extra.value(QLatin1String("limits")).toObject();
    for (auto it = extraLimits.begin(); it != extraLimits.end(); ++it) {
        if (!limits.contains(it.key()) && it.key() != QLatin1String("max_seconds")
            && it.key() != QLatin1String("trial_timeout_seconds"))
            limits.insert(it.key(), it.value());
    }
    spec.insert(QStringLiteral("limits"), limits);
    QJsonObject completion;
    if (m_useTarget->isChecked())
        completion.insert(QStringLiteral("target_value"), numberOrText(m_targetValue->text(), false));
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
    if (m_executor->currentData().toString() == QLatin1String("slurm")) {
        // The settings made here, over any others the loaded spec had (worker, sbatch_args, ...).
        QJsonObject executor = m_extra.value(QLatin1String("executor")).toObject();
        executor.insert(QStringLiteral("type"), QStringLiteral("slurm"));
        executor.insert(QStringLiteral("work_dir"), m_slurmFolder->text().trimmed());
        executor.insert(QStringLiteral("time_minutes"), m_slurmMinutes->value());
        if (m_slurmPartition->text().trimmed().isEmpty())
            executor.remove(QStringLiteral("partition"));
        else
            executor.insert(QStringLiteral("partition"), m_slurmPartition->text().trimmed());
        spec.insert(QStringLiteral("executor"), executor);
    } else {
        spec.remove(QStringLiteral("executor"));
    }
    return spec;
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
    for (const char* key : {"name", "dataset", "validation", "algorithm", "fixed", "ranges", "objective", "strategy",
                            "completion", "early_stopping", "seed"})
        extra.remove(QLatin1String(key));
    m_extra = extra;

    m_name->setText(spec.value(QLatin1String("name")).toString());
    const QJsonValue datasetValue = spec.value(QLatin1String("dataset"));
    const QJsonObject dataset = datasetValue.isString() ? QJsonObject{{QStringLiteral("path"), datasetValue.toString()}}
                                                        : datasetValue.toObject();
    const QString path = dataset.value(QLatin1String("path")).toString();
    if (!path.isEmpty()) {
        int index = m_dataset->findData(path);
        if (index < 0) {
            m_dataset->addItem(QFileInfo(path).fileName(), path);
            index = m_dataset->count() - 1;
        }
        m_dataset->setCurrentIndex(index);
    }
    m_ignored.clear();
    for (const QJsonValue& name : dataset.value(QLatin1String("ignore")).toArray())
        m_ignored << name.toString();
    m_types = dataset.value(QLatin1String("types")).toObject();
    m_read = dataset.value(QLatin1String("read")).toObject();
    updateTargets();
    if (const QString target = dataset.value(QLatin1String("target")).toString(); !target.isEmpty())
        m_target->setCurrentIndex(m_target->findText(target));
    updateMetrics();

    const QJsonObject validation = spec.value(QLatin1String("validation")).toObject();
    m_validation->setCurrentIndex(std::max(
        0, m_validation->findData(validation.value(QLatin1String("method")).toString(QStringLiteral("kfold")))));
    m_folds->setValue(validation.value(QLatin1String("folds")).toInt(5));
    m_holdout->setValue(validation.value(QLatin1String("holdout")).toDouble(0.25));
    m_stratified->setChecked(validation.value(QLatin1String("stratified")).toBool(true));
    const QJsonObject preprocessing = spec.value(QLatin1String("preprocessing")).toObject();
    m_impute->setCurrentIndex(
        std::max(0, m_impute->findData(preprocessing.value(QLatin1String("impute")).toString(QStringLiteral("mean")))));
    m_indicators->setChecked(preprocessing.value(QLatin1String("missing_indicators")).toBool(false));
    m_standardize->setChecked(preprocessing.value(QLatin1String("standardize")).toBool(true));
    m_categorical->setCurrentIndex(std::max(
        0,
        m_categorical->findData(preprocessing.value(QLatin1String("categorical")).toString(QStringLiteral("onehot")))));

    const QString algorithm = spec.value(QLatin1String("algorithm")).toString();
    if (const int index = m_algorithm->findData(algorithm); index >= 0 && index != m_algorithm->currentIndex())
        m_algorithm->setCurrentIndex(index); // rebuilds the table with defaults
    else
        buildParamTable();
    const QJsonObject fixed = spec.value(QLatin1String("fixed")).toObject();
    const QJsonObject ranges = spec.value(QLatin1String("ranges")).toObject();
    for (const ParamRow& row : m_rows) {
        if (fixed.contains(row.name))
            row.setValueText(jsonText(fixed.value(row.name)));
        if (!ranges.contains(row.name)) {
            row.tune->setChecked(false);
            continue;
        }
        row.tune->setChecked(true);
        const QJsonValue range = ranges.value(row.name);
        const QJsonObject object = range.toObject();
        if (auto* button = qobject_cast<QToolButton*>(row.from)) {
            const QJsonArray values
                = range.isArray() ? range.toArray() : object.value(QLatin1String("values")).toArray();
            QStringList chosen;
            for (const QJsonValue& v : values)
                chosen << jsonText(v);
            const bool all = values.isEmpty(); // {"type": "boolean"}: both
            for (QAction* action : button->menu()->actions())
                action->setChecked(all || chosen.contains(action->text()));
            showChecked(button);
        } else {
            static_cast<QLineEdit*>(row.from)->setText(jsonText(object.value(QLatin1String("min"))));
            row.to->setText(jsonText(object.value(QLatin1String("max"))));
            const QString scaling = object.value(QLatin1String("scaling")).toString();
            if (!scaling.isEmpty() && scaling != QLatin1String("auto"))
                row.log->setChecked(scaling == QLatin1String("log"));
        }
    }

    const QJsonObject objective = spec.value(QLatin1String("objective")).toObject();
    if (const int index = m_metric->findData(objective.value(QLatin1String("metric")).toString()); index >= 0)
        m_metric->setCurrentIndex(index);
    const QString goal = objective.value(QLatin1String("goal")).toString();
    if (!goal.isEmpty())
        m_goal->setCurrentIndex(goal == QLatin1String("minimize") ? 1 : 0);
    else if (const auto known = tuning::builtinMetrics().find(m_metric->currentData().toString().toStdString());
             known != tuning::builtinMetrics().end())
        m_goal->setCurrentIndex(known->second ? 0 : 1);
    m_strategy->setCurrentIndex(
        std::max(0, m_strategy->findData(spec.value(QLatin1String("strategy")).toString(QStringLiteral("bayesian")))));
    const QJsonObject limits = spec.value(QLatin1String("limits")).toObject();
    m_maxTrials->setValue(limits.value(QLatin1String("max_trials")).toInt(20));
    m_maxParallel->setValue(limits.value(QLatin1String("max_parallel")).toInt(1));
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
    const QJsonObject executor = spec.value(QLatin1String("executor")).toObject();
    const bool slurm = executor.value(QLatin1String("type")).toString() == QLatin1String("slurm");
    m_executor->setCurrentIndex(slurm ? 1 : 0);
    m_slurmRow->setVisible(slurm);
    m_slurmFolder->setText(executor.value(QLatin1String("work_dir")).toString());
    m_slurmPartition->setText(executor.value(QLatin1String("partition")).toString());
    m_slurmMinutes->setValue(executor.value(QLatin1String("time_minutes")).toInt(60));
    m_applying = false;
    validate();
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

void ExperimentEditor::validate()
{
    QString problem;
    m_parsed.reset();
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        problem = tr("Give the experiment a name.");
    else if (m_takenNames.contains(name))
        problem = tr("The project already has an experiment named \"%1\".").arg(name);
    else if (m_dataset->currentIndex() < 0)
        problem = tr("Choose a dataset (drop a data file on the window to add one).");
    else if (m_metric->currentIndex() < 0)
        problem = tr("Choose an objective metric.");
    if (problem.isEmpty()) {
        const auto algorithm = algorithms::findAlgorithm(m_algorithm->currentData().toString().toStdString());
        if (const std::optional<data::Task> detected = task(); algorithm && detected && !algorithm->supports(*detected))
            problem = tr("%1 does not support %2 targets.")
                          .arg(m_algorithm->currentText(), QString::fromLatin1(data::toString(*detected)));
    }
    if (problem.isEmpty()) {
        try {
            m_parsed = tuning::parseSpec(QJsonDocument(spec()).toJson(QJsonDocument::Compact), "spec", "/");
        } catch (const std::exception& error) {
            // "spec: ranges.lr.min: ..." -> "ranges.lr.min: ..."
            problem = QString::fromStdString(error.what());
            if (problem.startsWith(QLatin1String("spec: ")))
                problem = problem.mid(6);
        }
    }
    m_run->setEnabled(problem.isEmpty());
    m_run->setToolTip(problem.isEmpty() ? tr("Run the experiment in the background") : problem);
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
        setSpec(parsed.json);
        return true;
    } catch (const std::exception& failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
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
