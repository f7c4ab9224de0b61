#include "store/datasetregistry.h"

#include <stdexcept>

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include "data/datasetinfo.h"

namespace tunebench::store {

namespace {

std::string settingsJson(const data::ReadSettings& settings)
{
    return QJsonDocument(data::toJson(settings)).toJson(QJsonDocument::Compact).toStdString();
}

std::string schemaJson(const data::Dataset& dataset)
{
    return QJsonDocument(data::describeDataset(dataset)).toJson(QJsonDocument::Compact).toStdString();
}

/// `record` now read with `settings` as `dataset`: its settings, counts and schema replaced, in the project too.
void recordReading(ProjectStore& project, DatasetRecord& record, const data::Dataset& dataset,
                   const data::ReadSettings& settings)
{
    record.readSettingsJson = settingsJson(settings);
    record.rows = static_cast<std::int64_t>(dataset.rowCount());
    record.columns = static_cast<std::int64_t>(dataset.columnCount());
    record.schemaJson = schemaJson(dataset);
    project.updateDatasetReading(record);
}

} // namespace

DatasetRecord recordDataset(ProjectStore& project, const std::string& path, const data::Dataset& dataset,
                            bool* alreadyPresent, const data::ReadSettings& settings)
{
    const std::string sha = data::sha256OfFile(path);
    if (auto existing = project.datasetBySha256(sha)) {
        if (alreadyPresent)
            *alreadyPresent = true;
        if (!settings.isDefault() && existing->readSettingsJson != settingsJson(settings))
            recordReading(project, *existing, dataset, settings);
        return std::move(*existing);
    }
    if (alreadyPresent)
        *alreadyPresent = false;
    const std::filesystem::path file(path);
    DatasetRecord record;
    record.name = file.filename().string();
    record.path = std::filesystem::absolute(file).lexically_normal().string();
    record.sha256 = sha;
    record.sizeBytes = static_cast<std::int64_t>(std::filesystem::file_size(file));
    record.rows = static_cast<std::int64_t>(dataset.rowCount());
    record.columns = static_cast<std::int64_t>(dataset.columnCount());
    record.schemaJson = schemaJson(dataset);
    record.importedAt = ProjectStore::nowUtc();
    record.readSettingsJson = settingsJson(settings);
    record.id = project.addDataset(record);
    return record;
}

RegisteredDataset registerDataset(ProjectStore& project, const std::string& path, const data::ReadOptions& options)
{
    RegisteredDataset result;
    result.dataset = data::readDataset(path, options, &result.report);
    result.record
        = recordDataset(project, path, result.dataset, &result.alreadyPresent, data::ReadSettings::of(options));
    return result;
}

data::ReadSettings readSettingsOf(const DatasetRecord& record)
{
    QJsonParseError error{};
    const QJsonDocument json = QJsonDocument::fromJson(QByteArray::fromStdString(record.readSettingsJson), &error);
    try {
        if (error.error != QJsonParseError::NoError || !json.isObject())
            throw std::invalid_argument("not a JSON object");
        return data::readSettingsFromJson(json.object());
    } catch (const std::invalid_argument& invalid) {
        throw StoreError("dataset " + std::to_string(record.id) + " (" + record.name
                         + ") has read settings this version cannot use: " + invalid.what());
    }
}

RegisteredDataset rereadDataset(ProjectStore& project, const DatasetRecord& record, const data::ReadOptions& options)
{
    RegisteredDataset result;
    result.dataset = data::readDataset(record.path, options, &result.report);
    result.record = record;
    recordReading(project, result.record, result.dataset, data::ReadSettings::of(options));
    result.alreadyPresent = true;
    return result;
}

DemoProject createDemoProject(const std::filesystem::path& directory)
{
    const std::filesystem::path dataDirectory = directory / "data";
    std::filesystem::create_directories(dataDirectory);
    DemoProject demo;
    demo.projectPath = directory / "demo.tbproj";
    auto project = ProjectStore::open(demo.projectPath.string());
    const QStringList files = QDir(QStringLiteral(":/demo")).entryList(QDir::Files, QDir::Name);
    if (files.isEmpty())
        throw std::runtime_error("the demo datasets are missing from this build");
    for (const QString& name : files) {
        const std::filesystem::path target = dataDirectory / name.toStdString();
        const QString targetName = QString::fromStdString(target.string());
        QFile::remove(targetName);
        if (!QFile::copy(QStringLiteral(":/demo/") + name, targetName))
            throw std::runtime_error("cannot write " + target.string());
        QFile::setPermissions(targetName, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        demo.datasets.push_back(registerDataset(*project, target.string()));
    }
    // Example experiments, their dataset paths relative to the spec's folder.
    const std::filesystem::path specDirectory = directory / "specs";
    std::filesystem::create_directories(specDirectory);
    for (const QString& name : QDir(QStringLiteral(":/demo-specs")).entryList(QDir::Files, QDir::Name)) {
        const std::filesystem::path target = specDirectory / name.toStdString();
        const QString targetName = QString::fromStdString(target.string());
        QFile::remove(targetName);
        if (!QFile::copy(QStringLiteral(":/demo-specs/") + name, targetName))
            throw std::runtime_error("cannot write " + target.string());
        QFile::setPermissions(targetName, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        demo.specs.push_back(target);
    }
    return demo;
}

} // namespace tunebench::store
