#include "util/priority.h"

#if defined(__linux__)
#include <cerrno>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace tunebench::util {

void lowerCurrentThreadPriority(int increment) noexcept
{
#if defined(__linux__)
    // On Linux a nice value belongs to a thread (task), and a process forked from it inherits it.
    const auto thread = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, thread);
    if (errno == 0)
        (void)::setpriority(PRIO_PROCESS, thread, current + increment);
#else
    (void)increment;
#endif
}

} // namespace tunebench::util
