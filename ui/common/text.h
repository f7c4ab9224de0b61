#pragma once

#include <string>

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

} // namespace tunebench::ui
