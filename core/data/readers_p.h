#pragma once

// Internal: the format-specific readers behind readDataset().

#include <string>
#include <string_view>

#include "data/bytesource.h"
#include "data/reader.h"

namespace tunebench::data::detail {

Dataset readCsv(ByteSource& source, const std::string& name, const ReadOptions& options, ReadReport& report);
Dataset readArff(ByteSource& source, const std::string& name, const ReadOptions& options, ReadReport& report);
Dataset readLibSvm(ByteSource& source, const std::string& name, const ReadOptions& options, ReadReport& report);

/// Counts characters (UTF-8 code points) in [begin, end): the 1-based column of `end` is this + 1.
std::size_t characterCount(const char* begin, const char* end) noexcept;

/// Records a skipped row, or throws when the options do not allow skipping.
void skipOrThrow(const ReadOptions& options, ReadReport& report, const std::string& file, std::size_t line,
                 std::size_t column, const std::string& message);

/// Throws util::Cancelled when cancelled and reports progress; called once per chunk by every reader.
void checkpoint(const ReadOptions& options, const ByteSource& source);

/// "name", "name.1", "name.2" ...: column names made unique the way pandas does.
void makeNamesUnique(std::vector<std::string>& names);

} // namespace tunebench::data::detail
