#include "jobs/workerprotocol.h"

#include <fstream>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tunebench::jobs {

namespace worker {

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QJsonObject summaryJson(const std::map<std::string, evaluation::MeanStd, std::less<>>& metrics)
{
    QJsonObject out;
    for (const auto& [name, value] : metrics)
        out.insert(qs(name), QJsonObject{{QStringLiteral("mean"), value.mean}, {QStringLiteral("std"), value.std}});
    return out;
}

} // namespace

std::string toLine(const Event& event)
{
    QJsonObject json;
    if (const auto* started = std::get_if<Started>(&event)) {
        json = {{QStringLiteral("event"), QStringLiteral("started")},
                {QStringLiteral("trial"), started->trial},
                {QStringLiteral("host"), qs(started->host)}};
    } else if (const auto* point = std::get_if<Point>(&event)) {
        json = {{QStringLiteral("event"), QStringLiteral("point")},
                {QStringLiteral("step"), point->step},
                {QStringLiteral("name"), qs(point->name)},
                {QStringLiteral("value"), point->value}};
    } else if (const auto* finished = std::get_if<Finished>(&event)) {
        const TrialResult& result = finished->result;
        QJsonObject folds;
        for (const auto& [name, values] : result.foldMetrics) {
            QJsonArray list;
            for (double v : values)
                list.append(v);
            folds.insert(qs(name), list);
        }
        json = {
            {QStringLiteral("event"), QStringLiteral("result")},      {QStringLiteral("objective"), result.objective},
            {QStringLiteral("metrics"), summaryJson(result.metrics)}, {QStringLiteral("folds"), folds},
            {QStringLiteral("fit_seconds"), result.fitSeconds},       {QStringLiteral("output"), qs(result.output)}};
    } else if (const auto* failed = std::get_if<Failed>(&event)) {
        json = {{QStringLiteral("event"), QStringLiteral("failed")},
                {QStringLiteral("reason"), qs(failed->reason)},
                {QStringLiteral("output"), qs(failed->output)}};
    } else {
        json = {{QStringLiteral("event"), QStringLiteral("cancelled")}};
    }
    return QJsonDocument(json).toJson(QJsonDocument::Compact).toStdString();
}

std::optional<Event> fromLine(const std::string& line)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject json = document.object();
    const QString kind = json.value(QStringLiteral("event")).toString();
    if (kind == QLatin1String("started"))
        return Started{json.value(QStringLiteral("trial")).toInt(),
                       json.value(QStringLiteral("host")).toString().toStdString()};
    if (kind == QLatin1String("point"))
        return Point{json.value(QStringLiteral("step")).toInt(),
                     json.value(QStringLiteral("name")).toString().toStdString(),
                     json.value(QStringLiteral("value")).toDouble()};
    if (kind == QLatin1String("result")) {
        TrialResult result;
        result.objective = json.value(QStringLiteral("objective")).toDouble();
        result.fitSeconds = json.value(QStringLiteral("fit_seconds")).toDouble();
        result.output = json.value(QStringLiteral("output")).toString().toStdString();
        const QJsonObject metrics = json.value(QStringLiteral("metrics")).toObject();
        for (auto it = metrics.begin(); it != metrics.end(); ++it) {
            const QJsonObject value = it.value().toObject();
            result.metrics[it.key().toStdString()]
                = {value.value(QStringLiteral("mean")).toDouble(), value.value(QStringLiteral("std")).toDouble()};
        }
        const QJsonObject folds = json.value(QStringLiteral("folds")).toObject();
        for (auto it = folds.begin(); it != folds.end(); ++it) {
            std::vector<double>& values = result.foldMetrics[it.key().toStdString()];
            for (const QJsonValue& v : it.value().toArray())
                values.push_back(v.toDouble());
        }
        return Finished{std::move(result)};
    }
    if (kind == QLatin1String("failed"))
        return Failed{json.value(QStringLiteral("reason")).toString().toStdString(),
                      json.value(QStringLiteral("output")).toString().toStdString()};
    if (kind == QLatin1String("cancelled"))
        return Cancelled{};
    return std::nullopt;
}

} // namespace worker

WorkerFollower::WorkerFollower(std::string path)
    : m_path(std::move(path))
{ }

std::vector<worker::Event> WorkerFollower::poll()
{
    std::vector<worker::Event> events;
    std::ifstream file(m_path, std::ios::binary);
    if (!file)
        return events;
    file.seekg(static_cast<std::streamoff>(m_offset));
    std::string chunk((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    m_offset += chunk.size();
    m_partial += chunk;
    std::size_t start = 0;
    for (std::size_t newline = m_partial.find('\n'); newline != std::string::npos;
         newline = m_partial.find('\n', start)) {
        if (auto event = worker::fromLine(m_partial.substr(start, newline - start)))
            events.push_back(std::move(*event));
        start = newline + 1;
    }
    m_partial.erase(0, start);
    return events;
}

} // namespace tunebench::jobs
