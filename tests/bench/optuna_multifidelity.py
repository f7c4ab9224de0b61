#!/usr/bin/python3
"""Debian's Optuna on the same training script as Tunebench (tests/bench/mlp_partial_fit.py, called in process):
TPE with the Hyperband pruner (and TPE with successive halving) reporting validation accuracy every epoch, for a given
number of epochs in all; and TPE without pruning, 100 trials of 27 epochs, as the full-budget reference.

    optuna_multifidelity.py TRAIN.csv VALIDATION.csv MODE SEED [EPOCHS]

MODE: hyperband | halving (run until EPOCHS epochs are trained in all) | full (100 trials x 27 epochs). Prints JSON:
{"best": the best accuracy a trial ended with (a pruned trial: where it was pruned), "epochs": trained in all}."""
import json
import os
import sys

import optuna

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp_partial_fit as script  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def main():
    train_path, validation_path, mode, seed = sys.argv[1:5]
    budget = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    task = script.Task(train_path, validation_path)
    used = [0]
    ended = []

    def objective(trial):
        state = script.new_state(trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True),
                                 trial.suggest_float("alpha", 1e-6, 1e-1, log=True),
                                 trial.suggest_int("units", 8, 256, log=True),
                                 trial.suggest_int("batch_size", 32, 512, log=True))

        def report(epoch, accuracy):
            used[0] += 1
            trial.report(accuracy, epoch)
            if mode != "full" and trial.should_prune():
                ended.append(accuracy)
                raise optuna.TrialPruned()

        script.train(task, state, 27, report)
        ended.append(state["accuracy"])
        return state["accuracy"]

    pruner = {"hyperband": optuna.pruners.HyperbandPruner(min_resource=1, max_resource=27, reduction_factor=3),
              "halving": optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3),
              "full": optuna.pruners.NopPruner()}[mode]
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=int(seed)),
                                pruner=pruner)
    if mode == "full":
        study.optimize(objective, n_trials=100)
    else:
        while used[0] < budget:
            study.optimize(objective, n_trials=1)
    print(json.dumps({"best": max(ended), "epochs": used[0]}))


if __name__ == "__main__":
    main()
