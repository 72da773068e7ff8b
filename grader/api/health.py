"""``/healthz`` (the process answers), ``/readyz`` (database, broker, sandbox), ``/metrics`` (Prometheus)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

from flask import Blueprint, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from sqlalchemy import text

from grader.api.http import json_response
from grader.api.openapi import TEXT, documented
from grader.api.services import Services, services
from grader.storage import poolstats
from grader.storage import submissions as store
from sandbox.pool import PoolStats
from submissions_schema.api import Health

blueprint = Blueprint("health", __name__)
BUCKETS_S = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0]
SANDBOX_CHECK_EVERY_S = 60.0


@blueprint.get("/healthz")
@documented("The process answers", response=Health, problems=(), secured=False)
def healthz() -> Response:
    return json_response(Health(status="ok"))


@blueprint.get("/readyz")
@documented("Database, broker and sandbox are usable", response=Health, problems=(), secured=False,
            responses={503: {"description": "Not ready", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Health"}}}}})
def readyz() -> Response:
    svc = services()
    checks = {"database": _check(lambda: _database(svc)), "broker": _check(svc.queue.ping),
              "sandbox": _check(lambda: _sandbox(svc))}
    ready = all(v == "ok" for v in checks.values())
    return json_response(Health(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503)


def _check(probe: object) -> str:
    try:
        probe()  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure as text
        return f"failing: {type(exc).__name__}: {exc}"[:300]
    return "ok"


def _database(svc: Services) -> None:
    with svc.sessions() as session:
        session.execute(text("SELECT 1"))


def _sandbox(svc: Services) -> None:
    """The configured sandbox really starts (checked at most once a minute)."""
    if time.monotonic() - svc.sandbox_checked_at < SANDBOX_CHECK_EVERY_S:
        return
    if shutil.which(svc.settings.bwrap_path) is None:
        raise RuntimeError(f"{svc.settings.bwrap_path} is not installed")
    from grader.sandboxes import make_sandbox
    from sandbox.base import SandboxProfile

    make_sandbox(svc.settings).prepare(SandboxProfile()).close()
    svc.sandbox_checked_at = time.monotonic()


class _Collector:
    """Reads the figures from the database at scrape time, so every API and worker process agrees."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def collect(self):  # type: ignore[no-untyped-def]
        with self.svc.sessions() as session:
            verdicts = store.verdict_counts(session)
            depth = store.queue_depth(session)
            buckets, count, total = store.duration_histogram(session, BUCKETS_S)
            pools = poolstats.fresh(session, poolstats.stale_after_s(self.svc.settings.pool_stats_every_s))
        by_verdict = CounterMetricFamily("grader_submissions", "Graded submissions by verdict.", labels=["verdict"])
        for verdict, n in sorted(verdicts.items()):
            by_verdict.add_metric([verdict], n)
        yield by_verdict
        yield GaugeMetricFamily("grader_queue_depth", "Submissions waiting for a worker.", value=depth)
        pairs = [(str(b), n) for b, n in zip(BUCKETS_S, buckets, strict=True)] + [("+Inf", count)]
        yield HistogramMetricFamily("grader_grading_duration_seconds", "From a worker's start to the stored report.",
                                    buckets=pairs, sum_value=total)
        yield from pool_families(pools)


def pool_families(pools: list[tuple[str, PoolStats]]) -> Iterator[Metric]:
    """The grading workers' warm pools, labelled by worker (and profile for sizes)."""
    ready = GaugeMetricFamily("grader_sandbox_pool_ready", "Warm sandboxes ready now.", labels=["worker", "profile"])
    target = GaugeMetricFamily("grader_sandbox_pool_target", "Warm sandboxes a worker keeps.",
                               labels=["worker", "profile"])
    counters = {name: CounterMetricFamily(f"grader_sandbox_pool_{name}", text, labels=["worker"]) for name, text in
                (("hits", "Sandboxes taken warm from the pool."), ("misses", "Sandboxes started cold: none was ready."),
                 ("discarded", "Warm sandboxes replaced unused: died or idle too long."))}
    refills = SummaryMetricFamily("grader_sandbox_pool_refill_seconds", "Time to prepare a sandbox for the pool.",
                                  labels=["worker"])
    for worker, stats in pools:
        for profile in sorted(set(stats.target) | set(stats.ready)):
            ready.add_metric([worker, profile], stats.ready.get(profile, 0))  # none yet: its first refill is under way
            target.add_metric([worker, profile], stats.target.get(profile, 0))
        for name, family in counters.items():
            family.add_metric([worker], getattr(stats, name))
        refills.add_metric([worker], count_value=stats.refills, sum_value=stats.refill_s)
    yield from (ready, target, *counters.values(), refills)


@blueprint.get("/metrics")
@documented("Prometheus metrics, read from the database", content=TEXT, problems=(), secured=False)
def metrics() -> Response:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(services()))
    return Response(generate_latest(registry), mimetype="text/plain; version=0.0.4")
