"""Worker processes over a stream of pages: a bounded window in flight, results in input order.

`convert` and `inject` both run their pages here, so neither holds more than a few chunks of work
however many pages a batch or site has, and output order never depends on which worker is first.
"""

from __future__ import annotations

import itertools
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Iterator

# Below this many pages a process pool's start-up costs more than it saves (bench/run.py).
MIN_POOL_PAGES: Final = 16
# Pages per task sent to a worker: amortises the round trip and still returns results early.
POOL_CHUNK_PAGES: Final = 8
# Tasks queued per worker: keeps workers busy while results are written, and bounds memory,
# since a result waiting in the parent holds some 36 KB (a page's document, analysis and graph).
POOL_CHUNKS_AHEAD: Final = 2

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


def ordered_map(
    task: Callable[[list[Item]], list[Outcome]], items: Iterable[Item], *, jobs: int
) -> Generator[Outcome, None, None]:
    """`task` on chunks of `items` in `jobs` processes; each item's outcome, in input order.

    Only `jobs * POOL_CHUNKS_AHEAD` chunks are in flight at a time; closing the iterator early
    cancels the chunks not yet started and waits for the workers to exit.
    """
    chunks = _chunks(iter(items), POOL_CHUNK_PAGES)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        ahead = itertools.islice(chunks, jobs * POOL_CHUNKS_AHEAD)
        pending = deque(pool.submit(task, chunk) for chunk in ahead)
        try:
            while pending:
                outcomes = pending.popleft().result()
                following = next(chunks, None)
                if following is not None:
                    pending.append(pool.submit(task, following))
                yield from outcomes
        finally:
            for future in pending:
                future.cancel()


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk
