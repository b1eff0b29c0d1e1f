"""Audit entries for unit memberships: giving someone a role in a unit is a role
change (it decides which petitions they read), whichever screen or script made it.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from portal.security import audit

from .models import UnitMembership


def described(membership) -> dict:
    """What the entry says ("user" and "username" would name the actor)."""
    return {
        "member_id": membership.user_id,
        "member": membership.user.get_username(),
        "unit": membership.unit.code,
        "role": membership.role,
    }


@receiver(pre_save, sender=UnitMembership)
def remember_previous(sender, instance, **kwargs):
    previous = (
        UnitMembership.objects.select_related("user", "unit")
        .filter(pk=instance.pk)
        .first()
        if instance.pk
        else None
    )
    instance._previous = described(previous) if previous else None


@receiver(post_save, sender=UnitMembership)
def on_membership_saved(sender, instance, created, **kwargs):
    previous = getattr(instance, "_previous", None)
    now = described(instance)
    if not created and previous == now:
        return
    detail = dict(now)
    if previous and not created:
        detail["previous"] = previous
    audit.record(
        None,
        "membership.added" if created else "membership.changed",
        obj=instance,
        **detail,
    )


@receiver(post_delete, sender=UnitMembership)
def on_membership_removed(sender, instance, **kwargs):
    audit.record(None, "membership.removed", obj=instance, **described(instance))
