#pragma once

#include <cmath>
#include <limits>
#include <string>

#include <QDataStream>
#include <QIODevice>

#include "algorithms/algorithm.h"

namespace tunebench::algorithms {

/// The stopping rule every iterative algorithm shares: stop when the loss has improved by less than
/// `tol` (relative to its size, or absolutely near zero) for `patience` iterations in a row; a NaN or
/// infinite loss ends the run with TrainingError.
class ConvergenceMonitor
{
public:
    ConvergenceMonitor(double tol, int patience)
        : m_tol(tol)
        , m_patience(patience)
    { }

    /// Feeds one iteration's loss; true when training should stop.
    bool update(int iteration, double loss)
    {
        if (!std::isfinite(loss))
            throw TrainingError("training diverged: the loss became "
                                + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at iteration "
                                + std::to_string(iteration)
                                + " (try a smaller learning rate or stronger regularisation)");
        const double change = m_best - loss;
        if (change > m_tol * std::max(1.0, std::abs(m_best)) || !m_started)
            m_quiet = 0;
        else
            ++m_quiet;
        m_started = true;
        m_best = std::min(m_best, loss);
        return m_patience > 0 && m_quiet >= m_patience;
    }

    /// What the monitor has seen, for a fit that pauses and continues (FitStates).
    void save(QDataStream& out) const { out << m_best << static_cast<qint32>(m_quiet) << m_started; }
    void restore(QDataStream& in)
    {
        qint32 quiet = 0;
        in >> m_best >> quiet >> m_started;
        m_quiet = quiet;
    }

private:
    double m_tol;
    int m_patience;
    double m_best = std::numeric_limits<double>::infinity();
    int m_quiet = 0;
    bool m_started = false;
};

/// The three hyperparameters that drive ConvergenceMonitor, with algorithm-specific defaults.
inline std::vector<ParamSpec> stoppingParams(const std::string& maxName, std::int64_t maxIter,
                                             std::int64_t maxIterLimit, double tol, std::int64_t patience,
                                             const std::string& iterationName)
{
    return {
        ParamSpec::integer(maxName, 1, maxIterLimit, maxIter, Scaling::Log, "Most " + iterationName + " to run."),
        ParamSpec::continuous("tol", 0.0, 1.0, tol, Scaling::Linear,
                              "Stop when the loss improves by less than this (relative) ..."),
        ParamSpec::integer("n_iter_no_change", 0, 1000, patience, Scaling::Linear,
                           "... for this many " + iterationName + " in a row (0: never stop early)."),
    };
}

} // namespace tunebench::algorithms
