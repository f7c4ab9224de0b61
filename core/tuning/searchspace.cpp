#include "tuning/searchspace.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <QString>

namespace tunebench::tuning {

namespace {

double numericValue(const ParamValue& value)
{
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return static_cast<double>(*i);
    if (const auto* b = std::get_if<bool>(&value))
        return *b ? 1.0 : 0.0;
    throw std::invalid_argument("expected a number, got '" + std::get<std::string>(value) + "'");
}

std::string choiceText(const ParamValue& value)
{
    if (const auto* b = std::get_if<bool>(&value))
        return *b ? "true" : "false";
    return algorithms::formatValue(value);
}

/// The monotone transform under which a numeric range is sampled uniformly.
double warp(Scaling scaling, double value)
{
    switch (scaling) {
    case Scaling::Linear: return value;
    case Scaling::Log: return std::log(value);
    case Scaling::ReverseLog: return -std::log1p(-value);
    }
    return value;
}

double unwarp(Scaling scaling, double warped)
{
    switch (scaling) {
    case Scaling::Linear: return warped;
    case Scaling::Log: return std::exp(warped);
    case Scaling::ReverseLog: return -std::expm1(-warped);
    }
    return warped;
}

/// Integer ranges widen by half a step on each side so that every integer gets an equal share.
std::pair<double, double> warpedBounds(const ParamSpec& range)
{
    const double widen = range.type == ParamType::Integer ? 0.5 : 0.0;
    return {warp(range.scaling, range.min - widen), warp(range.scaling, range.max + widen)};
}

} // namespace

bool Condition::holds(const ParamValue& parentValue) const
{
    if (!values.empty()) {
        const std::string text = choiceText(parentValue);
        return std::find(values.begin(), values.end(), text) != values.end();
    }
    const double v = numericValue(parentValue);
    return (!min || v >= *min) && (!max || v <= *max);
}

std::size_t Dimension::choiceCount() const
{
    switch (range.type) {
    case ParamType::Categorical: return range.values.size();
    case ParamType::Boolean: return 2;
    default: return 0;
    }
}

ParamValue Dimension::fromUnit(double unit) const
{
    unit = std::clamp(std::isfinite(unit) ? unit : 0.5, 0.0, 1.0);
    if (const std::size_t choices = choiceCount()) {
        const auto index = std::min(choices - 1, static_cast<std::size_t>(unit * static_cast<double>(choices)));
        if (range.type == ParamType::Boolean)
            return index == 1;
        return range.values[index];
    }
    const auto [lo, hi] = warpedBounds(range);
    const double value = unwarp(range.scaling, lo + unit * (hi - lo));
    if (range.type == ParamType::Integer)
        return static_cast<std::int64_t>(std::clamp(std::round(value), range.min, range.max));
    return std::clamp(value, range.min, range.max);
}

double Dimension::toUnit(const ParamValue& value) const
{
    if (const std::size_t choices = choiceCount()) {
        std::size_t index = 0;
        if (range.type == ParamType::Boolean)
            index = std::get<bool>(value) ? 1 : 0;
        else {
            const auto found = std::find(range.values.begin(), range.values.end(), choiceText(value));
            if (found == range.values.end())
                throw std::invalid_argument(name() + ": '" + choiceText(value) + "' is not one of its values");
            index = static_cast<std::size_t>(found - range.values.begin());
        }
        return (static_cast<double>(index) + 0.5) / static_cast<double>(choices);
    }
    const auto [lo, hi] = warpedBounds(range);
    const double v = std::clamp(numericValue(value), range.min, range.max);
    return hi > lo ? std::clamp((warp(range.scaling, v) - lo) / (hi - lo), 0.0, 1.0) : 0.5;
}

std::vector<ParamValue> Dimension::gridValues(int resolution) const
{
    std::vector<ParamValue> values;
    if (const std::size_t choices = choiceCount()) {
        for (std::size_t i = 0; i < choices; ++i)
            values.push_back(fromUnit((static_cast<double>(i) + 0.5) / static_cast<double>(choices)));
        return values;
    }
    resolution = std::max(resolution, 1);
    if (range.type == ParamType::Integer && range.max - range.min + 1 <= resolution) {
        for (auto v = static_cast<std::int64_t>(range.min); v <= static_cast<std::int64_t>(range.max); ++v)
            values.emplace_back(v);
        return values;
    }
    if (resolution == 1)
        return {fromUnit(0.5)};
    for (int i = 0; i < resolution; ++i) {
        // Endpoints included: for integers the grid runs from min to max, not between bin centres.
        const double unit = static_cast<double>(i) / (resolution - 1);
        ParamValue value = range.type == ParamType::Integer ? ParamValue(static_cast<std::int64_t>(std::round(
                               unwarp(range.scaling,
                                      warp(range.scaling, range.min)
                                          + unit * (warp(range.scaling, range.max) - warp(range.scaling, range.min))))))
                                                            : fromUnit(unit);
        if (values.empty() || values.back() != value)
            values.push_back(std::move(value));
    }
    return values;
}

void SearchSpace::add(Dimension dimension)
{
    if (indexOf(dimension.name()))
        throw std::invalid_argument(dimension.name() + " is defined twice");
    if (dimension.condition && !indexOf(dimension.condition->parent))
        throw std::invalid_argument(dimension.name() + ": its condition names '" + dimension.condition->parent
                                    + "', which is not a searched hyperparameter defined before it");
    m_dimensions.push_back(std::move(dimension));
}

std::optional<std::size_t> SearchSpace::indexOf(const std::string& name) const
{
    for (std::size_t i = 0; i < m_dimensions.size(); ++i) {
        if (m_dimensions[i].name() == name)
            return i;
    }
    return std::nullopt;
}

bool SearchSpace::isActive(std::size_t index, const Params& chosen) const
{
    const Dimension& dimension = m_dimensions[index];
    if (!dimension.condition)
        return true;
    const auto parent = chosen.find(dimension.condition->parent);
    return parent != chosen.end() && dimension.condition->holds(parent->second);
}

Params SearchSpace::decode(std::span<const double> unit) const
{
    Params params;
    for (std::size_t i = 0; i < m_dimensions.size(); ++i) {
        if (isActive(i, params))
            params[m_dimensions[i].name()] = m_dimensions[i].fromUnit(i < unit.size() ? unit[i] : 0.5);
    }
    return params;
}

std::vector<double> SearchSpace::encode(const Params& params) const
{
    std::vector<double> unit(m_dimensions.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < m_dimensions.size(); ++i) {
        const auto found = params.find(m_dimensions[i].name());
        if (found != params.end() && isActive(i, params))
            unit[i] = m_dimensions[i].toUnit(found->second);
    }
    return unit;
}

std::vector<Params> SearchSpace::grid(int resolution, std::size_t limit) const
{
    std::vector<std::vector<ParamValue>> levels;
    for (const Dimension& dimension : m_dimensions)
        levels.push_back(dimension.gridValues(resolution));
    std::vector<Params> points;
    Params current;
    auto expand = [&](auto&& self, std::size_t index) -> void {
        if (index == m_dimensions.size()) {
            if (points.size() == limit)
                throw std::invalid_argument("the grid has more than " + std::to_string(limit)
                                            + " points; lower the resolution or narrow the ranges");
            points.push_back(current);
            return;
        }
        if (!isActive(index, current))
            return self(self, index + 1);
        for (const ParamValue& value : levels[index]) {
            current[m_dimensions[index].name()] = value;
            self(self, index + 1);
        }
        current.erase(m_dimensions[index].name());
    };
    expand(expand, 0);
    return points;
}

std::string scalingName(algorithms::Scaling scaling)
{
    switch (scaling) {
    case algorithms::Scaling::Log: return "log";
    case algorithms::Scaling::ReverseLog: return "reverse log";
    case algorithms::Scaling::Linear: break;
    }
    return "linear";
}

std::string rangeText(const Dimension& dimension)
{
    const algorithms::ParamSpec& range = dimension.range;
    switch (range.type) {
    case algorithms::ParamType::Categorical: {
        std::string text;
        for (const std::string& value : range.values)
            text += (text.empty() ? "" : ", ") + value;
        return "{" + text + "}";
    }
    case algorithms::ParamType::Boolean: return "{false, true}";
    case algorithms::ParamType::Integer:
    case algorithms::ParamType::Continuous: break;
    }
    std::string text(1, '['); // (not "[" + ...: GCC 12 bug 105651)
    const auto number = [](double value) { return QString::number(value, 'g', 6).toStdString(); };
    return text.append(number(range.min)).append(", ").append(number(range.max)).append("]");
}

std::string typeName(algorithms::ParamType type)
{
    switch (type) {
    case algorithms::ParamType::Continuous: return "continuous";
    case algorithms::ParamType::Integer: return "integer";
    case algorithms::ParamType::Categorical: return "categorical";
    case algorithms::ParamType::Boolean: break;
    }
    return "boolean";
}

std::string describe(const Dimension& dimension)
{
    std::string text = dimension.name(); // appended piece by piece: GCC 12 bug 105651
    text.append(" ").append(typeName(dimension.range.type)).append(" ").append(rangeText(dimension));
    if (dimension.isNumeric())
        text.append(" ").append(scalingName(dimension.range.scaling));
    return text;
}

} // namespace tunebench::tuning
