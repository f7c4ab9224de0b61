#include "jobs/importjob.h"

#include <cmath>

namespace tunebench::jobs {

ImportJob::ImportJob(QString path, data::ReadOptions options)
    : m_path(std::move(path))
    , m_options(std::move(options))
{
    qRegisterMetaType<ImportResult>();
    setAutoDelete(false); // the owner decides when to delete it, after `finished`
    m_options.cancel = m_cancel;
}

void ImportJob::run()
{
    ImportResult result;
    result.path = m_path;
    int lastPercent = -1;
    m_options.progress = [&](double fraction) {
        const int percent = static_cast<int>(std::floor(fraction * 100.0));
        if (percent != lastPercent) {
            lastPercent = percent;
            Q_EMIT progress(fraction);
        }
    };
    try {
        result.dataset
            = std::make_shared<const data::Dataset>(data::readDataset(m_path.toStdString(), m_options, &result.report));
    } catch (const util::Cancelled&) {
        result.cancelled = true;
    } catch (const std::exception& error) {
        result.error = QString::fromStdString(error.what());
    }
    Q_EMIT finished(result);
}

} // namespace tunebench::jobs
