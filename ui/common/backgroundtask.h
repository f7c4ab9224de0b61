#pragma once

#include <type_traits>
#include <utility>

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include "common/workpool.h"

namespace tunebench::ui {

/// A view's background work: run() computes on the global thread pool and hands the result to the GUI thread.
/// Only the latest request's result is delivered: one that was overtaken by a newer run() (the user changed a
/// choice, the view reloaded) or dropped by drop() is stale and thrown away, and none reaches a destroyed owner.
/// A member of the view that owns it; every function is for the GUI thread.
class BackgroundTask
{
public:
    explicit BackgroundTask(QObject* owner)
        : m_owner(owner)
    { }

    /// Runs `work()` (a pool thread; it must capture by value) and then `done(result)` on the GUI thread.
    template<typename Work, typename Done> void run(Work work, Done done)
    {
        using Result = std::invoke_result_t<Work>;
        const int generation = ++m_generation;
        auto* watcher = new QFutureWatcher<Result>(m_owner);
        QObject::connect(watcher, &QFutureWatcher<Result>::finished, m_owner,
                         [this, watcher, generation, done = std::move(done)]() mutable {
                             watcher->deleteLater();
                             if (generation != m_generation)
                                 return; // overtaken: a newer request is on its way, or none is wanted
                             m_busy = false;
                             done(watcher->result());
                         });
        m_busy = true;
        watcher->setFuture(QtConcurrent::run(workPool(), std::move(work)));
    }

    /// Forgets the request in flight: its result will not be delivered.
    void drop()
    {
        ++m_generation;
        m_busy = false;
    }

    /// A request is in flight whose result will be delivered.
    [[nodiscard]] bool isBusy() const { return m_busy; }

private:
    QObject* m_owner;
    int m_generation = 0;
    bool m_busy = false;
};

} // namespace tunebench::ui
