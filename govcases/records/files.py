"""Which files of a folder are records, and the located message for every state a file system can be in."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from govcases.paths import CASES_DIR, TAXONOMY_FILE
from govcases.records.errors import FOLDER, Problem, os_error

RECORD_SUFFIXES = (".yaml", ".yml")


def not_a_file(mode: int) -> str:
    """Why a path that is not a regular file cannot be a record."""
    if stat.S_ISDIR(mode):
        return FOLDER
    kind = "命名管道（FIFO）" if stat.S_ISFIFO(mode) else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
        else "特殊文件"
    return f"是{kind}，不是记录文件；请删除它，或把它移出这个目录"


def shown_path(path: Path) -> str:
    """The path as the user should see it: relative to the working directory when possible, with '/'."""
    try:
        return path.absolute().relative_to(Path.cwd().absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def is_skipped(name: str) -> bool:
    """Files that are not records by name: '_' marks the vocabulary and notes, '.' hidden and editor files
    (Emacs keeps a lock link `.#x.yaml` beside a file being edited)."""
    return name.startswith(("_", "."))


def record_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The record files directly in `folder`, sorted, and a problem for each entry that looks like a record
    but cannot be read as one: an upper-case extension, a folder, a FIFO or device, a dangling or looping
    link. Nothing is opened here, so a FIFO cannot make this wait."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return [], [Problem(shown_path(folder), 0, 0, "", os_error(exc))]
    files: list[Path] = []
    problems: list[Problem] = []
    for entry in entries:
        name = entry.name
        suffix = os.path.splitext(name)[1]
        if is_skipped(name) or suffix.lower() not in RECORD_SUFFIXES:
            continue
        path = folder / name
        if suffix not in RECORD_SUFFIXES:
            message = f"扩展名 '{suffix}' 须为小写，否则不会被读取；请把文件改名为 {path.stem}{suffix.lower()}"
            problems.append(Problem(shown_path(path), 0, 0, "", message))
            continue
        try:
            mode = os.stat(path).st_mode  # follows links: what matters is what the link points at
        except OSError as exc:
            problems.append(Problem(shown_path(path), 0, 0, "", os_error(exc)))
            continue
        if not stat.S_ISREG(mode):
            problems.append(Problem(shown_path(path), 0, 0, "", not_a_file(mode)))
            continue
        files.append(path)
    return files, problems


def project_problem(root: Path) -> Problem | None:
    """Why `root` is not a project folder (no cases/_taxonomy.yaml), said once for every command."""
    if (root / CASES_DIR / TAXONOMY_FILE).exists() or (root / CASES_DIR / TAXONOMY_FILE).is_symlink():
        return None
    return Problem(shown_path(root / CASES_DIR / TAXONOMY_FILE), 0, 0, "", (
        f"找不到案例库：{root.absolute().as_posix()} 及其上级目录都没有 cases/_taxonomy.yaml；"
        "请先进入项目目录（含 cases/ 的目录）再运行，或用 --root 指定项目目录"))


def no_cases_problem(root: Path) -> Problem:
    """The message for a project without a single case record."""
    return Problem(shown_path(root / CASES_DIR), 0, 0, "", (
        "还没有任何案例记录（cases/ 下没有 .yaml 文件）；请用 govcases new <id> 新建一个，填写后再运行"))


def file_problems(root: Path) -> list[Problem]:
    """What stops any command before a record is read: no project, files that cannot be records, no cases."""
    if (missing := project_problem(root)) is not None:
        return [missing]
    files, problems = record_files(root / CASES_DIR)
    return problems if files or problems else [no_cases_problem(root)]
