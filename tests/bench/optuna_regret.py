#!/usr/bin/python3
"""Optuna's TPE and random samplers on Branin and Hartmann-6: median [q25, q75] simple regret at 30/50/100 trials.
   optuna_regret.py SEEDS"""
import math, statistics, sys, time
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
ALPHA = [1.0, 1.2, 3.0, 3.2]
def branin(t):
    x1, x2 = t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)
    return (x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10
def hartmann6(t):
    x = [t.suggest_float(f"x{i + 1}", 0, 1) for i in range(6)]
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4))
seeds = int(sys.argv[1])
for name, function, minimum in (("branin", branin, 0.397887357729738), ("hartmann6", hartmann6, -3.32236801141551)):
    for sampler_name in ("tpe", "random"):
        start = time.time()
        best = {30: [], 50: [], 100: []}
        for seed in range(seeds):
            sampler = optuna.samplers.TPESampler(seed=seed) if sampler_name == "tpe" else optuna.samplers.RandomSampler(seed=seed)
            study = optuna.create_study(sampler=sampler)
            study.optimize(function, n_trials=100)
            values = [t.value for t in study.trials]
            for budget in best:
                best[budget].append(min(values[:budget]) - minimum)
        cells = []
        for budget in (30, 50, 100):
            q = statistics.quantiles(best[budget], n=4)
            cells.append(f"{statistics.median(best[budget]):.3g} [{q[0]:.3g}, {q[2]:.3g}]")
        print(f"| {name} | optuna {optuna.__version__} {sampler_name} | " + " | ".join(cells) + f" | {time.time() - start:.1f} |")
