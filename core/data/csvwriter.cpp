#include "data/csvwriter.h"

#include <cmath>
#include <fstream>
#include <stdexcept>

#include <QDateTime>
#include <QTimeZone>

namespace tunebench::data {

namespace {

void writeField(std::ostream& out, const std::string& text)
{
    const bool quote = text.find_first_of(",\"\r\n") != std::string::npos
        || (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!quote) {
        out << text;
        return;
    }
    out << '"';
    for (char c : text) {
        if (c == '"')
            out << '"';
        out << c;
    }
    out << '"';
}

std::string cell(const Column& column, std::size_t row)
{
    if (column.hasCodes()) {
        const std::int32_t code = column.codes[row];
        return code < 0 ? std::string() : column.levels[static_cast<std::size_t>(code)];
    }
    const double value = column.values[row];
    if (std::isnan(value))
        return {};
    switch (column.type) {
    case ColumnType::Boolean: return value != 0.0 ? "true" : "false";
    case ColumnType::Date:
        return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(value * 1000.0)), QTimeZone::utc())
            .toString(Qt::ISODate)
            .toStdString();
    default: return formatNumber(value);
    }
}

} // namespace

void writeCsv(const Dataset& dataset, const std::string& path, const std::vector<std::size_t>& rows)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw std::runtime_error("cannot write " + path);
    for (std::size_t c = 0; c < dataset.columnCount(); ++c) {
        if (c > 0)
            out << ',';
        writeField(out, dataset.column(c).name);
    }
    out << '\n';
    auto writeRow = [&](std::size_t row) {
        for (std::size_t c = 0; c < dataset.columnCount(); ++c) {
            if (c > 0)
                out << ',';
            writeField(out, cell(dataset.column(c), row));
        }
        out << '\n';
    };
    if (rows.empty()) {
        for (std::size_t row = 0; row < dataset.rowCount(); ++row)
            writeRow(row);
    } else {
        for (std::size_t row : rows)
            writeRow(row);
    }
    out.flush();
    if (!out)
        throw std::runtime_error("cannot write " + path + " (disk full?)");
}

} // namespace tunebench::data
