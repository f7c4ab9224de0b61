#!/usr/bin/env python3
"""Optuna's fANOVA importance on the trials `bench_tuning importance OUT.csv` wrote: the same 1000 trials x 10
parameters (Hartmann-6 on x1..x6; x7..x10 do not matter). Prints Optuna's importances and its time, to set
beside Tunebench's. Needs Debian's python3-optuna and python3-sklearn.

    build/release/tests/bench/bench_tuning importance /tmp/importance.csv
    python3 tests/bench/optuna_importance.py /tmp/importance.csv
"""
import csv
import sys
import time

import optuna
from optuna.distributions import FloatDistribution
from optuna.importance import FanovaImportanceEvaluator, get_param_importances

optuna.logging.set_verbosity(optuna.logging.WARNING)

with open(sys.argv[1]) as f:
    rows = list(csv.DictReader(f))
names = [f"x{j}" for j in range(1, 11)]
study = optuna.create_study(direction="minimize")
distributions = {name: FloatDistribution(0.0, 1.0) for name in names}
study.add_trials([
    optuna.trial.create_trial(params={n: float(r[n]) for n in names}, distributions=distributions,
                              value=float(r["value"]))
    for r in rows
])
start = time.perf_counter()
importance = get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=1), normalize=True)
seconds = time.perf_counter() - start
print(f"Optuna {optuna.__version__} fANOVA, {len(rows)} trials x {len(names)} parameters: {seconds:.2f} s")
print("  importance: " + " ".join(f"{importance[n]:.3f}" for n in names) + "  (x7..x10 do not matter)")
