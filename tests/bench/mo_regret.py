#!/usr/bin/python3
"""Hypervolume regret (several objectives) and feasible simple regret (constrained Branin) of tunebench runs, computed
exactly as ../shared/peers/mo_bench/optuna_mo.py computes Optuna's: Optuna's own WFG hypervolume, reference point
(1.1, 11) for ZDT and (3, 3, 3) for DTLZ2, the true front's hypervolume minus the found one's; median over seeds at
50/100/200 trials.
  mo_regret.py WORK_DIR PROBLEM STRATEGY SEEDS     (WORK_DIR holds PROBLEM-STRATEGY-SEED.json from `runs --json`)"""
import json, math, statistics, sys
import numpy as np
from optuna._hypervolume import WFG

POINT = {"zdt1": (1.1, 11.0), "zdt2": (1.1, 11.0), "dtlz2": (3.0, 3.0, 3.0)}
REF = {"zdt1": 1.1 * 11 - 1 / 3, "zdt2": 1.1 * 11 - 2 / 3, "dtlz2": 27 - math.pi / 6}
BUDGETS = (50, 100, 200)


def branin(x1, x2):
    return (x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


def constrained_best():
    g1, g2 = np.meshgrid(np.linspace(-5, 10, 3001), np.linspace(0, 15, 3001))
    b = (g2 - 5.1 / (4 * math.pi ** 2) * g1 ** 2 + 5 / math.pi * g1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * np.cos(g1) + 10
    b[(g1 - 2.5) ** 2 + (g2 - 7.5) ** 2 - 50.0 > 0] = np.inf
    return float(b.min())


def hv(values, ref):
    # Only the non-dominated points shape the volume; Optuna's WFG is slow on hundreds of points in three objectives.
    pts = np.array([v for v in values if all(vi < r for vi, r in zip(v, ref))])
    if len(pts) == 0:
        return 0.0
    keep = [i for i, p in enumerate(pts) if not any(np.all(q <= p) and np.any(q < p) for q in pts)]
    return WFG().compute(pts[keep], np.array(ref))


work, problem, strategy, seeds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
best = constrained_best() if problem == "constrained_branin" else None
cells = {}
for budget in BUDGETS:
    regrets = []
    for seed in range(seeds):
        trials = json.load(open(f"{work}/{problem}-{strategy}-{seed}.json"))["trials"]
        done = [t for t in trials if t["id"] <= budget and t["status"] == "finished"]
        if problem == "constrained_branin":
            feasible = [t["objective"] for t in done if t.get("feasible")]
            regrets.append(min(feasible) - best if feasible else float("inf"))
        else:
            regrets.append(REF[problem] - hv([t["objectives"] for t in done], POINT[problem]))
    cells[str(budget)] = statistics.median(regrets)
print(json.dumps({"problem": problem, "strategy": strategy, "seeds": seeds, "median_regret": cells}))
