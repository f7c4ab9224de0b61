// CSV and its cousins: RFC 4180 quoting, delimiter and header sniffing, streaming in chunks.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "data/columnbuilder.h"
#include "data/readers_p.h"

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
    Tokenizer(char delimiter, bool decimalComma)
        : m_delimiter(delimiter)
        , m_decimalComma(decimalComma)
    {
        m_stop.fill(false);
        m_stop[static_cast<unsigned char>(delimiter)] = true;
        m_stop[static_cast<unsigned char>('\n')] = true;
        m_stop[static_cast<unsigned char>('\r')] = true;
    }

    Scan next(const char* p, const char* end, bool eof, Record& record, const char*& after, ScanError& error) const
    {
        record.fields.clear();
        record.begin = p;
        record.newlines = 0;
        const char* q = p;
        for (;;) {
            const char* s = q;
            while (s < end && *s == ' ' && m_delimiter != ' ')
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
                while (q < end && *q == ' ' && m_delimiter != ' ')
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
    char m_delimiter;
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

char sniffDelimiter(std::string_view sample, bool complete, std::string_view name)
{
    constexpr std::array<char, 4> kCandidates = {',', '\t', ';', '|'};
    char best = ',';
    double bestScore = 0.0;
    for (char candidate : kCandidates) {
        const auto counts = sampleFieldCounts(sample, complete, candidate, 100);
        if (counts.empty())
            continue;
        // The most common field count, how consistently rows have it, and how many fields it makes.
        std::vector<std::size_t> sorted = counts;
        std::sort(sorted.begin(), sorted.end());
        std::size_t mode = sorted[0];
        std::size_t modeRun = 0;
        for (std::size_t i = 0; i < sorted.size();) {
            std::size_t j = i;
            while (j < sorted.size() && sorted[j] == sorted[i])
                ++j;
            if (j - i > modeRun) {
                modeRun = j - i;
                mode = sorted[i];
            }
            i = j;
        }
        if (mode < 2)
            continue;
        const double consistency = static_cast<double>(modeRun) / static_cast<double>(counts.size());
        const double score = consistency * 1000.0 + static_cast<double>(std::min<std::size_t>(mode, 999));
        if (score > bestScore) {
            bestScore = score;
            best = candidate;
        }
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

/// A header row is one whose cells are all text while the rows under it hold numbers in some of
/// those columns; for all-text data, one whose names are distinct and never repeat below.
bool sniffHeader(const std::vector<std::vector<std::string>>& rows, const MissingTokens& missing, char decimalMark)
{
    if (rows.empty())
        return false;
    const auto& first = rows[0];
    for (const std::string& cell : first) {
        if (parseNumber(cell, decimalMark))
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
    std::vector<std::string> names = first;
    std::sort(names.begin(), names.end());
    if (std::adjacent_find(names.begin(), names.end()) != names.end())
        return false;
    for (std::size_t column = 0; column < first.size(); ++column) {
        for (std::size_t r = 1; r < rows.size(); ++r) {
            if (column < rows[r].size() && rows[r][column] == first[column])
                return false;
        }
    }
    return true;
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

    // Sniff on whole records only: cut the sample after its last line break.
    constexpr std::size_t kSampleBytes = 1 << 16;
    std::string_view sample = head.substr(0, kSampleBytes);
    const bool complete = input.atEof() && sample.size() == head.size();
    if (!complete) {
        const auto lastBreak = sample.find_last_of('\n');
        if (lastBreak != std::string_view::npos)
            sample = sample.substr(0, lastBreak + 1);
    }
    const char delimiter = options.delimiter != '\0' ? options.delimiter : sniffDelimiter(sample, complete, name);
    report.delimiter = delimiter;

    std::vector<std::vector<std::string>> sampleRows;
    std::size_t sampleBytes = 0;
    const auto sampleCounts
        = sampleFieldCounts(sample, complete || sample.size() < head.size(), delimiter, 50, &sampleRows, &sampleBytes);
    const char decimalMark
        = options.decimalMark != '\0' ? options.decimalMark : sniffDecimalMark(sampleRows, delimiter);
    report.decimalMark = decimalMark;
    // The builders read cells with the mark found.
    ReadOptions cellOptions = options;
    cellOptions.decimalMark = decimalMark;
    bool hasHeader = options.header == ReadOptions::Header::Present;
    if (options.header == ReadOptions::Header::Auto)
        hasHeader = sniffHeader(sampleRows, missing, decimalMark);
    report.hasHeader = hasHeader;

    Tokenizer tokenizer(delimiter, decimalMark == ',');
    Record record;
    ScanError scanError;
    std::string scratch;
    std::size_t line = 1; // line where the current record starts
    std::vector<ColumnBuilder> builders;
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
    {
        const char* after = nullptr;
        while (nextRecord(after)) {
            if (isBlank(record)) {
                advance(after);
                continue;
            }
            if (hasHeader) {
                for (const Field& field : record.fields) {
                    const std::string_view text = fieldText(field, scratch);
                    std::size_t bad = 0;
                    if (!isValidUtf8(text, &bad))
                        throw ReadError(name, lineOf(record, line, field.begin + bad),
                                        columnOf(record, field.begin + bad),
                                        "invalid UTF-8 in the header (the file must be UTF-8 encoded)");
                    std::string columnName(text);
                    while (!columnName.empty() && columnName.back() == ' ')
                        columnName.pop_back();
                    while (!columnName.empty() && columnName.front() == ' ')
                        columnName.erase(0, 1);
                    names.push_back(columnName.empty() ? "column_" + std::to_string(names.size() + 1) : columnName);
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

    builders.reserve(names.size());
    for (const std::string& columnName : names) {
        std::optional<ColumnType> forced;
        if (const auto found = options.typeOverrides.find(columnName); found != options.typeOverrides.end())
            forced = found->second;
        builders.emplace_back(columnName, forced, missing, cellOptions);
    }

    // Reserve for the expected row count so that columns do not reallocate (and double memory) as they grow.
    if (const std::uint64_t total = source.sizeHint(); total > 0 && !sampleCounts.empty()) {
        const double bytesPerRow = static_cast<double>(sampleBytes) / static_cast<double>(sampleCounts.size());
        const auto expected
            = static_cast<std::size_t>(static_cast<double>(total) / std::max(bytesPerRow, 1.0) * 1.1) + 16;
        for (ColumnBuilder& builder : builders)
            builder.reserve(expected);
    }

    const std::size_t columnCount = names.size();
    const char* after = nullptr;
    while (nextRecord(after)) {
        if (isBlank(record)) {
            advance(after);
            continue;
        }
        if (record.fields.size() != columnCount) {
            const bool tooMany = record.fields.size() > columnCount;
            const char* at = tooMany ? record.fields[columnCount].begin : record.fields.back().end;
            skipOrThrow(options, report, name, lineOf(record, line, at), columnOf(record, at),
                        "expected " + std::to_string(columnCount) + " fields (as in the first row), found "
                            + std::to_string(record.fields.size()));
            advance(after);
            continue;
        }
        for (std::size_t c = 0; c < columnCount; ++c) {
            const Field& field = record.fields[c];
            if (!std::isnan(field.number) && builders[c].acceptsNumbers()) [[likely]] {
                builders[c].appendNumber(field.number);
                if (c + 1 == columnCount)
                    ++rows;
                continue;
            }
            const std::string_view text = fieldText(field, scratch);
            const auto status = builders[c].append(text);
            if (status != ColumnBuilder::Status::Ok) [[unlikely]] {
                for (std::size_t k = 0; k < c; ++k)
                    builders[k].truncate(rows);
                skipOrThrow(options, report, name, lineOf(record, line, field.begin), columnOf(record, field.begin),
                            describe(status, text, builders[c]));
                break;
            }
            if (c + 1 == columnCount)
                ++rows;
        }
        advance(after);
    }
    report.bytesRead = input.bytesConsumedTotal();
    if (options.progress)
        options.progress(1.0);

    std::vector<Column> columns;
    columns.reserve(builders.size());
    for (ColumnBuilder& builder : builders)
        columns.push_back(builder.finish());
    return Dataset(std::move(columns));
}

} // namespace tunebench::data::detail
