"""Publishing a build atomically: build beside site/, swap the finished folder in, one build at a time."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import IO

from govcases.pages.build import SiteOutput

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class PublishError(Exception):
    """A build that must not start, with a message for the person running it (Chinese)."""


class _Warnings(logging.Handler):
    """Counts warnings logged during the build: MkDocs' strict mode fails the build after on_post_build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class Publisher:
    """Builds go to a hidden folder next to `site`; only a complete build replaces `site`, in one step.

    The old and the new folder are exchanged with one rename (Linux renameat2 RENAME_EXCHANGE), so a build
    killed at any moment leaves either the previous complete site or the new one. A lock file next to `site`
    lets one build run at a time; the operating system releases it when the build ends, however it ends.
    """

    def __init__(self, site: Path) -> None:
        self.site = Path(os.path.abspath(site))
        self.lock_path = self.site.parent / f".{self.site.name}.lock"
        self.staging = self.site.parent / f".{self.site.name}.new-{os.getpid()}"
        self._lock: IO[str] | None = None
        self._warnings = _Warnings()

    def lock(self) -> None:
        """Take the lock before the build reads anything; PublishError when another build holds it."""
        self.site.parent.mkdir(parents=True, exist_ok=True)
        self._take_lock()

    def start(self) -> Path:
        """Clear what killed builds left behind and return the empty folder to build into (lock first)."""
        self._recover()
        self.staging.mkdir()
        logging.getLogger("mkdocs").addHandler(self._warnings)
        return self.staging

    def finish(self, strict: bool) -> None:
        """Put the finished build in place of `site` (unless strict mode will fail it), then unlock."""
        try:
            if strict and self._warnings.count:
                shutil.rmtree(self.staging, ignore_errors=True)
                return
            if not self.site.exists():
                os.rename(self.staging, self.site)
            elif _exchange(self.staging, self.site):
                shutil.rmtree(self.staging)  # now the previous site
            else:  # no atomic exchange here: two renames; _recover repairs a stop between them
                old = self.site.parent / f".{self.site.name}.old-{os.getpid()}"
                os.rename(self.site, old)
                os.rename(self.staging, self.site)
                shutil.rmtree(old)
        finally:
            self._release()

    def abandon(self) -> None:
        """A failed build: drop its folder, leave `site` as it was, unlock."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self._release()

    def _take_lock(self) -> None:
        handle = open(self.lock_path, "a+", encoding="utf-8")  # noqa: SIM115 (held until the build ends)
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "未知"
            handle.close()
            raise PublishError(
                f"{self.lock_path}：另一个构建（进程 {holder}）正在生成 {self.site.name}/，"
                "请等它结束后再运行；两个构建同时写入会让网站混杂两个版本。") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock = handle

    def _recover(self) -> None:
        """Folders a killed build left: unfinished builds are dropped; a site caught between two renames
        (systems without the atomic exchange) is put back."""
        for path in self.site.parent.glob(f".{self.site.name}.new-*"):
            shutil.rmtree(path, ignore_errors=True)
        for path in sorted(self.site.parent.glob(f".{self.site.name}.old-*")):
            if not self.site.exists():
                os.rename(path, self.site)
            else:
                shutil.rmtree(path, ignore_errors=True)

    def _release(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        if self._lock is not None:
            self._lock.close()  # closing releases the lock
            self._lock = None


def _lock(handle: IO[str]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ≥ 3.15); False where the system cannot."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system or kernel cannot exchange
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def page_destination(src: str, directory_urls: bool) -> str:
    """Where MkDocs writes a source file: `a/b.md` → `a/b/index.html`, `a/index.md` → `a/index.html`."""
    path = PurePosixPath(src)
    if path.suffix.lower() not in (".md", ".markdown"):
        return src
    prefix = "" if path.parent.as_posix() == "." else path.parent.as_posix() + "/"
    if path.stem in ("index", "README"):
        return f"{prefix}index.html"
    return f"{prefix}{path.stem}/index.html" if directory_urls else f"{prefix}{path.stem}.html"


def docs_clashes(docs_dir: Path, output: SiteOutput, directory_urls: bool, shown: str = "docs") -> list[str]:
    """Hand-written files in docs/ that would land where a generated page or file goes, as located messages;
    checked before the build cleans anything, so a clash never costs the published site."""
    generated: dict[str, str] = {page_destination(p, directory_urls): p for p in output.pages}
    generated.update({f: f for f in output.files})
    out = []
    if not docs_dir.is_dir():
        return out
    for path in sorted(docs_dir.rglob("*")):
        if not path.is_file():
            continue
        src = path.relative_to(docs_dir).as_posix()
        dest = page_destination(src, directory_urls)
        if dest in generated:
            out.append(f"{shown}/{src}：与生成的{'页面' if generated[dest].endswith('.md') else '文件'} "
                       f"{generated[dest]} 占用同一个网址（{dest}），请删除或改名 {shown}/{src}；"
                       "这些页面由 cases/ 和 templates/ 中的记录生成。")
    return out
