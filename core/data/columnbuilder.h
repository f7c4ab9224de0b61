#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/column.h"
#include "data/reader.h"

namespace tunebench::data::detail {

/// Matches the configured missing-value tokens, ignoring ASCII case.
class MissingTokens
{
public:
    explicit MissingTokens(const std::vector<std::string>& tokens);
    [[nodiscard]] bool matches(std::string_view cell) const noexcept;

private:
    std::vector<std::string> m_lowered;
    std::size_t m_maxLength = 0;
};

/// Parses an ISO 8601 date or date-time ("2024-03-01", "2024-03-01 12:30", "2024-03-01T12:30:00.5Z",
/// "2024/03/01") to seconds since the Unix epoch, UTC.
std::optional<double> parseIsoDateTime(std::string_view text);
/// Parses with a Java SimpleDateFormat pattern as ARFF uses (yyyy, yy, MM, dd, HH, mm, ss, SSS, 'quoted').
std::optional<double> parseDateWithPattern(std::string_view text, std::string_view pattern);
/// true/false, yes/no, t/f, y/n (any case).
std::optional<bool> parseBooleanWord(std::string_view text);
/// Parses a whole cell as a number (surrounding spaces and a leading '+' allowed).
std::optional<double> parseNumber(std::string_view text) noexcept;
/// Parses a whole cell as a number written with this decimal mark: '.' as parseNumber does; ',' as in "1,5"
/// or "-1.234,5e3", where a '.' may only separate groups of three digits in the integer part.
std::optional<double> parseNumber(std::string_view text, char decimalMark) noexcept;

/// Builds one Column cell by cell, inferring its type unless it is forced. Hot path of every reader.
class ColumnBuilder
{
public:
    enum class Status
    {
        Ok,
        NotANumber,
        NotABoolean,
        NotADate,
        InvalidUtf8,
        UndeclaredLevel,
    };

    ColumnBuilder(std::string name, std::optional<ColumnType> forced, const MissingTokens& missing,
                  const ReadOptions& options);

    /// Declares a closed set of levels (an ARFF nominal attribute): other values are errors.
    void declareLevels(std::vector<std::string> levels);
    /// Parses dates with this SimpleDateFormat pattern instead of ISO 8601.
    void setDatePattern(std::string pattern) { m_datePattern = std::move(pattern); }

    Status append(std::string_view cell);
    void appendNumber(double value) { m_values.push_back(value); }
    /// True while a parsed number can be appended as is (a numeric column, not one keeping text).
    [[nodiscard]] bool acceptsNumbers() const noexcept
    {
        return !m_dictionary && (!m_forced || *m_forced == ColumnType::Numeric);
    }
    void appendMissing();
    /// Appends the declared level with this index (ARFF sparse rows default to level 0).
    void appendLevelIndex(std::int32_t index) { m_codes.push_back(index); }
    void truncate(std::size_t rows);
    void reserve(std::size_t rows);
    [[nodiscard]] std::size_t size() const noexcept { return m_dictionary ? m_codes.size() : m_values.size(); }
    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    void setName(std::string name) { m_name = std::move(name); }
    [[nodiscard]] bool isDictionary() const noexcept { return m_dictionary; }

    /// Forgets every cell (keeping the memory for the next ones), back to the type the builder started with.
    void clearCells();
    /// Starts the column as text (a dictionary of levels) before any cell, as a column that an earlier part of
    /// the file turned into text continues.
    void startAsDictionary();
    /// Appends the cells of `part`, a builder of the same column that read the rows after these (a block the
    /// CSV reader parsed on another thread), as if this builder had read them itself (`part` is left as is). False,
    /// leaving both as they were, when it cannot: this column is text and `part` read numbers, whose exact text is gone
    /// ("1.50" is a level of its own); the part must then be read again after startAsDictionary().
    [[nodiscard]] bool absorb(const ColumnBuilder& part);

    /// Settles the type and hands over the data.
    Column finish();

private:
    struct StringHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
    };

    Status appendToDictionary(std::string_view cell);
    void switchToDictionary();
    void inferDictionaryType(Column& column);

    std::string m_name;
    std::optional<ColumnType> m_forced;
    const MissingTokens& m_missing;
    const ReadOptions& m_options;
    bool m_decimalComma = false;
    bool m_dictionary = false;
    bool m_closedLevels = false;
    std::string m_datePattern;
    std::vector<double> m_values;
    std::vector<std::int32_t> m_codes;
    std::vector<std::string> m_levels;
    std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>> m_levelIndex;
};

[[nodiscard]] std::string describe(ColumnBuilder::Status status, std::string_view cell, const ColumnBuilder& builder);

} // namespace tunebench::data::detail
