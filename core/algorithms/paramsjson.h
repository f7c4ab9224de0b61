#pragma once

#include <QJsonObject>
#include <QJsonValue>

#include "algorithms/algorithm.h"
#include "algorithms/params.h"

namespace tunebench::algorithms {

/// {"name", "type", "min"?, "max"?, "values"?, "scaling", "default", "help"}: the schema as the CLI
/// (`algorithms --json`), specs and the UI see it.
[[nodiscard]] QJsonObject toJson(const ParamSpec& spec);
[[nodiscard]] QJsonValue toJson(const ParamValue& value);
[[nodiscard]] QJsonObject toJson(const Params& params);
/// A value as toJson(ParamValue) wrote it, typed by its spec.
[[nodiscard]] ParamValue fromJson(const ParamSpec& spec, const QJsonValue& value);
/// {"id", "name", "description", "tasks", "params": [...]}.
[[nodiscard]] QJsonObject describeAlgorithm(const Algorithm& algorithm);

} // namespace tunebench::algorithms
