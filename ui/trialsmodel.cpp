#include "trialsmodel.h"

#include <cmath>

#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QJsonDocument>

namespace tunebench::ui {

namespace {

QJsonObject parseObject(const std::string& json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

std::optional<double> secondsBetween(const std::string& start, const std::string& end)
{
    if (start.empty() || end.empty())
        return std::nullopt;
    const QDateTime from = QDateTime::fromString(QString::fromStdString(start), Qt::ISODateWithMs);
    const QDateTime to = QDateTime::fromString(QString::fromStdString(end), Qt::ISODateWithMs);
    if (!from.isValid() || !to.isValid())
        return std::nullopt;
    return static_cast<double>(from.msecsTo(to)) / 1000.0;
}

QString formatNumber(double value)
{
    if (value == std::floor(value) && std::abs(value) < 1e9)
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', 5);
}

QString formatJsonValue(const QJsonValue& value)
{
    if (value.isDouble())
        return formatNumber(value.toDouble());
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
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

void TrialsModel::setTrials(const std::vector<store::TrialRecord>& trials)
{
    beginResetModel();
    m_trials = trials;
    m_parsed.clear();
    m_params.clear();
    m_metrics.clear();
    for (const store::TrialRecord& trial : m_trials) {
        Parsed parsed{parseObject(trial.paramsJson), parseObject(trial.metricsJson),
                      secondsBetween(trial.startedAt, trial.finishedAt)};
        addKeys(parsed);
        m_parsed.push_back(std::move(parsed));
    }
    rebuildColumns();
    endResetModel();
    updateBest();
}

void TrialsModel::addKeys(const Parsed& parsed)
{
    for (auto it = parsed.params.begin(); it != parsed.params.end(); ++it) {
        if (!m_params.contains(it.key()))
            m_params.append(it.key());
    }
    for (auto it = parsed.metrics.begin(); it != parsed.metrics.end(); ++it) {
        if (it.key() != m_metric && it.key() != QLatin1String("fit_seconds") && !m_metrics.contains(it.key()))
            m_metrics.append(it.key());
    }
}

void TrialsModel::apply(const store::TrialRecord& trial)
{
    Parsed parsed{parseObject(trial.paramsJson), parseObject(trial.metricsJson),
                  secondsBetween(trial.startedAt, trial.finishedAt)};
    const QStringList params = m_params;
    const QStringList metrics = m_metrics;
    addKeys(parsed);
    if (params != m_params || metrics != m_metrics) {
        // New columns are rare (the first trial of an algorithm): a reset keeps it simple.
        beginResetModel();
        rebuildColumns();
        endResetModel();
    }
    const int row = rowOfTrial(trial.number);
    if (row >= 0) {
        m_trials[static_cast<std::size_t>(row)] = trial;
        m_parsed[static_cast<std::size_t>(row)] = std::move(parsed);
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    } else {
        const int at = static_cast<int>(m_trials.size());
        beginInsertRows({}, at, at);
        m_trials.push_back(trial);
        m_parsed.push_back(std::move(parsed));
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

void TrialsModel::updateBest()
{
    std::optional<int> best;
    double bestValue = 0.0;
    for (const store::TrialRecord& trial : m_trials) {
        if (trial.status != "finished" || !trial.objective)
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

const store::TrialRecord* TrialsModel::trial(int number) const
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
    const store::TrialRecord& trial = m_trials[row];
    const Parsed& parsed = m_parsed[row];
    switch (column.kind) {
    case Kind::Number: return trial.number;
    case Kind::Status: return QString::fromStdString(trial.status);
    case Kind::Algorithm: return QString::fromStdString(trial.algorithm);
    case Kind::Param:
        return parsed.params.contains(column.key) ? formatJsonValue(parsed.params.value(column.key)) : QString();
    case Kind::Objective: return trial.objective ? QString::number(*trial.objective, 'f', 4) : QString();
    case Kind::Metric: {
        const QJsonObject value = parsed.metrics.value(column.key).toObject();
        return value.contains(QLatin1String("mean"))
            ? QString::number(value.value(QLatin1String("mean")).toDouble(), 'f', 4)
            : QString();
    }
    case Kind::Duration: return parsed.seconds ? QString::number(*parsed.seconds, 'f', 1) : QString();
    case Kind::Message: return QString::fromStdString(trial.error);
    }
    return {};
}

QVariant TrialsModel::sortValue(std::size_t row, const Column& column) const
{
    const store::TrialRecord& trial = m_trials[row];
    const Parsed& parsed = m_parsed[row];
    // Missing numbers sort after every value in ascending order.
    constexpr double missing = std::numeric_limits<double>::max();
    switch (column.kind) {
    case Kind::Number: return trial.number;
    case Kind::Objective: return trial.objective.value_or(missing);
    case Kind::Param: {
        const QJsonValue value = parsed.params.value(column.key);
        return value.isDouble() ? QVariant(value.toDouble()) : QVariant(formatJsonValue(value));
    }
    case Kind::Metric: {
        const QJsonObject value = parsed.metrics.value(column.key).toObject();
        return value.contains(QLatin1String("mean")) ? value.value(QLatin1String("mean")).toDouble() : missing;
    }
    case Kind::Duration: return parsed.seconds.value_or(missing);
    default: return display(row, column);
    }
}

QVariant TrialsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    const Column& column = m_columns[static_cast<std::size_t>(index.column())];
    const store::TrialRecord& trial = m_trials[row];
    const bool best = m_best && *m_best == trial.number;
    switch (role) {
    case Qt::DisplayRole: return display(row, column);
    case Qt::ToolTipRole:
        if (column.kind == Kind::Message || column.kind == Kind::Status)
            return trial.error.empty() ? QVariant() : QVariant(QString::fromStdString(trial.error));
        return best ? tr("The best trial so far") : QVariant();
    case SortRole: return sortValue(row, column);
    case TrialNumberRole: return trial.number;
    case Qt::TextAlignmentRole:
        if (column.kind == Kind::Number || column.kind == Kind::Objective || column.kind == Kind::Metric
            || column.kind == Kind::Duration
            || (column.kind == Kind::Param && m_parsed[row].params.value(column.key).isDouble()))
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
        if (trial.status == "failed")
            return QColor(218, 54, 51, 45);
        return {};
    case Qt::ForegroundRole:
        if (trial.status == "stopped" && column.kind == Kind::Status)
            return QColor(150, 150, 150);
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
