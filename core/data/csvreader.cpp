// CSV and its cousins: RFC 4180 quoting, delimiter and header sniffing, streaming in chunks.

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <thread>

#include "data/columnbuilder.h"
#include "data/readers_p.h"
#include "util/parallel.h"

namespace tunebench::data::detail {

namespace {

struct Field
{
    const char* begin;
    const char* end;
    bool escaped; ///< quoted with doubled quotes inside: needs unescaping
    bool quoted;
    /// A plain decimal ("-12.5") read while scanning, exact by the fast path; NaN when the field is not one.
    double number = std::numeric_limits<double>::quiet_NaN();
};

/// Exactly representable powers of ten, 10^0 .. 10^22.
constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

struct Record
{
    std::vector<Field> fields;
    const char* begin = nullptr;
    std::size_t newlines = 0; ///< line breaks inside the record, its terminator included
};

enum class Scan
{
    Record,
    NeedMore,
    Error,
};

struct ScanError
{
    const char* at = nullptr;
    std::string message;
};

/// Splits one record off the front of [p, end). Pure and allocation-free once `record` has grown.
class Tokenizer
{
public:
    /// With `decimalComma`, only integers are read in the scan ("1.234" groups thousands, for the builder).
    /// With `delimiter` kWhitespace, a run of spaces and tabs separates fields, and blanks at either end of
    /// a line are no field.
    Tokenizer(char delimiter, bool decimalComma)
        : m_delimiter(delimiter)
        , m_blanks(delimiter == kWhitespace)
        , m_decimalComma(decimalComma)
    {
        m_stop.fill(false);
        m_stop[static_cast<unsigned char>(delimiter)] = true;
        if (m_blanks)
            m_stop[static_cast<unsigned char>('\t')] = true;
        m_stop[static_cast<unsigned char>('\n')] = true;
        m_stop[static_cast<unsigned char>('\r')] = true;
    }

    Scan next(const char* p, const char* end, bool eof, Record& record, const char*& after, ScanError& error) const
    {
        record.fields.clear();
        record.begin = p;
        record.newlines = 0;
        const char* q = p;
        bool blankLine = false;
        if (m_blanks) {
            q = skipBlanks(q, end);
            if (q == end && !eof)
                return Scan::NeedMore;
            blankLine = q == end || *q == '\n' || *q == '\r';
            if (blankLine)
                record.fields.push_back({q, q, false, false});
        }
        while (!blankLine) {
            const char* s = q;
            while (s < end && *s == ' ' && !m_blanks)
                ++s;
            if (s < end && *s == '"') {
                const char* content = s + 1;
                const char* r = content;
                bool escaped = false;
                const char* close = nullptr;
                while (!close) {
                    const auto* quote
                        = static_cast<const char*>(std::memchr(r, '"', static_cast<std::size_t>(end - r)));
                    if (!quote) {
                        if (!eof)
                            return Scan::NeedMore;
                        error = {s, "unterminated quoted field (a quote opened here is never closed)"};
                        return Scan::Error;
                    }
                    if (quote + 1 == end && !eof)
                        return Scan::NeedMore;
                    if (quote + 1 < end && quote[1] == '"') {
                        escaped = true;
                        r = quote + 2;
                        continue;
                    }
                    close = quote;
                }
                record.newlines += static_cast<std::size_t>(std::count(content, close, '\n'));
                record.fields.push_back({content, close, escaped, true});
                q = close + 1;
                if (m_blanks) {
                    const char* next = skipBlanks(q, end);
                    if (next == end && !eof)
                        return Scan::NeedMore;
                    if (next == end || *next == '\n' || *next == '\r') {
                        q = next;
                        break;
                    }
                    if (next > q) {
                        q = next;
                        continue;
                    }
                }
                while (q < end && *q == ' ' && !m_blanks)
                    ++q;
                if (q == end) {
                    if (!eof)
                        return Scan::NeedMore;
                    break;
                }
                if (*q == m_delimiter) {
                    ++q;
                    continue;
                }
                if (*q == '\n' || *q == '\r')
                    break;
                error = {q,
                         std::string("expected a delimiter or the end of the line after a closing quote, found '") + *q
                             + "'"};
                return Scan::Error;
            }
            // Scanning and number parsing in one pass: digits accumulate while the field's end is sought.
            // Only plain decimals with at most 19 digits are read here (exactly, as in parseNumber's fast
            // path); anything else is left to the column builder.
            const char* r = q;
            bool negative = false;
            if (r < end && (*r == '-' || *r == '+')) {
                negative = *r == '-';
                ++r;
            }
            std::uint64_t mantissa = 0;
            int digits = 0;
            int fractionDigits = 0;
            int dots = 0;
            for (; r < end; ++r) {
                const auto digit = static_cast<unsigned>(static_cast<unsigned char>(*r) - '0');
                if (digit < 10) {
                    mantissa = mantissa * 10 + digit;
                    ++digits;
                    fractionDigits += dots;
                } else if (*r == '.' && dots == 0 && !m_decimalComma) {
                    dots = 1;
                } else {
                    break;
                }
            }
            const bool plain = r == end || m_stop[static_cast<unsigned char>(*r)];
            while (r < end && !m_stop[static_cast<unsigned char>(*r)])
                ++r;
            if (r == end && !eof)
                return Scan::NeedMore;
            Field field{q, r, false, false};
            if (plain && digits > 0 && digits <= 19 && mantissa <= (std::uint64_t{1} << 53) && fractionDigits <= 22) {
                const double magnitude = static_cast<double>(mantissa) / kPowersOfTen[fractionDigits];
                field.number = negative ? -magnitude : magnitude;
            }
            record.fields.push_back(field);
            q = r;
            if (m_blanks) {
                const char* next = skipBlanks(q, end);
                if (next == end && !eof)
                    return Scan::NeedMore;
                q = next;
                if (q == end || *q == '\n' || *q == '\r')
                    break;
                continue;
            }
            if (q < end && *q == m_delimiter) {
                ++q;
                if (q == end && eof) // a delimiter just before the end of input leaves one empty field
                    record.fields.push_back({q, q, false, false});
                continue;
            }
            break;
        }
        if (q < end) {
            if (*q == '\r') {
                ++q;
                if (q == end && !eof)
                    return Scan::NeedMore; // a '\n' may follow in the next chunk
                if (q < end && *q == '\n')
                    ++q;
            } else {
                ++q; // '\n'
            }
            ++record.newlines;
        }
        after = q;
        return Scan::Record;
    }

private:
    static const char* skipBlanks(const char* p, const char* end)
    {
        while (p < end && (*p == ' ' || *p == '\t'))
            ++p;
        return p;
    }

    char m_delimiter;
    bool m_blanks; ///< fields split by runs of blanks
    bool m_decimalComma;
    std::array<bool, 256> m_stop{};
};

bool isBlank(const Record& record)
{
    if (record.fields.size() != 1 || record.fields[0].quoted)
        return false;
    return std::all_of(record.fields[0].begin, record.fields[0].end, [](char c) { return c == ' ' || c == '\t'; });
}

std::string_view fieldText(const Field& field, std::string& scratch)
{
    if (!field.escaped)
        return {field.begin, static_cast<std::size_t>(field.end - field.begin)};
    scratch.clear();
    for (const char* p = field.begin; p < field.end; ++p) {
        scratch.push_back(*p);
        if (*p == '"')
            ++p; // skip the second quote of a doubled pair
    }
    return scratch;
}

/// Tokenizes the first records of a sample; returns the field counts (at most `limit` records).
std::vector<std::size_t> sampleFieldCounts(std::string_view sample, bool complete, char delimiter, std::size_t limit,
                                           std::vector<std::vector<std::string>>* cells = nullptr,
                                           std::size_t* bytesScanned = nullptr)
{
    Tokenizer tokenizer(delimiter, false);
    Record record;
    std::vector<std::size_t> counts;
    const char* p = sample.data();
    const char* end = p + sample.size();
    std::string scratch;
    while (p < end && counts.size() < limit) {
        const char* after = nullptr;
        ScanError error;
        if (tokenizer.next(p, end, complete, record, after, error) != Scan::Record)
            break;
        p = after;
        if (isBlank(record))
            continue;
        counts.push_back(record.fields.size());
        if (cells) {
            std::vector<std::string> row;
            for (const Field& field : record.fields)
                row.emplace_back(fieldText(field, scratch));
            cells->push_back(std::move(row));
        }
    }
    if (bytesScanned)
        *bytesScanned = static_cast<std::size_t>(p - sample.data());
    return counts;
}

struct Mode
{
    std::size_t count = 0; ///< the most common number of fields (the smallest of equally common ones)
    std::size_t rows = 0; ///< how many rows have it
};

Mode modeOf(const std::vector<std::size_t>& counts)
{
    std::vector<std::size_t> sorted = counts;
    std::sort(sorted.begin(), sorted.end());
    Mode mode;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i])
            ++j;
        if (j - i > mode.rows)
            mode = {sorted[i], j - i};
        i = j;
    }
    return mode;
}

/// Whether nine in ten of the sample's non-blank lines hold two blanks in a row: columns padded to line up.
bool paddedWithBlanks(std::string_view sample)
{
    std::size_t lines = 0;
    std::size_t padded = 0;
    while (!sample.empty()) {
        const auto breakAt = sample.find('\n');
        const std::string_view line = sample.substr(0, breakAt);
        sample = breakAt == std::string_view::npos ? std::string_view() : sample.substr(breakAt + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        ++lines;
        padded += line.find("  ") != std::string_view::npos ? 1 : 0;
    }
    return lines > 0 && padded * 10 >= lines * 9;
}

char sniffDelimiter(std::string_view sample, bool complete, std::string_view name)
{
    constexpr std::array<char, 4> kCandidates = {',', '\t', ';', '|'};
    // The most common field count, how consistently rows have it, and how many fields it makes.
    auto consistency = [](const std::vector<std::size_t>& counts, const Mode& mode) {
        return static_cast<double>(mode.rows) / static_cast<double>(counts.size());
    };
    char best = ',';
    double bestScore = 0.0;
    Mode bestMode;
    double bestConsistency = 0.0;
    for (char candidate : kCandidates) {
        const auto counts = sampleFieldCounts(sample, complete, candidate, 100);
        if (counts.empty())
            continue;
        const Mode mode = modeOf(counts);
        if (mode.count < 2)
            continue;
        const double score
            = consistency(counts, mode) * 1000.0 + static_cast<double>(std::min<std::size_t>(mode.count, 999));
        if (score > bestScore) {
            bestScore = score;
            best = candidate;
            bestMode = mode;
            bestConsistency = consistency(counts, mode);
        }
    }
    // Columns aligned with blanks, as many .data files are: when no delimiter character splits the rows, or
    // when blanks split them further as consistently and every row is padded (a tab before a last text
    // column, as in UCI's auto-mpg.data, splits each row in two).
    const auto blankCounts = sampleFieldCounts(sample, complete, kWhitespace, 100);
    if (!blankCounts.empty()) {
        const Mode blanks = modeOf(blankCounts);
        if (blanks.count >= 2
            && (bestScore == 0.0
                || (blanks.count > bestMode.count && consistency(blankCounts, blanks) >= bestConsistency
                    && paddedWithBlanks(sample))))
            return kWhitespace;
    }
    if (bestScore == 0.0) {
        std::string lowered(name);
        std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (lowered.find(".tsv") != std::string::npos || lowered.find(".tab") != std::string::npos)
            return '\t';
    }
    return best;
}

/// ',' when the delimiter is not one and the rows write numbers with a decimal comma ("1,5") but none with a
/// decimal point ("1.5"); '.' otherwise.
char sniffDecimalMark(const std::vector<std::vector<std::string>>& rows, char delimiter)
{
    if (delimiter == ',')
        return '.';
    std::size_t commas = 0;
    for (const auto& row : rows) {
        for (const std::string& cell : row) {
            const bool point = parseNumber(cell).has_value();
            const bool comma = parseNumber(cell, ',').has_value();
            if (point && !comma && cell.find('.') != std::string::npos)
                return '.';
            if (comma && !point)
                ++commas;
        }
    }
    return commas > 0 ? ',' : '.';
}

using SampleRows = std::span<const std::vector<std::string>>;

/// A cell that can name a column: present and not a number.
bool isName(const std::string& cell, const MissingTokens& missing, char decimalMark)
{
    return !cell.empty() && !missing.matches(cell) && !parseNumber(cell, decimalMark);
}

/// Whether every present cell of `column` in rows [from, end) is a number; false when none is present.
bool onlyNumbersBelow(SampleRows rows, std::size_t from, std::size_t column, const MissingTokens& missing,
                      char decimalMark)
{
    std::size_t present = 0;
    for (std::size_t r = from; r < rows.size(); ++r) {
        if (column >= rows[r].size() || missing.matches(rows[r][column]))
            continue;
        if (!parseNumber(rows[r][column], decimalMark))
            return false;
        ++present;
    }
    return present > 0;
}

/// A header row is one whose cells are all text while the rows under it hold numbers in some of
/// those columns; or one with numbers among its names ("region,2019,2020") whose cells are distinct and
/// present, and text over a column of numbers; for all-text data, one whose names are distinct and never
/// repeat below.
bool sniffHeader(SampleRows rows, const MissingTokens& missing, char decimalMark)
{
    if (rows.empty())
        return false;
    const auto& first = rows[0];
    std::vector<std::string> names = first;
    std::sort(names.begin(), names.end());
    const bool distinct = std::adjacent_find(names.begin(), names.end()) == names.end();
    const bool allText = std::none_of(first.begin(), first.end(),
                                      [&](const std::string& cell) { return parseNumber(cell, decimalMark); });
    if (!allText) {
        if (!distinct || rows.size() == 1 || std::any_of(first.begin(), first.end(), [&](const std::string& cell) {
                return cell.empty() || missing.matches(cell);
            }))
            return false;
        for (std::size_t column = 0; column < first.size(); ++column) {
            if (isName(first[column], missing, decimalMark) && onlyNumbersBelow(rows, 1, column, missing, decimalMark))
                return true;
        }
        return false;
    }
    if (rows.size() == 1)
        return true; // a lone row of text: names without data
    for (std::size_t column = 0; column < first.size(); ++column) {
        if (first[column].empty())
            continue;
        std::size_t numbers = 0;
        std::size_t present = 0;
        for (std::size_t r = 1; r < rows.size(); ++r) {
            if (column >= rows[r].size() || missing.matches(rows[r][column]))
                continue;
            ++present;
            numbers += parseNumber(rows[r][column], decimalMark) ? 1 : 0;
        }
        if (present > 0 && numbers * 2 > present)
            return true;
    }
    if (!distinct)
        return false;
    for (std::size_t column = 0; column < first.size(); ++column) {
        for (std::size_t r = 1; r < rows.size(); ++r) {
            if (column < rows[r].size() && rows[r][column] == first[column])
                return false;
        }
    }
    return true;
}

struct Preamble
{
    std::size_t rows = 0; ///< rows above the table
    bool rowNames = false; ///< the header is one name short: the rows start with their names
};

/// Rows above the table in a sample of a file's first rows: a title, notes or counts before the header or
/// the first data row. They are the leading rows (at most 10) whose number of fields differs from the
/// table's, when nine in ten rows after them have the table's; or, in a table of one width, rows with blank
/// cells above a row that sniffHeader takes for a header (scikit-learn's bundled CSV files start with a row
/// of counts). A first row one field short of the table's and all text is a header over row names, as R's
/// write.table writes them, not a preamble.
Preamble sniffPreamble(SampleRows rows, const MissingTokens& missing, char decimalMark)
{
    const auto allNames = [&](const std::vector<std::string>& row) {
        return std::all_of(row.begin(), row.end(),
                           [&](const std::string& cell) { return isName(cell, missing, decimalMark); });
    };
    constexpr std::size_t kMostRows = 10;
    if (rows.size() < 3)
        return {};
    std::vector<std::size_t> counts;
    for (const auto& row : rows)
        counts.push_back(row.size());
    const std::size_t width = modeOf(counts).count;
    std::size_t leading = 0;
    while (leading < rows.size() && rows[leading].size() != width)
        ++leading;
    if (leading > 0) {
        const auto& first = rows[0];
        if (leading == 1 && first.size() + 1 == width && allNames(first))
            return {0, true};
        const auto regular = static_cast<std::size_t>(
            std::count(counts.begin() + static_cast<std::ptrdiff_t>(leading), counts.end(), width));
        if (leading <= kMostRows && regular * 10 >= (rows.size() - leading) * 9)
            return {leading, false};
        return {};
    }
    if (sniffHeader(rows, missing, decimalMark))
        return {};
    for (std::size_t header = 1; header <= 3 && header + 1 < rows.size(); ++header) {
        const auto& above = rows[header - 1];
        if (std::none_of(above.begin(), above.end(), [](const std::string& cell) { return cell.empty(); }))
            break;
        if (allNames(rows[header]) && sniffHeader(rows.subspan(header), missing, decimalMark))
            return {header, false};
    }
    return {};
}

std::size_t lineOf(const Record& record, std::size_t recordLine, const char* at)
{
    return recordLine + static_cast<std::size_t>(std::count(record.begin, at, '\n'));
}

std::size_t columnOf(const Record& record, const char* at)
{
    const char* lineStart = at;
    while (lineStart > record.begin && lineStart[-1] != '\n')
        --lineStart;
    return characterCount(lineStart, at) + 1;
}

} // namespace

/// How a text table is laid out, as the options say or sniffing finds in its first 64 KiB (`head`).
struct Dialect
{
    char delimiter = ',';
    char decimalMark = '.';
    Preamble preamble;
    bool hasHeader = false;
    std::size_t sampleRecords = 0; ///< records in the sample, and their bytes: the expected row size
    std::size_t sampleBytes = 0;
};

Dialect sniffDialect(std::string_view head, bool atEof, const ReadOptions& options, const MissingTokens& missing,
                     const std::string& name, ReadReport& report)
{
    Dialect dialect;
    // Sniff on whole records only: cut the sample after its last line break.
    constexpr std::size_t kSampleBytes = 1 << 16;
    std::string_view sample = head.substr(0, kSampleBytes);
    const bool complete = atEof && sample.size() == head.size();
    if (!complete) {
        const auto lastBreak = sample.find_last_of('\n');
        if (lastBreak != std::string_view::npos)
            sample = sample.substr(0, lastBreak + 1);
    }
    dialect.delimiter = options.delimiter != '\0' ? options.delimiter : sniffDelimiter(sample, complete, name);
    report.delimiter = dialect.delimiter;

    std::vector<std::vector<std::string>> sampleRows;
    dialect.sampleRecords = sampleFieldCounts(sample, complete || sample.size() < head.size(), dialect.delimiter, 50,
                                              &sampleRows, &dialect.sampleBytes)
                                .size();
    dialect.decimalMark
        = options.decimalMark != '\0' ? options.decimalMark : sniffDecimalMark(sampleRows, dialect.delimiter);
    report.decimalMark = dialect.decimalMark;
    if (options.skipRows)
        dialect.preamble.rows = *options.skipRows;
    else
        dialect.preamble = sniffPreamble(sampleRows, missing, dialect.decimalMark);
    report.preambleRows = dialect.preamble.rows;
    dialect.hasHeader = options.header == ReadOptions::Header::Present;
    if (options.header == ReadOptions::Header::Auto) {
        const SampleRows tableRows = SampleRows(sampleRows).subspan(std::min(dialect.preamble.rows, sampleRows.size()));
        dialect.hasHeader = dialect.preamble.rowNames || sniffHeader(tableRows, missing, dialect.decimalMark);
    }
    report.hasHeader = dialect.hasHeader;
    report.rowNames = dialect.hasHeader && dialect.preamble.rowNames;

    return dialect;
}

/// A header cell as a column's name: blanks around it dropped; an empty one named by its position.
std::string columnName(std::string_view text, std::size_t index)
{
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    return text.empty() ? "column_" + std::to_string(index + 1) : std::string(text);
}

/// Why a row of `found` fields does not fit a table of `columns` whose first row is on line `firstRowLine`.
std::string fieldCountMessage(std::size_t columns, std::size_t found, std::size_t firstRowLine)
{
    return "expected " + std::to_string(columns) + (columns == 1 ? " field" : " fields") + " (as in "
        + (firstRowLine == 1 ? std::string("the first row")
                             : "line " + std::to_string(firstRowLine) + ", the table's first row")
        + "), found " + std::to_string(found);
}

/// How many rows `bytes` of the table should hold, by the sniffed sample's row size, with a tenth to spare (0 when
/// unknown): columns reserved for them do not reallocate (and double memory) as they grow.
std::size_t expectedRows(const Dialect& dialect, std::uint64_t bytes)
{
    if (bytes == 0 || dialect.sampleRecords == 0)
        return 0;
    const double bytesPerRow = static_cast<double>(dialect.sampleBytes) / static_cast<double>(dialect.sampleRecords);
    return static_cast<std::size_t>(static_cast<double>(bytes) / std::max(bytesPerRow, 1.0) * 1.1) + 16;
}

/// One builder per column, typed as the options force, each reserved for `rows`.
std::vector<ColumnBuilder> makeBuilders(const std::vector<std::string>& names, const ReadOptions& options,
                                        const MissingTokens& missing, const ReadOptions& cellOptions, std::size_t rows)
{
    std::vector<ColumnBuilder> builders;
    builders.reserve(names.size());
    for (const std::string& columnName : names) {
        std::optional<ColumnType> forced;
        if (const auto found = options.typeOverrides.find(columnName); found != options.typeOverrides.end())
            forced = found->second;
        builders.emplace_back(columnName, forced, missing, cellOptions);
        builders.back().reserve(rows);
    }
    return builders;
}

/// A row that cannot be read, where: reported (skipped or thrown) by readCsv in file order.
struct Problem
{
    std::size_t line;
    std::size_t column;
    std::string message;
    bool brokenQuote = false; ///< never skipped: everything after it would be misread
};

/// Adds one record (of any width) to the table: its cells to the builders and one to `rows`, or, when it does
/// not fit, the problem (the builders then hold `rows` cells each, as before it). `line`: where it starts.
std::optional<Problem> addRecord(const Record& record, std::size_t line, std::size_t firstRowLine,
                                 std::vector<ColumnBuilder>& builders, std::size_t& rows, std::string& scratch)
{
    const std::size_t columnCount = builders.size();
    if (record.fields.size() != columnCount) {
        const bool tooMany = record.fields.size() > columnCount;
        const char* at = tooMany ? record.fields[columnCount].begin : record.fields.back().end;
        return Problem{lineOf(record, line, at), columnOf(record, at),
                       fieldCountMessage(columnCount, record.fields.size(), firstRowLine)};
    }
    for (std::size_t c = 0; c < columnCount; ++c) {
        const Field& field = record.fields[c];
        if (!std::isnan(field.number) && builders[c].acceptsNumbers()) [[likely]] {
            builders[c].appendNumber(field.number);
            continue;
        }
        const std::string_view text = fieldText(field, scratch);
        const auto status = builders[c].append(text);
        if (status != ColumnBuilder::Status::Ok) [[unlikely]] {
            for (std::size_t k = 0; k < c; ++k)
                builders[k].truncate(rows);
            return Problem{lineOf(record, line, field.begin), columnOf(record, field.begin),
                           describe(status, text, builders[c])};
        }
    }
    ++rows;
    return std::nullopt;
}

/// What reading one block of a file's records gave, for readCsv to join to the table in file order.
struct Block
{
    std::string bytes; ///< whole lines; the last may end inside a quoted field
    bool last = false; ///< the end of the input follows
    std::vector<ColumnBuilder> builders;
    std::size_t rows = 0;
    std::size_t lines = 0; ///< line breaks in the records read
    std::size_t consumed = 0; ///< bytes of whole records read; the rest belongs to the next block's first record
    std::vector<Problem> problems;
    bool stopped = false; ///< at a problem that ends the read, or cancelled
};

/// What every block shares, read-only, across the threads.
struct TableReading
{
    const Tokenizer& tokenizer;
    const std::vector<std::string>& names;
    const ReadOptions& options;
    const ReadOptions& cellOptions;
    const MissingTokens& missing;
    std::size_t firstRowLine;
    const Dialect& dialect; ///< its sample's row size reserves a block's columns
};

/// Reads a block's records into its own builders (`text`: columns that earlier blocks made text, which start
/// as text here). Lines count from 1 at the block's start. Stops at a broken quote, at a bad row when bad rows
/// are not skipped, or when cancelled.
void readBlock(const TableReading& table, Block& block, const std::vector<bool>& text)
{
    if (block.builders.empty()) // a block's builders serve it from batch to batch, and keep their memory
        block.builders = makeBuilders(table.names, table.options, table.missing, table.cellOptions, 0);
    const std::size_t rows = expectedRows(table.dialect, block.bytes.size());
    for (std::size_t c = 0; c < table.names.size(); ++c) {
        ColumnBuilder& builder = block.builders[c];
        builder.clearCells();
        if (text[c])
            builder.startAsDictionary();
        builder.reserve(rows);
    }
    block.rows = block.lines = block.consumed = 0;
    block.problems.clear();
    block.stopped = false;
    Record record;
    ScanError scanError;
    std::string scratch;
    const char* p = block.bytes.data();
    const char* const end = p + block.bytes.size();
    for (std::size_t records = 0; p < end; ++records) {
        if (records % 4096 == 4095 && table.options.cancel.isCancelled()) {
            block.stopped = true;
            break;
        }
        const char* after = nullptr;
        const Scan scan = table.tokenizer.next(p, end, block.last, record, after, scanError);
        if (scan == Scan::NeedMore)
            break;
        const std::size_t line = block.lines + 1;
        if (scan == Scan::Error) {
            block.problems.push_back(
                {lineOf(record, line, scanError.at), columnOf(record, scanError.at), scanError.message, true});
            block.stopped = true;
            break;
        }
        if (!isBlank(record)) {
            if (auto problem = addRecord(record, line, table.firstRowLine, block.builders, block.rows, scratch)) {
                block.problems.push_back(std::move(*problem));
                if (!table.options.skipBadRows) {
                    block.stopped = true;
                    break;
                }
            }
        }
        block.lines += record.newlines;
        p = after;
    }
    block.consumed = static_cast<std::size_t>(p - block.bytes.data());
}

/// Fills `block` with whole lines, about `size` bytes of them (more when one line is longer): first those
/// carried over, then more input. What follows its last line break stays in `carry`. False when nothing is left.
bool fillBlock(ByteSource& source, std::string& carry, bool& eof, std::size_t size, Block& block)
{
    auto readMore = [&](std::size_t atLeast) {
        const std::size_t had = carry.size();
        carry.resize(std::max(had + atLeast, had + 65536));
        const std::size_t got = source.read(carry.data() + had, carry.size() - had);
        carry.resize(had + got);
        eof = got == 0;
    };
    while (!eof && carry.size() < size)
        readMore(size - carry.size());
    std::size_t cut = carry.size();
    if (!eof || carry.size() > size) {
        std::size_t lastBreak = carry.rfind('\n', size - 1);
        if (lastBreak == std::string::npos)
            lastBreak = carry.find('\n', size);
        while (lastBreak == std::string::npos && !eof) { // one line longer than a block
            const std::size_t from = carry.size();
            readMore(size);
            lastBreak = carry.find('\n', from);
        }
        if (lastBreak != std::string::npos)
            cut = lastBreak + 1;
    }
    std::swap(block.bytes, carry); // buffers change hands, and keep their memory from block to block
    carry.assign(block.bytes, cut);
    block.bytes.resize(cut);
    block.last = eof && carry.empty();
    return !block.bytes.empty();
}

/// The data rows after the header, in blocks of a few MB read on `threads` threads at a time and joined in
/// file order. Every block but the first starts where a line starts, which is where a record starts unless
/// a quoted field holds line breaks: a block is kept only when the one before it read to its very end, and is
/// read again after that one's unfinished record otherwise. The table, the problems and their lines and
/// columns are those of reading the file in one go.
std::size_t readBlocks(const TableReading& table, ChunkedInput& input, ByteSource& source, ReadReport& report,
                       const std::string& name, std::size_t line, int threads, std::vector<ColumnBuilder>& builders)
{
    std::string carry(input.begin(), input.end());
    bool eof = input.atEof();
    std::vector<bool> text(builders.size());
    for (std::size_t c = 0; c < builders.size(); ++c)
        text[c] = builders[c].isDictionary();
    std::size_t rows = 0;
    std::size_t bytes = input.bytesConsumedTotal();
    std::vector<Block> blocks(static_cast<std::size_t>(threads));
    for (;;) {
        std::size_t filled = 0;
        while (filled < blocks.size() && fillBlock(source, carry, eof, table.options.blockBytes, blocks[filled]))
            ++filled;
        if (filled == 0)
            break;
        util::parallelFor(filled, threads, [&](std::size_t b) { readBlock(table, blocks[b], text); });
        std::string unfinished; // the end of a block that a later block's first record must start with
        for (std::size_t b = 0; b < filled; ++b) {
            Block& block = blocks[b];
            bool again = !unfinished.empty();
            if (again)
                block.bytes.insert(0, unfinished);
            for (std::size_t c = 0; !again && c < builders.size(); ++c)
                again = text[c] && !block.builders[c].isDictionary() && block.builders[c].size() > 0;
            if (again)
                readBlock(table, block, text);
            if (block.stopped)
                checkpoint(table.options, source); // cancelled: throws
            for (const Problem& problem : block.problems) {
                if (problem.brokenQuote)
                    throw ReadError(name, line + problem.line - 1, problem.column, problem.message);
                skipOrThrow(table.options, report, name, line + problem.line - 1, problem.column, problem.message);
            }
            for (std::size_t c = 0; c < builders.size(); ++c)
                text[c] = text[c] || block.builders[c].isDictionary();
            rows += block.rows;
            line += block.lines;
            bytes += block.consumed;
            unfinished.assign(block.bytes, block.consumed);
        }
        // The blocks join the table column by column, the columns shared among the threads (the copies and
        // the first touch of the table's memory are most of the joining).
        util::parallelFor(builders.size(), threads, [&](std::size_t c) {
            for (std::size_t b = 0; b < filled; ++b) {
                const bool joined = builders[c].absorb(blocks[b].builders[c]);
                assert(joined); // a block whose column a text column would refuse was read again above
                (void)joined;
            }
        });
        if (!unfinished.empty())
            carry.insert(0, unfinished);
        checkpoint(table.options, source);
    }
    report.bytesRead = bytes;
    return rows;
}

Dataset readCsv(ByteSource& source, const std::string& name, const ReadOptions& options, ReadReport& report)
{
    ChunkedInput input(source);
    input.refill();
    const MissingTokens missing(options.missingTokens);

    // A byte-order mark says UTF-8 (skipped) or UTF-16 (refused with a clear message).
    std::string_view head(input.begin(), static_cast<std::size_t>(input.end() - input.begin()));
    if (head.starts_with("\xEF\xBB\xBF")) {
        input.consume(input.begin() + 3);
    } else if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
        throw ReadError(name, 1, 1, "the file is UTF-16 encoded; save it as UTF-8");
    }
    head = std::string_view(input.begin(), static_cast<std::size_t>(input.end() - input.begin()));
    if (head.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw ReadError(name, 0, 0, "the file is empty");

    const Dialect dialect = sniffDialect(head, input.atEof(), options, missing, name, report);
    const char delimiter = dialect.delimiter;
    const char decimalMark = dialect.decimalMark;
    const bool hasHeader = dialect.hasHeader;
    const Preamble& preamble = dialect.preamble;
    // The builders read cells with the mark found.
    ReadOptions cellOptions = options;
    cellOptions.decimalMark = decimalMark;

    Tokenizer tokenizer(delimiter, decimalMark == ',');
    Record record;
    ScanError scanError;
    std::string scratch;
    std::size_t line = 1; // line where the current record starts
    std::size_t rows = 0;

    // Scans the next record into `record`; `after` is where the one after it starts.
    auto nextRecord = [&](const char*& after) -> bool {
        for (;;) {
            if (input.begin() == input.end()) {
                if (input.atEof())
                    return false;
                checkpoint(options, source);
                input.refill();
                continue;
            }
            const Scan scan = tokenizer.next(input.begin(), input.end(), input.atEof(), record, after, scanError);
            if (scan == Scan::Record) {
                return true;
            }
            if (scan == Scan::Error) {
                // A broken quote cannot be skipped safely: everything after it would be misread.
                throw ReadError(name, lineOf(record, line, scanError.at), columnOf(record, scanError.at),
                                scanError.message);
            }
            if (input.atEof())
                return false;
            checkpoint(options, source);
            input.refill();
        }
    };
    auto advance = [&](const char* after) {
        line += record.newlines;
        input.consume(after);
    };

    // The header, or names made up for a headerless file.
    std::vector<std::string> names;
    std::size_t firstRowLine = 1; // the header's line, or the first data row's
    {
        const char* after = nullptr;
        std::size_t preambleLeft = preamble.rows;
        while (nextRecord(after)) {
            if (isBlank(record) || preambleLeft > 0) {
                preambleLeft -= isBlank(record) ? 0 : 1;
                advance(after);
                continue;
            }
            firstRowLine = line;
            if (report.rowNames)
                names.emplace_back("row_name");
            if (hasHeader) {
                for (const Field& field : record.fields) {
                    const std::string_view text = fieldText(field, scratch);
                    std::size_t bad = 0;
                    if (!isValidUtf8(text, &bad))
                        throw ReadError(name, lineOf(record, line, field.begin + bad),
                                        columnOf(record, field.begin + bad),
                                        "invalid UTF-8 in the header (the file must be UTF-8 encoded)");
                    names.push_back(columnName(text, names.size()));
                }
                advance(after);
            } else {
                for (std::size_t i = 0; i < record.fields.size(); ++i)
                    names.push_back("column_" + std::to_string(i + 1));
            }
            break;
        }
    }
    if (names.empty())
        throw ReadError(name, 0, 0, "the file is empty");
    makeNamesUnique(names);

    std::vector<ColumnBuilder> builders
        = makeBuilders(names, options, missing, cellOptions, expectedRows(dialect, source.sizeHint()));

    const int threads = options.threads > 0 ? options.threads
                                            : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 8U));
    const std::uint64_t size = source.sizeHint();
    if (threads > 1 && (size == 0 || size >= 2 * static_cast<std::uint64_t>(options.blockBytes))) {
        const TableReading table{tokenizer, names, options, cellOptions, missing, firstRowLine, dialect};
        rows = readBlocks(table, input, source, report, name, line, threads, builders);
    } else {
        const char* after = nullptr;
        while (nextRecord(after)) {
            if (!isBlank(record)) {
                if (const auto problem = addRecord(record, line, firstRowLine, builders, rows, scratch))
                    skipOrThrow(options, report, name, problem->line, problem->column, problem->message);
            }
            advance(after);
        }
        report.bytesRead = input.bytesConsumedTotal();
    }
    if (options.progress)
        options.progress(1.0);

    std::vector<Column> columns;
    columns.reserve(builders.size());
    for (ColumnBuilder& builder : builders)
        columns.push_back(builder.finish());
    return Dataset(std::move(columns));
}

} // namespace tunebench::data::detail
