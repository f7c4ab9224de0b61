#include "data/datasetinfo.h"

#include <cmath>
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

QJsonObject toJson(const ReadSettings& settings)
{
    QJsonObject json;
    if (settings.delimiter != '\0')
        json.insert(QStringLiteral("delimiter"), qs(delimiterName(settings.delimiter)));
    if (settings.decimalMark != '\0')
        json.insert(QStringLiteral("decimal"), QString(QLatin1Char(settings.decimalMark)));
    if (settings.header != ReadOptions::Header::Auto)
        json.insert(QStringLiteral("header"), settings.header == ReadOptions::Header::Present);
    if (settings.skipRows)
        json.insert(QStringLiteral("skip_rows"), static_cast<qint64>(*settings.skipRows));
    if (settings.missingTokens) {
        QJsonArray tokens;
        for (const std::string& token : *settings.missingTokens)
            tokens.append(qs(token));
        json.insert(QStringLiteral("missing"), tokens);
    }
    return json;
}

ReadSettingsError::ReadSettingsError(std::string field, std::string reason)
    : std::invalid_argument(field + ": " + reason)
    , m_field(std::move(field))
    , m_reason(std::move(reason))
{ }

ReadSettings readSettingsFromJson(const QJsonObject& json)
{
    const auto fail
        = [](const std::string& field, const std::string& reason) { throw ReadSettingsError(field, reason); };
    ReadSettings settings;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("delimiter")) {
            const auto delimiter = delimiterFromName(value.toString().toStdString());
            if (!value.isString() || !delimiter)
                fail("delimiter", "one character such as \",\" \";\" \"|\", or \"tab\" or \"whitespace\"");
            settings.delimiter = *delimiter;
        } else if (key == QLatin1String("decimal")) {
            if (value.toString() != QLatin1String(".") && value.toString() != QLatin1String(","))
                fail("decimal", "\".\" or \",\"");
            settings.decimalMark = value.toString().at(0).toLatin1();
        } else if (key == QLatin1String("header")) {
            if (!value.isBool())
                fail("header", "true (the first row names the columns) or false (it is data)");
            settings.header = value.toBool() ? ReadOptions::Header::Present : ReadOptions::Header::Absent;
        } else if (key == QLatin1String("skip_rows")) {
            const double rows = value.toDouble(-1.0);
            if (!value.isDouble() || rows < 0 || rows != std::floor(rows) || rows > 1e9)
                fail("skip_rows", "a count of rows, 0 or more");
            settings.skipRows = static_cast<std::size_t>(rows);
        } else if (key == QLatin1String("missing")) {
            if (!value.isArray())
                fail("missing", "a list of texts read as missing, such as [\"NA\", \"-\"]");
            std::vector<std::string> tokens;
            for (const QJsonValue& token : value.toArray()) {
                if (!token.isString())
                    fail("missing", "a list of texts read as missing, such as [\"NA\", \"-\"]");
                tokens.push_back(token.toString().toStdString());
            }
            settings.missingTokens = std::move(tokens);
        } else {
            fail(key.toStdString(), "unknown field (expected delimiter, decimal, header, skip_rows, missing)");
        }
    }
    return settings;
}

} // namespace tunebench::data
