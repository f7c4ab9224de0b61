#include "util/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tunebench::util {

void parallelFor(std::size_t count, int threads, const std::function<void(std::size_t)>& body)
{
    std::atomic<std::size_t> next{0};
    std::mutex failureMutex;
    std::exception_ptr failure;
    auto worker = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                body(i);
            } catch (...) {
                const std::lock_guard lock(failureMutex);
                if (!failure)
                    failure = std::current_exception();
                next = count; // the others stop after their current call
            }
        }
    };
    const auto helpers = static_cast<std::size_t>(std::max(1, threads)) - 1;
    std::vector<std::thread> pool;
    for (std::size_t i = 0; i < std::min(helpers, count > 0 ? count - 1 : 0); ++i)
        pool.emplace_back(worker);
    worker();
    for (std::thread& thread : pool)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace tunebench::util
