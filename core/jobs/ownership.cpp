#include "jobs/ownership.h"

#include <cerrno>
#include <filesystem>

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QUuid>

#include <signal.h>
#include <unistd.h>

namespace tunebench::jobs {

namespace {

std::string hostName()
{
    return QSysInfo::machineHostName().toStdString();
}

std::string programName()
{
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error && !self.filename().empty())
        return self.filename().string();
    return QCoreApplication::applicationName().isEmpty() ? std::string("tunebench")
                                                         : QCoreApplication::applicationName().toStdString();
}

bool processExists(std::int64_t pid)
{
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

double secondsNow()
{
    return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

bool isAlive(const store::RunOwner& owner, double now)
{
    if (now - owner.heartbeat > kLeaseSeconds)
        return false;
    return owner.host != hostName() || processExists(owner.pid);
}

std::string describe(const store::RunOwner& owner)
{
    const QDateTime started = QDateTime::fromString(QString::fromStdString(owner.startedAt), Qt::ISODateWithMs);
    std::string since;
    if (started.isValid()) {
        const QDateTime local = started.toLocalTime();
        since = ", since "
            + local
                  .toString(local.date() == QDate::currentDate() ? QStringLiteral("HH:mm")
                                                                 : QStringLiteral("yyyy-MM-dd HH:mm"))
                  .toStdString();
    }
    return owner.program + ", pid " + std::to_string(owner.pid) + " on host " + owner.host + since;
}

std::string thisProcessName()
{
    return programName() + ", pid " + std::to_string(::getpid()) + " on host " + hostName();
}

std::optional<store::RunOwner> liveOwner(const store::ProjectStore& store, std::int64_t experimentId)
{
    std::optional<store::RunOwner> owner = store.runOwner(experimentId);
    if (owner && !isAlive(*owner))
        return std::nullopt;
    return owner;
}

bool isInterrupted(const store::ProjectStore& store, const store::ExperimentRecord& experiment)
{
    return experiment.status == ExperimentState::Running && !liveOwner(store, experiment.id);
}

RunLease::RunLease(store::ProjectStore& store, std::int64_t experimentId)
    : m_store(store)
{
    if (const std::optional<store::RunOwner> owner = liveOwner(store, experimentId))
        throw RunOwnedError("it is running in " + describe(*owner));
    m_owner.experimentId = experimentId;
    m_owner.host = hostName();
    m_owner.pid = ::getpid();
    m_owner.program = programName();
    m_owner.token = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    m_owner.startedAt = store::ProjectStore::nowUtc();
    m_owner.heartbeat = secondsNow();
    store.setRunOwner(m_owner);
}

RunLease::~RunLease()
{
    try {
        release();
    } catch (const std::exception&) {
        // A project that cannot be written now: the lease runs out by itself.
    }
}

void RunLease::renew()
{
    const double now = secondsNow();
    if (m_released || now - m_owner.heartbeat < kRenewSeconds)
        return;
    if (!m_store.renewRunOwner(m_owner.experimentId, m_owner.token, now)) {
        m_released = true;
        const std::optional<store::RunOwner> other = m_store.runOwner(m_owner.experimentId);
        throw RunOwnedError("this run's lease ran out and "
                            + (other ? "it is running in " + describe(*other) : std::string("it was given up"))
                            + " now; this process stopped running it");
    }
    m_owner.heartbeat = now;
}

void RunLease::release()
{
    if (m_released)
        return;
    m_released = true;
    m_store.releaseRunOwner(m_owner.experimentId, m_owner.token);
}

const char* requestName(RunRequestKind kind)
{
    switch (kind) {
    case RunRequestKind::Stop: return "stop";
    case RunRequestKind::Cancel: return "cancel";
    case RunRequestKind::StopTrial: return "stop_trial";
    case RunRequestKind::RestartTrial: return "restart_trial";
    }
    return "stop";
}

std::optional<RunRequestKind> requestKindFromString(const std::string& name)
{
    for (const RunRequestKind kind :
         {RunRequestKind::Stop, RunRequestKind::Cancel, RunRequestKind::StopTrial, RunRequestKind::RestartTrial}) {
        if (name == requestName(kind))
            return kind;
    }
    return std::nullopt;
}

void askOwner(store::ProjectStore& store, std::int64_t experimentId, RunRequestKind kind, std::optional<int> trial)
{
    store.addRunRequest({0, experimentId, requestName(kind), trial, store::ProjectStore::nowUtc(), thisProcessName()});
}

} // namespace tunebench::jobs
