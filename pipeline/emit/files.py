"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

# A new file's mode, whatever the umask: outputs are for a web server and other tools to read.
_NEW_FILE_MODE: Final = 0o644
_NEW_FILE_FLAGS: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
# Numbers temporary files per process; with the process id it keeps their names apart.
_TEMPORARY_COUNT: Final = itertools.count()


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write `data` to `path` through a temporary file and a rename; return False if unchanged.

    Skipping identical content keeps modification times stable, so incremental builds and
    `--check` see no change where there is none. The rename alone makes the write atomic for
    every reader and against a Ctrl-C or a kill; `durable` also syncs the bytes to disk before it,
    so a power cut cannot leave the file empty. That costs more than converting a small page, so
    a batch's derived outputs skip it: the next run rewrites a file a power cut left short.
    A batch writes three files a page, so this goes by file descriptor, with no file object.
    """
    try:
        with open(path, "rb") as old:  # noqa: PTH123 - the mode is read from the same handle
            if old.read() == data:
                return False
            mode = os.fstat(old.fileno()).st_mode & 0o777
    except FileNotFoundError:
        mode = _NEW_FILE_MODE
    except OSError:
        mode = _mode_of(path)
    handle, temporary = temporary_beside(path)
    try:
        try:
            written = 0
            while written < len(data):
                written += os.write(handle, data[written:])
            os.fchmod(handle, mode)
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return True


def temporary_beside(path: Path) -> tuple[int, Path]:
    """Open a new temporary file in `path`'s folder, made first if missing; return it and its path.

    The folder is made only when the file cannot be opened without it: a batch writes many files
    to each folder, and a check before each would cost them all a system call or two. Where the
    folder cannot be made (a file holds its name), making it raises the error that names it. The
    name holds the process id and a count, so no two writers share one; one left by a killed run
    is stepped over.
    """
    try:
        return _open_new(path)
    except (FileNotFoundError, NotADirectoryError):
        path.parent.mkdir(parents=True, exist_ok=True)
        return _open_new(path)


def _open_new(path: Path) -> tuple[int, Path]:
    while True:
        name = path.with_name(f".{path.name}.{os.getpid()}-{next(_TEMPORARY_COUNT)}.tmp")
        try:
            return os.open(name, _NEW_FILE_FLAGS, 0o600), name
        except FileExistsError:
            continue


def replace_keeping_mode(temporary: Path, path: Path) -> None:
    """Rename a written temporary file to `path`, with the mode of the file it replaces, if any."""
    temporary.chmod(_mode_of(path))
    temporary.replace(path)


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return _NEW_FILE_MODE


def output_name(relative: str, suffix: str) -> str:
    """`<relative path without extension><suffix>`, with `/` separators, never climbing out.

    Path parts that would climb out (`..`, roots) are dropped; the name is worked out on the
    string, since a batch asks for a few per page.
    """
    parts = [p for p in relative.replace("\\", "/").split("/") if p not in {"", ".", ".."}]
    if not parts:
        return f"page{suffix}"
    name = parts[-1]
    dot = name.rfind(".")  # the extension, as `PurePath.suffix` sees it
    parts[-1] = (name[:dot] if 0 < dot < len(name) - 1 else name) + suffix
    return "/".join(parts)


def write_atomic_parts(path: Path, parts: Iterable[bytes]) -> str:
    """Write `parts` to `path` through a temporary file and a rename; return their SHA-256.

    As `write_atomic`, but a part at a time, for files that grow with the batch; a file that
    already holds these bytes is left alone, so its modification time stays.
    """
    handle, temporary = temporary_beside(path)
    digest = hashlib.sha256()
    try:
        with os.fdopen(handle, "wb") as stream:
            for part in parts:
                digest.update(part)
                stream.write(part)
            stream.flush()
            os.fsync(stream.fileno())
            size = stream.tell()
        if _holds(path, size, digest.hexdigest()):
            temporary.unlink()
        else:
            replace_keeping_mode(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return digest.hexdigest()


def _holds(path: Path, size: int, digest: str) -> bool:
    """Whether a file holds bytes of this size and SHA-256, read a chunk at a time."""
    try:
        if path.stat().st_size != size:
            return False
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest() == digest
    except OSError:
        return False
