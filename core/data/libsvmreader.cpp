// LIBSVM / SVMlight: "label [qid:n] index:value ... [# comment]", made dense with absent values as 0.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

#include "data/columnbuilder.h"
#include "data/readers_p.h"

namespace tunebench::data::detail {

Dataset readLibSvm(ByteSource& source, const std::string& name, const ReadOptions& options, ReadReport& report)
{
    ChunkedInput input(source);
    input.refill();
    LineReader lines(input);

    struct Entry
    {
        std::uint32_t row;
        std::uint32_t index;
        double value;
    };
    std::vector<double> labels;
    std::vector<Entry> entries;
    std::uint32_t minIndex = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t maxIndex = 0;
    std::string_view line;
    std::size_t linesSinceCheck = 0;

    while (lines.next(line)) {
        if (++linesSinceCheck == 4096) {
            linesSinceCheck = 0;
            checkpoint(options, source);
        }
        if (lines.lineNumber() == 1 && line.starts_with("\xEF\xBB\xBF"))
            line.remove_prefix(3);
        if (const auto hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        const std::size_t lineNumber = lines.lineNumber();
        auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
        std::size_t pos = 0;
        auto nextToken = [&]() -> std::string_view {
            while (pos < line.size() && isSpace(line[pos]))
                ++pos;
            const std::size_t start = pos;
            while (pos < line.size() && !isSpace(line[pos]))
                ++pos;
            return line.substr(start, pos - start);
        };
        const std::string_view labelText = nextToken();
        if (labelText.empty())
            continue; // blank or comment-only line
        const std::size_t entriesBefore = entries.size();
        auto reject = [&](std::string_view at, const std::string& message) {
            entries.resize(entriesBefore);
            skipOrThrow(options, report, name, lineNumber, characterCount(line.data(), at.data()) + 1, message);
        };
        const auto label = parseNumber(labelText);
        if (!label) {
            reject(labelText, "expected a numeric label, found \"" + std::string(labelText.substr(0, 40)) + "\"");
            continue;
        }
        if (labels.size() >= std::numeric_limits<std::uint32_t>::max())
            throw ReadError(name, lineNumber, 1, "too many rows");
        const auto row = static_cast<std::uint32_t>(labels.size());
        bool bad = false;
        std::int64_t previous = -1;
        for (std::string_view token = nextToken(); !token.empty() && !bad; token = nextToken()) {
            const auto colon = token.find(':');
            if (colon == std::string_view::npos) {
                reject(token, "expected index:value, found \"" + std::string(token.substr(0, 40)) + "\"");
                bad = true;
                break;
            }
            const std::string_view indexText = token.substr(0, colon);
            if (indexText == "qid")
                continue;
            std::uint32_t index = 0;
            const auto parsed = std::from_chars(indexText.data(), indexText.data() + indexText.size(), index);
            if (parsed.ec != std::errc{} || parsed.ptr != indexText.data() + indexText.size()) {
                reject(token,
                       "expected a non-negative integer feature index, found \"" + std::string(indexText.substr(0, 40))
                           + "\"");
                bad = true;
                break;
            }
            if (static_cast<std::int64_t>(index) <= previous) {
                reject(token,
                       "feature indices must increase along a row (" + std::to_string(index) + " after "
                           + std::to_string(previous) + ")");
                bad = true;
                break;
            }
            previous = index;
            const auto value = parseNumber(token.substr(colon + 1));
            if (!value) {
                reject(token.substr(colon + 1), "expected a number after \"" + std::string(indexText) + ":\"");
                bad = true;
                break;
            }
            entries.push_back({row, index, *value});
        }
        if (bad)
            continue;
        for (std::size_t e = entriesBefore; e < entries.size(); ++e) {
            minIndex = std::min(minIndex, entries[e].index);
            maxIndex = std::max(maxIndex, entries[e].index);
        }
        labels.push_back(*label);
    }
    if (labels.empty())
        throw ReadError(name, 0, 0, "the file holds no rows");

    // Feature columns from the lowest index seen (0 or 1) to the highest; absent entries are 0.
    const std::uint32_t first = entries.empty() ? 1 : std::min<std::uint32_t>(minIndex, 1);
    const std::size_t width = entries.empty() ? 0 : std::size_t{maxIndex} - first + 1;
    // Made dense, every feature is a column: refuse what would not fit, before allocating anything.
    if (width > options.maxDenseFeatures || (width > 0 && labels.size() > options.maxDenseCells / width))
        throw ReadError(name, 0, 0,
                        "too large to hold as a dense table: " + std::to_string(labels.size()) + " rows x "
                            + std::to_string(width) + " features (at most " + std::to_string(options.maxDenseFeatures)
                            + " features and " + std::to_string(options.maxDenseCells / (1024 * 1024 / 8))
                            + " MiB of values)");
    std::vector<Column> columns(width + 1);
    for (std::size_t f = 0; f < width; ++f) {
        columns[f].name = std::string(1, 'f').append(std::to_string(first + f)); // (not "f" + ...: GCC 12 bug 105651)
        columns[f].type = ColumnType::Numeric;
        columns[f].values.assign(labels.size(), 0.0);
    }
    for (const Entry& entry : entries)
        columns[entry.index - first].values[entry.row] = entry.value;
    std::vector<Entry>().swap(entries);

    // The label column, typed like any other numeric column (class labels become possiblyCategorical).
    const MissingTokens none({});
    ColumnBuilder labelBuilder("label", ColumnType::Numeric, none, options);
    labelBuilder.reserve(labels.size());
    for (double label : labels)
        labelBuilder.appendNumber(label);
    columns[width] = labelBuilder.finish();
    report.bytesRead = input.bytesConsumedTotal();
    report.hasHeader = false;
    if (options.progress)
        options.progress(1.0);
    return Dataset(std::move(columns));
}

} // namespace tunebench::data::detail
