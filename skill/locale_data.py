"""Reading a locale's data file: JSON whose every fault is named by file and field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar


def read_locale_json(file: Path, kind: str, locale: str, error: type[ValueError]) -> Any:
    """The parsed JSON of ``file``, the ``kind`` file ("content", "language") of ``locale``;
    ``error`` (naming the file) if it is missing or not JSON."""
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as problem:
        raise error(f"{file}: no {kind} file for locale {locale!r}") from problem
    except json.JSONDecodeError as problem:
        raise error(f"{file}: line {problem.lineno}: not valid JSON: {problem.msg}") from problem


@dataclass(frozen=True)
class Where:
    """Type checks that name the file and field of whatever is wrong; a subclass names the
    error raised."""

    error: ClassVar[type[ValueError]] = ValueError
    file: Path

    def fail(self, field: str, problem: str) -> ValueError:
        """The error to raise for ``field`` of this file."""
        return self.error(f"{self.file}: {field or 'top level'}: {problem}")

    def mapping(self, value: Any, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, "must be an object")
        return value

    def sequence(self, value: Any, field: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(field, "must be a list")
        return value

    def text(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "must be a non-empty string")
        return value
