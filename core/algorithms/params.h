#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "data/dataset.h"

namespace tunebench::algorithms {

enum class ParamType
{
    Continuous,
    Integer,
    Categorical,
    Boolean,
};

enum class Scaling
{
    Linear,
    Log, ///< uniform in log(value): learning rates, regularisation strengths
    ReverseLog, ///< uniform in log(1 - value): values close to 1, such as momentum
};

[[nodiscard]] std::string_view toString(ParamType type);
[[nodiscard]] std::string_view toString(Scaling scaling);

/// A hyperparameter value: a number (continuous or integer), a category or a flag.
using ParamValue = std::variant<double, std::int64_t, std::string, bool>;
/// Hyperparameters by name.
using Params = std::map<std::string, ParamValue, std::less<>>;

[[nodiscard]] std::string formatValue(const ParamValue& value);

/// One hyperparameter of an algorithm: the single schema that drives the UI's editors, the tuner's
/// sampling and the CLI's `--set` parsing.
struct ParamSpec
{
    std::string name;
    ParamType type = ParamType::Continuous;
    double min = 0.0; ///< continuous and integer: inclusive bounds
    double max = 0.0;
    std::vector<std::string> values; ///< categorical choices
    Scaling scaling = Scaling::Linear;
    ParamValue defaultValue;
    std::string help;
    /// Where a search starts when the bounds are far wider than the useful values (continuous and integer):
    /// the editor's first range when the parameter is ticked for tuning. Unset: the bounds.
    std::optional<std::pair<double, double>> searchRange;
    /// The same for a categorical: the choices ticked when the parameter is ticked for tuning, where some
    /// choices only stand for others (a forest's max_features=auto is sqrt or all). Empty: every choice.
    std::vector<std::string> searchValues = {};
    /// Means something only when the target is a class (a split criterion, class weights): the editor greys
    /// it out for a regression target.
    bool classificationOnly = false;
    /// Means something only when categorical columns come as level codes (PreprocessOptions::categoryCodes;
    /// xgboost's categorical splits): the editor greys it out for one-hot columns.
    bool categoryCodesOnly = false;
    /// The default when the target is a number, where it differs from `defaultValue` (xgboost's shallower,
    /// slower-learning trees for regression). Unset: `defaultValue` for every task.
    std::optional<ParamValue> regressionDefault = std::nullopt;
    /// The default when the target has three classes or more, where it differs from `defaultValue`.
    std::optional<ParamValue> multiclassDefault = std::nullopt;

    static ParamSpec continuous(std::string name, double min, double max, double defaultValue, Scaling scaling,
                                std::string help);
    static ParamSpec integer(std::string name, std::int64_t min, std::int64_t max, std::int64_t defaultValue,
                             Scaling scaling, std::string help);
    static ParamSpec categorical(std::string name, std::vector<std::string> values, std::string defaultValue,
                                 std::string help);
    static ParamSpec boolean(std::string name, bool defaultValue, std::string help);
    /// This spec with a search range inside its bounds.
    [[nodiscard]] ParamSpec searchedIn(double from, double to) &&;
    /// This categorical spec with the choices a search starts from.
    [[nodiscard]] ParamSpec searchedAmong(std::vector<std::string> choices) &&;
    /// This spec, marked as meaning something for classification only.
    [[nodiscard]] ParamSpec forClassificationOnly() &&;
    /// This spec, marked as meaning something for category codes only.
    [[nodiscard]] ParamSpec forCategoryCodesOnly() &&;
    /// This spec with another default for a regression target.
    [[nodiscard]] ParamSpec withRegressionDefault(ParamValue value) &&;
    /// This spec with another default for a target of three classes or more.
    [[nodiscard]] ParamSpec withMulticlassDefault(ParamValue value) &&;

    /// The default for a target of this kind.
    [[nodiscard]] const ParamValue& defaultFor(data::Task task) const;

    /// Parses a value given as text ("0.01", "3", "relu", "true"); throws std::invalid_argument saying why.
    [[nodiscard]] ParamValue parse(std::string_view text) const;
    /// Checks a value's type and bounds; throws std::invalid_argument saying why.
    void validate(const ParamValue& value) const;
};

/// Reads a parameter with its default filled in by resolve().
double asDouble(const Params& params, std::string_view name);
std::int64_t asInt(const Params& params, std::string_view name);
const std::string& asString(const Params& params, std::string_view name);
bool asBool(const Params& params, std::string_view name);

/// The defaults of `specs` for `task` overridden by `given`; throws std::invalid_argument for an unknown name
/// or a value out of bounds.
[[nodiscard]] Params resolve(const std::vector<ParamSpec>& specs, const Params& given, data::Task task);

} // namespace tunebench::algorithms
