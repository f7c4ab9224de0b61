#include "experiment/trialsmodel.h"

#include <cmath>

#include <QColor>
#include <QFont>

#include "tuning/tuningloop.h"

namespace tunebench::ui {

namespace {

QString formatNumber(double value)
{
    if (value == std::floor(value) && std::abs(value) < 1e9)
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', 5);
}

QString formatParam(const algorithms::ParamValue& value)
{
    if (const auto* number = std::get_if<double>(&value))
        return formatNumber(*number);
    if (const auto* integer = std::get_if<std::int64_t>(&value))
        return QString::number(*integer);
    if (const auto* flag = std::get_if<bool>(&value))
        return *flag ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromStdString(std::get<std::string>(value));
}

/// A parameter's value as a number, when it is one.
std::optional<double> numberOf(const algorithms::ParamValue& value)
{
    if (const auto* number = std::get_if<double>(&value))
        return *number;
    if (const auto* integer = std::get_if<std::int64_t>(&value))
        return static_cast<double>(*integer);
    return std::nullopt;
}

const algorithms::ParamValue* paramOf(const jobs::Trial& trial, const QString& name)
{
    const auto found = trial.config.params.find(name.toStdString());
    return found == trial.config.params.end() ? nullptr : &found->second;
}

const jobs::MetricSummary* metricOf(const jobs::Trial& trial, const QString& name)
{
    const auto found = trial.metrics.find(name.toStdString());
    return found == trial.metrics.end() ? nullptr : &found->second;
}

} // namespace

TrialsModel::TrialsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    rebuildColumns();
}

void TrialsModel::setObjective(const QString& metric, bool maximize)
{
    beginResetModel();
    m_metric = metric;
    m_maximize = maximize;
    rebuildColumns();
    endResetModel();
    updateBest();
}

void TrialsModel::setTrials(std::vector<jobs::Trial> trials)
{
    beginResetModel();
    m_trials = std::move(trials);
    m_params.clear();
    m_metrics.clear();
    for (const jobs::Trial& trial : m_trials)
        addKeys(trial);
    rebuildColumns();
    endResetModel();
    updateBest();
}

bool TrialsModel::addKeys(const jobs::Trial& trial)
{
    bool added = false;
    for (const auto& [name, value] : trial.config.params) {
        const QString key = QString::fromStdString(name);
        if (!m_params.contains(key)) {
            m_params.append(key);
            added = true;
        }
    }
    for (const auto& [name, summary] : trial.metrics) {
        const QString key = QString::fromStdString(name);
        if (key != m_metric && !m_metrics.contains(key)) {
            m_metrics.append(key);
            added = true;
        }
    }
    return added;
}

void TrialsModel::apply(const jobs::Trial& trial)
{
    if (addKeys(trial)) {
        // New columns are rare (the first trial of an algorithm): a reset keeps it simple.
        beginResetModel();
        rebuildColumns();
        endResetModel();
    }
    const int row = rowOfTrial(trial.number);
    if (row >= 0) {
        m_trials[static_cast<std::size_t>(row)] = trial;
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    } else {
        const int at = static_cast<int>(m_trials.size());
        beginInsertRows({}, at, at);
        m_trials.push_back(trial);
        endInsertRows();
    }
    updateBest();
}

void TrialsModel::rebuildColumns()
{
    m_columns = {{Kind::Number, {}}, {Kind::Status, {}}, {Kind::Algorithm, {}}};
    for (const QString& param : m_params)
        m_columns.push_back({Kind::Param, param});
    m_columns.push_back({Kind::Objective, m_metric});
    for (const QString& metric : m_metrics)
        m_columns.push_back({Kind::Metric, metric});
    m_columns.push_back({Kind::Duration, {}});
    m_columns.push_back({Kind::Message, {}});
}

void TrialsModel::setMeasures(const tuning::ExperimentSpec& spec)
{
    if (spec.isMultiObjective() || !spec.constraints.empty())
        m_spec = spec;
    else
        m_spec.reset();
    updateBest();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void TrialsModel::updateBest()
{
    std::set<int> front;
    m_infeasible.clear();
    if (m_spec) {
        // The tuner's own rules (tuning::setMeasured, paretoOf) on what each trial recorded.
        std::vector<tuning::TrialView> views;
        for (const jobs::Trial& trial : m_trials) {
            tuning::TrialView view = jobs::measuredTrial(*m_spec, trial).view;
            if (!view.feasible())
                m_infeasible.insert(trial.number);
            views.push_back(std::move(view));
        }
        if (m_spec->isMultiObjective()) {
            const std::vector<int> numbers = tuning::paretoOf(views);
            front.insert(numbers.begin(), numbers.end());
        }
    }
    if (front != m_front) {
        m_front = std::move(front);
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    }
    std::optional<int> best;
    double bestValue = 0.0;
    for (const jobs::Trial& trial : m_trials) {
        if (!hasResult(trial.state) || !trial.objective || m_infeasible.contains(trial.number)
            || (m_spec && m_spec->isMultiObjective()))
            continue;
        const double value = *trial.objective;
        if (!best || (m_maximize ? value > bestValue : value < bestValue)) {
            best = trial.number;
            bestValue = value;
        }
    }
    if (best == m_best)
        return;
    const std::optional<int> previous = std::exchange(m_best, best);
    for (const std::optional<int>& number : {previous, best}) {
        if (const int row = number ? rowOfTrial(*number) : -1; row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    }
    if (best)
        Q_EMIT bestTrialChanged(*best);
}

int TrialsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_trials.size());
}

int TrialsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

int TrialsModel::rowOfTrial(int number) const
{
    // Trials arrive in number order almost always: look where the number says first.
    const auto guess = static_cast<std::size_t>(number - 1);
    if (guess < m_trials.size() && m_trials[guess].number == number)
        return static_cast<int>(guess);
    for (std::size_t row = 0; row < m_trials.size(); ++row) {
        if (m_trials[row].number == number)
            return static_cast<int>(row);
    }
    return -1;
}

const jobs::Trial* TrialsModel::trial(int number) const
{
    const int row = rowOfTrial(number);
    return row < 0 ? nullptr : &m_trials[static_cast<std::size_t>(row)];
}

int TrialsModel::columnOf(const QString& header) const
{
    for (int column = 0; column < columnCount(); ++column) {
        const Column& c = m_columns[static_cast<std::size_t>(column)];
        if ((c.kind == Kind::Param && c.key == header)
            || (c.kind == Kind::Metric && QStringLiteral("metric:") + c.key == header)
            || headerData(column, Qt::Horizontal, Qt::DisplayRole).toString() == header)
            return column;
    }
    return -1;
}

QVariant TrialsModel::display(std::size_t row, const Column& column) const
{
    const jobs::Trial& trial = m_trials[row];
    switch (column.kind) {
    case Kind::Number: return trial.number;
    case Kind::Status: return QString::fromLatin1(stateName(trial.state));
    case Kind::Algorithm: return QString::fromStdString(trial.config.algorithm);
    case Kind::Param: {
        const algorithms::ParamValue* value = paramOf(trial, column.key);
        return value ? formatParam(*value) : QString();
    }
    case Kind::Objective: return trial.objective ? QString::number(*trial.objective, 'f', 4) : QString();
    case Kind::Metric: {
        const jobs::MetricSummary* metric = metricOf(trial, column.key);
        return metric ? QString::number(metric->mean, 'f', 4) : QString();
    }
    case Kind::Duration: {
        const std::optional<double> seconds = trial.seconds();
        return seconds ? QString::number(*seconds, 'f', 1) : QString();
    }
    case Kind::Message: return QString::fromStdString(trial.error);
    }
    return {};
}

QVariant TrialsModel::sortValue(std::size_t row, const Column& column) const
{
    const jobs::Trial& trial = m_trials[row];
    // Missing numbers sort after every value in ascending order.
    constexpr double missing = std::numeric_limits<double>::max();
    switch (column.kind) {
    case Kind::Number: return trial.number;
    case Kind::Objective: return trial.objective.value_or(missing);
    case Kind::Param: {
        const algorithms::ParamValue* value = paramOf(trial, column.key);
        if (!value)
            return QString();
        const std::optional<double> number = numberOf(*value);
        return number ? QVariant(*number) : QVariant(formatParam(*value));
    }
    case Kind::Metric: {
        const jobs::MetricSummary* metric = metricOf(trial, column.key);
        return metric ? metric->mean : missing;
    }
    case Kind::Duration: return trial.seconds().value_or(missing);
    default: return display(row, column);
    }
}

QVariant TrialsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    const Column& column = m_columns[static_cast<std::size_t>(index.column())];
    const jobs::Trial& trial = m_trials[row];
    const bool best = (m_best && *m_best == trial.number) || m_front.contains(trial.number);
    const bool infeasible = m_infeasible.contains(trial.number);
    switch (role) {
    case Qt::DisplayRole: return display(row, column);
    case Qt::ToolTipRole:
        if (column.kind == Kind::Message || column.kind == Kind::Status)
            return trial.error.empty() ? QVariant() : QVariant(QString::fromStdString(trial.error));
        if (infeasible)
            return QString::fromStdString(trial.error);
        return best ? (m_front.empty() ? tr("The best trial so far") : tr("On the Pareto front")) : QVariant();
    case SortRole: return sortValue(row, column);
    case TrialNumberRole: return trial.number;
    case Qt::TextAlignmentRole:
        if (column.kind == Kind::Number || column.kind == Kind::Objective || column.kind == Kind::Metric
            || column.kind == Kind::Duration
            || (column.kind == Kind::Param && paramOf(trial, column.key) && numberOf(*paramOf(trial, column.key))))
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (best) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        // Translucent, so it reads on light and dark palettes alike.
        if (best)
            return QColor(46, 160, 67, 70);
        if (trial.state == TrialState::Failed)
            return QColor(218, 54, 51, 45);
        return {};
    case Qt::ForegroundRole:
        if (trial.state == TrialState::Stopped && column.kind == Kind::Status)
            return QColor(150, 150, 150);
        if (trial.state == TrialState::Paused && column.kind == Kind::Status) // waits at a rung (asha, bohb)
            return QColor(64, 128, 220);
        if (infeasible) // finished, but breaks a constraint
            return QColor(156, 117, 95);
        return {};
    default: return {};
    }
}

QVariant TrialsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    const Column& column = m_columns[static_cast<std::size_t>(section)];
    if (role == Qt::ToolTipRole && column.kind == Kind::Objective)
        return m_maximize ? tr("The objective, maximised") : tr("The objective, minimised");
    if (role != Qt::DisplayRole)
        return {};
    switch (column.kind) {
    case Kind::Number: return tr("#");
    case Kind::Status: return tr("Status");
    case Kind::Algorithm: return tr("Algorithm");
    case Kind::Param: return column.key;
    // Spelled out: an arrow beside the name read as the table's sort indicator.
    case Kind::Objective: return (m_maximize ? tr("%1 (max)") : tr("%1 (min)")).arg(column.key);
    case Kind::Metric: return column.key;
    case Kind::Duration: return tr("Seconds");
    case Kind::Message: return tr("Message");
    }
    return {};
}

TrialsFilterModel::TrialsFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TrialsModel::SortRole);
    setFilterKeyColumn(-1);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void TrialsFilterModel::setStatusFilter(const QString& status)
{
    m_status = status;
    invalidateFilter();
}

bool TrialsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_status.isEmpty()) {
        const QModelIndex status = sourceModel()->index(sourceRow, 1, sourceParent);
        if (status.data().toString() != m_status)
            return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace tunebench::ui
