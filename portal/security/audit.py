"""The one way to write the audit log, and the check that its hash chain holds.

Later features call `record(request, "petition.reply", obj=petition)` for every
state change, every view of a full record and every export.
"""

import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .client_ip import client_ip
from .crypto import keyed_digest
from .models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64
HEAD_ID = 1
SEAL_PURPOSE = b"audit-chain-head"
# The request being served, so that signal receivers (role changes, device removal)
# can name who acted. Set by StaffAccessMiddleware.
_current_request: ContextVar = ContextVar("audit_current_request", default=None)


def current_request():
    return _current_request.get()


def _plain(value):
    """Detail as it will come back from the JSON column, so hashes match later."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def entry_content_hash(entry: AuditEntry) -> str:
    content = {
        "created_at": entry.created_at.isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "ip_address": entry.ip_address,
        "success": entry.success,
        "detail": entry.detail,
        "previous_hash": entry.previous_hash,
    }
    canonical = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal_after(seal: str, entry_id: int, entry_hash: str) -> str:
    """The head's seal once an entry is appended: a keyed hash over the seal before
    and the entry, so it carries every entry, and without the portal's key nobody
    can make a rewritten chain match it (nor will the next entry mend it)."""
    return keyed_digest(f"{seal}:{entry_id}:{entry_hash}", SEAL_PURPOSE)


def _object_label(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta else type(obj).__name__
    return object_type, str(getattr(obj, "pk", "") or "")


def record(
    request_or_none, action: str, obj=None, success: bool = True, *, user=None, **detail
) -> AuditEntry:
    """Append one entry: who (the request's user unless `user` is given), what,
    which object, from which IP, success or failure, and any detail as JSON.
    """
    if request_or_none is None:
        request_or_none = current_request()
    if user is None and request_or_none is not None:
        user = getattr(request_or_none, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    username = detail.pop("username", None) or (user.get_username() if user else "")
    object_type, object_id = _object_label(obj)
    with transaction.atomic():
        # Take the chain's lock before reading its head (see AuditChainHead): the
        # UPDATE locks the row on PostgreSQL and takes the write lock on SQLite.
        if not AuditChainHead.objects.filter(pk=HEAD_ID).update(length=F("length")):
            AuditChainHead.objects.get_or_create(pk=HEAD_ID)
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=user,
            actor_username=str(username)[:150],
            action=action,
            object_type=object_type,
            object_id=object_id,
            ip_address=client_ip(request_or_none),
            success=success,
            detail=_plain(detail),
            previous_hash=head.last_hash or GENESIS_HASH,
        )
        entry.entry_hash = entry_content_hash(entry)
        entry.save()
        head.last_hash = entry.entry_hash
        head.last_entry_id = entry.pk
        head.length += 1
        head.seal = seal_after(head.seal, entry.pk, entry.entry_hash)
        head.save()
    return entry


@dataclass
class BrokenLink:
    entry_id: int | None
    reason: str


def verify_chain() -> BrokenLink | None:
    """Walk the chain oldest first; return the first broken link, or None.

    The portal keeps writing while an operator checks, so the head is read before
    the walk and again after it. Every entry is linked to the one before, but the
    head's length and seal are compared where the walk passes the last entry the
    first read named (entries written meanwhile come after it); an entry after the
    last one the second read names was added without the head, which every real
    append moves in the same transaction."""
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    named = head.last_entry_id if head else None
    previous = GENESIS_HASH
    seal = ""
    last_id = None
    count = 0
    at_head = (0, "")  # (length, seal) where the walk passed the entry head named
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.previous_hash != previous:
            return BrokenLink(entry.pk, "previous hash does not match the row before")
        if entry_content_hash(entry) != entry.entry_hash:
            return BrokenLink(entry.pk, "content does not match its hash")
        previous = entry.entry_hash
        seal = seal_after(seal, entry.pk, entry.entry_hash)
        last_id = entry.pk
        count += 1
        if entry.pk == named:
            at_head = (count, seal)
    if head is None:  # made by a migration; only an empty log may lack it
        return None if last_id is None else BrokenLink(last_id, "the head is missing")
    if at_head[0] != head.length:
        return BrokenLink(head.last_entry_id, "rows are missing from the end")
    if at_head[1] != head.seal:
        return BrokenLink(
            head.last_entry_id, "the chain was re-hashed without the portal's key"
        )
    moved = AuditChainHead.objects.get(pk=HEAD_ID)
    if last_id is not None and last_id > (moved.last_entry_id or 0):
        return BrokenLink(last_id, "rows were added without moving the chain's head")
    return None
