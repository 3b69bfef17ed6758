"""Write a plan folder atomically: a reader sees the previous folder or the new one, never half.

Everything is built in a hidden temporary sibling of the target, then renamed into place. An
existing target is replaced only when it is a previous wfm plan folder (it holds
``summary.json``) or is empty; anything else is refused before a single file is written.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from inputs.domain import InputError
from inputs.writer import cannot_write

PLAN_MARKER = "summary.json"  # the file that makes a folder a wfm plan folder
_NOT_A_PLAN = "out_dir exists and is not a wfm plan folder — choose another --out or remove it"


def check_out_dir(out_dir: Path) -> None:
    """Refuse a target that exists and is neither empty nor a previous wfm plan folder.

    Args:
        out_dir: the folder the plan will be written to.

    Raises:
        InputError: `out_dir` is a file, a symbolic link, or a folder holding something other
            than a wfm plan.
    """
    if not os.path.lexists(out_dir):
        return
    if out_dir.is_symlink() or not out_dir.is_dir() or not _is_replaceable(out_dir):
        raise InputError(f"{out_dir}: {_NOT_A_PLAN}")


def _is_replaceable(folder: Path) -> bool:
    """A folder may be replaced when it is empty or holds a previous plan's summary.json."""
    if (folder / PLAN_MARKER).is_file():
        return True
    return next(folder.iterdir(), None) is None


def write_folder_atomically(out_dir: Path, build: Callable[[Path], None]) -> Path:
    """Build a folder with `build` and move it into place as one step: all files or none.

    `build` receives an empty temporary folder (``.<name>.tmp-<random>`` next to `out_dir`) and
    fills it. On success the folder is renamed to `out_dir` (swapping out a previous plan
    folder); on any exception the temporary folder is removed and the exception re-raised, and
    `out_dir` is left exactly as it was.

    Args:
        out_dir: where the finished folder must end up.
        build: writes every file into the folder it is given.

    Returns:
        `out_dir`.

    Raises:
        InputError: `out_dir` exists and is not a wfm plan folder (checked before building),
            or the system refuses to write there (no permission, disk full).
    """
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = _make_sibling(out_dir, "tmp")
    except OSError as error:
        raise cannot_write(out_dir, error) from None
    try:
        build(tmp)
        _move_into_place(tmp, out_dir)
    except OSError as error:
        shutil.rmtree(tmp, ignore_errors=True)
        raise cannot_write(out_dir, error) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _make_sibling(out_dir: Path, kind: str) -> Path:
    """Create a new hidden folder next to `out_dir` with a random suffix (honours the umask)."""
    while True:
        candidate = out_dir.parent / f".{out_dir.name}.{kind}-{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate


def _move_into_place(tmp: Path, out_dir: Path) -> None:
    """Rename `tmp` to `out_dir`; an existing plan folder is moved aside, then deleted."""
    check_out_dir(out_dir)  # again: something may have appeared while we were writing
    if not os.path.lexists(out_dir):
        os.rename(tmp, out_dir)
        return
    backup = out_dir.parent / f".{out_dir.name}.old-{secrets.token_hex(4)}"
    os.rename(out_dir, backup)
    try:
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(backup, out_dir)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def copy_inputs(files: Mapping[str, Path], dest: Path) -> None:
    """Copy the files a plan was made from, so anyone can re-run or check the plan.

    Args:
        files: file name in the plan folder -> the source file (e.g. the workbook, the history).
        dest: the plan's ``inputs/`` folder; created even when there is nothing to copy.

    Raises:
        InputError: a source file no longer exists.
        ValueError: a name is not a plain file name (it would escape the ``inputs/`` folder).
    """
    dest.mkdir()
    problems = []
    for name, source in files.items():
        if Path(name).name != name or name in ("", ".", ".."):
            raise ValueError(f"plan input name {name!r} must be a plain file name")
        if not Path(source).is_file():
            problems.append(f"{source}: input file {name!r} is gone — put it back and re-run")
            continue
        shutil.copy2(source, dest / name)
    if problems:
        raise InputError(problems)
