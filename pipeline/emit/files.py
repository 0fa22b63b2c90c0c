"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path, PurePosixPath


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write `data` to `path` through a temporary file and a rename; return False if unchanged.

    Skipping identical content keeps modification times stable, so incremental builds and
    `--check` see no change where there is none. The rename alone makes the write atomic for
    every reader and against a Ctrl-C or a kill; `durable` also syncs the bytes to disk before it,
    so a power cut cannot leave the file empty. That costs more than converting a small page, so
    a batch's derived outputs skip it: the next run rewrites a file a power cut left short.
    """
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
    return True


def output_path(out_dir: Path, relative: str, suffix: str) -> Path:
    """`OUT/<relative path without extension><suffix>`, never outside `out_dir`.

    Path parts that would climb out (`..`, absolute roots) are dropped.
    """
    parts = [
        p for p in PurePosixPath(relative.replace("\\", "/")).parts if p not in {"/", "..", "."}
    ]
    stem = PurePosixPath(*parts).with_suffix("") if parts else PurePosixPath("page")
    return out_dir.joinpath(*stem.parts).with_name(stem.name + suffix)
