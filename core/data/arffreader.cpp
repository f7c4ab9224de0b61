// Weka's ARFF: @relation, @attribute (numeric, real, integer, nominal, string, date), @data with dense or
// sparse rows, '?' for missing values and '%' comments.

#include <algorithm>
#include <limits>

#include "data/columnbuilder.h"
#include "data/readers_p.h"

namespace tunebench::data::detail {

namespace {

struct Attribute
{
    std::string name;
    ColumnType type = ColumnType::Numeric;
    std::vector<std::string> levels; // nominal
    std::string datePattern;
};

bool startsWithKeyword(std::string_view line, std::string_view keyword)
{
    if (line.size() < keyword.size())
        return false;
    for (std::size_t i = 0; i < keyword.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != keyword[i])
            return false;
    }
    return line.size() == keyword.size() || line[keyword.size()] == ' ' || line[keyword.size()] == '\t';
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

/// Cuts one value off `rest`: a quoted string ('...' or "..." with backslash escapes) or the text up to
/// one of `stops`. Returns false with `error` set when a quote is not closed.
bool takeToken(std::string_view& rest, std::string_view stops, std::string& out, bool& wasQuoted, std::string& error)
{
    rest = trim(rest);
    out.clear();
    wasQuoted = false;
    if (!rest.empty() && (rest.front() == '\'' || rest.front() == '"')) {
        const char quote = rest.front();
        wasQuoted = true;
        std::size_t i = 1;
        for (; i < rest.size(); ++i) {
            const char c = rest[i];
            if (c == '\\' && i + 1 < rest.size()) {
                const char e = rest[++i];
                out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
                continue;
            }
            if (c == quote)
                break;
            out.push_back(c);
        }
        if (i >= rest.size()) {
            error = std::string("unterminated quoted value (missing closing ") + quote + ")";
            return false;
        }
        rest.remove_prefix(i + 1);
        rest = trim(rest);
        return true;
    }
    const std::size_t stop = rest.find_first_of(stops);
    out = std::string(trim(rest.substr(0, stop)));
    rest.remove_prefix(stop == std::string_view::npos ? rest.size() : stop);
    return true;
}

/// "{a, 'b c', d}" → {"a", "b c", "d"}.
std::vector<std::string> parseNominal(std::string_view spec, std::string& error)
{
    std::vector<std::string> levels;
    std::string_view rest = spec.substr(1);
    const auto close = rest.rfind('}');
    if (close == std::string_view::npos) {
        error = "nominal attribute without a closing '}'";
        return {};
    }
    rest = rest.substr(0, close);
    std::string token;
    bool quoted = false;
    while (!trim(rest).empty()) {
        if (!takeToken(rest, ",", token, quoted, error))
            return {};
        levels.push_back(token);
        rest = trim(rest);
        if (!rest.empty() && rest.front() == ',')
            rest.remove_prefix(1);
    }
    return levels;
}

} // namespace

/// An "@attribute NAME TYPE" line (blanks around it trimmed): its name and type, nominal levels or date pattern.
/// `fail(offset, message)` throws, naming the column at `offset` in the line.
template<typename Fail> Attribute parseAttribute(std::string_view trimmedLine, const Fail& fail)
{
    std::string token;
    std::string error;
    bool quoted = false;
    std::string_view rest = trimmedLine.substr(10);
    if (!takeToken(rest, " \t{", token, quoted, error))
        fail(10, error);
    if (token.empty())
        fail(10, "attribute without a name");
    Attribute attribute;
    attribute.name = token;
    rest = trim(rest);
    const std::size_t typeOffset = static_cast<std::size_t>(rest.data() - trimmedLine.data());
    std::string lowered(rest);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!rest.empty() && rest.front() == '{') {
        attribute.type = ColumnType::Categorical;
        attribute.levels = parseNominal(rest, error);
        if (!error.empty())
            fail(typeOffset, error);
    } else if (lowered == "numeric" || lowered == "real" || lowered == "integer") {
        attribute.type = ColumnType::Numeric;
    } else if (lowered == "string") {
        attribute.type = ColumnType::Text;
    } else if (lowered.starts_with("date")) {
        attribute.type = ColumnType::Date;
        std::string_view pattern = trim(rest.substr(4));
        if (!pattern.empty()) {
            if (!takeToken(pattern, "", token, quoted, error))
                fail(typeOffset + 4, error);
            attribute.datePattern = token;
        } else {
            attribute.datePattern = "yyyy-MM-dd'T'HH:mm:ss";
        }
    } else if (lowered.starts_with("relational")) {
        fail(typeOffset, "relational attributes are not supported");
    } else {
        fail(typeOffset,
             "unknown attribute type '" + std::string(rest)
                 + "' (expected numeric, real, integer, string, date or {nominal values})");
    }
    return attribute;
}

/// One builder per attribute, typed as declared (or as the options force), nominal levels and date patterns given.
std::vector<ColumnBuilder> arffBuilders(const std::vector<Attribute>& attributes, const ReadOptions& options,
                                        const MissingTokens& missing)
{
    std::vector<std::string> names;
    for (const Attribute& attribute : attributes)
        names.push_back(attribute.name);
    makeNamesUnique(names);
    std::vector<ColumnBuilder> builders;
    builders.reserve(attributes.size());
    for (std::size_t i = 0; i < attributes.size(); ++i) {
        const Attribute& attribute = attributes[i];
        std::optional<ColumnType> forced = attribute.type;
        bool overridden = false;
        if (const auto found = options.typeOverrides.find(names[i]); found != options.typeOverrides.end()) {
            forced = found->second;
            overridden = true;
        }
        builders.emplace_back(names[i], forced, missing, options);
        if (attribute.type == ColumnType::Categorical && !overridden)
            builders.back().declareLevels(attribute.levels);
        if (attribute.type == ColumnType::Date)
            builders.back().setDatePattern(attribute.datePattern);
    }

    return builders;
}

/// The "index value" entries of a sparse row after its "{", up to its "}". `reject(at, message)` is called once for
/// an entry that does not read, which ends the row.
template<typename Reject>
void readSparseEntries(std::string_view rest, std::size_t attributeCount,
                       std::vector<std::pair<std::size_t, std::string>>& entries, std::vector<const char*>& positions,
                       const Reject& reject)
{
    std::string token;
    std::string error;
    bool quoted = false;
    for (;;) {
        rest = trim(rest);
        if (!rest.empty() && rest.front() == '}')
            break;
        if (rest.empty()) {
            reject(rest, "sparse row without a closing '}'");
            break;
        }
        const std::string_view at = rest;
        std::size_t digits = 0;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
            ++digits;
        if (digits == 0 || digits > 9) {
            reject(at, "expected an attribute index in a sparse row");
            break;
        }
        const auto index = static_cast<std::size_t>(std::stoul(std::string(rest.substr(0, digits))));
        if (index >= attributeCount) {
            reject(at,
                   "attribute index " + std::to_string(index) + " out of range (0 to "
                       + std::to_string(attributeCount - 1) + ")");
            break;
        }
        rest.remove_prefix(digits);
        if (!takeToken(rest, ",}", token, quoted, error)) {
            reject(rest, error);
            break;
        }
        entries.emplace_back(index, token);
        positions.push_back(at.data());
        rest = trim(rest);
        if (!rest.empty() && rest.front() == ',')
            rest.remove_prefix(1);
    }
}

Dataset readArff(ByteSource& source, const std::string& name, const ReadOptions& options, ReadReport& report)
{
    ChunkedInput input(source);
    input.refill();
    LineReader lines(input);
    const MissingTokens missing({"?"});
    std::vector<Attribute> attributes;
    std::string token;
    std::string error;
    bool quoted = false;
    std::string_view line;
    bool inData = false;

    // Header.
    while (lines.next(line)) {
        if (lines.lineNumber() == 1 && line.starts_with("\xEF\xBB\xBF"))
            line.remove_prefix(3);
        const std::string_view trimmedLine = trim(line);
        if (trimmedLine.empty() || trimmedLine.front() == '%')
            continue;
        const std::size_t indent = static_cast<std::size_t>(trimmedLine.data() - line.data());
        auto fail = [&](std::size_t offset, const std::string& message) {
            throw ReadError(name, lines.lineNumber(), indent + offset + 1, message);
        };
        if (startsWithKeyword(trimmedLine, "@relation"))
            continue;
        if (startsWithKeyword(trimmedLine, "@data")) {
            inData = true;
            break;
        }
        if (!startsWithKeyword(trimmedLine, "@attribute"))
            fail(0, "expected @relation, @attribute or @data");
        Attribute attribute = parseAttribute(trimmedLine, fail);
        attributes.push_back(std::move(attribute));
    }
    if (!inData)
        throw ReadError(name, lines.lineNumber(), 0, "no @data section");
    if (attributes.empty())
        throw ReadError(name, lines.lineNumber(), 0, "no @attribute declarations before @data");

    std::vector<ColumnBuilder> builders = arffBuilders(attributes, options, missing);

    // Data rows, dense or sparse.
    std::size_t rows = 0;
    std::vector<bool> seen(attributes.size());
    std::size_t linesSinceCheck = 0;
    while (lines.next(line)) {
        if (++linesSinceCheck == 4096) {
            linesSinceCheck = 0;
            checkpoint(options, source);
        }
        const std::string_view trimmedLine = trim(line);
        if (trimmedLine.empty() || trimmedLine.front() == '%')
            continue;
        const std::size_t lineNumber = lines.lineNumber();
        auto columnAt = [&](std::string_view rest) { return characterCount(line.data(), rest.data()) + 1; };
        bool bad = false;
        auto reject = [&](std::string_view at, std::size_t filled, const std::string& message) {
            for (std::size_t k = 0; k < filled; ++k)
                builders[k].truncate(rows);
            skipOrThrow(options, report, name, lineNumber, columnAt(at), message);
            bad = true;
        };
        std::string_view rest = trimmedLine;
        if (rest.front() == '{') {
            // Sparse: "{index value, ...}"; absent numeric values are 0, absent nominal values the first level.
            rest.remove_prefix(1);
            std::vector<std::pair<std::size_t, std::string>> entries;
            std::vector<const char*> positions;
            readSparseEntries(rest, attributes.size(), entries, positions,
                              [&](std::string_view at, const std::string& message) { reject(at, 0, message); });
            if (bad)
                continue;
            std::fill(seen.begin(), seen.end(), false);
            std::vector<const std::string*> values(attributes.size(), nullptr);
            std::vector<const char*> valuePositions(attributes.size(), nullptr);
            for (std::size_t e = 0; e < entries.size(); ++e) {
                values[entries[e].first] = &entries[e].second;
                valuePositions[entries[e].first] = positions[e];
            }
            for (std::size_t c = 0; c < attributes.size() && !bad; ++c) {
                if (!values[c]) {
                    if (attributes[c].type == ColumnType::Numeric)
                        builders[c].appendNumber(0.0);
                    else if (attributes[c].type == ColumnType::Categorical && !attributes[c].levels.empty()
                             && builders[c].isDictionary())
                        builders[c].appendLevelIndex(0);
                    else
                        builders[c].appendMissing();
                    continue;
                }
                const auto status = builders[c].append(*values[c]);
                if (status != ColumnBuilder::Status::Ok)
                    reject(std::string_view(valuePositions[c], 0), c, describe(status, *values[c], builders[c]));
            }
        } else {
            std::size_t c = 0;
            for (; c < attributes.size() && !bad; ++c) {
                const std::string_view at = trim(rest);
                if (at.empty()) {
                    reject(at, c,
                           "expected " + std::to_string(attributes.size()) + " values, found " + std::to_string(c));
                    break;
                }
                if (!takeToken(rest, ",", token, quoted, error)) {
                    reject(at, c, error);
                    break;
                }
                // '?' is missing only unquoted; a quoted '?' is the text itself.
                const auto status = (!quoted && token == "?") ? (builders[c].appendMissing(), ColumnBuilder::Status::Ok)
                                                              : builders[c].append(token);
                if (status != ColumnBuilder::Status::Ok) {
                    reject(at, c, describe(status, token, builders[c]));
                    break;
                }
                rest = trim(rest);
                if (c + 1 < attributes.size()) {
                    if (rest.empty() || rest.front() != ',') {
                        reject(rest, c + 1,
                               "expected " + std::to_string(attributes.size()) + " values, found "
                                   + std::to_string(c + 1));
                        break;
                    }
                    rest.remove_prefix(1);
                }
            }
            if (!bad && !trim(rest).empty())
                reject(rest, attributes.size(),
                       "more values than the " + std::to_string(attributes.size()) + " declared attributes");
        }
        if (!bad)
            ++rows;
    }
    report.bytesRead = input.bytesConsumedTotal();
    report.hasHeader = true;
    if (options.progress)
        options.progress(1.0);
    std::vector<Column> columns;
    for (ColumnBuilder& builder : builders)
        columns.push_back(builder.finish());
    return Dataset(std::move(columns));
}

} // namespace tunebench::data::detail
