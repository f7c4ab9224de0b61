#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace tunebench::util {

/// A deterministic 64-bit generator and the helpers the project's seeded code shares (mt19937_64 is
/// specified exactly by the standard; the distributions here are ours, so results do not depend on the
/// standard library's implementation).
class Random
{
public:
    explicit Random(std::uint64_t seed);
    std::uint64_t next();
    /// Uniform in [0, bound).
    std::uint64_t below(std::uint64_t bound);
    /// Uniform in [0, 1).
    double uniform();
    double normal();
    template<typename T> void shuffle(std::vector<T>& items)
    {
        for (std::size_t i = items.size(); i > 1; --i)
            std::swap(items[i - 1], items[static_cast<std::size_t>(below(i))]);
    }

    /// The generator's whole state: a generator given it back draws the same numbers from there on (a paused fit).
    using State = std::array<std::uint64_t, 4>;
    [[nodiscard]] State state() const { return {m_state[0], m_state[1], m_state[2], m_state[3]}; }
    void setState(const State& state)
    {
        for (std::size_t i = 0; i < 4; ++i)
            m_state[i] = state[i];
    }

private:
    std::uint64_t m_state[4];
};

} // namespace tunebench::util
