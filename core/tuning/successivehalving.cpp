#include "tuning/successivehalving.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tuning/strategy.h"
#include "util/random.h"

namespace tunebench::tuning {

SuccessiveHalving::SuccessiveHalving(const HyperbandOptions& options, int brackets)
    : m_eta(options.eta)
    , m_seed(options.seed)
{
    const std::vector<HyperbandBracket> all = hyperbandBrackets(options);
    for (const HyperbandBracket::Rung& rung : all.front().rungs) {
        const auto budget = std::max<std::int64_t>(1, std::llround(rung.resource));
        if (m_budgets.empty() || budget > m_budgets.back()) // rounding can merge two small rungs
            m_budgets.push_back(budget);
    }
    const std::size_t count = brackets <= 0 ? all.size() : std::min(all.size(), static_cast<std::size_t>(brackets));
    for (std::size_t b = 0; b < std::min(count, m_budgets.size()); ++b)
        m_weights.push_back(all[b].rungs.front().trials);
}

std::optional<std::size_t> SuccessiveHalving::rungOf(std::int64_t budget) const
{
    const auto found = std::find(m_budgets.begin(), m_budgets.end(), budget);
    if (found == m_budgets.end())
        return std::nullopt;
    return static_cast<std::size_t>(found - m_budgets.begin());
}

std::size_t SuccessiveHalving::bracketOf(int number) const
{
    // Drawn in proportion to each bracket's configurations, as Hyperband's brackets share its trials; trial n's
    // bracket depends only on the seed and n.
    double total = 0.0;
    for (const double weight : m_weights)
        total += weight;
    util::Random random(deriveSeed(m_seed ^ 0x41534841ULL, static_cast<std::uint64_t>(number)));
    double pick = random.uniform() * total;
    for (std::size_t b = 0; b < m_weights.size(); ++b) {
        pick -= m_weights[b];
        if (pick < 0)
            return b;
    }
    return m_weights.size() - 1;
}

std::size_t SuccessiveHalving::startRung(int number) const
{
    const auto found = m_members.find(number);
    return found != m_members.end() ? found->second.bracket : bracketOf(number);
}

SuccessiveHalving::Member& SuccessiveHalving::member(int number)
{
    const auto [found, created] = m_members.try_emplace(number);
    if (created)
        found->second.bracket = bracketOf(number);
    return found->second;
}

void SuccessiveHalving::start(int number, std::size_t rung)
{
    Member& member = this->member(number);
    member.target = std::min(rung, topRung());
    member.running = true;
    member.left = false;
}

void SuccessiveHalving::reached(int number, std::size_t rung, double loss)
{
    Member& member = this->member(number);
    member.losses[rung] = loss;
    member.target = rung;
    member.running = false;
}

void SuccessiveHalving::leave(int number)
{
    Member& member = this->member(number);
    member.running = false;
    member.left = true;
}

void SuccessiveHalving::forget(int number)
{
    m_members.erase(number);
}

std::optional<SuccessiveHalving::Promotion> SuccessiveHalving::promotion(bool searchOver) const
{
    for (std::size_t rung = topRung(); rung-- > 0;) {
        std::optional<Promotion> best;
        double bestLoss = std::numeric_limits<double>::infinity();
        for (std::size_t bracket = 0; bracket < m_weights.size() && bracket <= rung; ++bracket) {
            // The bracket's trials that reached this rung, best first; the top floor(n / eta) go on.
            std::vector<std::pair<double, int>> ranked;
            for (const auto& [number, member] : m_members) {
                if (member.bracket != bracket)
                    continue;
                if (const auto loss = member.losses.find(rung); loss != member.losses.end())
                    ranked.emplace_back(loss->second, number);
            }
            std::sort(ranked.begin(), ranked.end());
            std::size_t promotable = ranked.size() / static_cast<std::size_t>(m_eta);
            if (searchOver)
                promotable = std::max<std::size_t>(promotable, std::min<std::size_t>(ranked.size(), 1));
            for (std::size_t i = 0; i < promotable; ++i) {
                const Member& member = m_members.at(ranked[i].second);
                const bool paused = !member.running && !member.left && member.target == rung;
                if (paused && ranked[i].first < bestLoss) {
                    best = Promotion{ranked[i].second, rung + 1};
                    bestLoss = ranked[i].first;
                }
            }
        }
        if (best)
            return best;
    }
    return std::nullopt;
}

std::optional<std::size_t> SuccessiveHalving::target(int number) const
{
    const auto found = m_members.find(number);
    if (found == m_members.end())
        return std::nullopt;
    return found->second.target;
}

std::optional<std::size_t> SuccessiveHalving::highestReached(int number) const
{
    const auto found = m_members.find(number);
    if (found == m_members.end() || found->second.losses.empty())
        return std::nullopt;
    return found->second.losses.rbegin()->first;
}

std::map<int, double> SuccessiveHalving::results(std::size_t rung) const
{
    std::map<int, double> losses;
    for (const auto& [number, member] : m_members) {
        if (const auto loss = member.losses.find(rung); loss != member.losses.end())
            losses[number] = loss->second;
    }
    return losses;
}

std::int64_t SuccessiveHalving::budgetUsed() const
{
    std::int64_t used = 0;
    for (const auto& [number, member] : m_members) {
        if (!member.losses.empty())
            used += m_budgets[member.losses.rbegin()->first];
    }
    return used;
}

} // namespace tunebench::tuning
