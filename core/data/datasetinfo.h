#pragma once

#include <optional>
#include <string>

#include <QJsonObject>

#include "data/dataset.h"

namespace tunebench::data {

/// The schema and summary of a dataset as `tunebench-cli inspect --json` prints it and the project
/// stores it: {"rows", "columns": [{"name", "type", "missing", "distinct", "levels"?, ...}], "target", "task"}.
/// `target` overrides the suggested target column.
[[nodiscard]] QJsonObject describeDataset(const Dataset& dataset, std::optional<std::size_t> target = std::nullopt);

/// SHA-256 of a file's bytes, as lowercase hex; streams the file. Throws std::runtime_error when unreadable.
[[nodiscard]] std::string sha256OfFile(const std::string& path);

} // namespace tunebench::data
