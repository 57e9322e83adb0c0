"""``medoffice worker``: runs queued tasks (django-tasks-db machinery) and the job schedule."""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from medoffice.jobs.schedule import tick
from medoffice.jobs.worker import make_worker, run_ready_tasks

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
        last_tick = -schedule_every
        try:
            while True:
                close_old_connections()
                if time.monotonic() - last_tick >= schedule_every:
                    tick()
                    last_tick = time.monotonic()
                ran = run_ready_tasks(worker)
                if once:
                    return
                if not ran:
                    time.sleep(interval)
        except KeyboardInterrupt:
            logger.info("medoffice worker stopped worker_id=%s", worker.worker_id)
