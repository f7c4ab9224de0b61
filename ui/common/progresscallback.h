#pragma once

#include <functional>

#include <QMetaObject>
#include <QPointer>

namespace tunebench::ui {

/// A progress callback for work running on another thread (data::ReadOptions::progress and the like):
/// each fraction is handed to `apply(receiver, fraction)` later, on the receiver's thread, and dropped once
/// the receiver is gone.
template<typename Receiver, typename Apply> std::function<void(double)> progressTo(Receiver* receiver, Apply apply)
{
    const QPointer<Receiver> guard = receiver;
    return [guard, apply](double fraction) {
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, apply, fraction] {
                if (guard)
                    apply(*guard, fraction);
            },
            Qt::QueuedConnection);
    };
}

} // namespace tunebench::ui
