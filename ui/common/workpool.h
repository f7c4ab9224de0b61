#pragma once

#include <algorithm>

#include <QCoreApplication>
#include <QThread>
#include <QThreadPool>

namespace tunebench::ui {

/// The thread pool of the workbench's own background work: loading, importing, evaluating, following runs.
/// Qt's raster engine splits large fills across QThreadPool::globalInstance() and waits for them, so work kept
/// off the global pool never makes a repaint wait (measured: 100-250 ms stalls when four views followed runs
/// of other processes on the global pool). Lives as long as the application.
inline QThreadPool* workPool()
{
    static QThreadPool* const pool = [] {
        auto* created = new QThreadPool(QCoreApplication::instance());
        created->setObjectName(QStringLiteral("tunebench-work"));
        created->setMaxThreadCount(std::max(4, 2 * QThread::idealThreadCount()));
        return created;
    }();
    return pool;
}

} // namespace tunebench::ui
