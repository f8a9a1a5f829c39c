"""The engine is pure: no framework, no audio, nothing that does I/O or reads a clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SKILL = Path(__file__).parents[2] / "skill"
PURE_MODULES = ["engine.py", "state.py", "reply.py", "render.py", "intents.py"]
ALLOWED = {
    "__future__",
    "collections",
    "collections.abc",
    "dataclasses",
    "typing",
    "xml.sax.saxutils",
    "skill",
    "skill.content",
    "skill.intents",
    "skill.render",
    "skill.reply",
    "skill.state",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_only_pure_things(module: str) -> None:
    assert _imports(SKILL / module) <= ALLOWED


def test_loading_the_engine_loads_no_framework_or_audio() -> None:
    probe = (
        "import sys, skill.engine, skill.session, skill.text_mode;"
        "bad=[m for m in sys.modules if m.split('.')[0] in "
        "('flask','ask_sdk_core','ask_sdk_model','pyttsx3','pocketsphinx','sounddevice')];"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
