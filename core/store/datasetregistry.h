#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/reader.h"
#include "store/projectstore.h"

namespace tunebench::store {

/// A data file read and recorded in a project.
struct RegisteredDataset
{
    DatasetRecord record;
    data::Dataset dataset;
    data::ReadReport report;
    bool alreadyPresent = false; ///< a file with the same content hash was recorded before
};

/// Records a data file already read as `dataset` with `settings` (its SHA-256, size, schema and read settings),
/// unless a file with the same content is already there; returns the project's record either way. A file already
/// there that is now read with settings of its own (not all sniffed) takes them, and the schema they give: the
/// latest word on how to read a file wins, and reading it as sniffed keeps what was said before. Throws
/// StoreError.
DatasetRecord recordDataset(ProjectStore& project, const std::string& path, const data::Dataset& dataset,
                            bool* alreadyPresent = nullptr, const data::ReadSettings& settings = {});

/// Reads a data file with `options` and records it as recordDataset does. Throws data::ReadError or StoreError.
RegisteredDataset registerDataset(ProjectStore& project, const std::string& path,
                                  const data::ReadOptions& options = {});

/// The settings `record`'s file is read with. Throws StoreError when the project holds something else there.
[[nodiscard]] data::ReadSettings readSettingsOf(const DatasetRecord& record);

/// Reads dataset `record`'s file again with `settings` and records them in the project with what the file then
/// holds (rows, columns, schema). Throws data::ReadError (nothing recorded) or StoreError.
RegisteredDataset rereadDataset(ProjectStore& project, const DatasetRecord& record, const data::ReadOptions& options);

/// The bundled demo: its datasets written into `directory/data`, recorded in `directory/demo.tbproj`, and
/// example tuning specs in `directory/specs`.
struct DemoProject
{
    std::filesystem::path projectPath;
    std::vector<RegisteredDataset> datasets;
    std::vector<std::filesystem::path> specs; ///< example experiments, in `directory/specs`
};

/// Creates (or refreshes) the demo project in `directory`. Throws on I/O errors.
DemoProject createDemoProject(const std::filesystem::path& directory);

} // namespace tunebench::store
