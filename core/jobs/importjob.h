#pragma once

#include <memory>

#include <QObject>
#include <QRunnable>
#include <QString>

#include "data/reader.h"
#include "util/cancel.h"

namespace tunebench::jobs {

/// What an ImportJob produced: the dataset, or why there is none.
struct ImportResult
{
    QString path;
    std::shared_ptr<const data::Dataset> dataset; ///< null on error or cancellation
    data::ReadReport report;
    QString error; ///< "FILE:LINE:COLUMN: message" when the read failed
    bool cancelled = false;
};

/// Reads one data file on a worker thread: the thin Qt adapter over data::readDataset.
/// Run it on a QThreadPool; connect with queued connections.
class ImportJob : public QObject, public QRunnable
{
    Q_OBJECT

public:
    ImportJob(QString path, data::ReadOptions options);

    void run() override;
    /// Safe from any thread; the job stops at its next chunk (every ~1 MB of input).
    void cancel() { m_cancel.cancel(); }

Q_SIGNALS:
    /// Emitted from the worker thread, at most every 1% of the input.
    void progress(double fraction);
    /// Emitted once from the worker thread when the job ends, whatever the outcome.
    void finished(const tunebench::jobs::ImportResult& result);

private:
    QString m_path;
    data::ReadOptions m_options;
    util::CancelToken m_cancel;
};

} // namespace tunebench::jobs

Q_DECLARE_METATYPE(tunebench::jobs::ImportResult)
