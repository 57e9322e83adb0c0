"""Run ready tasks with django-tasks-db's own machinery (claim under lock, then ``run_task``)."""

from __future__ import annotations

from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception


def make_worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_one_task(worker: Worker) -> bool:
    """Claim and run one ready task; False when none is ready (or the database is busy)."""
    tasks = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
    try:
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(worker.worker_id)
    except OperationalError as exc:
        if is_locked_database_exception(exc):
            return False
        raise
    if result is None:
        return False
    worker.run_task(result)
    return True


def run_ready_tasks(worker: Worker, limit: int = 100) -> int:
    """Run ready tasks (at most ``limit``, so the schedule is checked between batches)."""
    done = 0
    while done < limit and run_one_task(worker):
        done += 1
    return done
