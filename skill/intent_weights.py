"""A second opinion on the intent: multinomial logistic regression over the understander's features.

The nearest-sample scoring of :mod:`skill.understanding` and a regression trained on the same
samples (the same binary stems and stem pairs) are about as accurate alone, but they err on
different lines. The understander asks the regression only when its own answer is unsure.

Training needs numpy and takes seconds, so the weights are trained once, by
``python -m skill.train_intents`` (``make weights``), and shipped as data:
``skill/content/intent-weights-<locale>.json``. The file is stamped with a hash of exactly what
it was trained from (every sample's intent and features, so the interaction model, the language
file and the feature code all count) and of the training settings. Using the weights needs
plain Python only: a dict lookup per feature and a softmax.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skill.content import CONTENT_DIR

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    _Array = npt.NDArray[np.float64]

#: The version of the training and of the file format; bump it when either changes.
WEIGHTS_VERSION = 1
#: Inverse strength of the L2 penalty, as scikit-learn's ``C``: 4 was the best of 0.25 to 16
#: in the experiments of lr-notes (fresh writers' lines, sets A and C), and the gain held from 1
#: to 16.
L2_C = 4.0
#: Weights smaller than this are dropped from the shipped file: it keeps the file a few
#: hundred KB, and the pruned regression agrees with the full one on the measured lines.
PRUNE_BELOW = 0.05
#: Digits kept of each weight in the file: far below any difference that changes an answer.
DIGITS = 3
#: L-BFGS: the number of past steps it remembers, its iteration cap and the gradient size
#: (relative to the first) at which it stops; at this size the answers no longer change.
MEMORY = 10
MAX_ITERATIONS = 1000
TOLERANCE = 1e-6

#: One training sample: its intent and its features.
Bag = tuple[str, frozenset[str]]


@dataclass(frozen=True)
class IntentWeights:
    """A trained regression: per feature, the weight it adds to each intent (by index)."""

    stamp: str
    intents: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[tuple[int, float], ...]]

    def best(self, features: Iterable[str]) -> tuple[str, float]:
        """The likeliest intent of a line with ``features``, and its probability."""
        scores = list(self.bias)
        for feature in features:
            for index, weight in self.weights.get(feature, ()):
                scores[index] += weight
        top = max(scores)
        total = sum(math.exp(s - top) for s in scores)
        index = scores.index(top)
        return self.intents[index], 1.0 / total


def weights_path(locale: str = "en-US") -> Path:
    """Where the shipped weights of ``locale`` live."""
    return CONTENT_DIR / f"intent-weights-{locale}.json"


def training_stamp(bags: Sequence[Bag]) -> str:
    """A hash of the training samples and settings: equal stamps mean equal weights."""
    digest = hashlib.sha256(f"{WEIGHTS_VERSION} {L2_C} {PRUNE_BELOW} {DIGITS}\n".encode())
    for line in sorted(f"{intent}\t{' '.join(sorted(bag))}" for intent, bag in bags):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def load_weights(path: Path, stamp: str) -> IntentWeights | None:
    """The weights in ``path`` if they were trained from what ``stamp`` says, else None."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("stamp") != stamp:
        return None
    return from_json(raw)


def from_json(raw: Mapping[str, Any]) -> IntentWeights:
    """Weights from their JSON form (see :func:`to_json`)."""
    weights = {
        feature: tuple((int(i), float(w)) for i, w in pairs)
        for feature, pairs in raw["weights"].items()
    }
    return IntentWeights(
        raw["stamp"], tuple(raw["intents"]), tuple(float(b) for b in raw["bias"]), weights
    )


def to_json(weights: IntentWeights) -> dict[str, Any]:
    """The JSON form: stamp, intents, bias per intent, and per feature [intent index, weight]."""
    return {
        "stamp": weights.stamp,
        "intents": list(weights.intents),
        "bias": list(weights.bias),
        "weights": {f: [list(p) for p in pairs] for f, pairs in sorted(weights.weights.items())},
    }


def save_weights(weights: IntentWeights, path: Path) -> None:
    """Write the weights compactly, one feature a line, so that diffs stay readable."""
    raw = to_json(weights)
    lines = [
        f"{json.dumps(feature)}: {json.dumps(pairs, separators=(',', ':'))}"
        for feature, pairs in raw["weights"].items()
    ]
    head = {k: raw[k] for k in ("stamp", "intents", "bias")}
    body = json.dumps(head, indent=1)[:-2] + ',\n "weights": {\n' + ",\n".join(lines) + "\n}}\n"
    path.write_text(body, encoding="utf-8")


def train(bags: Sequence[Bag]) -> IntentWeights:
    """Fit the regression to ``bags`` (numpy, a few seconds) and prune its small weights."""
    intents = tuple(sorted({intent for intent, _ in bags}))
    features = sorted({f for _, bag in bags for f in bag})
    coef, bias = _fit(_Problem.of(bags, intents, features))
    pruned: dict[str, tuple[tuple[int, float], ...]] = {}
    for row, feature in enumerate(features):
        pairs = tuple(
            (int(i), round(float(w), DIGITS))
            for i, w in enumerate(coef[row])
            if abs(w) >= PRUNE_BELOW
        )
        if pairs:
            pruned[feature] = pairs
    rounded = tuple(round(float(b), DIGITS) for b in bias)
    return IntentWeights(training_stamp(bags), intents, rounded, pruned)


@dataclass(frozen=True)
class _Problem:
    """The training data as sparse index arrays: nonzero ``k`` is feature ``cols[k]`` of
    sample ``rows[k]``; ``by_col`` orders the nonzeros by feature, ``col_starts`` marks each."""

    rows: Any
    cols: Any
    row_starts: Any
    by_col: Any
    col_starts: Any
    labels: Any
    samples: int
    features: int
    intents: int

    @classmethod
    def of(cls, bags: Sequence[Bag], intents: Sequence[str], features: Sequence[str]) -> _Problem:
        import numpy as np

        column = {f: i for i, f in enumerate(features)}
        label = {intent: i for i, intent in enumerate(intents)}
        rows: list[int] = []
        cols: list[int] = []
        for row, (_, bag) in enumerate(bags):
            for feature in sorted(bag):
                rows.append(row)
                cols.append(column[feature])
        row_array, col_array = np.array(rows), np.array(cols)
        by_col = np.argsort(col_array, kind="stable")
        counts_per_row = np.bincount(row_array, minlength=len(bags))
        counts_per_col = np.bincount(col_array, minlength=len(features))
        return cls(
            rows=row_array,
            cols=col_array,
            row_starts=np.concatenate(([0], np.cumsum(counts_per_row)[:-1])),
            by_col=by_col,
            col_starts=np.concatenate(([0], np.cumsum(counts_per_col)[:-1])),
            labels=np.array([label[intent] for intent, _ in bags]),
            samples=len(bags),
            features=len(features),
            intents=len(intents),
        )

    def scores(self, coef: _Array, bias: _Array) -> _Array:
        """Each sample's score per intent: the sum of its features' weights, plus the bias."""
        import numpy as np

        summed: _Array = np.add.reduceat(coef[self.cols], self.row_starts, axis=0)
        return summed + bias

    def feature_sums(self, per_sample: _Array) -> _Array:
        """For each feature, the sum of ``per_sample`` over the samples that have it."""
        import numpy as np

        spread = per_sample[self.rows[self.by_col]]
        summed: _Array = np.add.reduceat(spread, self.col_starts, axis=0)
        return summed


def _fit(problem: _Problem) -> tuple[_Array, _Array]:
    """Minimise ``C * log loss + |coef|^2 / 2`` (the bias unpenalised), as scikit-learn's
    LogisticRegression does, by L-BFGS; the objective is divided by ``samples``."""
    import numpy as np

    k, f = problem.intents, problem.features
    onehot = np.zeros((problem.samples, k))
    onehot[np.arange(problem.samples), problem.labels] = 1.0

    def objective(x: _Array) -> tuple[float, _Array]:
        coef, bias = x[: f * k].reshape(f, k), x[f * k :]
        z = problem.scores(coef, bias)
        z -= z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1, keepdims=True))
        probabilities = np.exp(z - log_norm)
        loss = -float((z - log_norm)[np.arange(problem.samples), problem.labels].sum())
        residual = probabilities - onehot
        grad_coef = problem.feature_sums(residual) + coef / L2_C
        grad = np.concatenate([grad_coef.ravel(), residual.sum(axis=0)])
        value = loss + 0.5 * float((coef * coef).sum()) / L2_C
        return value / problem.samples, grad / problem.samples

    return _split(_lbfgs(objective, np.zeros(f * k + k)), f, k)


def _split(x: _Array, f: int, k: int) -> tuple[_Array, _Array]:
    return x[: f * k].reshape(f, k), x[f * k :]


def _lbfgs(objective: Any, x: _Array) -> _Array:
    """Limited-memory BFGS with a backtracking (Armijo) line search; the problem is convex."""
    import numpy as np

    value, grad = objective(x)
    first = float(np.linalg.norm(grad)) or 1.0
    steps: list[tuple[_Array, _Array, float]] = []
    for _ in range(MAX_ITERATIONS):
        if float(np.linalg.norm(grad)) <= TOLERANCE * first:
            break
        direction = -_two_loop(grad, steps)
        slope = float(grad @ direction)
        if slope >= 0:
            direction, slope, steps = -grad, -float(grad @ grad), []
        step = 1.0 if steps else 1.0 / first
        while True:
            new_x = x + step * direction
            new_value, new_grad = objective(new_x)
            if new_value <= value + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = new_x - x, new_grad - grad
        sy = float(s @ y)
        if sy > 1e-12:
            steps = [*steps[-(MEMORY - 1) :], (s, y, 1.0 / sy)]
        x, value, grad = new_x, new_value, new_grad
    return x


def _two_loop(grad: _Array, steps: list[tuple[_Array, _Array, float]]) -> _Array:
    """The L-BFGS estimate of the inverse Hessian times ``grad``."""
    q = grad.copy()
    alphas: list[float] = []
    for s, y, rho in reversed(steps):
        alpha = rho * float(s @ q)
        alphas.append(alpha)
        q -= alpha * y
    if steps:
        s, y, _ = steps[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=True):
        beta = rho * float(y @ q)
        q += (alpha - beta) * s
    return q
