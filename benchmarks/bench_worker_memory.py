"""Resident memory of a `manage.py worker` after warm-up, after 100 and after 500 PDF renders.

Run from the project folder:  .venv/bin/python benchmarks/bench_worker_memory.py [--renders 500]

A throwaway PostgreSQL database with demo leads (`seed_demo`), production settings, reports
stored in a temporary folder. The worker is started as in production (`manage.py worker`,
WORKER_CONCURRENCY jobs at a time) and renders real jobs: one `store_report` per lead,
deferred the way a download defers it (`request_report`). Memory is read with psutil when the
queue is empty: the worker process, plus every process below it (the forkserver that starts
each render's child, and multiprocessing's resource tracker); the render children themselves
only live during a render, so the peak while rendering is shown apart.
"""

import argparse
import contextlib
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loopback_stack import (
    PROJECT,
    machine,
    manage,
    prepare_site,
    production_environment,
    throwaway_postgres,
)

MIB = 1024 * 1024
TIMEOUT_PER_RENDER = 30  # seconds: REPORT_RENDER_TIMEOUT, so a stuck queue cannot hang the run


@dataclass(frozen=True)
class Memory:
    worker: int  # bytes resident in the worker process itself
    helpers: int  # in the processes below it (forkserver, resource tracker, render children)
    processes: int

    @property
    def total(self) -> int:
        return self.worker + self.helpers


def memory_of(worker: psutil.Process) -> Memory:
    helpers = 0
    children = worker.children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):  # a render child that just ended
            helpers += child.memory_info().rss
    return Memory(worker=worker.memory_info().rss, helpers=helpers, processes=1 + len(children))


class PeakWatcher(threading.Thread):
    """Samples the worker's memory five times a second; keeps the highest total."""

    def __init__(self, worker: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.worker = worker
        self.peak = memory_of(worker)
        self.running = True

    def run(self) -> None:
        while self.running:
            sample = memory_of(self.worker)
            if sample.total > self.peak.total:
                self.peak = sample
            time.sleep(0.2)


def start_worker(log: Path) -> subprocess.Popen:
    """`manage.py worker`; returns once it says the renderer is warmed up."""
    process = subprocess.Popen([sys.executable, "manage.py", "worker"], cwd=PROJECT,
                               stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    line = process.stdout.readline()
    if "warmed up" not in line:
        process.kill()
        sys.exit(f"the worker did not start: {line!r}; see {log}")
    # Whatever else it prints must not fill the pipe and block it.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process


def render(lead_ids: list[int], process: subprocess.Popen) -> float:
    """Defer one report job per lead, as a download does, and wait until all are stored."""
    from advisor.models import Submission
    from advisor.reports.report import request_report

    started = time.perf_counter()
    for submission in Submission.objects.filter(pk__in=lead_ids):
        request_report(submission=submission)
    deadline = time.monotonic() + TIMEOUT_PER_RENDER * len(lead_ids)
    while Submission.objects.filter(pk__in=lead_ids, report_pdf="").exists():
        if process.poll() is not None:
            sys.exit(f"the worker stopped with status {process.returncode}")
        if time.monotonic() > deadline:
            sys.exit("the renders did not finish in time")
        time.sleep(0.5)
    wait_until_idle()
    return time.perf_counter() - started


def wait_until_idle() -> None:
    """No job of ours is waiting or running: the worker is between jobs."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    while ProcrastinateJob.objects.filter(status__in=["todo", "doing"],
                                          task_name__startswith="advisor.reports").exists():
        time.sleep(0.2)
    time.sleep(1)  # let the last render child exit and the worker free what it held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=500, help="renders in all (500)")
    parser.add_argument("--first", type=int, default=100, help="renders measured first (100)")
    options = parser.parse_args()
    if not 0 < options.first < options.renders:
        parser.error("--first must be between 0 and --renders")

    with (throwaway_postgres("worker_memory") as database_url,
          production_environment("worker_memory", database_url=database_url,
                                 DJANGO_LOG_LEVEL="WARNING") as environment):
        prepare_site()
        manage("seed_demo", "--count", str(options.renders), "--allow-production")
        import django

        django.setup()
        from django.conf import settings
        from django.db import connections

        from advisor.models import Submission

        lead_ids = list(Submission.objects.order_by("pk").values_list("pk", flat=True))
        log = Path(environment["DJANGO_MEDIA_ROOT"]).parent / "worker.log"
        process = start_worker(log)
        worker = psutil.Process(process.pid)
        try:
            watcher = PeakWatcher(worker)
            watcher.start()
            time.sleep(1)
            warm = memory_of(worker)
            first_seconds = render(lead_ids[:options.first], process)
            first = memory_of(worker)
            rest_seconds = render(lead_ids[options.first:], process)
            last = memory_of(worker)
            watcher.running = False
        finally:
            process.terminate()
            process.wait(timeout=60)
            connections.close_all()  # before the database is dropped

    concurrency = settings.PROCRASTINATE_WORKER_DEFAULTS["concurrency"]
    rate = options.renders / (first_seconds + rest_seconds)
    print(f"Worker memory, resident (RSS, MiB) ({machine()}); WORKER_CONCURRENCY={concurrency}, "
          f"{rate:.2f} renders/s")
    print(f"{'':28}{'worker':>8}{'helpers':>9}{'total':>8}{'processes':>11}")
    for label, sample in (("after warm-up", warm), (f"after {options.first} renders", first),
                          (f"after {options.renders} renders", last),
                          ("peak while rendering", watcher.peak)):
        print(f"{label:28}{sample.worker / MIB:8.1f}{sample.helpers / MIB:9.1f}"
              f"{sample.total / MIB:8.1f}{sample.processes:11d}")
    growth = (last.total - first.total) / first.total * 100
    print(f"growth from {options.first} to {options.renders} renders: {growth:+.1f} % "
          f"(target at most +10 %)")


if __name__ == "__main__":
    main()
