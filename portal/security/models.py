"""Backup codes (hashed), the append-only audit log, and the staff session register."""

import secrets
from datetime import UTC

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from . import conf

# No 0/O, 1/l/I: codes are read off paper and typed by hand.
BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_LENGTH = 10


def normalise_backup_code(code: str) -> str:
    return "".join(ch for ch in str(code).lower() if ch.isalnum())


class BackupCodeDevice(ThrottlingMixin, Device):
    """A user's set of one-time backup codes, usable when the phone is lost.

    django-otp's own static plugin stores tokens in plain text; this device keeps
    only salted hashes (Django's password hasher), so a database leak does not
    hand out second factors. Wrong codes are throttled like TOTP codes.
    """

    class Meta:
        verbose_name = _("backup code set")
        verbose_name_plural = _("backup code sets")
        permissions = [
            ("manage_second_factors", _("Can reset staff members' second factors")),
        ]

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def replace_codes(self) -> list[str]:
        """Forget every earlier code and return new ones; only their hashes stay."""
        self.codes.all().delete()
        plain = [
            "".join(
                secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH)
            )
            for _ in range(conf.backup_code_count())
        ]
        BackupCode.objects.bulk_create(
            BackupCode(device=self, code_hash=make_password(code)) for code in plain
        )
        return [f"{code[:5]}-{code[5:]}" for code in plain]

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()

    def unused_code_matching(self, token) -> "BackupCode | None":
        candidate = normalise_backup_code(token)
        if len(candidate) != BACKUP_CODE_LENGTH:
            return None
        for code in self.codes.filter(used_at__isnull=True):
            if check_password(candidate, code.code_hash):
                return code
        return None

    def verify_token(self, token):
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.unused_code_matching(token)
        if match is None or not match.spend():
            self.throttle_increment(commit=True)
            return False
        self.throttle_reset(commit=False)
        self.save()
        return True


class BackupCode(models.Model):
    """One backup code, stored as a salted hash and spent on first use."""

    device = models.ForeignKey(
        BackupCodeDevice, on_delete=models.CASCADE, related_name="codes"
    )
    code_hash = models.CharField(max_length=256)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self):
        return f"backup code {self.pk} ({'used' if self.used_at else 'unused'})"

    def spend(self) -> bool:
        """Mark the code used, if nobody did in the meantime; True for the one
        request that did. One conditional UPDATE: two sign-ins racing with the
        same code cannot both succeed, on SQLite and PostgreSQL alike."""
        now = timezone.now()
        spent = BackupCode.objects.filter(pk=self.pk, used_at__isnull=True).update(
            used_at=now
        )
        if spent:
            self.used_at = now
        return bool(spent)


class AppendOnlyError(Exception):
    """The audit log is append-only: rows are never changed or removed by the app."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit entries cannot be updated")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("audit entries are written one by one by audit.record")

    def _raw_delete(self, using):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """Who did what to which object, when (UTC), from where, and whether it worked.

    Rows form a hash chain: each stores the hash of the previous row and a hash of
    its own content plus that link, so `audit_verify` finds any edited or removed
    row. Write rows only through `portal.security.audit.record`.
    """

    created_at = models.DateTimeField(_("when (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        # Users may be removed later; the row keeps their id and name regardless.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    success = models.BooleanField(_("success"), default=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        base_manager_name = "objects"

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def created_at_utc(self) -> str:
        return self.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class AuditChainHead(models.Model):
    """The single row that serialises writers of the audit chain.

    Every writer locks this row first (an UPDATE, which takes a row lock on
    PostgreSQL and the write lock on SQLite), so two concurrent writers cannot both
    link to the same previous row and fork the chain.

    ``seal`` is a keyed hash chained over every entry (``audit.seal_after``): only
    the portal's key can make it, so a chain rewritten and re-hashed in the
    database no longer verifies.
    """

    last_hash = models.CharField(max_length=64, blank=True)
    last_entry_id = models.BigIntegerField(null=True, blank=True)
    length = models.BigIntegerField(default=0)
    seal = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"audit chain head ({self.length} entries)"


class StaffSession(models.Model):
    """Which session keys belong to which user, so deactivation can end them all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"session of user {self.user_id}"


class KeyCheck(models.Model):
    """Proof of which key a database's personal data is encrypted with.

    Holds an HMAC of a fixed label under a key derived from FIELD_ENCRYPTION_KEY
    (nothing about the key can be learnt from it). Start-up compares it with the
    configured key (`keycheck.verify_field_encryption_key`), so a wrong key stops
    the portal at once instead of failing on the first petition read.
    """

    purpose = models.CharField(max_length=40, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"key check ({self.purpose})"
