"""Background work of data protection (thin: the task calls the sweep)."""

from typing import Any

from django_tasks import task

from satupintu.privacy.sweep import privacy_sweep


@task()
def sweep_privacy() -> dict[str, Any]:
    """Remind and escalate requests and breach notices, and apply the retention rules (see
    ``privacy_sweep``); enqueued every few minutes by ``satupintu worker``, or run by
    ``satupintu sweep``."""
    return privacy_sweep()
