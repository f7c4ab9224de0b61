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

/// Records a data file already read as `dataset` (its SHA-256, size and schema), unless a file with the same
/// content is already there; returns the project's record either way. Throws StoreError.
DatasetRecord recordDataset(ProjectStore& project, const std::string& path, const data::Dataset& dataset,
                            bool* alreadyPresent = nullptr);

/// Reads a data file and records it in the project with its SHA-256, size and schema, unless a file with
/// the same content is already there. Throws data::ReadError or StoreError.
RegisteredDataset registerDataset(ProjectStore& project, const std::string& path,
                                  const data::ReadOptions& options = {});

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
