#include "store/trust.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStringList>

namespace tunebench::store {

namespace {

std::mutex registryMutex;

QString canonical(const std::string& path)
{
    return QFileInfo(QString::fromStdString(path)).canonicalFilePath();
}

QStringList readRegistry(const QString& file)
{
    QFile registry(file);
    if (!registry.open(QIODevice::ReadOnly))
        return {};
    QStringList paths;
    for (const QByteArray& line : registry.readAll().split('\n')) {
        if (!line.isEmpty())
            paths.append(QString::fromUtf8(line));
    }
    return paths;
}

} // namespace

std::string trustRegistryPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("tunebench/trusted-projects"))
        .toStdString();
}

bool isTrusted(const std::string& projectPath)
{
    const QString path = canonical(projectPath);
    if (path.isEmpty())
        return false;
    const std::lock_guard guard(registryMutex);
    return readRegistry(QString::fromStdString(trustRegistryPath())).contains(path);
}

void setTrusted(const std::string& projectPath, bool trusted)
{
    const QString path = canonical(projectPath);
    if (path.isEmpty())
        throw std::runtime_error("no project at " + projectPath);
    const QString file = QString::fromStdString(trustRegistryPath());
    const std::lock_guard guard(registryMutex);
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        throw std::runtime_error("cannot create the folder of " + file.toStdString());
    QLockFile lock(file + QStringLiteral(".lock"));
    if (!lock.tryLock(10000))
        throw std::runtime_error("the trust registry " + file.toStdString() + " stays locked");
    QStringList paths = readRegistry(file);
    // Projects deleted since are forgotten on the way.
    paths.erase(std::remove_if(paths.begin(), paths.end(),
                               [&](const QString& entry) { return entry == path || !QFileInfo::exists(entry); }),
                paths.end());
    if (trusted)
        paths.append(path);
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write((paths.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()) < 0
        || !out.commit())
        throw std::runtime_error("cannot write " + file.toStdString() + ": " + out.errorString().toStdString());
}

} // namespace tunebench::store
