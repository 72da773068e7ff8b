"""The warm pool on each real backend: hits, one use per sandbox, dead and aged sandboxes replaced,
nothing left when it closes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from grader.sandboxes import make_sandbox
from grader.settings import Settings
from sandbox.base import SandboxProfile
from sandbox.pool import SandboxPool
from tests.sandbox.test_bwrap import job

NUMPY = SandboxProfile()


def _wait_ready(pool: SandboxPool, count: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while pool.stats.ready.get("numpy-cpu", 0) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.stats.ready.get("numpy-cpu", 0) >= count, pool.stats


@pytest.fixture(params=["bwrap", "docker"])
def pool(settings: Settings, request: pytest.FixtureRequest) -> Iterator[SandboxPool]:
    made = SandboxPool(make_sandbox(settings, request.param), {NUMPY: 2}, idle_s=600)
    yield made
    made.close()


def test_a_warm_sandbox_serves_one_job_and_is_replaced(pool: SandboxPool) -> None:
    _wait_ready(pool, 2)
    run = pool.run(job("def f(x):\n    return x * 2\n", "f", 21))
    assert run.values == {"c0": 42}
    assert pool.stats.hits == 1 and pool.stats.misses == 0
    assert run.result.start_s == 0.0  # started before the job came: the submission waited for none of it
    _wait_ready(pool, 2)  # refilled in the background
    assert pool.stats.refills >= 3
    prepared = pool.prepare(NUMPY)
    prepared.run(job("def f(x):\n    return x\n", "f", 1))
    with pytest.raises(RuntimeError, match="exactly one submission"):
        prepared.run(job("def f(x):\n    return x\n", "f", 1))


def test_a_dead_warm_sandbox_is_never_used(pool: SandboxPool) -> None:
    _wait_ready(pool, 2)
    for slot in list(pool._ready[NUMPY]):
        _kill(slot.prepared)
    time.sleep(0.5)
    run = pool.run(job("def f(x):\n    return x + 1\n", "f", 1))
    assert run.values == {"c0": 2}
    assert pool.stats.discarded >= 1


def test_an_aged_warm_sandbox_is_replaced(settings: Settings) -> None:
    pool = SandboxPool(make_sandbox(settings, "bwrap"), {NUMPY: 1}, idle_s=1.0)
    try:
        _wait_ready(pool, 1)
        first = pool._ready[NUMPY][0].prepared
        time.sleep(2.5)
        assert first not in [slot.prepared for slot in pool._ready[NUMPY]]
        assert pool.stats.discarded >= 1
        assert not first.alive()
    finally:
        pool.close()


def test_closing_the_pool_ends_every_warm_sandbox(pool: SandboxPool) -> None:
    _wait_ready(pool, 2)
    pooled = [slot.prepared for slot in pool._ready[NUMPY]]
    pool.close()
    assert all(not prepared.alive() for prepared in pooled)
    assert pool.stats.ready.get("numpy-cpu") == 0


def _kill(prepared: Any) -> None:
    """End a prepared sandbox from outside, as the kernel or an operator might."""
    process = prepared.session.process
    process.kill()
    deadline = time.monotonic() + 10
    while not prepared.session.ended and time.monotonic() < deadline:
        time.sleep(0.02)
