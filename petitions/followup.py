"""Follow-up (回访): a weekly sample of closed petitions, at least one per unit.

``sample`` picks ``PETITIONS_FOLLOW_UP_SHARE`` of the petitions closed in the last
seven days in each unit (at least one where a unit closed any) that were never
sampled; the picks land in the workspace's Follow-up queue. A unit sampled in the
last six days is skipped, so a second run in the same week samples nothing.
"""

import math
import random
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import conf
from .models import Event, FollowUp, Petition
from .workflow import Status


def sample(now=None, rng=None) -> int:
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    closed_recently = (
        Event.objects.filter(
            to_status=Status.CLOSED, created_at__gte=now - timedelta(days=7)
        )
        .exclude(from_status=Status.CLOSED)
        .values("petition")
    )
    candidates = Petition.objects.filter(
        status=Status.CLOSED, pk__in=closed_recently, follow_up__isnull=True
    ).values_list("pk", "unit_id")
    by_unit = defaultdict(list)
    for pk, unit_id in candidates:
        by_unit[unit_id].append(pk)
    # A unit sampled in the last six days waits for next week: a second run in
    # the same week (or after a crash) samples nothing new.
    recent = FollowUp.objects.filter(sampled_at__gte=now - timedelta(days=6))
    for unit_id in recent.values_list("petition__unit_id", flat=True):
        by_unit.pop(unit_id, None)
    share = conf.follow_up_share()
    picked = []
    for pks in by_unit.values():
        count = min(len(pks), max(1, math.ceil(len(pks) * share)))
        picked += rng.sample(sorted(pks), count)
    with transaction.atomic():
        FollowUp.objects.bulk_create(
            [FollowUp(petition_id=pk, sampled_at=now) for pk in picked],
            ignore_conflicts=True,
        )
    return len(picked)


@task()
def sample_task() -> int:
    """The scheduler's weekly entry point (PERIODIC_TASKS)."""
    return sample()
