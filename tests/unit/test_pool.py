"""The worker pool keeps input order and takes only a bounded window of a long stream."""

from __future__ import annotations

import itertools
import os
import time

from pipeline.pool import POOL_CHUNK_PAGES, POOL_CHUNKS_AHEAD, ordered_map


def _slow_when_even(chunk: list[int]) -> list[tuple[int, int]]:
    """Chunks finish out of order: an even item waits, so later chunks overtake it."""
    if chunk[0] % 2 == 0:
        time.sleep(0.02)
    return [(item, os.getpid()) for item in chunk]


def test_outcomes_come_back_in_input_order_from_several_workers() -> None:
    outcomes = list(ordered_map(_slow_when_even, range(100), jobs=2))

    assert [item for item, _ in outcomes] == list(range(100))
    assert len({pid for _, pid in outcomes} - {os.getpid()}) == 2


def test_a_long_stream_is_taken_a_window_at_a_time() -> None:
    taken = itertools.count()
    stream = (next(taken) for _ in range(10_000))

    results = ordered_map(_slow_when_even, stream, jobs=2)
    first = [next(results) for _ in range(3)]
    results.close()

    assert [item for item, _ in first] == [0, 1, 2]
    assert next(taken) <= (2 * POOL_CHUNKS_AHEAD + 1) * POOL_CHUNK_PAGES
