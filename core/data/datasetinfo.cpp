#include "data/datasetinfo.h"

#include <stdexcept>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>

namespace tunebench::data {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject describeDataset(const Dataset& dataset, std::optional<std::size_t> target)
{
    QJsonArray columns;
    for (const Column& column : dataset.columns()) {
        const ColumnSummary summary = summarize(column);
        QJsonObject entry{
            {QStringLiteral("name"), qs(column.name)},
            {QStringLiteral("type"), qs(toString(column.type))},
            {QStringLiteral("missing"), static_cast<qint64>(summary.missing)},
            {QStringLiteral("distinct"), static_cast<qint64>(summary.distinct)},
        };
        if (column.type == ColumnType::Numeric || column.type == ColumnType::Date) {
            entry.insert(QStringLiteral("min"), number(summary.min));
            entry.insert(QStringLiteral("max"), number(summary.max));
        }
        if (column.type == ColumnType::Numeric) {
            entry.insert(QStringLiteral("mean"), number(summary.mean));
            entry.insert(QStringLiteral("std"), number(summary.stddev));
            if (column.possiblyCategorical)
                entry.insert(QStringLiteral("possibly_categorical"), true);
        }
        if (column.type == ColumnType::Categorical || column.type == ColumnType::Boolean) {
            QJsonArray levels;
            QJsonObject counts;
            for (const auto& [level, count] : summary.levelCounts) {
                levels.append(qs(level));
                counts.insert(qs(level), static_cast<qint64>(count));
            }
            entry.insert(QStringLiteral("levels"), levels);
            entry.insert(QStringLiteral("level_counts"), counts);
        }
        columns.append(entry);
    }
    QJsonObject result{
        {QStringLiteral("rows"), static_cast<qint64>(dataset.rowCount())},
        {QStringLiteral("columns"), columns},
    };
    const std::optional<std::size_t> chosen = target ? target : suggestTarget(dataset);
    if (chosen && *chosen < dataset.columnCount()) {
        result.insert(QStringLiteral("target"), qs(dataset.column(*chosen).name));
        result.insert(QStringLiteral("task"), qs(toString(detectTask(dataset.column(*chosen)))));
    } else {
        result.insert(QStringLiteral("target"), QJsonValue::Null);
        result.insert(QStringLiteral("task"), QJsonValue::Null);
    }
    return result;
}

std::string sha256OfFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(path + ": cannot open: " + file.errorString().toStdString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        throw std::runtime_error(path + ": read error");
    return hash.result().toHex().toStdString();
}

} // namespace tunebench::data
