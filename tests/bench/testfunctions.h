#pragma once

// Standard test functions of global optimisation, for the tuning benchmarks (simple regret = best found
// minus the known minimum). Definitions as in Surjanovic & Bingham's Virtual Library of Simulation
// Experiments (sfu.ca/~ssurjano).

#include <array>
#include <cmath>
#include <numbers>
#include <span>
#include <string_view>

namespace tunebench::bench {

/// Branin on x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at three points.
inline double branin(double x1, double x2)
{
    const double b = 5.1 / (4.0 * std::numbers::pi * std::numbers::pi);
    const double c = 5.0 / std::numbers::pi;
    const double t = 1.0 / (8.0 * std::numbers::pi);
    const double a = x2 - b * x1 * x1 + c * x1 - 6.0;
    return a * a + 10.0 * (1.0 - t) * std::cos(x1) + 10.0;
}
inline constexpr double kBraninMinimum = 0.397887357729738;

/// The Hartmann family: -sum_i alpha_i exp(-sum_j a_ij (x_j - p_ij)^2), the same alpha in every dimension.
template<std::size_t D> double hartmann(const double (&a)[4][D], const double (&p)[4][D], std::span<const double> x)
{
    static constexpr std::array<double, 4> alpha{1.0, 1.2, 3.0, 3.2};
    double sum = 0.0;
    for (std::size_t i = 0; i < 4; ++i) {
        double inner = 0.0;
        for (std::size_t j = 0; j < D; ++j)
            inner += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]);
        sum -= alpha[i] * std::exp(-inner);
    }
    return sum;
}

/// Hartmann-6 on [0, 1]^6; minimum -3.32237.
inline double hartmann6(std::span<const double, 6> x)
{
    static constexpr double a[4][6]
        = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    static constexpr double p[4][6] = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                                       {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                                       {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                                       {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
    return hartmann<6>(a, p, x);
}
inline constexpr double kHartmann6Minimum = -3.32236801141551;

// Held out: functions the tuning strategies were not developed against, to check that a change which
// helps on Branin and Hartmann-6 does not merely fit those two.

/// Hartmann-3 on [0, 1]^3; minimum -3.86278.
inline double hartmann3(std::span<const double> x)
{
    static constexpr double a[4][3] = {{3, 10, 30}, {0.1, 10, 35}, {3, 10, 30}, {0.1, 10, 35}};
    static constexpr double p[4][3]
        = {{0.3689, 0.1170, 0.2673}, {0.4699, 0.4387, 0.7470}, {0.1091, 0.8732, 0.5547}, {0.03815, 0.5743, 0.8828}};
    return hartmann<3>(a, p, x);
}
inline constexpr double kHartmann3Minimum = -3.86278214782076;

/// Styblinski-Tang on [-5, 5]^d; minimum -39.16617 d at x_i = -2.903534.
inline double styblinskiTang(std::span<const double> x)
{
    double sum = 0.0;
    for (double v : x)
        sum += v * v * v * v - 16.0 * v * v + 5.0 * v;
    return sum / 2.0;
}
inline constexpr double kStyblinskiTangMinimumPerDimension = -39.1661657037714;

/// Rosenbrock on [-5, 10]^d; minimum 0 at (1, ..., 1).
inline double rosenbrock(std::span<const double> x)
{
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i)
        sum += 100.0 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1.0 - x[i]) * (1.0 - x[i]);
    return sum;
}

/// Ackley on [-32.768, 32.768]^d; minimum 0 at the origin.
inline double ackley(std::span<const double> x)
{
    double squares = 0.0;
    double cosines = 0.0;
    for (double v : x) {
        squares += v * v;
        cosines += std::cos(2.0 * std::numbers::pi * v);
    }
    const double n = static_cast<double>(x.size());
    return -20.0 * std::exp(-0.2 * std::sqrt(squares / n)) - std::exp(cosines / n) + 20.0 + std::numbers::e;
}

/// Multi-objective test problems (Zitzler, Deb and Thiele 2000; Deb et al. 2002) on [0, 1]^n, both objectives
/// minimised: ZDT1's front is f2 = 1 - sqrt(f1), ZDT2's f2 = 1 - f1^2 (concave); DTLZ2's three objectives lie on the
/// unit sphere's positive octant.
inline std::array<double, 2> zdt(std::span<const double> x, bool concave)
{
    double sum = 0.0;
    for (std::size_t i = 1; i < x.size(); ++i)
        sum += x[i];
    const double g = 1.0 + 9.0 * sum / static_cast<double>(x.size() - 1);
    const double ratio = x[0] / g;
    return {x[0], g * (1.0 - (concave ? ratio * ratio : std::sqrt(ratio)))};
}
inline std::array<double, 3> dtlz2(std::span<const double> x)
{
    double g = 0.0;
    for (std::size_t i = 2; i < x.size(); ++i)
        g += (x[i] - 0.5) * (x[i] - 0.5);
    const double h = std::numbers::pi / 2.0;
    return {(1.0 + g) * std::cos(x[0] * h) * std::cos(x[1] * h), (1.0 + g) * std::cos(x[0] * h) * std::sin(x[1] * h),
            (1.0 + g) * std::sin(x[0] * h)};
}
/// The constraint of the constrained Branin of tests/bench (and ../shared/peers/mo_bench): feasible when <= 0, a
/// disc that holds one of Branin's three minima.
inline double braninConstraint(double x1, double x2)
{
    return (x1 - 2.5) * (x1 - 2.5) + (x2 - 7.5) * (x2 - 7.5) - 50.0;
}

} // namespace tunebench::bench
