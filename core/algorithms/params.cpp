#include "algorithms/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace tunebench::algorithms {

std::string_view toString(ParamType type)
{
    switch (type) {
    case ParamType::Continuous: return "continuous";
    case ParamType::Integer: return "integer";
    case ParamType::Categorical: return "categorical";
    case ParamType::Boolean: return "boolean";
    }
    return "continuous";
}

std::string_view toString(Scaling scaling)
{
    switch (scaling) {
    case Scaling::Linear: return "linear";
    case Scaling::Log: return "log";
    case Scaling::ReverseLog: return "reverse_log";
    }
    return "linear";
}

std::string formatValue(const ParamValue& value)
{
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>)
                return v;
            else if constexpr (std::is_same_v<T, bool>)
                return v ? "true" : "false";
            else if constexpr (std::is_same_v<T, double>) {
                std::ostringstream out;
                out.precision(17);
                out << v;
                return out.str();
            } else
                return std::to_string(v);
        },
        value);
}

ParamSpec ParamSpec::continuous(std::string name, double min, double max, double defaultValue, Scaling scaling,
                                std::string help)
{
    return {std::move(name), ParamType::Continuous, min, max, {}, scaling, defaultValue, std::move(help), std::nullopt};
}

ParamSpec ParamSpec::searchedIn(double from, double to) &&
{
    searchRange = std::make_pair(from, to);
    return std::move(*this);
}

ParamSpec ParamSpec::searchedAmong(std::vector<std::string> choices) &&
{
    searchValues = std::move(choices);
    return std::move(*this);
}

ParamSpec ParamSpec::forClassificationOnly() &&
{
    classificationOnly = true;
    return std::move(*this);
}

ParamSpec ParamSpec::forCategoryCodesOnly() &&
{
    categoryCodesOnly = true;
    return std::move(*this);
}

ParamSpec ParamSpec::withRegressionDefault(ParamValue value) &&
{
    validate(value);
    regressionDefault = std::move(value);
    return std::move(*this);
}

ParamSpec ParamSpec::withMulticlassDefault(ParamValue value) &&
{
    validate(value);
    multiclassDefault = std::move(value);
    return std::move(*this);
}

const ParamValue& ParamSpec::defaultFor(data::Task task) const
{
    if (task == data::Task::Regression && regressionDefault)
        return *regressionDefault;
    if (task == data::Task::Multiclass && multiclassDefault)
        return *multiclassDefault;
    return defaultValue;
}

ParamSpec ParamSpec::integer(std::string name, std::int64_t min, std::int64_t max, std::int64_t defaultValue,
                             Scaling scaling, std::string help)
{
    return {std::move(name),
            ParamType::Integer,
            static_cast<double>(min),
            static_cast<double>(max),
            {},
            scaling,
            defaultValue,
            std::move(help),
            std::nullopt};
}

ParamSpec ParamSpec::categorical(std::string name, std::vector<std::string> values, std::string defaultValue,
                                 std::string help)
{
    return {std::move(name),         ParamType::Categorical, 0,           0, std::move(values), Scaling::Linear,
            std::move(defaultValue), std::move(help),        std::nullopt};
}

ParamSpec ParamSpec::boolean(std::string name, bool defaultValue, std::string help)
{
    return {std::move(name), ParamType::Boolean, 0,           1, {}, Scaling::Linear,
            defaultValue,    std::move(help),    std::nullopt};
}

ParamValue ParamSpec::parse(std::string_view text) const
{
    std::string quoted(1, '\''); // (not "'" + ...: GCC 12 bug 105651)
    quoted.append(text).push_back('\'');
    switch (type) {
    case ParamType::Continuous: {
        double value = 0.0;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (result.ec != std::errc{} || result.ptr != text.data() + text.size() || !std::isfinite(value))
            throw std::invalid_argument(name + ": expected a number, got " + quoted);
        validate(value);
        return value;
    }
    case ParamType::Integer: {
        std::int64_t value = 0;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (result.ec != std::errc{} || result.ptr != text.data() + text.size())
            throw std::invalid_argument(name + ": expected an integer, got " + quoted);
        validate(value);
        return value;
    }
    case ParamType::Categorical: {
        ParamValue value = std::string(text);
        validate(value);
        return value;
    }
    case ParamType::Boolean:
        // SageMaker writes "True" and "False".
        if (text == "true" || text == "True" || text == "1" || text == "yes")
            return true;
        if (text == "false" || text == "False" || text == "0" || text == "no")
            return false;
        throw std::invalid_argument(name + ": expected true or false, got " + quoted);
    }
    return {};
}

void ParamSpec::validate(const ParamValue& value) const
{
    auto bounds = [&](double v) {
        if (v < min || v > max)
            throw std::invalid_argument(name + ": " + formatValue(value) + " is outside [" + formatValue(min) + ", "
                                        + formatValue(max) + "]");
    };
    switch (type) {
    case ParamType::Continuous:
        if (const auto* d = std::get_if<double>(&value))
            return bounds(*d);
        if (const auto* i = std::get_if<std::int64_t>(&value))
            return bounds(static_cast<double>(*i));
        throw std::invalid_argument(name + ": expected a number");
    case ParamType::Integer:
        if (const auto* i = std::get_if<std::int64_t>(&value))
            return bounds(static_cast<double>(*i));
        if (const auto* d = std::get_if<double>(&value); d && *d == std::floor(*d))
            return bounds(*d);
        throw std::invalid_argument(name + ": expected an integer");
    case ParamType::Categorical:
        if (const auto* s = std::get_if<std::string>(&value)) {
            if (std::find(values.begin(), values.end(), *s) != values.end())
                return;
            std::string choices;
            for (const std::string& choice : values)
                choices += (choices.empty() ? "" : ", ") + choice;
            throw std::invalid_argument(name + ": '" + *s + "' is not one of " + choices);
        }
        throw std::invalid_argument(name + ": expected one of its choices");
    case ParamType::Boolean:
        if (std::holds_alternative<bool>(value))
            return;
        throw std::invalid_argument(name + ": expected true or false");
    }
}

namespace {

const ParamValue& lookup(const Params& params, std::string_view name)
{
    const auto found = params.find(name);
    if (found == params.end())
        throw std::invalid_argument("missing hyperparameter " + std::string(name));
    return found->second;
}

} // namespace

double asDouble(const Params& params, std::string_view name)
{
    const ParamValue& value = lookup(params, name);
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return static_cast<double>(*i);
    return std::get<double>(value);
}

std::int64_t asInt(const Params& params, std::string_view name)
{
    const ParamValue& value = lookup(params, name);
    if (const auto* d = std::get_if<double>(&value))
        return static_cast<std::int64_t>(std::llround(*d));
    return std::get<std::int64_t>(value);
}

const std::string& asString(const Params& params, std::string_view name)
{
    return std::get<std::string>(lookup(params, name));
}

bool asBool(const Params& params, std::string_view name)
{
    return std::get<bool>(lookup(params, name));
}

Params resolve(const std::vector<ParamSpec>& specs, const Params& given, data::Task task)
{
    Params resolved;
    for (const ParamSpec& spec : specs)
        resolved[spec.name] = spec.defaultFor(task);
    for (const auto& entry : given) {
        const std::string& name = entry.first;
        const ParamValue& value = entry.second;
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == name; });
        if (spec == specs.end()) {
            std::string known;
            for (const ParamSpec& s : specs)
                known += (known.empty() ? "" : ", ") + s.name;
            throw std::invalid_argument("unknown hyperparameter '" + name + "' (known: " + known + ")");
        }
        spec->validate(value);
        // Keep integers as integers and numbers as doubles, whatever the caller passed.
        if (spec->type == ParamType::Integer)
            resolved[name]
                = std::holds_alternative<double>(value) ? std::int64_t(std::llround(std::get<double>(value))) : value;
        else if (spec->type == ParamType::Continuous && std::holds_alternative<std::int64_t>(value))
            resolved[name] = static_cast<double>(std::get<std::int64_t>(value));
        else
            resolved[name] = value;
    }
    return resolved;
}

} // namespace tunebench::algorithms
