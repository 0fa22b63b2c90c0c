"""Byte records spooled to an unnamed temporary file: what grows with a batch waits on disk."""

from __future__ import annotations

import os
import struct
import tempfile
from typing import IO, TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

# A spooled record's head: its length, and its flag.
_RECORD: Final = struct.Struct(">I?")


class Spool:
    """Byte records in an unnamed temporary file, each with a flag, read back in order.

    What grows with a batch (its pages waiting their turn, their report rows and preview summaries)
    waits here rather than in memory. Each reading keeps its own place, so two can go side by side.
    """

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the spool
        # Whether the file's position is its end; a seek flushes the write buffer, so appends in a
        # row skip it and go out together.
        self._at_end = True

    def append(self, record: bytes, *, flag: bool = False) -> None:
        """Add a record after the last one."""
        if not self._at_end:
            self._file.seek(0, os.SEEK_END)
            self._at_end = True
        self._file.write(_RECORD.pack(len(record), flag) + record)

    def __iter__(self) -> Iterator[tuple[bool, bytes]]:
        """Each record with its flag, in the order they were added."""
        position = 0
        while True:
            self._at_end = False
            self._file.seek(position)
            head = self._file.read(_RECORD.size)
            if len(head) < _RECORD.size:
                return
            size, flag = _RECORD.unpack(head)
            yield flag, self._file.read(size)
            position += _RECORD.size + size
