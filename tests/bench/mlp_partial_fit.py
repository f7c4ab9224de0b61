#!/usr/bin/python3
"""A training script as users write them: scikit-learn's MLPClassifier trained epoch by epoch (partial_fit) to a
budget, continuing from its pickled checkpoint. Tunebench runs it through the external-command path (ASHA and BOHB
give it {budget} and {checkpoint_dir}); tests/bench/optuna_multifidelity.py calls train() in process.

    mlp_partial_fit.py TRAIN.csv VALIDATION.csv CHECKPOINT_DIR BUDGET LEARNING_RATE ALPHA UNITS BATCH

Prints "epoch=N accuracy=A" after each epoch it trains (validation accuracy), once its checkpoint holds that epoch,
and "accuracy=A" at the end."""
import os
import pickle
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


class Task:
    """The data, standardised on the training rows."""

    def __init__(self, train_path, validation_path):
        x, self.y = load(train_path)
        xv, self.yv = load(validation_path)
        scaler = StandardScaler().fit(x)
        self.x, self.xv = scaler.transform(x), scaler.transform(xv)
        self.classes = np.unique(np.concatenate([self.y, self.yv]))


def new_state(lr, alpha, units, batch):
    model = MLPClassifier(hidden_layer_sizes=(units,), learning_rate_init=lr, alpha=alpha, batch_size=batch,
                          random_state=0)
    return {"model": model, "epochs": 0, "accuracy": 0.0}


def train(task, state, budget, report):
    """Continues `state` to `budget` epochs (one partial_fit each); report(epoch, accuracy) after each."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        while state["epochs"] < budget:
            state["model"].partial_fit(task.x, task.y, classes=task.classes)
            state["epochs"] += 1
            state["accuracy"] = state["model"].score(task.xv, task.yv)
            report(state["epochs"], state["accuracy"])
    return state


def main():
    train_path, validation_path, folder, budget, lr, alpha, units, batch = sys.argv[1:9]
    task = Task(train_path, validation_path)
    checkpoint = os.path.join(folder, "model.pkl")
    if os.path.exists(checkpoint):
        with open(checkpoint, "rb") as f:
            state = pickle.load(f)
    else:
        state = new_state(float(lr), float(alpha), int(units), int(batch))

    def report(epoch, accuracy):
        with open(checkpoint + ".new", "wb") as f:
            pickle.dump(state, f)
        os.replace(checkpoint + ".new", checkpoint)
        print(f"epoch={epoch} accuracy={accuracy:.6f}", flush=True)

    train(task, state, int(budget), report)
    print(f"accuracy={state['accuracy']:.6f}", flush=True)


if __name__ == "__main__":
    main()
