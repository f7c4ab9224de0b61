#include "data/reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "data/readers_p.h"
#include "util/memory.h"

namespace tunebench::data {

using namespace detail;

std::string_view toString(FileFormat format)
{
    switch (format) {
    case FileFormat::Auto: return "auto";
    case FileFormat::Csv: return "csv";
    case FileFormat::Arff: return "arff";
    case FileFormat::LibSvm: return "libsvm";
    }
    return "auto";
}

std::string delimiterName(char delimiter)
{
    if (delimiter == '\t')
        return "tab";
    if (delimiter == kWhitespace)
        return "whitespace";
    return std::string(1, delimiter);
}

std::optional<char> delimiterFromName(std::string_view name)
{
    if (name == "tab" || name == "\\t" || name == "\t")
        return '\t';
    if (name == "whitespace" || name == "space" || name == " ")
        return kWhitespace;
    if (name.size() != 1)
        return std::nullopt;
    const auto c = static_cast<unsigned char>(name[0]);
    if (c >= 128 || c < 32 || std::isalnum(c) || c == '"' || c == '\n' || c == '\r')
        return std::nullopt;
    return name[0];
}

void ReadSettings::applyTo(ReadOptions& options) const
{
    options.delimiter = delimiter;
    options.decimalMark = decimalMark;
    options.header = header;
    options.skipRows = skipRows;
    if (missingTokens)
        options.missingTokens = *missingTokens;
}

ReadSettings ReadSettings::of(const ReadOptions& options)
{
    ReadSettings settings;
    settings.delimiter = options.delimiter;
    settings.decimalMark = options.decimalMark;
    settings.header = options.header;
    settings.skipRows = options.skipRows;
    if (options.missingTokens != ReadOptions{}.missingTokens)
        settings.missingTokens = options.missingTokens;
    return settings;
}

std::string describe(const ReadReport& report)
{
    std::string text(toString(report.format));
    if (report.format != FileFormat::Csv)
        return text;
    const std::string delimiter = delimiterName(report.delimiter);
    text += ", delimiter " + (delimiter.size() == 1 ? "'" + delimiter + "'" : delimiter);
    if (report.decimalMark == ',')
        text += ", decimal comma";
    if (report.preambleRows > 0)
        text += ", " + std::to_string(report.preambleRows) + (report.preambleRows == 1 ? " row" : " rows")
            + " above the table left out";
    text += report.hasHeader ? ", header" : ", no header";
    if (report.rowNames)
        text += " (one name short: the first column holds row names)";
    return text;
}

std::string describe(const ReadSettings& settings)
{
    std::vector<std::string> parts;
    if (settings.delimiter != '\0') {
        const std::string delimiter = delimiterName(settings.delimiter);
        parts.push_back("delimiter " + (delimiter.size() == 1 ? "'" + delimiter + "'" : delimiter));
    }
    if (settings.decimalMark != '\0')
        parts.emplace_back(settings.decimalMark == ',' ? "decimal comma" : "decimal point");
    if (settings.header != ReadOptions::Header::Auto)
        parts.emplace_back(settings.header == ReadOptions::Header::Present ? "header" : "no header");
    if (settings.skipRows)
        parts.push_back(std::to_string(*settings.skipRows) + (*settings.skipRows == 1 ? " row" : " rows")
                        + " above the table left out");
    if (settings.missingTokens) {
        std::string tokens;
        for (const std::string& token : *settings.missingTokens)
            tokens += (tokens.empty() ? "" : ", ") + token;
        parts.push_back("missing: " + (tokens.empty() ? std::string("empty cells only") : tokens));
    }
    std::string text;
    for (const std::string& part : parts)
        text += (text.empty() ? "" : ", ") + part;
    return text.empty() ? "sniffed" : text;
}

ReadError::ReadError(std::string file, std::size_t line, std::size_t column, std::string message)
    : std::runtime_error([&] {
        std::string text = file;
        if (line > 0)
            text += ':' + std::to_string(line);
        if (line > 0 && column > 0)
            text += ':' + std::to_string(column);
        return text + ": " + message;
    }())
    , m_file(std::move(file))
    , m_line(line)
    , m_column(column)
    , m_message(std::move(message))
{ }

namespace detail {

std::size_t characterCount(const char* begin, const char* end) noexcept
{
    std::size_t count = 0;
    for (const char* p = begin; p < end; ++p)
        count += (static_cast<unsigned char>(*p) & 0xC0) != 0x80 ? 1 : 0;
    return count;
}

void skipOrThrow(const ReadOptions& options, ReadReport& report, const std::string& file, std::size_t line,
                 std::size_t column, const std::string& message)
{
    if (!options.skipBadRows)
        throw ReadError(file, line, column, message);
    ++report.skippedRows;
    constexpr std::size_t kKept = 20;
    if (report.skipped.size() < kKept)
        report.skipped.push_back("line " + std::to_string(line) + ", column " + std::to_string(column) + ": "
                                 + message);
}

void checkpoint(const ReadOptions& options, const ByteSource& source)
{
    if (options.cancel.isCancelled())
        throw util::Cancelled();
    if (options.progress)
        options.progress(std::clamp(source.progress(), 0.0, 1.0));
}

void makeNamesUnique(std::vector<std::string>& names)
{
    std::set<std::string, std::less<>> seen(names.begin(), names.end());
    std::set<std::string, std::less<>> used;
    for (std::string& name : names) {
        if (used.insert(name).second)
            continue;
        for (int suffix = 1;; ++suffix) {
            std::string candidate = name + '.' + std::to_string(suffix);
            if (!seen.contains(candidate) && used.insert(candidate).second) {
                name = std::move(candidate);
                break;
            }
        }
    }
}

} // namespace detail

namespace {

std::string lowercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// Guesses the format from the first bytes: ARFF starts with % comments or @relation; LIBSVM rows are
/// "label index:value ...".
FileFormat formatFromContent(std::string_view head)
{
    std::size_t pos = 0;
    while (pos < head.size()) {
        std::size_t eol = head.find('\n', pos);
        if (eol == std::string_view::npos)
            eol = head.size();
        std::string_view line = head.substr(pos, eol - pos);
        pos = eol + 1;
        while (!line.empty()
               && (line.front() == ' ' || line.front() == '\t' || line.front() == '\xEF' || line.front() == '\xBB'
                   || line.front() == '\xBF'))
            line.remove_prefix(1);
        if (line.empty() || line.front() == '%')
            continue;
        if (line.front() == '@')
            return FileFormat::Arff;
        const auto space = line.find_first_of(" \t");
        if (space != std::string_view::npos && line.find(':', space) != std::string_view::npos
            && line.find(',') == std::string_view::npos && line.find(';') == std::string_view::npos)
            return FileFormat::LibSvm;
        return FileFormat::Csv;
    }
    return FileFormat::Csv;
}

Dataset readFrom(const std::function<std::unique_ptr<ByteSource>()>& open, const std::string& name,
                 const ReadOptions& options, ReadReport* report)
{
    ReadReport local;
    ReadReport& out = report ? *report : local;
    out = ReadReport{};
    FileFormat format = options.format;
    if (format == FileFormat::Auto)
        format = formatFromName(name);
    try {
        if (format == FileFormat::Auto) {
            auto probe = open();
            std::string head(4096, '\0');
            head.resize(probe->read(head.data(), head.size()));
            format = formatFromContent(head);
        }
        out.format = format;
        auto source = open();
        switch (format) {
        case FileFormat::Arff: return readArff(*source, name, options, out);
        case FileFormat::LibSvm: return readLibSvm(*source, name, options, out);
        case FileFormat::Csv:
        case FileFormat::Auto: return readCsv(*source, name, options, out);
        }
    } catch (const ReadError&) {
        throw;
    } catch (const util::Cancelled&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw ReadError(name, 0, 0, "not enough memory to load this file");
    } catch (const std::exception& error) {
        // I/O and decompression errors: keep the message, name the file once.
        std::string message = error.what();
        if (message.rfind(name + ": ", 0) == 0)
            message.erase(0, name.size() + 2);
        throw ReadError(name, 0, 0, message);
    }
    return {};
}

/// A dataset lives in memory, about as large as its text (a number's digits become an 8-byte double): a
/// file larger than the memory available is refused before a byte is parsed, rather than left to the
/// kernel's out-of-memory killer. A gzip file is judged by the uncompressed size in its trailer.
void refuseLargerThanMemory(const std::string& path)
{
    std::error_code error;
    const std::uint64_t size = std::filesystem::file_size(path, error);
    if (error)
        return; // the reader says what is wrong with it
    std::uint64_t data = size;
    std::ifstream file(path, std::ios::binary);
    unsigned char magic[2] = {0, 0};
    if (file.read(reinterpret_cast<char*>(magic), 2) && magic[0] == 0x1f && magic[1] == 0x8b && size >= 18) {
        unsigned char trailer[4] = {0, 0, 0, 0};
        file.seekg(-4, std::ios::end);
        if (file.read(reinterpret_cast<char*>(trailer), 4)) {
            const std::uint64_t stored
                = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (static_cast<std::uint64_t>(trailer[3]) << 24);
            // The trailer holds the size modulo 4 GiB: smaller than the compressed file means it wrapped.
            data = stored >= size ? stored : size * 4;
        }
    }
    const std::optional<std::uint64_t> available = util::availableMemoryBytes();
    if (available && data > *available)
        throw ReadError(path, 0, 0,
                        "the file holds " + util::formatBytes(data) + " of data and only "
                            + util::formatBytes(*available)
                            + " of memory is available: it cannot be loaded (a dataset is kept in memory)");
}

} // namespace

FileFormat formatFromName(std::string_view name)
{
    std::string lowered = lowercase(std::string(name));
    if (endsWith(lowered, ".gz"))
        lowered.resize(lowered.size() - 3);
    if (endsWith(lowered, ".arff"))
        return FileFormat::Arff;
    for (std::string_view extension : {".libsvm", ".svm", ".svmlight"}) {
        if (endsWith(lowered, extension))
            return FileFormat::LibSvm;
    }
    for (std::string_view extension : {".csv", ".tsv", ".tab", ".psv", ".txt", ".dat", ".data"}) {
        if (endsWith(lowered, extension))
            return FileFormat::Csv;
    }
    return FileFormat::Auto;
}

Dataset readDataset(const std::string& path, const ReadOptions& options, ReadReport* report)
{
    refuseLargerThanMemory(path);
    return readFrom([&path] { return openFile(path); }, path, options, report);
}

Dataset readDatasetFromMemory(std::string_view bytes, std::string_view name, const ReadOptions& options,
                              ReadReport* report)
{
    return readFrom([bytes] { return openMemory(bytes); }, std::string(name), options, report);
}

Dataset readHead(const std::string& path, std::size_t lines, const ReadOptions& options, ReadReport* report)
{
    constexpr std::size_t kMostBytes = std::size_t{1} << 20;
    const std::unique_ptr<ByteSource> source = openFile(path);
    std::string head;
    std::size_t newlines = 0;
    char block[16384];
    while (newlines < lines && head.size() < kMostBytes) {
        const std::size_t got = source->read(block, sizeof block);
        if (got == 0)
            break;
        head.append(block, got);
        newlines += static_cast<std::size_t>(std::count(block, block + got, '\n'));
    }
    // Whole lines only: up to the `lines`-th end of line, or the last one a cut-off read holds.
    if (newlines >= lines) {
        std::size_t end = 0;
        for (std::size_t line = 0; line < lines; ++line)
            end = head.find('\n', end) + 1;
        head.resize(end);
    } else if (head.size() >= kMostBytes && head.rfind('\n') != std::string::npos) {
        head.resize(head.rfind('\n') + 1);
    }
    return readDatasetFromMemory(head, path, options, report);
}

} // namespace tunebench::data
