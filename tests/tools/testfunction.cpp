// A stand-in training script for tests and benchmarks of the external-command path:
//
//   tb_testfunction branin X1 X2 [--steps N] [--sleep-ms M] [--busy-ms B]
//   tb_testfunction hartmann6 X1 .. X6 [--steps N] [--sleep-ms M] [--busy-ms B]
//   tb_testfunction zdt1|zdt2 X1 .. Xn      prints f1=... and f2=... (several objectives)
//   tb_testfunction dtlz2 X1 .. Xn          prints f1=..., f2=... and f3=...
//   tb_testfunction branin_constrained X1 X2  prints value=... and c=... (feasible when c <= 0)
//   tb_testfunction fail        (prints a line and exits with code 3)
//
// With --steps it prints N lines "step=k loss=..." (a curve that falls towards the value, for early
// stopping), sleeping M ms (or computing for B ms of CPU time, like a training step) before each; it always
// ends with "value=<f(x)>".

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "../bench/testfunctions.h"

int main(int argc, char** argv)
{
    if (argc < 2)
        return 2;
    const std::string function = argv[1];
    if (function == "fail") {
        std::puts("something went wrong");
        return 3;
    }
    std::vector<double> x;
    int steps = 0;
    int sleepMs = 0;
    int busyMs = 0;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            steps = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--sleep-ms") == 0 && i + 1 < argc)
            sleepMs = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--busy-ms") == 0 && i + 1 < argc)
            busyMs = std::atoi(argv[++i]);
        else
            x.push_back(std::strtod(argv[i], nullptr));
    }
    if (sleepMs > 0
        && (function == "zdt1" || function == "zdt2" || function == "dtlz2" || function == "branin_constrained"))
        std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs)); // a training script's time
    if ((function == "zdt1" || function == "zdt2") && x.size() >= 2) {
        const auto f = tunebench::bench::zdt(x, function == "zdt2");
        // With --steps, both objectives fall towards their values step by step (curves for early stopping).
        for (int step = 1; step < steps; ++step) {
            const double excess = 2.0 * (steps - step) / steps;
            std::printf("f1=%.17g\nf2=%.17g\n", f[0] + excess, f[1] + excess);
            std::fflush(stdout);
        }
        std::printf("f1=%.17g\nf2=%.17g\n", f[0], f[1]);
        return 0;
    }
    if (function == "dtlz2" && x.size() >= 3) {
        const auto f = tunebench::bench::dtlz2(x);
        std::printf("f1=%.17g\nf2=%.17g\nf3=%.17g\n", f[0], f[1], f[2]);
        return 0;
    }
    if (function == "branin_constrained" && x.size() == 2) {
        std::printf("value=%.17g\nc=%.17g\n", tunebench::bench::branin(x[0], x[1]),
                    tunebench::bench::braninConstraint(x[0], x[1]));
        return 0;
    }
    double value = 0.0;
    if (function == "branin" && x.size() == 2)
        value = tunebench::bench::branin(x[0], x[1]);
    else if (function == "hartmann6" && x.size() == 6)
        value = tunebench::bench::hartmann6(std::span<const double, 6>(x.data(), 6));
    else {
        std::fprintf(stderr, "usage: tb_testfunction branin X1 X2 | hartmann6 X1..X6 [--steps N] [--sleep-ms M]\n");
        return 2;
    }
    volatile double sink = 0.0;
    for (int step = 1; step <= steps; ++step) {
        if (sleepMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
        // CPU work for busyMs of this process's CPU time: a parallel run needs one core per trial.
        const std::clock_t until = std::clock() + static_cast<std::clock_t>(busyMs) * CLOCKS_PER_SEC / 1000;
        while (busyMs > 0 && std::clock() < until) {
            for (int i = 0; i < 1000; ++i)
                sink = sink + 1e-9 * i;
        }
        std::printf("step=%d loss=%.17g\n", step, value + 10.0 * (steps - step) / steps);
        std::fflush(stdout);
    }
    if (sleepMs > 0 && steps == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
    std::printf("value=%.17g\n", value);
    return 0;
}
