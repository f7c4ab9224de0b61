#pragma once

// QCOMPARE prints a trial's or an experiment's state by name (found by argument-dependent lookup).

#include <QByteArray>
#include <QTest>

#include "util/states.h"

namespace tunebench {

inline char* toString(TrialState state)
{
    return qstrdup(QByteArray(stateName(state).data(), static_cast<qsizetype>(stateName(state).size())).constData());
}

inline char* toString(ExperimentState state)
{
    return qstrdup(QByteArray(stateName(state).data(), static_cast<qsizetype>(stateName(state).size())).constData());
}

} // namespace tunebench
