#pragma once

#include <optional>
#include <set>
#include <vector>

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include "jobs/trial.h"

namespace tunebench::ui {

/// The trials of one experiment as a table: number, status, algorithm, one column per hyperparameter, the
/// objective, every final metric, the duration and the message. Trials are inserted and updated live from
/// typed jobs::Trial values (nothing is parsed on the GUI thread); columns appear as new hyperparameters or
/// metrics do. The best finished trial is highlighted.
class TrialsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Roles
    {
        SortRole = Qt::UserRole + 1, ///< numbers as numbers, missing values last
        TrialNumberRole,
    };

    explicit TrialsModel(QObject* parent = nullptr);

    void setObjective(const QString& metric, bool maximize);
    void setTrials(std::vector<jobs::Trial> trials);
    /// Inserts the trial or updates the one with its number.
    void apply(const jobs::Trial& trial);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    [[nodiscard]] int rowOfTrial(int number) const;
    [[nodiscard]] const jobs::Trial* trial(int number) const;
    [[nodiscard]] const std::vector<jobs::Trial>& trials() const { return m_trials; }
    [[nodiscard]] std::optional<int> bestTrial() const { return m_best; }
    /// The objectives and constraints trials are measured by: trials that break a constraint are never best and are
    /// marked; with several objectives the trials on the Pareto front are marked instead of one best.
    void setMeasures(const tuning::ExperimentSpec& spec);
    [[nodiscard]] bool isFeasible(int number) const { return !m_infeasible.contains(number); }
    [[nodiscard]] bool isOnFront(int number) const { return m_front.contains(number); }
    [[nodiscard]] bool maximize() const { return m_maximize; }
    [[nodiscard]] QString objectiveName() const { return m_metric; }
    /// Column of a hyperparameter, a metric ("metric:auc"), or a fixed column by its header.
    [[nodiscard]] int columnOf(const QString& header) const;

Q_SIGNALS:
    void bestTrialChanged(int number);

private:
    enum class Kind
    {
        Number,
        Status,
        Algorithm,
        Param,
        Objective,
        Metric,
        Duration,
        Message,
    };
    struct Column
    {
        Kind kind;
        QString key; ///< parameter or metric name
    };
    void rebuildColumns();
    /// Adds the trial's parameters and metrics to the columns' names; true when there is a new one.
    bool addKeys(const jobs::Trial& trial);
    void updateBest();
    [[nodiscard]] QVariant display(std::size_t row, const Column& column) const;
    [[nodiscard]] QVariant sortValue(std::size_t row, const Column& column) const;

    std::vector<jobs::Trial> m_trials;
    std::vector<Column> m_columns;
    QStringList m_params;
    QStringList m_metrics;
    QString m_metric = QStringLiteral("objective");
    bool m_maximize = true;
    std::optional<int> m_best;
    std::optional<tuning::ExperimentSpec> m_spec; ///< with constraints or several objectives
    std::set<int> m_infeasible;
    std::set<int> m_front; ///< several objectives
};

/// Sorts by TrialsModel::SortRole and filters on any column's text (and, optionally, one status).
class TrialsFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TrialsFilterModel(QObject* parent = nullptr);
    void setStatusFilter(const QString& status);

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_status;
};

} // namespace tunebench::ui
