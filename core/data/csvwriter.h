#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace tunebench::data {

/// Writes `rows` of `dataset` (all rows when empty) as RFC 4180 CSV with a header: numbers in their
/// shortest exact form, booleans as true/false, dates as ISO 8601 (UTC), text quoted when it must be,
/// missing values as empty fields. Reading the file back gives the same values. Throws std::runtime_error
/// when the file cannot be written.
void writeCsv(const Dataset& dataset, const std::string& path, const std::vector<std::size_t>& rows = {});

} // namespace tunebench::data
