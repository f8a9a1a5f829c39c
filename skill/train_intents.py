"""Train the intent regression of a locale and write its weights: ``python -m skill.train_intents``.

Run it after changing the interaction model, the language file or the features; a test fails
while the shipped weights are stale. ``--check`` only says whether they are fresh (exit 1 if not).
"""

from __future__ import annotations

import argparse
import sys

from skill import intent_weights
from skill.interaction_model import load_interaction_model
from skill.language import load_language
from skill.understanding import training_bags


def main(argv: list[str] | None = None) -> int:
    """Train and write the weights of ``--locale`` (or check them); the exit status."""
    parser = argparse.ArgumentParser(prog="python -m skill.train_intents", description=__doc__)
    parser.add_argument("--locale", default="en-US")
    parser.add_argument("--check", action="store_true", help="only check that they are fresh")
    args = parser.parse_args(argv)
    bags = training_bags(load_interaction_model(args.locale), load_language(args.locale))
    path = intent_weights.weights_path(args.locale)
    stamp = intent_weights.training_stamp(bags)
    if intent_weights.load_weights(path, stamp) is not None:
        print(f"{path.name}: fresh")
        return 0
    if args.check:
        print(f"{path.name}: stale; run: python -m skill.train_intents", file=sys.stderr)
        return 1
    intent_weights.save_weights(intent_weights.train(bags), path)
    print(f"{path.name}: written ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
