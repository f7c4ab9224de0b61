#pragma once

#include <atomic>
#include <memory>
#include <stdexcept>

namespace tunebench::util {

/// A cooperative cancellation flag shared between whoever starts a piece of work and the work itself.
/// Copies share one flag; a default-constructed token can be cancelled like any other.
class CancelToken
{
public:
    CancelToken()
        : m_flag(std::make_shared<std::atomic<bool>>(false))
    { }

    void cancel() const noexcept { m_flag->store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool isCancelled() const noexcept { return m_flag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

/// Thrown by long-running work that noticed its CancelToken was cancelled.
class Cancelled : public std::runtime_error
{
public:
    Cancelled()
        : std::runtime_error("cancelled")
    { }
};

} // namespace tunebench::util
