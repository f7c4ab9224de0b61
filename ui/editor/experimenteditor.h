#pragma once

#include <optional>
#include <vector>

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

#include "store/projectstore.h"
#include "tuning/experimentspec.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;
class QToolButton;
class QUndoStack;

namespace tunebench::ui {

/// Defines a tuning experiment: dataset and target, validation, algorithm, objective, a hyperparameter table
/// built from the algorithm's schema (each parameter fixed or searched), strategy, limits, completion and
/// early stopping. What it edits is the native spec JSON, checked on every edit by the same parser the CLI
/// uses, so Run is enabled exactly when `tunebench-cli tune` would accept the spec — and the label beside it
/// says why not. Edits are undoable.
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
    bool loadFile(const QString& path, QString* error);
    bool saveFile(const QString& path, QString* error) const;

    [[nodiscard]] QUndoStack* undoStack() const { return m_undo; }

    // The widgets, for tests and for the main window's actions.
    [[nodiscard]] QLineEdit* nameEdit() const { return m_name; }
    [[nodiscard]] QComboBox* datasetChooser() const { return m_dataset; }
    [[nodiscard]] QComboBox* targetChooser() const { return m_target; }
    [[nodiscard]] QComboBox* algorithmChooser() const { return m_algorithm; }
    [[nodiscard]] QComboBox* imputeChooser() const { return m_impute; }
    [[nodiscard]] QCheckBox* indicatorsCheck() const { return m_indicators; }
    [[nodiscard]] QCheckBox* standardizeCheck() const { return m_standardize; }
    [[nodiscard]] QComboBox* categoricalChooser() const { return m_categorical; }
    [[nodiscard]] QComboBox* metricChooser() const { return m_metric; }
    [[nodiscard]] QComboBox* strategyChooser() const { return m_strategy; }
    [[nodiscard]] QSpinBox* maxTrialsEdit() const { return m_maxTrials; }
    [[nodiscard]] QSpinBox* maxParallelEdit() const { return m_maxParallel; }
    [[nodiscard]] QTableWidget* parameterTable() const { return m_params; }
    [[nodiscard]] QPushButton* runButton() const { return m_run; }
    [[nodiscard]] QLabel* problemLabel() const { return m_problemLabel; }
    /// The editors of a parameter's row: tune check box, value, from, to, log check box (null when absent).
    struct ParamRow
    {
        QString name;
        QCheckBox* tune = nullptr;
        QWidget* value = nullptr; ///< QLineEdit for numbers, QComboBox for choices
        QWidget* from = nullptr; ///< QLineEdit for numbers, QToolButton with checkable actions for choices
        QLineEdit* to = nullptr;
        QCheckBox* log = nullptr;
        bool classificationOnly = false; ///< greyed out (fixed at its value) for a regression target
        bool categoryCodesOnly = false; ///< greyed out (fixed at its value) for one-hot categories
        QString classesDefault; ///< the default for a class target, as the value editor shows it
        QString numbersDefault; ///< the default for a number to predict (most parameters: the same)
        QString severalClassesDefault; ///< the default for three classes or more (most parameters: the same)
        QString shownDefault; ///< the default the value editor last showed; another value is the user's

        [[nodiscard]] QString valueText() const;
        void setValueText(const QString& text) const;
    };
    [[nodiscard]] const ParamRow* paramRow(const QString& name) const;

Q_SIGNALS:
    void runRequested(const tunebench::tuning::ExperimentSpec& spec);
    void problemChanged(const QString& problem);

private:
    QGroupBox* createDataGroup();
    QGroupBox* createModelGroup();
    QGroupBox* createSearchGroup();
    void connectEdits();
    void buildParamTable();
    void edited();
    void validate();
    void commitUndoStep();
    void applySpec(const QJsonObject& spec);
    void updateTargets();
    /// How the file at `path` is read: the project's settings for it, else the loaded spec's.
    [[nodiscard]] QJsonObject readSettingsFor(const QString& path) const;
    /// Follows the target's task: the metrics it offers, and the parameters that apply (applyContextToParams).
    void updateMetrics();
    /// Greys out the parameters that mean nothing for the target's task (class weights for regression) or for
    /// the encoding of categories (xgboost's categorical splits for one-hot columns).
    void applyContextToParams();
    [[nodiscard]] std::optional<data::Task> task() const;

    QLineEdit* m_name;
    QComboBox* m_dataset;
    QComboBox* m_target;
    QLabel* m_task;
    QComboBox* m_validation;
    QSpinBox* m_folds;
    QDoubleSpinBox* m_holdout;
    QCheckBox* m_stratified;
    QComboBox* m_impute;
    QCheckBox* m_indicators;
    QCheckBox* m_standardize;
    QComboBox* m_categorical;
    QComboBox* m_algorithm;
    QLabel* m_algorithmHelp;
    QComboBox* m_metric;
    QComboBox* m_goal;
    QTableWidget* m_params;
    QComboBox* m_strategy;
    QSpinBox* m_maxTrials;
    QSpinBox* m_maxParallel;
    QSpinBox* m_maxSeconds;
    QSpinBox* m_trialTimeout;
    QCheckBox* m_useTarget;
    QLineEdit* m_targetValue;
    QSpinBox* m_notImproving;
    QCheckBox* m_convergence;
    QComboBox* m_earlyStopping;
    QSpinBox* m_seed;
    QComboBox* m_executor; ///< this machine, or a Slurm cluster
    QLineEdit* m_slurmFolder;
    QLineEdit* m_slurmPartition;
    QSpinBox* m_slurmMinutes;
    QWidget* m_slurmRow;
    QPushButton* m_run;
    QLabel* m_problemLabel;
    QUndoStack* m_undo;
    QTimer* m_undoTimer;

    std::vector<ParamRow> m_rows;
    std::vector<store::DatasetRecord> m_datasets;
    QStringList m_takenNames;
    QStringList m_ignored; ///< columns left out, kept as given
    QJsonObject m_types; ///< column type overrides, kept as given
    QJsonObject m_read; ///< read settings of a loaded spec whose file the project does not hold
    QJsonObject m_extra; ///< keys the form has no widget for (warm_start, hyperband, ...), kept as loaded
    QJsonObject m_committed; ///< the spec at the last undo step
    QString m_problem;
    std::optional<tuning::ExperimentSpec> m_parsed;
    bool m_applying = false;
};

} // namespace tunebench::ui
