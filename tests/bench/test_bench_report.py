"""The one table ``python -m bench`` ends with, and how it picks sections: fast, nothing timed."""

from __future__ import annotations

import argparse
import re
import sys
import types

import pytest

from bench import __main__ as bench_main
from bench import load, understanding
from bench.report import Figure, format_table

FIGURES = [
    Figure("understanding", "intent accuracy, blind sets", "92.8 % of 290", ">= 95 %", False),
    Figure("understanding", "time per utterance", "0.55 ms", "< 5 ms", True),
    Figure("webservice", "signature check, warm certificate cache", "20 us", "", None),
    Figure("load", "errors", "0", "0", True),
]


def columns(separator: str) -> list[tuple[int, int]]:
    """Start and end of each column, from the row of dashes under the headings."""
    return [(match.start(), match.end()) for match in re.finditer(r"-+", separator)]


def test_the_table_has_a_title_headings_and_a_row_a_figure() -> None:
    lines = format_table(FIGURES, "all figures").splitlines()
    assert lines[0] == "all figures"
    assert lines[1].split() == ["section", "figure", "measured", "target", "met"]
    assert set(lines[2]) == {"-", " "}
    assert len(lines) == 3 + len(FIGURES)


def test_columns_are_aligned_and_cells_are_whole() -> None:
    lines = format_table(FIGURES).splitlines()
    spans = columns(lines[1])
    assert len(spans) == 5
    for line, figure in zip(lines[2:], FIGURES, strict=True):
        cells = [line[start:end].strip() for start, end in spans]
        assert cells[:3] == [figure.section, figure.name, figure.measured]
        for start, _ in spans[1:]:
            assert line[start - 2 : start] == "  ", f"columns run together in {line!r}"
    # each column is exactly as wide as its widest cell
    for column, (start, end) in enumerate(spans):
        assert max(len(line[start:end].rstrip()) for line in lines) == end - start, column


def test_met_is_yes_no_in_capitals_or_a_dash_where_there_is_no_target() -> None:
    lines = format_table(FIGURES).splitlines()
    start, _ = columns(lines[1])[4]
    assert [line[start:] for line in lines[2:]] == ["NO", "yes", "-", "yes"]
    target_start, target_end = columns(lines[1])[3]
    assert lines[4][target_start:target_end].strip() == "-"  # no target: a dash, not blank


def test_plain_text_only() -> None:
    table = format_table(FIGURES, "all figures")
    assert table.isascii()
    assert "\x1b" not in table
    assert all(line == line.rstrip() for line in table.splitlines())


def test_an_empty_list_still_prints_the_headings() -> None:
    assert format_table([]).splitlines()[0].split() == [
        "section",
        "figure",
        "measured",
        "target",
        "met",
    ]


def test_every_section_runs_by_default_in_order() -> None:
    every = ["understanding", "webservice", "load", "voice", "learned-voice"]
    assert list(bench_main.SECTIONS) == every
    assert bench_main.choose([]) == every


def test_sections_are_picked_by_name_in_the_order_given_each_once() -> None:
    assert bench_main.choose(["webservice", "understanding", "webservice"]) == [
        "webservice",
        "understanding",
    ]
    with pytest.raises(ValueError, match="unknown section speed"):
        bench_main.choose(["understanding", "speed"])


def fake_sections(ran: list[str]) -> dict[str, bench_main.Section]:
    def section(name: str, result: list[Figure] | None) -> bench_main.Section:
        def run() -> list[Figure] | None:
            ran.append(name)
            print(f"{name} details")
            return result

        return run

    def broken() -> list[Figure] | None:
        ran.append("broken")
        raise RuntimeError("no microphone")

    return {
        "understanding": section("understanding", FIGURES[:2]),
        "webservice": section("webservice", FIGURES[2:3]),
        "voice": section("voice", None),  # before voice returns its figures
        "broken": broken,
    }


def test_main_runs_only_the_named_sections_and_ends_with_one_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ran: list[str] = []
    status = bench_main.main(["webservice", "understanding"], fake_sections(ran))
    assert status == 0
    assert ran == ["webservice", "understanding"]
    out = capsys.readouterr().out
    assert out.index("webservice details") < out.index("understanding details")
    table = out[out.index(bench_main.TITLE) :].splitlines()
    assert out.count(bench_main.TITLE) == 1
    assert [line.split()[0] for line in table[3:]] == [
        "webservice",
        "understanding",
        "understanding",
    ]


def test_a_section_returning_none_gives_no_figures(capsys: pytest.CaptureFixture[str]) -> None:
    ran: list[str] = []
    assert bench_main.main(["voice", "webservice"], fake_sections(ran)) == 0
    out = capsys.readouterr().out
    table = out[out.index(bench_main.TITLE) :].splitlines()
    assert [line.split()[0] for line in table[3:-1]] == ["webservice"]
    assert table[-1] == "(no figures from: voice)"


def test_a_failing_section_is_a_row_and_the_others_still_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ran: list[str] = []
    assert bench_main.main(["broken", "webservice"], fake_sections(ran)) == 1
    assert ran == ["broken", "webservice"]
    captured = capsys.readouterr()
    assert "no microphone" in captured.err
    rows = [line.split() for line in captured.out.splitlines() if line.startswith("broken")]
    assert rows == [["broken", "the", "section", "failed", "RuntimeError", "-", "NO"]]


def test_an_unknown_section_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    ran: list[str] = []
    with pytest.raises(SystemExit) as exit_info:
        bench_main.main(["speed"], fake_sections(ran))
    assert exit_info.value.code == 2
    assert ran == []
    assert "unknown section speed" in capsys.readouterr().err


def test_a_section_imports_its_module_only_when_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []
    module = types.ModuleType("bench.fake")

    def main(*args: object) -> list[Figure]:
        calls.append(args)
        return FIGURES[:1]

    module.main = main  # type: ignore[attr-defined]
    section = bench_main._section("fake", [])
    assert calls == []
    monkeypatch.setitem(sys.modules, "bench.fake", module)
    assert section() == FIGURES[:1]
    assert calls == [([],)]  # load gets its default options, never the bench command line


def test_understanding_figures_come_from_one_measurement_blind_figure_first() -> None:
    def report(correct: int, examples: int) -> understanding.UnderstandingReport:
        return understanding.UnderstandingReport(examples, correct, 0.5, [])

    sets = [
        understanding.SetResult(name, 100, 10, 0, report(correct, 100), report(correct, 100))
        for name, correct in (("A", 99), ("B", 96), ("C", 90), ("D", 93))
    ]
    measured = understanding.Measurement(sets, first_answer_seconds=0.3)
    rows = understanding.figures(measured)  # given a measurement, it measures nothing
    assert [(f.name, f.measured, f.met) for f in rows[:5]] == [
        ("intent accuracy, blind sets B, D together", "94.5 % of 200", False),
        ("intent accuracy, set A (tuned on)", "99.0 % of 100", True),
        ("intent accuracy, set B (blind)", "96.0 % of 100", True),
        ("intent accuracy, set C (tuned on)", "90.0 % of 100", False),
        ("intent accuracy, set D (blind)", "93.0 % of 100", False),
    ]
    assert [(f.measured, f.target, f.met) for f in rows[5:]] == [
        ("0.50 ms", "< 5 ms", True),
        ("300 ms", "< 1000 ms", True),
    ]
    assert {f.section for f in rows} == {"understanding"}


def test_load_verdicts_are_judged_unrounded_and_shown_precisely_enough_to_read() -> None:
    def result(requests: int) -> load.Result:
        return load.Result("server", latencies=[0.001] * requests, seconds=1.0, server_cpu=0.5)

    # verified / unverified throughput: 627 / 700 = 0.896: short of 0.9, and shown so
    measured = load.Measurement(
        [result(1000), result(700), result(627)], argparse.Namespace(clients=8), "1"
    )
    rows = {f.name: f for f in load.figures(measured)}
    assert (
        rows["verified / unverified throughput"].measured,
        rows["verified / unverified throughput"].met,
    ) == ("0.896", False)
    assert rows["errors, all three servers"].met is True
    assert rows["guide / hello-world throughput (8 clients)"].measured == "0.700"
    assert rows["guide / hello-world throughput (8 clients)"].met is True
