"""The corpus of broken workbooks (tests/data/make_bad_workbooks.py): `wfm validate` prints each
case's exact problem lines, exits with its exit code, and never shows a traceback."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from cli import main
from inputs.domain import InputError
from inputs.workbook import read_workbook


def _corpus() -> ModuleType:
    path = Path(__file__).parents[1] / "data" / "make_bad_workbooks.py"
    spec = importlib.util.spec_from_file_location("make_bad_workbooks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


CORPUS = _corpus()
CASES = {case.name: case for case in CORPUS.CASES}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bad-workbooks")
    CORPUS.write_corpus(target)
    return target


def test_the_corpus_is_large_and_names_are_unique() -> None:
    assert len(CASES) == len(CORPUS.CASES) >= 25


@pytest.mark.parametrize("name", sorted(CASES))
def test_reader_reports_exactly_the_expected_problems(folder: Path, name: str) -> None:
    with pytest.raises(InputError) as caught:
        read_workbook(folder / name)
    assert caught.value.problems == list(CASES[name].expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_wfm_validate_prints_each_problem_and_exits_with_the_case_code(
    folder: Path, name: str
) -> None:
    result = CliRunner().invoke(main, ["validate", "--workbook", str(folder / name)])
    assert result.exit_code == CASES[name].exit_code
    assert result.output.splitlines() == [f"error: {line}" for line in CASES[name].expected]
    assert "Traceback" not in result.output
