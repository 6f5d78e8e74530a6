"""Output that never crashes (narrow encodings, closed pipes, failed writes) and caches that are checked."""

from __future__ import annotations

import errno
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import REPO

from govcases.cli import main
from govcases.records.errors import os_error

ANJIA = "cases/sichuan-luojiang-anjia-points.yaml"


def value_line(proj: Path) -> int:
    """The line of the first figure's value in the Anjia record (the fixture changes as the schema grows)."""
    return (proj / ANJIA).read_text("utf-8").splitlines().index("    value: 978") + 1


def cli(cwd: Path, *argv: str, **env: str) -> subprocess.Popen[bytes]:
    full = {**os.environ, "PYTHONPATH": str(REPO), "GOVCASES_CACHE_DIR": str(cwd / ".cache"), **env}
    return subprocess.Popen([sys.executable, "-m", "govcases.cli", *argv], cwd=cwd, env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# ---- output -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "gbk"])
def test_narrow_terminal_encodings(proj: Path, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    def streams() -> tuple[io.TextIOWrapper, io.TextIOWrapper]:
        out, err = io.TextIOWrapper(io.BytesIO(), encoding), io.TextIOWrapper(io.BytesIO(), encoding)
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        return out, err

    def text(stream: io.TextIOWrapper) -> str:
        stream.flush()
        return stream.buffer.getvalue().decode(encoding)  # type: ignore[attr-defined]

    def q(s: str) -> str:  # what the terminal can show
        return s.encode(encoding, "replace").decode(encoding)

    out, _ = streams()
    assert main(["search", "积分制", "--limit", "1"]) == 0  # while the records are valid
    assert text(out).splitlines()[0] == q("共 1 个案例与“积分制”相关，按相关度排列如下：")
    line = value_line(proj)
    (proj / ANJIA).write_text((proj / ANJIA).read_text("utf-8").replace("value: 978", "value: 约978𠮷"), "utf-8")
    out, _ = streams()
    assert main(["new", "abc-def"]) == 0
    assert text(out) == q("已新建 cases/abc-def.yaml：按注释填写后运行 govcases validate cases/abc-def.yaml\n")
    out, err = streams()
    assert main(["validate"]) == 1
    lines = text(out).splitlines()
    title = [line for line in lines if line.startswith("cases/abc-def.yaml:") and q(": title：") in line]
    assert len(title) == 1 and title[0].endswith(q(" 还没有填写；请换成来源里的真实内容，不适用的可选字段整行删掉"))
    assert ("【" in title[0]) == (encoding == "gbk")  # the skeleton's 【…】, or '?' where ASCII lacks them
    # 𠮷 is not in GBK
    assert q(f"{ANJIA}:{line}:12: figures[0].value：应为数字，现为“约978𠮷”；“约”“余”等字写在 qualifier，"
             "或只写 written: 约978𠮷") in lines
    out, err = streams()
    assert main(["search", "积分"]) == 1
    assert text(err).splitlines()[-1] == q("案例记录有错误，无法建立检索索引；请先修正（govcases validate）。")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert q("善治案例库") in text(out)


def test_narrow_terminal_in_a_real_process(proj: Path) -> None:
    p = cli(proj, "validate", "no-such.yaml", PYTHONIOENCODING="ascii", LANG="C", LC_ALL="C")
    message = ("no-such.yaml: 没有这个文件或文件夹；请检查路径和文件名（可用 Tab 键补全）\n"
               "校验失败：1 个错误，涉及 1 个文件\n")
    assert p.communicate(timeout=60) == (message.encode("ascii", "replace"), b"")
    assert p.returncode == 1


def test_new_leaves_nothing_when_writing_fails(proj: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import govcases.pages.render as render

    monkeypatch.setattr(render, "render", lambda *a, **k: "title: \ud800\n")  # cannot be encoded
    with pytest.raises(UnicodeEncodeError):
        main(["new", "abc-def"])
    assert not (proj / "cases" / "abc-def.yaml").exists()


def test_closed_pipe_keeps_the_exit_code(proj: Path) -> None:
    # Thousands of problems: far more than a pipe holds, so the writer meets the closed pipe.
    (proj / ANJIA).write_text((proj / ANJIA).read_text("utf-8").replace(
        "keywords: [", "keywords: [" + '"\\x01", ' * 3000), "utf-8")
    p = cli(proj, "validate")
    assert p.stdout is not None
    first = p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read() if p.stderr else b""
    assert (p.wait(timeout=60), first.decode().split(":")[0], err) == (1, ANJIA, b"")


def test_closed_pipe_in_process(proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed:
        encoding = "utf-8"

        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["validate", "cases"]) == 0
    (proj / ANJIA).write_text("title: [\n", "utf-8")
    assert main(["validate", "cases"]) == 1


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("no/such/dir/s.json", "所在的文件夹不存在；请先建立文件夹，或换一个路径"),
        ("/dev/full", "磁盘已满，无法写入；请腾出空间后重试"),
        ("x" * 300 + ".json", "文件名太长；请改用较短的名字"),
        (".", "这是一个文件夹；请给出文件名，如 case.schema.json"),
    ],
)
def test_schema_output_errors_are_messages(proj: Path, capsys: pytest.CaptureFixture[str], target: str,
                                           reason: str) -> None:
    assert main(["schema", "-o", target]) == 1
    assert capsys.readouterr() == ("", f"{target}: 无法写入：{reason}\n")


@pytest.mark.parametrize(
    ("error", "reading", "writing"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file"),
         "无法读取：文件不存在（若是链接，它指向的文件已不在）；请恢复它，或删除这个链接",
         "无法写入：所在的文件夹不存在；请先建立文件夹，或换一个路径"),
        (PermissionError(errno.EACCES, "Permission denied"), "无法读取：没有读取权限；请检查文件权限（如 chmod a+r）",
         "无法写入：没有写入权限；请换一个位置，或检查权限"),
        (OSError(errno.ENAMETOOLONG, "File name too long"), "无法读取：文件名太长；请改用较短的名字",
         "无法写入：文件名太长；请改用较短的名字"),
        (OSError(errno.ENOSPC, "No space left on device"),
         "无法读取：No space left on device（系统提示）；请检查这个文件能否用记事本打开",
         "无法写入：磁盘已满，无法写入；请腾出空间后重试"),
        (OSError(errno.ELOOP, "Too many levels of symbolic links"),
         "无法读取：是一个循环的链接（链接指向自己）；请删除它，或让它指向真实的文件",
         "无法写入：Too many levels of symbolic links（系统提示）；请检查路径、权限和磁盘空间"),
        (OSError("no number"), "无法读取：no number（系统提示）；请检查这个文件能否用记事本打开",
         "无法写入：no number（系统提示）；请检查路径、权限和磁盘空间"),
    ],
)
def test_one_set_of_words_for_files_that_cannot_be_read_or_written(error: OSError, reading: str,
                                                                   writing: str) -> None:
    # The record loader reads, the command line writes: both say it with govcases.records.errors.os_error.
    assert (os_error(error), os_error(error, writing=True)) == (reading, writing)


def test_new_with_a_long_id(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "a" * 300]) == 2
    assert capsys.readouterr().err == (f"无效的案例 id '{'a' * 100}'：只能用小写英文字母、数字和连字符，"
                                       "最多 80 个字符，如 sichuan-luojiang-anjia-points\n")


# ---- caches -----------------------------------------------------------------------------------------


def test_damaged_file_entries_are_made_again(proj: Path) -> None:
    from govcases.cache import cached
    from govcases.paths import cache_root

    made: list[bytes] = []

    def make() -> bytes:
        made.append(b"PK\x03\x04 a whole document")
        return made[-1]

    assert cached("docx", "k", make) == b"PK\x03\x04 a whole document"
    assert cached("docx", "k", make) == b"PK\x03\x04 a whole document" and len(made) == 1
    entry = cache_root() / "files" / "docx" / "k"
    entry.write_bytes(entry.read_bytes()[:10])  # truncated, as by a full disk or a killed build
    assert cached("docx", "k", make) == b"PK\x03\x04 a whole document" and len(made) == 2
    entry.write_bytes(b"")
    assert cached("docx", "k", make) == b"PK\x03\x04 a whole document" and len(made) == 3


def test_damaged_table_is_started_afresh(proj: Path) -> None:
    from govcases.cache import Table
    from govcases.paths import cache_root

    table = Table("words", "1")
    assert table.get("a", lambda: [1, 2]) == [1, 2]
    table.save()
    path = cache_root() / "tables" / "words.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)  # a header and garbage
    table = Table("words", "1")
    assert table.db is not None
    assert table.get("a", lambda: [3]) == [3] and table.made == 1
    table.db.execute("INSERT OR REPLACE INTO entries VALUES ('b', '{not json')")
    assert table.get("b", lambda: "made again") == "made again"
    table.save()


def test_jieba_caches_are_private_and_checked(proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    from govcases.paths import cache_root
    from govcases.search.analysis import Analyzer

    folder = cache_root() / "jieba"
    folder.mkdir(parents=True)
    (folder / "jieba.cache").write_bytes(b"\x00 not written by jieba")  # no seal beside it: never loaded
    seen: list[tuple[str, bool]] = []

    def initialize(self: jieba.Tokenizer, dictionary: object = None) -> None:  # jieba's, without its 2 s
        cache = Path(self.tmp_dir) / "jieba.cache"
        seen.append((self.tmp_dir, cache.exists()))
        if not cache.exists():
            cache.write_bytes(b"as jieba dumps it")
        self.FREQ, self.total, self.initialized = {"积分": 5}, 5, True

    monkeypatch.setattr(jieba.Tokenizer, "initialize", initialize)
    assert Analyzer().jieba.initialized and Analyzer().jieba.initialized
    assert seen == [(str(folder), False), (str(folder), True)]  # the planted file went; jieba's own stays
    (folder / "jieba.cache").write_bytes(b"changed later")
    assert Analyzer().jieba.initialized
    assert seen[-1] == (str(folder), False)

    analyzer = Analyzer()
    analyzer.write_table()
    with sqlite3.connect(analyzer.table_path()) as db:
        db.execute("DROP TABLE meta")
    db.close()
    assert Analyzer().segment("积分") == ["积分"]  # the damaged lookup table is written again
    fresh = Analyzer()
    assert fresh.segment("积分") == ["积分"] and fresh._table is not None


def _small_table(path: Path, settled: bool = True) -> None:
    """A lookup table of three words; `settled`: last written an hour ago, as a table in use for a while."""
    from govcases.search.freqtable import FreqTable

    FreqTable.write(path, SimpleNamespace(FREQ={"积分": 5, "积": 2, "分": 3}, total=10))
    if settled:
        old = time.time_ns() - 3600 * 10**9
        os.utime(path, ns=(old, old))


def _integrity_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The integrity checks run on SQLite files opened from now on."""
    seen: list[str] = []
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.set_trace_callback(lambda sql: seen.append(sql) if "quick_check" in sql else None)
        return db

    monkeypatch.setattr(sqlite3, "connect", traced)
    return seen


def test_lookup_table_is_checked_once_per_version(proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govcases.paths import cache_root
    from govcases.search.freqtable import FreqTable, marker_path

    path = cache_root() / "jieba" / "t.sqlite"
    _small_table(path)
    checks = _integrity_checks(monkeypatch)
    for _ in range(3):
        table = FreqTable(path)
        assert (table.total, table.longest) == (10, 2)
        table.db.close()
    assert len(checks) == 1  # later starts trust the marker the first check left
    marker_path(path).write_text("damaged", "ascii")
    FreqTable(path).db.close()
    assert len(checks) == 2

    _small_table(path, settled=False)  # just written: a change in the same clock tick would keep its times
    FreqTable(path).db.close()
    FreqTable(path).db.close()
    assert len(checks) == 4 and not marker_path(path).exists()


def test_lookup_table_changed_after_a_good_check(proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govcases.paths import cache_root
    from govcases.search.freqtable import FreqTable

    path = cache_root() / "jieba" / "t.sqlite"
    _small_table(path)
    FreqTable(path).db.close()  # checked and found whole
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the words' page overwritten in place: same size, same file
    path.write_bytes(bytes(data))
    with pytest.raises(sqlite3.DatabaseError):
        FreqTable(path)


    import jieba

    from govcases.search.analysis import Analyzer

    def initialize(self: jieba.Tokenizer, dictionary: object = None) -> None:  # jieba's, without its 2 s
        self.FREQ, self.total, self.initialized = {"积分": 5, "积": 2, "分": 3}, 10, True

    monkeypatch.setattr(jieba.Tokenizer, "initialize", initialize)
    analyzer = Analyzer()
    analyzer.write_table()
    path = analyzer.table_path()
    os.utime(path, ns=(time.time_ns() - 3600 * 10**9,) * 2)
    assert Analyzer().segment("积分") == ["积分"]  # checked and found whole
    path.write_bytes(path.read_bytes()[:4096] + b"\xff" * 4096 + path.read_bytes()[8192:])
    fresh = Analyzer()
    assert fresh.segment("积分") == ["积分"] and fresh._table is None  # cut with jieba, the table written again
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)
    db.close()
