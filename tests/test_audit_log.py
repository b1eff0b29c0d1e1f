"""The audit log: append-only, hash-chained, verified, and read by auditors only."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portal.security import audit
from portal.security.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(staff_client_for, django_user_model):
    user = django_user_model.objects.create_user("auditor1", password="x")
    user.groups.add(Group.objects.get(name="Auditor"))
    return staff_client_for(user)


def test_record_keeps_who_what_which_when_where(rf, django_user_model):
    """An entry names the user, action, object, UTC time, IP and outcome."""
    user = django_user_model.objects.create_user("clerk", password="x")
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.user = user
    entry = audit.record(request, "petition.viewed", obj=user, success=True, note="x")
    entry.refresh_from_db()
    assert entry.actor == user and entry.actor_username == "clerk"
    assert entry.object_type == "auth.user" and entry.object_id == str(user.pk)
    assert entry.ip_address == "203.0.113.9"
    assert entry.created_at.utcoffset().total_seconds() == 0
    assert entry.detail == {"note": "x"} and entry.success


def test_entries_cannot_be_changed_or_deleted_from_the_application():
    """save() of an existing row, delete(), and queryset update/delete all refuse."""
    entry = audit.record(None, "test.event")
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"


def test_chain_links_each_entry_to_the_one_before():
    """Each row stores the previous row's hash."""
    first = audit.record(None, "test.one")
    second = audit.record(None, "test.two")
    assert second.previous_hash == first.entry_hash
    assert audit.verify_chain() is None


def test_audit_verify_says_ok_for_an_intact_chain():
    """`audit_verify` prints OK when nothing was touched."""
    for number in range(5):
        audit.record(None, "test.event", number=number)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "OK" in out.getvalue()


def test_audit_verify_names_the_first_edited_row():
    """An entry edited behind the application's back is found and named."""
    entries = [audit.record(None, "test.event", number=n) for n in range(5)]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE security_auditentry SET action = %s WHERE id = %s",
            ["test.forged", entries[2].pk],
        )
    with pytest.raises(CommandError, match=f"entry {entries[2].pk}") as error:
        call_command("audit_verify")
    assert error.value.returncode == 1


def test_audit_verify_notices_a_removed_row():
    """Deleting a row in the middle or at the end breaks the chain."""
    entries = [audit.record(None, "test.event", number=n) for n in range(4)]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_auditentry WHERE id = %s", [entries[1].pk])
    assert audit.verify_chain().entry_id == entries[2].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM security_auditentry WHERE id >= %s", [entries[1].pk]
        )
    assert audit.verify_chain() is not None


def test_entries_written_during_a_check_do_not_break_it(monkeypatch):
    """The portal keeps working while an operator runs `audit_verify`: an entry
    appended in the middle of the walk is no broken link (the check used to
    compare a head read after the walk with the rows read before it)."""
    for number in range(3):
        audit.record(None, "test.before", number=number)
    content_hash = audit.entry_content_hash
    written = []

    def hash_while_the_portal_writes(entry):
        if not written:
            written.append(entry.pk)  # record() below hashes through here too
            audit.record(None, "test.meanwhile")
        return content_hash(entry)

    monkeypatch.setattr(audit, "entry_content_hash", hash_while_the_portal_writes)
    assert audit.verify_chain() is None
    monkeypatch.undo()
    assert AuditEntry.objects.filter(action="test.meanwhile").exists()
    assert audit.verify_chain() is None


def test_audit_verify_notices_a_row_added_without_the_head():
    """A row appended behind the application's back, its links made right, is
    still found: real appends move the head in the same transaction."""
    entries = [audit.record(None, "test.event", number=n) for n in range(3)]
    forged = AuditEntry(
        created_at=entries[-1].created_at,
        action="test.forged",
        previous_hash=entries[-1].entry_hash,
        detail={},
    )
    forged.entry_hash = audit.entry_content_hash(forged)
    forged.save()
    broken = audit.verify_chain()
    assert broken.entry_id == forged.pk
    assert "without moving the chain's head" in broken.reason


def test_audit_verify_notices_a_removed_head():
    """Entries without the chain's head (made by a migration) are reported."""
    audit.record(None, "test.event")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_auditchainhead")
    assert "head is missing" in audit.verify_chain().reason


def test_audit_verify_notices_a_chain_rewritten_and_re_hashed():
    """Someone with write access to the database edits an entry and re-hashes every
    entry after it and the head: each link holds, but without the portal's key
    the head's seal cannot be remade, and the check says so."""
    entries = [audit.record(None, "test.event", number=n) for n in range(4)]
    previous = entries[1].entry_hash
    with connection.cursor() as cursor:
        for entry in entries[2:]:
            entry.refresh_from_db()
            entry.previous_hash = previous
            if entry.pk == entries[2].pk:
                entry.action = "test.forged"
            entry.entry_hash = audit.entry_content_hash(entry)
            cursor.execute(
                "UPDATE security_auditentry SET action = %s, previous_hash = %s, "
                "entry_hash = %s WHERE id = %s",
                [entry.action, entry.previous_hash, entry.entry_hash, entry.pk],
            )
            previous = entry.entry_hash
        cursor.execute("UPDATE security_auditchainhead SET last_hash = %s", [previous])
    with pytest.raises(CommandError, match="without the portal's key") as error:
        call_command("audit_verify")
    assert error.value.returncode == 1
    audit.record(None, "test.after")  # the next entry does not mend it
    assert "without the portal's key" in audit.verify_chain().reason


def test_role_changes_are_logged(django_user_model):
    """Adding a user to a group leaves an audit entry."""
    user = django_user_model.objects.create_user("newcomer", password="x")
    user.groups.add(Group.objects.get(name="Handler"))
    entry = AuditEntry.objects.filter(action="role.changed").latest("id")
    assert entry.detail["groups"] == ["Handler"] and entry.detail["change"] == "add"


def test_superuser_staff_and_active_switches_are_role_changes(django_user_model):
    """Switching superuser, staff or active on or off leaves a role.changed entry."""
    user = django_user_model.objects.create_user("promoted", password="x")
    assert not AuditEntry.objects.filter(action="role.changed").exists()
    user.is_superuser = user.is_staff = True
    user.save()
    entry = AuditEntry.objects.filter(action="role.changed").latest("id")
    assert entry.object_id == str(user.pk)
    assert entry.detail["switched_on"] == ["is_staff", "is_superuser"]
    assert entry.detail["switched_off"] == []
    user.is_superuser = False
    user.is_active = False
    user.save()
    entry = AuditEntry.objects.filter(action="role.changed").latest("id")
    assert entry.detail["switched_off"] == ["is_active", "is_superuser"]
    user.save()
    assert AuditEntry.objects.filter(action="role.changed").count() == 2


def test_creating_a_superuser_is_a_role_change(django_user_model):
    """A new superuser account is logged with the powers it was born with."""
    user = django_user_model.objects.create_superuser("root2", password="x")
    entry = AuditEntry.objects.get(action="role.changed", object_id=str(user.pk))
    assert entry.detail["switched_on"] == ["is_staff", "is_superuser"]


def test_role_switch_in_the_admin_names_who_did_it(otp_client, django_user_model):
    """Deactivating users in the admin's list (a bulk action) logs who did it."""
    user = django_user_model.objects.create_user("leaver", password="x")
    response = otp_client.post(
        f"/admin/bulk/auth/user/set_active_state/?id={user.pk}&next=/admin/users/",
        {"mark_as_active": "False"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    entry = AuditEntry.objects.filter(action="role.changed").latest("id")
    assert entry.actor_username == "otp-admin"
    assert entry.object_id == str(user.pk)
    assert entry.detail["switched_off"] == ["is_active"]


def test_only_auditors_see_the_log(auditor_client, otp_client):
    """Auditors open the log; even a superuser is refused (separate powers)."""
    audit.record(None, "test.event")
    assert auditor_client.get("/admin/audit/").status_code == 200
    assert otp_client.get("/admin/audit/").status_code in {302, 403}


def test_auditors_filter_by_user_action_and_date(auditor_client, django_user_model):
    """Filters narrow the list to one user's actions on a day."""
    audit.record(None, "petition.viewed", username="alice")
    audit.record(None, "petition.exported", username="bob")
    response = auditor_client.get(
        "/admin/audit/", {"actor_username": "alice", "action": "petition.viewed"}
    )
    page = response.content.decode()
    # The listed entries, not the page: its random CSRF token may spell "bob".
    listed = [entry.actor_username for entry in response.context["object_list"]]
    assert "petition.viewed" in page and listed == ["alice"]
    today = AuditEntry.objects.latest("id").created_at.date().isoformat()
    response = auditor_client.get(
        "/admin/audit/",
        {
            "created_at_after": today,
            "created_at_before": today,
            "actor_username": "bob",
        },
    )
    assert "petition.exported" in response.content.decode()
    response = auditor_client.get("/admin/audit/", {"created_at_after": "not a date"})
    assert response.status_code == 200


def test_csv_export_is_itself_audited(auditor_client):
    """Exporting the log gives a CSV and writes an export entry."""
    audit.record(None, "petition.viewed", username="alice")
    response = auditor_client.get("/admin/audit/", {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert any("petition.viewed" in row for row in rows)
    assert AuditEntry.objects.filter(action="audit.exported").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    """Writers in parallel threads still leave one unbroken chain."""
    import threading

    from django.db import connections

    errors = []

    def write(worker):
        try:
            for number in range(8):
                audit.record(None, "test.concurrent", worker=worker, number=number)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 32
    assert audit.verify_chain() is None


def test_deleting_a_user_keeps_their_entries(django_user_model, rf):
    """Entries outlive the account they name, and the chain still verifies."""
    user = django_user_model.objects.create_user("leaver", password="x")
    request = rf.get("/")
    request.user = user
    entry = audit.record(request, "petition.viewed")
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_username == "leaver"
    assert audit.verify_chain() is None


def test_list_shows_utc_times(auditor_client):
    """The list states times in UTC, as the log stores them."""
    audit.record(None, "petition.viewed", username="alice")
    assert " UTC" in auditor_client.get("/admin/audit/").content.decode()
