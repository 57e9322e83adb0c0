"""``medoffice worker``: runs queued tasks (django-tasks-db machinery) and the job schedule."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from medoffice.jobs.schedule import tick
from medoffice.jobs.worker import make_worker, run_one_task, run_ready_tasks

logger = logging.getLogger("medoffice.jobs")


class Command(BaseCommand):
    help = "Run background jobs and enqueue scheduled jobs when their slot comes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--schedule-every", type=float, default=5.0, help="Seconds between schedule checks."
        )
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")

    def handle(
        self, *args: Any, interval: float, schedule_every: float, once: bool, **kw: Any
    ) -> None:
        worker = make_worker(f"{socket.gethostname()}-{os.getpid()}"[:64])
        logger.info("medoffice worker started worker_id=%s", worker.worker_id)
        stopping: list[int] = []

        def stop(signum: int, frame: Any) -> None:  # finish the running task, then leave
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_tick = -schedule_every
        while not stopping:
            close_old_connections()
            if time.monotonic() - last_tick >= schedule_every:
                tick()
                last_tick = time.monotonic()
            if once:
                run_ready_tasks(worker)
                return
            if not run_one_task(worker):
                time.sleep(interval)
        logger.info("medoffice worker stopped worker_id=%s", worker.worker_id)
