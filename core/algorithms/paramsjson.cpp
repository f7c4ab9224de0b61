#include "algorithms/paramsjson.h"

#include <QJsonArray>

namespace tunebench::algorithms {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

QJsonValue toJson(const ParamValue& value)
{
    return std::visit(
        [](const auto& v) -> QJsonValue {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>)
                return qs(v);
            else if constexpr (std::is_same_v<T, std::int64_t>)
                return static_cast<qint64>(v);
            else
                return v;
        },
        value);
}

QJsonObject toJson(const Params& params)
{
    QJsonObject object;
    for (const auto& [name, value] : params)
        object.insert(qs(name), toJson(value));
    return object;
}

QJsonObject toJson(const ParamSpec& spec)
{
    QJsonObject object{{QStringLiteral("name"), qs(spec.name)},
                       {QStringLiteral("type"), qs(toString(spec.type))},
                       {QStringLiteral("default"), toJson(spec.defaultValue)},
                       {QStringLiteral("help"), qs(spec.help)}};
    if (spec.type == ParamType::Continuous || spec.type == ParamType::Integer) {
        object.insert(QStringLiteral("min"), spec.min);
        object.insert(QStringLiteral("max"), spec.max);
        object.insert(QStringLiteral("scaling"), qs(toString(spec.scaling)));
        if (spec.searchRange)
            object.insert(QStringLiteral("search"), QJsonArray{spec.searchRange->first, spec.searchRange->second});
    }
    if (spec.regressionDefault)
        object.insert(QStringLiteral("regression_default"), toJson(*spec.regressionDefault));
    if (spec.multiclassDefault)
        object.insert(QStringLiteral("multiclass_default"), toJson(*spec.multiclassDefault));
    if (spec.classificationOnly)
        object.insert(QStringLiteral("classification_only"), true);
    if (spec.categoryCodesOnly)
        object.insert(QStringLiteral("category_codes_only"), true);
    if (spec.type == ParamType::Categorical) {
        QJsonArray values;
        for (const std::string& value : spec.values)
            values.append(qs(value));
        object.insert(QStringLiteral("values"), values);
        if (!spec.searchValues.empty()) {
            QJsonArray search;
            for (const std::string& value : spec.searchValues)
                search.append(qs(value));
            object.insert(QStringLiteral("search"), search);
        }
    }
    return object;
}

QJsonObject describeAlgorithm(const Algorithm& algorithm)
{
    QJsonArray tasks;
    for (data::Task task : {data::Task::Binary, data::Task::Multiclass, data::Task::Regression}) {
        if (algorithm.supports(task))
            tasks.append(qs(data::toString(task)));
    }
    QJsonArray params;
    for (const ParamSpec& spec : algorithm.params())
        params.append(toJson(spec));
    return {{QStringLiteral("id"), qs(algorithm.id())},
            {QStringLiteral("name"), qs(algorithm.displayName())},
            {QStringLiteral("description"), qs(algorithm.description())},
            {QStringLiteral("tasks"), tasks},
            {QStringLiteral("params"), params}};
}

ParamValue fromJson(const ParamSpec& spec, const QJsonValue& value)
{
    switch (spec.type) {
    case ParamType::Continuous: return value.toDouble();
    case ParamType::Integer: return static_cast<std::int64_t>(value.toInteger());
    case ParamType::Categorical:
        // A categorical range over a number keeps the number's text.
        return value.isString() ? value.toString().toStdString() : formatValue(value.toDouble());
    case ParamType::Boolean: return value.toBool();
    }
    return {};
}

} // namespace tunebench::algorithms
