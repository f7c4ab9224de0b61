#pragma once

#include <string>

#include <QJsonValue>
#include <QString>

#include "util/states.h"

namespace tunebench::ui {

/// The engine's UTF-8 text as Qt's.
inline QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

/// A state's name, as the project and the CLI spell it ("running", "finished", ...).
inline QString qs(TrialState state)
{
    return QString::fromLatin1(stateName(state));
}

inline QString qs(ExperimentState state)
{
    return QString::fromLatin1(stateName(state));
}

/// A JSON scalar as a form shows it: numbers to 12 significant digits (0.9, not 0.90000000000000002), booleans
/// as true and false, text as it is.
inline QString jsonText(const QJsonValue& value)
{
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 12);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

/// A typed number as JSON (an integer as one when `integer`), anything else as the text: the spec parser then
/// names the field and says a number is expected.
inline QJsonValue numberOrText(const QString& text, bool integer = false)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok)
        return text;
    if (integer && value == static_cast<double>(static_cast<qint64>(value)))
        return static_cast<qint64>(value);
    return value;
}

} // namespace tunebench::ui
