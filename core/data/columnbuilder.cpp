#include "data/columnbuilder.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "data/bytesource.h"

namespace tunebench::data::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

char lower(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trimmed(std::string_view text) noexcept
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool mayStartNumber(char c) noexcept
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'i' || c == 'I' || c == ' ' || c == '\t';
}

/// Reads exactly `digits` decimal digits.
bool readDigits(std::string_view& text, int digits, int& value)
{
    if (text.size() < static_cast<std::size_t>(digits))
        return false;
    value = 0;
    for (int i = 0; i < digits; ++i) {
        const char c = text[static_cast<std::size_t>(i)];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    text.remove_prefix(static_cast<std::size_t>(digits));
    return true;
}

std::optional<double> toEpochSeconds(int year, int month, int day, int hour, int minute, double second)
{
    using namespace std::chrono;
    const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                              std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok() || hour > 23 || minute > 59 || second >= 61.0)
        return std::nullopt;
    const auto days = sys_days{date}.time_since_epoch().count();
    return static_cast<double>(days) * 86400.0 + hour * 3600.0 + minute * 60.0 + second;
}

} // namespace

MissingTokens::MissingTokens(const std::vector<std::string>& tokens)
{
    for (const std::string& token : tokens) {
        std::string lowered = token;
        std::transform(lowered.begin(), lowered.end(), lowered.begin(), lower);
        m_maxLength = std::max(m_maxLength, lowered.size());
        m_lowered.push_back(std::move(lowered));
    }
}

bool MissingTokens::matches(std::string_view cell) const noexcept
{
    if (cell.empty())
        return true;
    if (cell.size() > m_maxLength)
        return false;
    for (const std::string& token : m_lowered) {
        if (token.size() == cell.size()
            && std::equal(cell.begin(), cell.end(), token.begin(), [](char a, char b) { return lower(a) == b; }))
            return true;
    }
    return false;
}

namespace {

/// Exactly representable powers of ten: 10^0 .. 10^22.
constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

/// The exact-arithmetic fast path (Clinger 1990): a decimal with at most 19 significant digits whose
/// mantissa fits in 53 bits and whose power of ten is at most 22 converts with one correctly rounded
/// multiplication or division. Most numbers in data files qualify; the rest go to std::from_chars.
std::optional<double> parseDecimalFast(const char* p, const char* end, bool& handled) noexcept
{
    handled = false;
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) {
        negative = *p == '-';
        ++p;
    }
    // Find the digits first, then accumulate them in a loop without checks (leading zeros add nothing).
    const char* integerBegin = p;
    while (p < end && isDigit(*p))
        ++p;
    const char* integerEnd = p;
    const char* fractionBegin = p;
    const char* fractionEnd = p;
    if (p < end && *p == '.') {
        fractionBegin = ++p;
        while (p < end && isDigit(*p))
            ++p;
        fractionEnd = p;
    }
    const auto digitCount = (integerEnd - integerBegin) + (fractionEnd - fractionBegin);
    if (digitCount == 0 || digitCount > 19)
        return std::nullopt;
    std::uint64_t mantissa = 0;
    for (const char* d = integerBegin; d < integerEnd; ++d)
        mantissa = mantissa * 10 + static_cast<std::uint64_t>(*d - '0');
    for (const char* d = fractionBegin; d < fractionEnd; ++d)
        mantissa = mantissa * 10 + static_cast<std::uint64_t>(*d - '0');
    int scale = -static_cast<int>(fractionEnd - fractionBegin);
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool negativeExponent = false;
        if (p < end && (*p == '+' || *p == '-')) {
            negativeExponent = *p == '-';
            ++p;
        }
        if (p == end || !isDigit(*p))
            return std::nullopt;
        int exponent = 0;
        for (; p < end && isDigit(*p); ++p)
            exponent = exponent < 100000 ? exponent * 10 + (*p - '0') : exponent;
        scale += negativeExponent ? -exponent : exponent;
    }
    if (p != end)
        return std::nullopt;
    if (mantissa == 0) {
        handled = true;
        return negative ? -0.0 : 0.0;
    }
    if (mantissa > (std::uint64_t{1} << 53) || scale < -22 || scale > 22)
        return std::nullopt;
    handled = true;
    double value = static_cast<double>(mantissa);
    value = scale < 0 ? value / kPowersOfTen[-scale] : value * kPowersOfTen[scale];
    return negative ? -value : value;
}

} // namespace

std::optional<double> parseNumber(std::string_view text) noexcept
{
    text = trimmed(text);
    if (text.empty())
        return std::nullopt;
    bool handled = false;
    if (auto fast = parseDecimalFast(text.data(), text.data() + text.size(), handled); handled)
        return fast;
    if (text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return std::nullopt;
    double value = 0.0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec == std::errc::result_out_of_range) {
        // from_chars leaves the value alone when it does not fit: decide between 0 and +-inf ourselves.
        const bool negative = text.front() == '-';
        const auto exponent = text.find_first_of("eE");
        const bool tiny = exponent != std::string_view::npos && exponent + 1 < text.size() && text[exponent + 1] == '-';
        value = tiny ? (negative ? -0.0 : 0.0)
                     : (negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity());
        return result.ptr == text.data() + text.size() ? std::optional<double>(value) : std::nullopt;
    }
    if (result.ec != std::errc{} || result.ptr != text.data() + text.size())
        return std::nullopt;
    if (std::isnan(value))
        return std::nullopt; // "nan" as a word is a missing-token question, not a number
    return value;
}

std::optional<double> parseNumber(std::string_view text, char decimalMark) noexcept
{
    if (decimalMark != ',')
        return parseNumber(text);
    text = trimmed(text);
    // Rewritten in the C form into a small buffer: digits of the integer part without their group marks, then
    // '.' and the rest. Longer cells are no number anyone writes with a decimal comma.
    std::array<char, 96> buffer{};
    if (text.empty() || text.size() >= buffer.size())
        return std::nullopt;
    std::size_t n = 0;
    std::size_t i = 0;
    if (text[0] == '-' || text[0] == '+')
        buffer[n++] = text[i++];
    const std::size_t integerStart = i;
    std::size_t groupDigits = 0;
    bool grouped = false;
    for (; i < text.size() && text[i] != ',' && text[i] != 'e' && text[i] != 'E'; ++i) {
        if (text[i] == '.') {
            // A group mark follows one to three digits, or exactly three after another group mark.
            if (groupDigits == 0 || groupDigits > 3 || (grouped && groupDigits != 3))
                return std::nullopt;
            grouped = true;
            groupDigits = 0;
            continue;
        }
        buffer[n++] = text[i];
        ++groupDigits;
    }
    if (grouped && groupDigits != 3)
        return std::nullopt;
    if (i == integerStart && (i == text.size() || text[i] != ','))
        return std::nullopt;
    if (i < text.size() && text[i] == ',') {
        buffer[n++] = '.';
        ++i;
    }
    for (; i < text.size(); ++i) {
        if (text[i] == ',' || text[i] == '.')
            return std::nullopt;
        buffer[n++] = text[i];
    }
    return parseNumber(std::string_view(buffer.data(), n));
}

std::optional<double> parseIsoDateTime(std::string_view text)
{
    text = trimmed(text);
    int year = 0;
    int month = 0;
    int day = 0;
    if (!readDigits(text, 4, year) || text.empty() || (text.front() != '-' && text.front() != '/'))
        return std::nullopt;
    const char separator = text.front();
    text.remove_prefix(1);
    if (!readDigits(text, 2, month) || text.empty() || text.front() != separator)
        return std::nullopt;
    text.remove_prefix(1);
    if (!readDigits(text, 2, day))
        return std::nullopt;
    int hour = 0;
    int minute = 0;
    double second = 0.0;
    if (!text.empty()) {
        if (text.front() != 'T' && text.front() != ' ')
            return std::nullopt;
        text.remove_prefix(1);
        if (!readDigits(text, 2, hour) || text.empty() || text.front() != ':')
            return std::nullopt;
        text.remove_prefix(1);
        if (!readDigits(text, 2, minute))
            return std::nullopt;
        if (!text.empty() && text.front() == ':') {
            text.remove_prefix(1);
            int whole = 0;
            if (!readDigits(text, 2, whole))
                return std::nullopt;
            second = whole;
            if (!text.empty() && text.front() == '.') {
                std::size_t n = 1;
                while (n < text.size() && text[n] >= '0' && text[n] <= '9')
                    ++n;
                if (n == 1)
                    return std::nullopt;
                double fraction = 0.0;
                std::from_chars(text.data(), text.data() + n, fraction);
                second += fraction;
                text.remove_prefix(n);
            }
        }
        double offset = 0.0;
        if (!text.empty() && text.front() == 'Z') {
            text.remove_prefix(1);
        } else if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
            const double sign = text.front() == '-' ? -1.0 : 1.0;
            text.remove_prefix(1);
            int offsetHours = 0;
            int offsetMinutes = 0;
            if (!readDigits(text, 2, offsetHours))
                return std::nullopt;
            if (!text.empty() && text.front() == ':')
                text.remove_prefix(1);
            if (!text.empty() && !readDigits(text, 2, offsetMinutes))
                return std::nullopt;
            offset = sign * (offsetHours * 3600.0 + offsetMinutes * 60.0);
        }
        if (!text.empty())
            return std::nullopt;
        const auto seconds = toEpochSeconds(year, month, day, hour, minute, second);
        return seconds ? std::optional<double>(*seconds - offset) : std::nullopt;
    }
    return toEpochSeconds(year, month, day, 0, 0, 0.0);
}

std::optional<double> parseDateWithPattern(std::string_view text, std::string_view pattern)
{
    text = trimmed(text);
    int year = 1970;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
    std::size_t i = 0;
    while (i < pattern.size()) {
        const char c = pattern[i];
        if (c == '\'') { // quoted literal; '' is a single quote
            std::size_t close = pattern.find('\'', i + 1);
            if (close == std::string_view::npos)
                close = pattern.size();
            const std::string_view literal
                = close == i + 1 ? std::string_view("'") : pattern.substr(i + 1, close - i - 1);
            if (text.substr(0, literal.size()) != literal)
                return std::nullopt;
            text.remove_prefix(literal.size());
            i = close + 1;
            continue;
        }
        std::size_t run = 1;
        while (i + run < pattern.size() && pattern[i + run] == c)
            ++run;
        const int width = static_cast<int>(run);
        bool ok = true;
        switch (c) {
        case 'y':
            ok = readDigits(text, width == 2 ? 2 : 4, year);
            if (ok && width == 2)
                year += year < 70 ? 2000 : 1900;
            break;
        case 'M': ok = readDigits(text, 2, month); break;
        case 'd': ok = readDigits(text, 2, day); break;
        case 'H': ok = readDigits(text, 2, hour); break;
        case 'm': ok = readDigits(text, 2, minute); break;
        case 's': ok = readDigits(text, 2, second); break;
        case 'S': ok = readDigits(text, width, millis); break;
        default:
            for (std::size_t k = 0; k < run && ok; ++k) {
                ok = !text.empty() && text.front() == c;
                if (ok)
                    text.remove_prefix(1);
            }
        }
        if (!ok)
            return std::nullopt;
        i += run;
    }
    if (!text.empty())
        return std::nullopt;
    return toEpochSeconds(year, month, day, hour, minute, second + millis / 1000.0);
}

std::optional<bool> parseBooleanWord(std::string_view text)
{
    text = trimmed(text);
    std::string lowered(text);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), lower);
    if (lowered == "true" || lowered == "yes" || lowered == "t" || lowered == "y")
        return true;
    if (lowered == "false" || lowered == "no" || lowered == "f" || lowered == "n")
        return false;
    return std::nullopt;
}

ColumnBuilder::ColumnBuilder(std::string name, std::optional<ColumnType> forced, const MissingTokens& missing,
                             const ReadOptions& options)
    : m_name(std::move(name))
    , m_forced(forced)
    , m_missing(missing)
    , m_options(options)
    , m_decimalComma(options.decimalMark == ',')
{
    m_dictionary = forced == ColumnType::Categorical || forced == ColumnType::Text;
}

void ColumnBuilder::declareLevels(std::vector<std::string> levels)
{
    m_dictionary = true;
    m_closedLevels = true;
    m_levels = std::move(levels);
    m_levelIndex.clear();
    for (std::size_t i = 0; i < m_levels.size(); ++i)
        m_levelIndex.emplace(m_levels[i], static_cast<std::int32_t>(i));
}

void ColumnBuilder::appendMissing()
{
    if (m_dictionary)
        m_codes.push_back(kMissingCode);
    else
        m_values.push_back(kNaN);
}

ColumnBuilder::Status ColumnBuilder::append(std::string_view cell)
{
    if (m_dictionary)
        return appendToDictionary(cell);
    if (cell.empty()) {
        m_values.push_back(kNaN);
        return Status::Ok;
    }
    if (m_forced == ColumnType::Boolean || m_forced == ColumnType::Date) {
        if (m_missing.matches(trimmed(cell))) {
            m_values.push_back(kNaN);
            return Status::Ok;
        }
        if (m_forced == ColumnType::Boolean) {
            std::optional<bool> flag = parseBooleanWord(cell);
            if (!flag) {
                const auto number = parseNumber(cell);
                if (number && (*number == 0.0 || *number == 1.0))
                    flag = *number == 1.0;
            }
            if (!flag)
                return Status::NotABoolean;
            m_values.push_back(*flag ? 1.0 : 0.0);
            return Status::Ok;
        }
        const auto seconds = m_datePattern.empty() ? parseIsoDateTime(cell) : parseDateWithPattern(cell, m_datePattern);
        if (!seconds)
            return Status::NotADate;
        m_values.push_back(*seconds);
        return Status::Ok;
    }
    if (mayStartNumber(cell.front())) {
        if (const auto number = m_decimalComma ? parseNumber(cell, ',') : parseNumber(cell)) {
            m_values.push_back(*number);
            return Status::Ok;
        }
    }
    if (m_missing.matches(trimmed(cell))) {
        m_values.push_back(kNaN);
        return Status::Ok;
    }
    if (m_forced == ColumnType::Numeric)
        return Status::NotANumber;
    switchToDictionary();
    return appendToDictionary(cell);
}

ColumnBuilder::Status ColumnBuilder::appendToDictionary(std::string_view cell)
{
    const std::string_view value = trimmed(cell);
    if (m_missing.matches(value)) {
        m_codes.push_back(kMissingCode);
        return Status::Ok;
    }
    if (const auto found = m_levelIndex.find(value); found != m_levelIndex.end()) {
        m_codes.push_back(found->second);
        return Status::Ok;
    }
    if (m_closedLevels)
        return Status::UndeclaredLevel;
    if (!isValidUtf8(value))
        return Status::InvalidUtf8;
    const auto code = static_cast<std::int32_t>(m_levels.size());
    m_levels.emplace_back(value);
    m_levelIndex.emplace(m_levels.back(), code);
    m_codes.push_back(code);
    return Status::Ok;
}

void ColumnBuilder::switchToDictionary()
{
    // Earlier cells were numbers; their text is recovered in shortest exact form ("1.50" becomes "1.5").
    m_dictionary = true;
    m_codes.reserve(m_values.capacity());
    for (double value : m_values) {
        if (std::isnan(value)) {
            m_codes.push_back(kMissingCode);
            continue;
        }
        const std::string text = formatNumber(value);
        auto found = m_levelIndex.find(text);
        if (found == m_levelIndex.end()) {
            m_levels.push_back(text);
            found = m_levelIndex.emplace(text, static_cast<std::int32_t>(m_levels.size() - 1)).first;
        }
        m_codes.push_back(found->second);
    }
    std::vector<double>().swap(m_values);
}

void ColumnBuilder::startAsDictionary()
{
    if (!m_dictionary)
        switchToDictionary();
}

void ColumnBuilder::clearCells()
{
    m_values.clear();
    m_codes.clear();
    m_levels.clear();
    m_levelIndex.clear();
    m_dictionary = m_forced == ColumnType::Categorical || m_forced == ColumnType::Text;
}

bool ColumnBuilder::absorb(const ColumnBuilder& part)
{
    if (!part.m_dictionary) {
        if (!m_dictionary) {
            m_values.insert(m_values.end(), part.m_values.begin(), part.m_values.end());
            return true;
        }
        // Even a missing number may have been text that a dictionary keeps ("nan" when it is no missing token).
        return part.m_values.empty();
    }
    // Text after numbers: the numbers become levels first, as switching in the middle of a read does.
    if (!m_dictionary)
        switchToDictionary();
    std::vector<std::int32_t> codeOf(part.m_levels.size());
    for (std::size_t level = 0; level < part.m_levels.size(); ++level) {
        const std::string& text = part.m_levels[level];
        auto found = m_levelIndex.find(text);
        if (found == m_levelIndex.end()) {
            m_levels.push_back(text);
            found = m_levelIndex.emplace(text, static_cast<std::int32_t>(m_levels.size() - 1)).first;
        }
        codeOf[level] = found->second;
    }
    m_codes.reserve(m_codes.size() + part.m_codes.size());
    for (const std::int32_t code : part.m_codes)
        m_codes.push_back(code == kMissingCode ? kMissingCode : codeOf[static_cast<std::size_t>(code)]);
    return true;
}

void ColumnBuilder::truncate(std::size_t rows)
{
    if (m_codes.size() > rows)
        m_codes.resize(rows);
    if (m_values.size() > rows)
        m_values.resize(rows);
}

void ColumnBuilder::reserve(std::size_t rows)
{
    if (m_dictionary)
        m_codes.reserve(rows);
    else
        m_values.reserve(rows);
}

void ColumnBuilder::inferDictionaryType(Column& column)
{
    std::size_t present = 0;
    for (std::int32_t code : column.codes)
        present += code != kMissingCode ? 1 : 0;

    // Boolean: every level is a yes/no word (any case); a lone single letter ("y") is not enough.
    if (!column.levels.empty() && column.levels.size() <= 8) {
        std::vector<std::optional<bool>> flags;
        for (const std::string& level : column.levels)
            flags.push_back(parseBooleanWord(level));
        const bool allWords = std::all_of(flags.begin(), flags.end(), [](const auto& f) { return f.has_value(); });
        const bool bothValues = allWords && std::any_of(flags.begin(), flags.end(), [](const auto& f) { return *f; })
            && std::any_of(flags.begin(), flags.end(), [](const auto& f) { return !*f; });
        const bool fullWord = column.levels.size() == 1 && trimmed(column.levels[0]).size() > 1;
        if (allWords && (bothValues || fullWord)) {
            column.type = ColumnType::Boolean;
            column.values.reserve(column.codes.size());
            for (std::int32_t code : column.codes)
                column.values.push_back(code == kMissingCode ? kNaN
                                                             : (*flags[static_cast<std::size_t>(code)] ? 1.0 : 0.0));
            column.codes = {};
            column.levels = {};
            return;
        }
    }
    // Date: every level is an ISO date or date-time.
    if (!column.levels.empty()) {
        std::vector<double> seconds;
        seconds.reserve(column.levels.size());
        for (const std::string& level : column.levels) {
            const auto parsed = parseIsoDateTime(level);
            if (!parsed)
                break;
            seconds.push_back(*parsed);
        }
        if (seconds.size() == column.levels.size()) {
            column.type = ColumnType::Date;
            column.values.reserve(column.codes.size());
            for (std::int32_t code : column.codes)
                column.values.push_back(code == kMissingCode ? kNaN : seconds[static_cast<std::size_t>(code)]);
            column.codes = {};
            column.levels = {};
            return;
        }
    }
    const bool fewLevels
        = column.levels.size() <= m_options.maxCategoricalLevels || column.levels.size() * 2 <= present;
    column.type = fewLevels ? ColumnType::Categorical : ColumnType::Text;
}

Column ColumnBuilder::finish()
{
    Column column;
    column.name = m_name;
    if (m_dictionary) {
        column.codes = std::move(m_codes);
        column.levels = std::move(m_levels);
        m_levelIndex.clear();
        if (m_forced)
            column.type = *m_forced;
        else if (m_closedLevels)
            column.type = ColumnType::Categorical;
        else
            inferDictionaryType(column);
        return column;
    }
    column.values = std::move(m_values);
    column.type = m_forced.value_or(ColumnType::Numeric);
    if (column.type == ColumnType::Numeric) {
        // Integers with few distinct values (and some repetition) may be category codes.
        std::unordered_set<double> distinct;
        bool integral = true;
        std::size_t present = 0;
        for (double v : column.values) {
            if (std::isnan(v))
                continue;
            ++present;
            if (v != std::floor(v) || std::isinf(v)) {
                integral = false;
                break;
            }
            if (distinct.size() <= m_options.possiblyCategoricalLevels)
                distinct.insert(v);
        }
        column.possiblyCategorical = integral && present > 0 && distinct.size() <= m_options.possiblyCategoricalLevels
            && distinct.size() < present;
    }
    return column;
}

std::string describe(ColumnBuilder::Status status, std::string_view cell, const ColumnBuilder& builder)
{
    auto quoted = [](std::string_view text) {
        constexpr std::size_t kShown = 40;
        std::string shown(text.substr(0, kShown));
        if (text.size() > kShown)
            shown += "...";
        if (!isValidUtf8(shown))
            shown = "(invalid UTF-8)";
        return '"' + shown + '"';
    };
    const std::string where = "column \"" + builder.name() + "\": ";
    switch (status) {
    case ColumnBuilder::Status::Ok: return {};
    case ColumnBuilder::Status::NotANumber: return where + "expected a number, found " + quoted(cell);
    case ColumnBuilder::Status::NotABoolean: return where + "expected true/false, yes/no or 1/0, found " + quoted(cell);
    case ColumnBuilder::Status::NotADate: return where + "expected a date, found " + quoted(cell);
    case ColumnBuilder::Status::InvalidUtf8: return where + "invalid UTF-8 (the file must be UTF-8 encoded)";
    case ColumnBuilder::Status::UndeclaredLevel:
        return where + "value " + quoted(cell) + " is not one of the declared nominal values";
    }
    return {};
}

} // namespace tunebench::data::detail
