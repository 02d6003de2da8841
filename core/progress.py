"""A worker's progress through a job it writes in one transaction (a large import).

The job's rows are invisible to its page until the transaction commits, so the worker tells the cache how many rows
it has written, and the page reads that figure. A cache that is down costs only the figure, never the job.
"""

from django.core.cache import cache


def tell(job: str, done: int) -> None:
    cache.set(_key(job), done, timeout=3600)


def percent(job: str, *, total: int, finished: bool, done: int = 0) -> int:
    """0-100: the worker's figure while it runs (else `done`), 100 once the job has finished."""
    if finished:
        return 100
    if not total:
        return 0
    return min(99, int(cache.get(_key(job), done) * 100 / total))


def forget(job: str) -> None:
    cache.delete(_key(job))


def _key(job: str) -> str:
    return f"progress:{job}"
