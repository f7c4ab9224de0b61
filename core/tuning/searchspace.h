#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "algorithms/params.h"

namespace tunebench::tuning {

using algorithms::Params;
using algorithms::ParamSpec;
using algorithms::ParamType;
using algorithms::ParamValue;
using algorithms::Scaling;

/// When a dimension takes part: its parent's value is one of `values` (a categorical or boolean parent,
/// booleans written "true"/"false") or lies in [min, max] (a numeric parent).
struct Condition
{
    std::string parent;
    std::vector<std::string> values;
    std::optional<double> min;
    std::optional<double> max;

    [[nodiscard]] bool holds(const ParamValue& parentValue) const;
};

/// One searched hyperparameter: a range (ParamSpec's type, bounds or values, scaling) and an optional
/// condition. Strategies see every dimension as the unit interval; toUnit/fromUnit map it to values so
/// that uniform in [0, 1] is uniform under the dimension's scaling.
struct Dimension
{
    ParamSpec range;
    std::optional<Condition> condition;

    [[nodiscard]] const std::string& name() const { return range.name; }
    [[nodiscard]] bool isNumeric() const
    {
        return range.type == ParamType::Continuous || range.type == ParamType::Integer;
    }
    /// Number of choices of a categorical or boolean dimension (0 for numeric ones).
    [[nodiscard]] std::size_t choiceCount() const;
    [[nodiscard]] ParamValue fromUnit(double unit) const;
    [[nodiscard]] double toUnit(const ParamValue& value) const;
    /// The distinct values a grid of `resolution` points per numeric range visits, in order.
    [[nodiscard]] std::vector<ParamValue> gridValues(int resolution) const;
};

/// "continuous", "integer", "categorical", "boolean".
[[nodiscard]] std::string typeName(ParamType type);
/// "linear", "log", "reverse log".
[[nodiscard]] std::string scalingName(Scaling scaling);
/// "[0.001, 0.1]" for a number, "{relu, tanh}" for choices.
[[nodiscard]] std::string rangeText(const Dimension& dimension);
/// "learning_rate continuous [0.001, 0.1] log": all that makes a dimension what it is.
[[nodiscard]] std::string describe(const Dimension& dimension);

/// The space a strategy searches: dimensions in an order where every condition's parent comes first.
class SearchSpace
{
public:
    /// Throws std::invalid_argument when the name repeats or the condition's parent is not defined yet.
    void add(Dimension dimension);

    [[nodiscard]] const std::vector<Dimension>& dimensions() const { return m_dimensions; }
    [[nodiscard]] std::size_t size() const { return m_dimensions.size(); }
    [[nodiscard]] bool empty() const { return m_dimensions.empty(); }
    [[nodiscard]] std::optional<std::size_t> indexOf(const std::string& name) const;

    /// Whether dimension `index` is active given the values chosen so far (its parent's at least).
    [[nodiscard]] bool isActive(std::size_t index, const Params& chosen) const;
    /// Values for a point of the unit cube (one coordinate per dimension; inactive ones ignored).
    [[nodiscard]] Params decode(std::span<const double> unit) const;
    /// The unit-cube point of `params`; NaN for inactive (or absent) dimensions.
    [[nodiscard]] std::vector<double> encode(const Params& params) const;
    /// Every combination of grid values over the active dimensions, in lexicographic order.
    /// Throws std::invalid_argument when the grid has more than `limit` points.
    [[nodiscard]] std::vector<Params> grid(int resolution, std::size_t limit) const;

private:
    std::vector<Dimension> m_dimensions;
};

} // namespace tunebench::tuning
