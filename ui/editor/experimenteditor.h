#pragma once

#include <optional>
#include <vector>

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

#include "common/backgroundtask.h"
#include "editor/parametertable.h"
#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "util/cancel.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QTimer;
class QToolButton;
class QUndoStack;

namespace tunebench::ui {

class AlgorithmPage;
class MeasuresEditor;

/// Defines a tuning experiment or a training job: dataset and target, validation, one algorithm or several (each
/// a built-in with a table from its schema, each parameter fixed or searched under an optional condition, or your
/// own script with its command, metrics and parameters), objective, strategy, Hyperband's resource, limits,
/// completion, early stopping, warm start and where the trials run. Every spec the CLI runs loads into it and saves
/// back to the same experiment (tuning::canonicalJson). What it edits is the native spec JSON, checked on every edit by
/// the same parser the CLI uses, so Run is enabled exactly when `tunebench-cli tune` would accept the spec — and the
/// label beside it says why not. Edits are undoable.
class ExperimentEditor : public QWidget
{
    Q_OBJECT

public:
    explicit ExperimentEditor(QWidget* parent = nullptr);
    ~ExperimentEditor() override;

    /// The project's datasets to choose from, and the names already taken.
    void setProject(const std::vector<store::DatasetRecord>& datasets, const QStringList& experimentNames);
    /// Chooses a dataset (adding it when it is not a project dataset), a target, columns to ignore and types.
    void setDataset(const QString& path, const QString& target = {}, const QStringList& ignored = {},
                    const QJsonObject& types = {});

    /// The native spec the form describes.
    [[nodiscard]] QJsonObject spec() const;
    /// Fills the form from a native spec (an undoable edit).
    void setSpec(const QJsonObject& spec);
    /// Why the spec cannot run, or empty.
    [[nodiscard]] QString problem() const { return m_problem; }
    [[nodiscard]] const std::optional<tuning::ExperimentSpec>& parsedSpec() const { return m_parsed; }

    /// Loads a native spec or a SageMaker tuning config (with "dataset" and "algorithm" beside it).
    /// Refused, naming the field, when the form cannot show the spec as it is (nothing is rewritten silently).
    bool loadFile(const QString& path, QString* error);
    /// Shows a parsed spec; false, with the field it cannot show in `error`, leaves the form as it was.
    bool showSpec(const tuning::ExperimentSpec& parsed, QString* error);
    bool saveFile(const QString& path, QString* error) const;

    [[nodiscard]] QUndoStack* undoStack() const { return m_undo; }

    // The widgets, for tests and for the main window's actions.
    [[nodiscard]] QLineEdit* nameEdit() const { return m_name; }
    [[nodiscard]] QComboBox* datasetChooser() const { return m_dataset; }
    [[nodiscard]] QComboBox* targetChooser() const { return m_target; }
    [[nodiscard]] QComboBox* imputeChooser() const { return m_impute; }
    [[nodiscard]] QCheckBox* indicatorsCheck() const { return m_indicators; }
    [[nodiscard]] QCheckBox* standardizeCheck() const { return m_standardize; }
    [[nodiscard]] QComboBox* categoricalChooser() const { return m_categorical; }
    [[nodiscard]] QComboBox* metricChooser() const { return m_metric; }
    [[nodiscard]] QComboBox* goalChooser() const { return m_goal; }
    /// More objectives and constraints, under the first objective.
    [[nodiscard]] MeasuresEditor* measuresEditor() const { return m_measures; }
    [[nodiscard]] QComboBox* strategyChooser() const { return m_strategy; }
    [[nodiscard]] QSpinBox* maxTrialsEdit() const { return m_maxTrials; }
    [[nodiscard]] QSpinBox* maxParallelEdit() const { return m_maxParallel; }
    [[nodiscard]] QLineEdit* gpusEdit() const { return m_gpus; }
    [[nodiscard]] QSpinBox* trialGpusEdit() const { return m_trialGpus; }
    [[nodiscard]] QPushButton* runButton() const { return m_run; }
    [[nodiscard]] QLabel* problemLabel() const { return m_problemLabel; }
    [[nodiscard]] QLabel* importNotesLabel() const { return m_importNotes; }
    [[nodiscard]] QToolButton* warmStartChooser() const { return m_warmStart; }

    // The algorithms, one page each: one is a single-algorithm experiment, several a joint search.
    [[nodiscard]] QTabWidget* algorithmTabs() const { return m_algorithms; }
    [[nodiscard]] int algorithmCount() const;
    [[nodiscard]] AlgorithmPage* algorithmPage(int index) const;
    /// Adds a page for `id` (a built-in algorithm, or "command") and shows it.
    AlgorithmPage* addAlgorithm(const QString& id);
    void removeAlgorithm(int index);
    // The first algorithm's chooser, table and rows (what a single-algorithm experiment shows).
    [[nodiscard]] QComboBox* algorithmChooser() const;
    [[nodiscard]] QTableWidget* parameterTable() const;
    using ParamRow = ParameterTable::Row;
    [[nodiscard]] const ParamRow* paramRow(const QString& name) const;
    /// The folder relative paths of the form resolve against (a command's program and working folder).
    void setBaseFolder(const QString& folder);
    /// The project file, read (on a pool thread) to say which earlier experiments a warm start may learn from.
    void setProjectFile(const QString& path) { m_projectFile = path; }
    /// Whether Run is a training job: one algorithm with nothing searched.
    [[nodiscard]] bool isTrainingJob() const;

Q_SIGNALS:
    void runRequested(const tunebench::tuning::ExperimentSpec& spec);
    void problemChanged(const QString& problem);

private:
    QGroupBox* createDataGroup();
    QGroupBox* createModelGroup();
    QGroupBox* createSearchGroup();
    QWidget* createHyperbandRow();
    QWidget* createExecutorRow();
    void connectEdits();
    void edited();
    void validate();
    [[nodiscard]] QString formProblem() const;
    void commitUndoStep();
    void applySpec(const QJsonObject& spec);
    void applyAlgorithms(const QJsonObject& spec);
    void applySearch(const QJsonObject& spec);
    void insertAlgorithms(QJsonObject& spec) const;
    void insertSearch(QJsonObject& spec) const;
    void insertResources(QJsonObject& spec) const;
    void updateTargets();
    /// After the algorithms changed: tab titles, preprocessing that applies, the objective's metrics.
    void algorithmsChanged();
    [[nodiscard]] bool hasCommand() const;
    /// How the file at `path` is read: the project's settings for it, else the loaded spec's.
    [[nodiscard]] QJsonObject readSettingsFor(const QString& path) const;
    /// Follows the target's task: the metrics it offers (a command's own), and the parameters that apply.
    void updateMetrics();
    /// Greys out the parameters that mean nothing for the target's task (class weights for regression) or for
    /// the encoding of categories (xgboost's categorical splits for one-hot columns).
    void applyContextToParams();
    [[nodiscard]] std::optional<data::Task> task() const;
    /// The project's experiments (and any a loaded spec names) to warm start from, `checked` ones ticked.
    void setWarmStartChoices(const QStringList& checked);
    /// A script's dry run: one trial at the middle of every range, its output shown in the page's tester.
    void tryOneTrial(AlgorithmPage* page);
    [[nodiscard]] QStringList warmStartNames() const;
    void showWarmStartChoice();
    /// Compares each earlier experiment with the form's spec (compatibility rules: metric, goal, data by content,
    /// target, validation, search space) and says so on its choice.
    void checkWarmStartChoices();

    QLineEdit* m_name;
    QComboBox* m_dataset;
    QComboBox* m_target;
    QLabel* m_task;
    QComboBox* m_validation;
    QSpinBox* m_folds;
    QSpinBox* m_repeats;
    QDoubleSpinBox* m_holdout;
    QCheckBox* m_stratified;
    QSpinBox* m_validationSeed; ///< -1: the search's seed
    QComboBox* m_impute;
    QCheckBox* m_indicators;
    QCheckBox* m_standardize;
    QComboBox* m_categorical;
    QTabWidget* m_algorithms;
    QComboBox* m_metric;
    QComboBox* m_goal;
    MeasuresEditor* m_measures;
    QComboBox* m_strategy;
    QSpinBox* m_maxTrials;
    QSpinBox* m_maxParallel;
    QSpinBox* m_threads;
    QLineEdit* m_gpus; ///< the machine's GPUs by index, "0, 1, 2, 3"
    QSpinBox* m_trialGpus;
    QSpinBox* m_gridResolution;
    QSpinBox* m_maxSeconds;
    QSpinBox* m_trialTimeout;
    QCheckBox* m_useTarget;
    QLineEdit* m_targetValue;
    QSpinBox* m_notImproving;
    QCheckBox* m_convergence;
    QComboBox* m_earlyStopping;
    QSpinBox* m_seed;
    QWidget* m_hyperbandRow;
    QComboBox* m_resource;
    QDoubleSpinBox* m_minResource;
    QDoubleSpinBox* m_maxResource;
    QSpinBox* m_eta;
    QSpinBox* m_brackets; ///< asha and bohb: Hyperband's brackets that run (0: all)
    QToolButton* m_warmStart;
    QComboBox* m_warmStartType;
    QComboBox* m_executor; ///< this machine, or a Slurm cluster
    QLineEdit* m_slurmFolder;
    QLineEdit* m_slurmPartition;
    QSpinBox* m_slurmMinutes;
    QSpinBox* m_slurmCpus;
    QSpinBox* m_slurmMemory;
    QWidget* m_slurmRow;
    QPushButton* m_run;
    QLabel* m_problemLabel;
    QLabel* m_importNotes; ///< what importing a SageMaker config mapped or left out
    QUndoStack* m_undo;
    QTimer* m_undoTimer;

    std::vector<store::DatasetRecord> m_datasets;
    QStringList m_takenNames;
    QStringList m_ignored; ///< columns left out, kept as given
    QJsonObject m_types; ///< column type overrides, kept as given
    QJsonObject m_read; ///< read settings of a loaded spec whose file the project does not hold
    QJsonObject m_extra; ///< keys the form has no widget for, kept as loaded (a Slurm executor's sbatch_args, ...)
    QJsonObject m_committed; ///< the spec at the last undo step
    QString m_baseFolder = QStringLiteral("/");
    bool m_keepHyperband = false; ///< the loaded spec set Hyperband's options with another strategy
    QString m_problem;
    std::optional<tuning::ExperimentSpec> m_parsed;
    BackgroundTask m_try{this};
    BackgroundTask m_warmCheck{this};
    QString m_projectFile;
    util::CancelToken m_tryCancel;
    bool m_applying = false;
};

} // namespace tunebench::ui
