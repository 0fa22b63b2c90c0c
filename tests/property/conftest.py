"""Hypothesis profiles: `ci` (default) is small and fast, `long` hunts; set HYPOTHESIS_PROFILE.

HYPOTHESIS_PROFILE=long python -m pytest tests/property -q
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Pages run the whole pipeline, so an example takes milliseconds, not microseconds: no deadline,
# and generating long pages is expected to be slow.
_COMMON = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", _COMMON, max_examples=40, derandomize=True)
settings.register_profile("dev", _COMMON, max_examples=100)
settings.register_profile("long", _COMMON, max_examples=2_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
