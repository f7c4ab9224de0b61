#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.h"
#include "util/cancel.h"

namespace tunebench::data {

enum class FileFormat
{
    Auto, ///< from the extension (after a .gz), else from the content
    Csv, ///< CSV and its cousins: comma, tab, semicolon, pipe
    Arff,
    LibSvm, ///< LIBSVM / SVMlight sparse rows
};

[[nodiscard]] std::string_view toString(FileFormat format);

/// The format a file's name says (after a .gz): .arff, .libsvm/.svm/.svmlight, or the CSV family; Auto otherwise.
[[nodiscard]] FileFormat formatFromName(std::string_view name);

/// ReadOptions::delimiter for text aligned in columns: a run of spaces and tabs separates two fields, and blanks
/// at either end of a line are none (R's read.table, pandas' sep=r"\s+"; many .data files are written so).
inline constexpr char kWhitespace = ' ';

/// What the readers accept. Every field has a sensible default; an empty ReadOptions reads most files.
struct ReadOptions
{
    FileFormat format = FileFormat::Auto;
    /// CSV field delimiter; '\0' sniffs it from the first rows (comma, tab, semicolon or pipe; runs of blanks,
    /// kWhitespace, when none of them splits the rows).
    char delimiter = '\0';
    /// CSV decimal mark, '.' or ','. With ',' (as spreadsheets write in much of Europe: "1,5"), a '.' may
    /// only group thousands ("1.234,5"), so "1.5" is not a number. '\0' chooses ',' when the delimiter is not
    /// a comma and the first rows write numbers with a decimal comma but never with a decimal point.
    char decimalMark = '\0';
    enum class Header
    {
        Auto,
        Present,
        Absent,
    };
    Header header = Header::Auto;
    /// CSV rows to leave out before the table (its header, or its first data row): a title or notes above it.
    /// Not set: sniffed, as the leading rows whose number of fields differs from the table's (at most 10), and
    /// rows with blank cells above a header row.
    std::optional<std::size_t> skipRows;
    /// Cells equal to one of these (ignoring case) are missing. The empty cell is always missing.
    std::vector<std::string> missingTokens = {"NA", "N/A", "NaN", "null", "?"};
    /// Force a column's type by name instead of inferring it.
    std::map<std::string, ColumnType, std::less<>> typeOverrides;
    /// Skip rows that cannot be read (counted in ReadReport) instead of failing on the first one.
    bool skipBadRows = false;
    /// Called now and then with the fraction of the input read so far, in [0, 1].
    std::function<void(double)> progress;
    util::CancelToken cancel;
    /// Threads that parse a large CSV file, a block each at a time (0: every core, up to 8; 1: one pass).
    int threads = 0;
    /// Bytes per block of a CSV file parsed on several threads (smaller blocks cross more boundaries: tests).
    std::size_t blockBytes = std::size_t{4} << 20;
    /// Categorical when the distinct values are at most this many, or at most half the values.
    std::size_t maxCategoricalLevels = 50;
    /// Integer columns with at most this many distinct values are flagged possiblyCategorical.
    std::size_t possiblyCategoricalLevels = 20;
    /// LIBSVM files are made dense: refuse (with a clear message) beyond this many cells (1 GiB of doubles).
    std::size_t maxDenseCells = std::size_t{1} << 27;
    /// LIBSVM files are made dense: refuse (with a clear message) a highest feature index beyond this.
    std::size_t maxDenseFeatures = std::size_t{1} << 18;
};

/// What a read noticed besides the data.
struct ReadReport
{
    FileFormat format = FileFormat::Csv;
    char delimiter = ',';
    char decimalMark = '.';
    bool hasHeader = true;
    std::size_t preambleRows = 0; ///< rows left out above the table (ReadOptions::skipRows, or sniffed)
    /// The header had one name fewer than the rows have fields, as R's write.table writes row names: the first
    /// column is named "row_name".
    bool rowNames = false;
    std::size_t skippedRows = 0;
    /// The first few problems met while skipping bad rows, each "line L, column C: what".
    std::vector<std::string> skipped;
    std::size_t bytesRead = 0;
};

/// How a file is laid out, where sniffing would otherwise guess: the part of ReadOptions that a project keeps with
/// a dataset and a spec carries, so that the file reads the same way every time. Unset fields are sniffed (the
/// CSV dialect) or take ReadOptions' defaults (the missing tokens).
struct ReadSettings
{
    char delimiter = '\0'; ///< as ReadOptions::delimiter; '\0' sniffs
    char decimalMark = '\0'; ///< as ReadOptions::decimalMark; '\0' sniffs
    ReadOptions::Header header = ReadOptions::Header::Auto;
    std::optional<std::size_t> skipRows;
    std::optional<std::vector<std::string>> missingTokens;

    /// Nothing set: every choice is sniffed or default.
    [[nodiscard]] bool isDefault() const { return *this == ReadSettings{}; }
    /// Sets these fields of `options`, leaving its others (progress, cancel, types, ...) as they are.
    void applyTo(ReadOptions& options) const;
    /// The settings that `options` makes.
    [[nodiscard]] static ReadSettings of(const ReadOptions& options);

    friend bool operator==(const ReadSettings&, const ReadSettings&) = default;
};

/// A CSV delimiter as people and JSON name it: "," ";" "|", "tab", "whitespace" (kWhitespace).
[[nodiscard]] std::string delimiterName(char delimiter);

/// The delimiter a name stands for: delimiterName's names, "\\t" and "space" too, or one ASCII character other
/// than a quote, a line break or a letter or digit; nullopt for anything else.
[[nodiscard]] std::optional<char> delimiterFromName(std::string_view name);

/// How a file was read, for people: "csv, delimiter ';', decimal comma, header" or "arff".
[[nodiscard]] std::string describe(const ReadReport& report);

/// Settings in the same words: "delimiter ';', header, 2 rows above the table left out, missing: NA, -";
/// "sniffed" when none is set.
[[nodiscard]] std::string describe(const ReadSettings& settings);

/// A read that failed: where, and what was expected. what() is "FILE:LINE:COLUMN: message".
class ReadError : public std::runtime_error
{
public:
    ReadError(std::string file, std::size_t line, std::size_t column, std::string message);

    [[nodiscard]] const std::string& file() const noexcept { return m_file; }
    [[nodiscard]] std::size_t line() const noexcept { return m_line; } ///< 1-based; 0 when not known
    [[nodiscard]] std::size_t column() const noexcept { return m_column; } ///< 1-based characters; 0 when not known
    [[nodiscard]] const std::string& message() const noexcept { return m_message; }

private:
    std::string m_file;
    std::size_t m_line;
    std::size_t m_column;
    std::string m_message;
};

/// Reads a data file, gzip-compressed or not, streaming it in chunks.
/// Throws ReadError for bad input and util::Cancelled when options.cancel fires.
[[nodiscard]] Dataset readDataset(const std::string& path, const ReadOptions& options = {},
                                  ReadReport* report = nullptr);

/// Reads only the first `lines` lines of a file (gzip-compressed or not; at most 1 MiB of them), as a preview of
/// how `options` read it: types are inferred from those rows alone. Throws as readDataset does.
[[nodiscard]] Dataset readHead(const std::string& path, std::size_t lines, const ReadOptions& options = {},
                               ReadReport* report = nullptr);

/// Reads from bytes in memory; `name` stands for the file in error messages.
[[nodiscard]] Dataset readDatasetFromMemory(std::string_view bytes, std::string_view name,
                                            const ReadOptions& options = {}, ReadReport* report = nullptr);

} // namespace tunebench::data
