#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include <QJsonObject>

#include "data/dataset.h"
#include "data/reader.h"

namespace tunebench::data {

/// The schema and summary of a dataset as `tunebench-cli inspect --json` prints it and the project
/// stores it: {"rows", "columns": [{"name", "type", "missing", "distinct", "levels"?, ...}], "target", "task"}.
/// `target` overrides the suggested target column.
[[nodiscard]] QJsonObject describeDataset(const Dataset& dataset, std::optional<std::size_t> target = std::nullopt);

/// Read settings as a project and a spec keep them: only what is set, with the CLI's names:
/// {"delimiter": ";" | "tab" | "whitespace", "decimal": ",", "header": true, "skip_rows": 2, "missing": ["-"]}.
[[nodiscard]] QJsonObject toJson(const ReadSettings& settings);

/// What readSettingsFromJson found wrong, and in which field; what() is "field: reason".
class ReadSettingsError : public std::invalid_argument
{
public:
    ReadSettingsError(std::string field, std::string reason);
    [[nodiscard]] const std::string& field() const noexcept { return m_field; }
    [[nodiscard]] const std::string& reason() const noexcept { return m_reason; }

private:
    std::string m_field;
    std::string m_reason;
};

/// The settings toJson writes. Throws ReadSettingsError.
[[nodiscard]] ReadSettings readSettingsFromJson(const QJsonObject& json);

/// SHA-256 of a file's bytes, as lowercase hex; streams the file. Throws std::runtime_error when unreadable.
[[nodiscard]] std::string sha256OfFile(const std::string& path);

} // namespace tunebench::data
