#pragma once

#include <QStringList>

namespace tunebench::cli {

/// Runs `tunebench-cli` with its arguments (program name first); returns the process exit code:
/// 0 success, 1 a failure of the work (bad data, unreadable project), 2 a usage error.
int run(const QStringList& arguments);

} // namespace tunebench::cli
