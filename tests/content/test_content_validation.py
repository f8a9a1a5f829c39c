"""Loading content fails loudly, naming the file and the field, for every kind of mistake."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from skill.content import ContentError, content_path, load_content, parse_content

CASES = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "content_broken_cases.json").read_text()
)


def _broken(case: dict[str, Any]) -> Any:
    raw = json.loads(content_path("en-US").read_text())
    if "replace" in case:
        return case["replace"]
    target = copy.deepcopy(raw)
    node = target
    path = case.get("set") or case["delete"]
    for key in path[:-1]:
        node = node[key]
    if "set" in case:
        node[path[-1]] = case["value"]
    else:
        del node[path[-1]]
    return target


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_a_broken_content_file_is_refused_naming_file_and_field(case: dict[str, Any]) -> None:
    file = content_path("en-US")
    with pytest.raises(ContentError) as error:
        parse_content(_broken(case), file)
    message = str(error.value)
    assert message.startswith(f"{file}: ")
    assert case["error"] in message


def test_the_unbroken_file_loads(tmp_path: Path) -> None:
    assert parse_content(json.loads(content_path("en-US").read_text()), content_path("en-US"))


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    broken = tmp_path / "xx-XX.json"
    broken.write_text('{\n  "locale": "xx-XX",\n  oops\n}')
    shutil.copy(content_path("en-US").parent / "article.txt", tmp_path / "article.txt")
    with pytest.raises(ContentError, match=r"xx-XX\.json: line 3: not valid JSON"):
        load_content("xx-XX", broken)


def test_a_missing_locale_is_named() -> None:
    with pytest.raises(ContentError, match="no content file for locale 'zz-ZZ'"):
        load_content("zz-ZZ")
