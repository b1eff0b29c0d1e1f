"""The staff workspace: scope on every URL, queues, the detail page and its actions."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time

from petitions import actions
from petitions.models import Attachment, UnitMembership
from petitions.workflow import Role, Status
from portal.security.models import AuditEntry
from tests import loop_fixtures
from tests.loop_fixtures import make_petition, member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


@pytest.fixture
def people(tree, django_user_model):
    return {
        "handler_a": member(django_user_model, "ha", tree["a"], Role.HANDLER),
        "head_city": member(django_user_model, "hc", tree["city"], Role.HEAD),
    }


def staff_urls(petition):
    attachment = Attachment.objects.create(
        petition=petition,
        original_name="x.pdf",
        stored_name=f"stored-{petition.pk}",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    return [
        ("get", reverse("petitions_admin_detail", args=[petition.pk])),
        ("post", reverse("petitions_admin_act", args=[petition.pk, "accept"])),
        ("post", reverse("petitions_admin_act", args=[petition.pk, "note"])),
        ("get", reverse("petitions_staff:attachment", args=[attachment.pk])),
    ]


def test_sibling_gets_404_on_every_staff_url_parent_head_sees_both(
    tree, people, staff_client_for
):
    mine = make_petition(tree["a"])
    sibling = make_petition(tree["b"])
    handler = staff_client_for(people["handler_a"])
    for method, url in staff_urls(sibling):
        response = getattr(handler, method)(url, {"text": "x"})
        assert response.status_code == 404, url
    sibling.refresh_from_db()
    assert sibling.status == Status.RECEIVED and not sibling.events.exists()
    assert (
        handler.get(reverse("petitions_admin_detail", args=[mine.pk])).status_code
        == 200
    )
    listed = handler.get(
        reverse("petitions_admin_queue", args=["all"])
    ).content.decode()
    assert mine.tracking_no in listed and sibling.tracking_no not in listed

    head = staff_client_for(people["head_city"])
    listed = head.get(reverse("petitions_admin_queue", args=["all"])).content.decode()
    assert mine.tracking_no in listed and sibling.tracking_no in listed
    for petition in (mine, sibling):
        url = reverse("petitions_admin_detail", args=[petition.pk])
        assert head.get(url).status_code == 200


def test_no_membership_no_workspace(staff_client_for, django_user_model):
    someone = django_user_model.objects.create_user("x", "x@example.invalid", "x")
    response = staff_client_for(someone).get(
        reverse("petitions_admin_queue", args=["all"])
    )
    assert response.status_code in (302, 403)


def test_overdue_pinned_first_and_identifiers_masked(tree, people, staff_client_for):
    with freeze_time("2026-11-23 10:00:00+08:00"):
        later = make_petition(tree["a"], accept_by=datetime.date(2026, 11, 30))
        soon = make_petition(tree["a"], accept_by=datetime.date(2026, 11, 25))
        late = make_petition(tree["a"], accept_by=datetime.date(2026, 11, 20))
        client = staff_client_for(people["handler_a"])
        page = client.get(reverse("petitions_admin_queue", args=["unit"]))
        html = page.content.decode()
        order = [html.index(p.tracking_no) for p in (late, soon, later)]
        assert order == sorted(order)
        # The whole scope: no deadline (closed) last; the same deadline, newest first.
        closed = make_petition(
            tree["a"], status=Status.CLOSED, accept_by=datetime.date(2026, 11, 1)
        )
        also_soon = make_petition(
            tree["a"],
            accept_by=datetime.date(2026, 11, 25),
            received_at=soon.received_at + datetime.timedelta(hours=1),
        )
        listed_all = listed(client, "all")
        order = [
            listed_all.index(p.tracking_no)
            for p in (late, also_soon, soon, later, closed)
        ]
        assert order == sorted(order)
        assert "137****5678" in html and "13712345678" not in html
        overdue = client.get(reverse("petitions_admin_queue", args=["overdue"]))
        assert late.tracking_no in overdue.content.decode()
        assert soon.tracking_no not in overdue.content.decode()
        due_soon = client.get(reverse("petitions_admin_queue", args=["due-soon"]))
        assert soon.tracking_no in due_soon.content.decode()
        assert later.tracking_no not in due_soon.content.decode()
        filtered = client.get(
            reverse("petitions_admin_queue", args=["unit"]), {"status": "bogus"}
        )
        assert filtered.status_code == 200  # bad filter input: ignored, no 500


def test_detail_shows_only_allowed_actions_and_logs_access(
    tree, people, staff_client_for
):
    petition = make_petition(tree["a"])
    client = staff_client_for(people["handler_a"])
    html = client.get(reverse("petitions_admin_detail", args=[petition.pk])).content
    html = html.decode()
    assert 'data-action="accept"' in html and 'data-action="decline"' in html
    assert 'data-action="extend"' not in html and 'data-action="close"' not in html
    assert "13712345678" in html  # the full record, and its reading is audited
    assert AuditEntry.objects.filter(
        action="petition.viewed", object_id=str(petition.pk)
    ).exists()


def test_acting_through_the_page_and_the_stale_form(tree, people, staff_client_for):
    petition = make_petition(tree["a"])
    client = staff_client_for(people["handler_a"])
    url = reverse("petitions_admin_act", args=[petition.pk, "accept"])
    seen = {"status": petition.status, "updated_at": petition.updated_at.isoformat()}
    response = client.post(url, seen)
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    # A second tab still shows "received": refused, told, nothing changes.
    decline = reverse("petitions_admin_act", args=[petition.pk, "decline"])
    response = client.post(decline, {**seen, "text": "不予受理"}, follow=True)
    assert response.status_code == 200
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    assert str(Status.ACCEPTED.label) in response.content.decode()


def test_internal_note_stays_internal(tree, people, staff_client_for):
    petition = make_petition(tree["a"])
    client = staff_client_for(people["handler_a"])
    client.post(
        reverse("petitions_admin_act", args=[petition.pk, "note"]), {"text": "内部"}
    )
    event = petition.events.get()
    assert event.action == "note" and not event.public
    actions.accept(petition, actor=people["handler_a"])
    assert petition.events.filter(public=True).count() == 1


def test_reply_form_starts_from_the_categorys_template(tree, people, staff_client_for):
    from petitions.models import ReplyTemplate

    petition = make_petition(tree["a"])
    ReplyTemplate.objects.create(use="reply", title="通用", body="通用答复")
    ReplyTemplate.objects.create(use="answer", title="通用", body="通用解答")
    ReplyTemplate.objects.create(
        category=petition.category,
        use="answer",
        title="咨询",
        body="{number}：{unit}答复",
    )
    client = staff_client_for(people["handler_a"])
    html = client.get(reverse("petitions_admin_detail", args=[petition.pk])).content
    assert f"{petition.tracking_no}：甲答复" in html.decode()
    assert ReplyTemplate.texts_for(petition, ["reply", "answer", "decline"]) == {
        "reply": "通用答复",
        "answer": f"{petition.tracking_no}：甲答复",
        "decline": "",
    }


def test_accepting_can_reclassify_and_reroute(tree, people, staff_client_for):
    from petitions.models import Category

    petition = make_petition(tree["a"])
    elsewhere = Category.add_root(
        code="loop-b-cat", name="乙类", handling_unit=tree["b"]
    )
    client = staff_client_for(people["head_city"])
    client.post(
        reverse("petitions_admin_act", args=[petition.pk, "accept"]),
        {
            "status": petition.status,
            "updated_at": petition.updated_at.isoformat(),
            "category": elsewhere.pk,
        },
    )
    petition.refresh_from_db()
    assert (petition.status, petition.category, petition.unit) == (
        Status.ACCEPTED,
        elsewhere,
        tree["b"],
    )
    # The timeline says where it went and why it left the unit's queue.
    note = petition.events.get(action="accept").note
    assert "乙类" in note and tree["b"].name in note


def listed(client, queue, **filters) -> str:
    url = reverse("petitions_admin_queue", args=[queue])
    return client.get(url, filters).content.decode()


def test_unit_queue_is_the_users_own_units_all_is_the_scope(
    tree, people, staff_client_for
):
    """A city head's unit queue holds the city's petitions; All adds those below."""
    in_city = make_petition(tree["city"])
    below = make_petition(tree["a"])
    head = staff_client_for(people["head_city"])
    unit_queue = listed(head, "unit")
    assert in_city.tracking_no in unit_queue and below.tracking_no not in unit_queue
    everything = listed(head, "all")
    assert in_city.tracking_no in everything and below.tracking_no in everything


def test_my_queue_and_the_supervision_queue(tree, people, staff_client_for):
    """Mine: what I handle or received first. Supervision: open orders, seen by
    the ordered unit and the ordering one."""
    handler = people["handler_a"]
    handled = make_petition(tree["a"], handler=handler, status="in_progress")
    received = make_petition(tree["a"], first_contact=handler)
    other = make_petition(tree["a"])
    client = staff_client_for(handler)
    mine = listed(client, "mine")
    assert handled.tracking_no in mine and received.tracking_no in mine
    assert other.tracking_no not in mine
    with freeze_time("2026-11-23 10:00:00+08:00"):
        actions.supervise(
            handled, "请报告", datetime.date(2026, 11, 30), actor=people["head_city"]
        )
    for someone in (client, staff_client_for(people["head_city"])):
        supervised = listed(someone, "supervision")
        assert handled.tracking_no in supervised
        assert other.tracking_no not in supervised


def test_filters_by_category_channel_unit_date_and_flags(
    tree, people, staff_client_for
):
    """Each filter narrows the list to what it names."""
    from django.utils import timezone

    from petitions.models import Category

    elsewhere = Category.add_root(code="loop-other", name="另类")
    now = timezone.now()
    plain = make_petition(tree["a"], received_at=now - datetime.timedelta(days=40))
    by_letter = make_petition(tree["a"], channel="letter")
    other_category = make_petition(tree["a"], category=elsewhere)
    in_b = make_petition(tree["b"])
    joint = make_petition(tree["a"], co_signers=12)
    anonymous = make_petition(tree["a"], anonymous=True, name="")
    reviewed = make_petition(tree["a"], review_level=1, status="accepted")
    linked = make_petition(tree["a"])
    linked.linked.add(plain)
    everyone = [plain, by_letter, other_category, in_b, joint, anonymous, reviewed]
    client = staff_client_for(people["head_city"])

    def only(expected, **filters):
        page = listed(client, "all", **filters)
        for petition in everyone:
            assert (petition.tracking_no in page) == (petition in expected), (
                filters,
                petition.tracking_no,
            )
        return page

    only([other_category], category=elsewhere.pk)
    only([by_letter], channel="letter")
    only([in_b], unit=tree["b"].pk)
    old_day = timezone.localdate(now - datetime.timedelta(days=40)).isoformat()
    only([plain], received_to=old_day)
    recent = [p for p in everyone if p is not plain]
    yesterday = timezone.localdate(now - datetime.timedelta(days=1)).isoformat()
    only(recent, received_from=yesterday)
    page = only([joint], joint="on")
    assert 'data-flag="joint"' in page and "+12" in page
    only([anonymous], anonymous="on")
    # Links go both ways: the filter lists plain and the petition linked to it,
    # each flagged once; unfiltered, the flag marks those two and no other.
    assert only([plain], linked="on").count('data-flag="linked"') == 2
    assert listed(client, "all").count('data-flag="linked"') == 2
    only([reviewed], under_review="on")


def test_date_filters_take_whole_days_in_the_portal_time_zone(
    tree, people, staff_client_for
):
    """A day is the court's day (Beijing time): a petition at 23:59 belongs to that
    day and one at 00:01 to the next, though both fall on one day in UTC."""
    late = make_petition(
        tree["a"], received_at=datetime.datetime.fromisoformat("2026-11-20T23:59+08:00")
    )
    early = make_petition(
        tree["a"], received_at=datetime.datetime.fromisoformat("2026-11-21T00:01+08:00")
    )
    client = staff_client_for(people["head_city"])

    def shown(**filters):
        page = listed(client, "all", **filters)
        return {p.tracking_no for p in (late, early) if p.tracking_no in page}

    assert shown(received_to="2026-11-20") == {late.tracking_no}
    assert shown(received_from="2026-11-21") == {early.tracking_no}
    assert shown(received_from="2026-11-20", received_to="2026-11-20") == {
        late.tracking_no
    }
    assert shown(received_from="2026-11-20", received_to="2026-11-21") == {
        late.tracking_no,
        early.tracking_no,
    }


def test_detail_shows_the_full_record(tree, people, staff_client_for):
    """E-mail, case number, party complained about, co-signers, language,
    privacy notice version and region are all on the detail page."""
    petition = make_petition(
        tree["a"],
        email="zhang@example.invalid",
        case_number="（2023）浙1003执123号",
        complained_about="某执行局",
        co_signers=3,
        language="en",
        privacy_notice_version="2026-11",
        region="dongcheng",
    )
    html = staff_client_for(people["handler_a"]).get(
        reverse("petitions_admin_detail", args=[petition.pk])
    )
    text = html.content.decode()
    for shown in (
        "zhang@example.invalid",
        "（2023）浙1003执123号",
        "某执行局",
        "English",
        "2026-11",
        "dongcheng",
    ):
        assert shown in text, shown
    co_signers = text.split('id="petition-co-signers">')[1].split("</dd>")[0]
    assert " 3 " in co_signers
    assert 'data-flag="joint"' in text


def test_reply_to_all_linked_answers_each_petitioner(tree, people, staff_client_for):
    """Linked petitions are shown with a warning while unanswered; one reply
    goes to each linked petition in scope with its own event and notices."""
    from petitions.models import Notification, Reply

    handler = people["handler_a"]
    first = make_petition(tree["a"], handler=handler, status="in_progress")
    second = make_petition(tree["a"], handler=handler, status="in_progress")
    waiting = make_petition(tree["a"], status="received")
    actions.link(first, second, actor=handler)
    actions.link(first, waiting, actor=handler)
    client = staff_client_for(handler)
    detail = reverse("petitions_admin_detail", args=[first.pk])
    page = client.get(detail).content.decode()
    assert "Not answered yet" in page or "尚未答复" in page
    assert second.tracking_no in page and 'name="reply_linked"' in page
    first.refresh_from_db()
    response = client.post(
        reverse("petitions_admin_act", args=[first.pk, "reply"]),
        {
            "status": first.status,
            "updated_at": first.updated_at.isoformat(),
            "text": "经核查，已一并处理。",
            "reply_linked": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    for petition in (first, second):
        petition.refresh_from_db()
        assert petition.status == Status.REPLIED
        assert Reply.objects.get(petition=petition).body == "经核查，已一并处理。"
        assert petition.events.filter(action="reply").count() == 1
        assert Notification.objects.filter(petition=petition, kind="reply").exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.RECEIVED  # not ready for a reply: reported
    assert waiting.tracking_no in response.content.decode()


def test_a_long_queue_pages_through_every_petition_keeping_its_filters(
    tree, people, staff_client_for
):
    """Nothing in a busy queue is out of reach: 50 a page, the rest on the next
    pages with the filters kept; a page number that is no page shows a page."""
    from petitions.workspace import QUEUE_PAGE_SIZE

    numbers = {make_petition(tree["a"]).tracking_no for _ in range(QUEUE_PAGE_SIZE + 3)}
    head = staff_client_for(people["head_city"])
    first = listed(head, "all", status=Status.RECEIVED)
    second = listed(head, "all", status=Status.RECEIVED, page=2)
    on_first = {n for n in numbers if n in first}
    on_second = {n for n in numbers if n in second}
    assert len(on_first) == QUEUE_PAGE_SIZE and len(on_second) == 3
    assert on_first | on_second == numbers
    assert "status=received&amp;page=2" in first and 'rel="next"' in first
    assert "第 2 页，共 2 页（53 件诉求）" in second and 'rel="next"' not in second
    for nonsense in ("x", "999", "-1"):
        page = head.get(
            reverse("petitions_admin_queue", args=["all"]), {"page": nonsense}
        )
        assert page.status_code == 200


def test_a_staff_page_reads_the_users_units_and_roles_once(
    tree, people, staff_client_for
):
    """The sidebar shows a dozen workspace items, and the gate, the queue, the
    filters and each action form on a petition ask for the user's units and
    roles: one query each per page, whoever asks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import admin_sidebar

    petition = make_petition(tree["a"])
    head = staff_client_for(people["head_city"])
    for url in (
        reverse("petitions_admin_queue", args=["all"]),
        reverse("petitions_admin_detail", args=[petition.pk]),
    ):
        admin_sidebar.forget_menus()  # the sidebar asks too when it is built
        with CaptureQueriesContext(connection) as queries:
            assert head.get(url).status_code == 200
        sql = [q["sql"] for q in queries]
        memberships = [q for q in sql if 'FROM "petitions_unitmembership"' in q]
        groups = [
            q
            for q in sql
            if 'FROM "auth_group" INNER JOIN' in q and "auth_permission" not in q
        ]
        assert len(memberships) == 1, (url, memberships)
        assert len(groups) == 1, (url, groups)


def test_a_new_unit_or_role_counts_from_the_next_page_on(
    tree, people, staff_client_for
):
    """What a page remembers about its user lasts for that page only."""
    from django.contrib.auth.models import Group

    from portal.security.roles import AUDITOR

    sibling = make_petition(tree["b"])
    handler = staff_client_for(people["handler_a"])
    url = reverse("petitions_admin_detail", args=[sibling.pk])
    audit = reverse("security_audit_log")
    assert handler.get(url).status_code == 404
    assert audit not in handler.get(reverse("wagtailadmin_home")).content.decode()

    UnitMembership.objects.create(
        user=people["handler_a"], unit=tree["b"], role=Role.HANDLER
    )
    people["handler_a"].groups.add(Group.objects.get(name=AUDITOR))
    assert handler.get(url).status_code == 200
    assert audit in handler.get(reverse("wagtailadmin_home")).content.decode()


def test_a_petition_deleted_while_its_queue_is_read_is_left_out(tree):
    """The queue's page is read in two steps; a petition gone in between is
    simply not listed (not a server error)."""
    from petitions.workspace import listed_petitions

    kept, gone = make_petition(tree["a"]), make_petition(tree["a"])
    numbers = [gone.pk, kept.pk]
    gone.delete()
    assert [petition.pk for petition in listed_petitions(numbers)] == [kept.pk]


ACCEPT_BY, DUE = datetime.date(2026, 11, 25), datetime.date(2027, 1, 22)


@pytest.mark.parametrize(
    "status, deadline",
    [
        (Status.RECEIVED, ACCEPT_BY),
        (Status.ACCEPTED, DUE),
        (Status.ASSIGNED, DUE),
        (Status.IN_PROGRESS, DUE),
        (Status.WAITING, None),  # the clock is paused
        (Status.REPLIED, None),
        (Status.ANSWERED, None),
        (Status.NOT_ACCEPTED, None),
        (Status.CLOSED, None),
        (Status.WITHDRAWN, None),
    ],
)
def test_the_queue_deadline_is_the_one_the_clock_runs_towards(tree, status, deadline):
    """The database keeps each petition's running deadline from its status and
    dates; a petition without one sorts after every deadline."""
    from petitions.models import Petition

    petition = make_petition(tree["a"], accept_by=ACCEPT_BY, due_at=DUE)
    Petition.objects.filter(pk=petition.pk).update(status=status)
    petition.refresh_from_db()
    assert petition.running_deadline == deadline
    ordered = Petition.objects.filter(pk=petition.pk) | Petition.objects.filter(
        pk=make_petition(tree["a"], accept_by=datetime.date(9000, 1, 1)).pk
    )
    first = ordered.order_by("queue_deadline").first()
    assert (first == petition) == (deadline is not None)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL keeps its own statistics"
)
def test_a_queue_is_read_in_order_from_its_index(tree, people, staff_client_for):
    """Once SQLite has statistics, a queue's page of numbers is read from the
    index in the queue's order (no sort of every petition in scope) and its count
    from an index alone (no wide petition row read)."""
    from django.test.utils import CaptureQueriesContext

    from petitions.models import Petition
    from portal.tasks import refresh_planner_statistics

    first = make_petition(tree["a"], accept_by=ACCEPT_BY)
    fields = {
        field.attname: getattr(first, field.attname)
        for field in Petition._meta.concrete_fields
        if not field.primary_key and not field.generated
    }
    Petition.objects.bulk_create(
        Petition(
            **{
                **fields,
                "tracking_no": f"QUEUE-{number:05d}",
                "unit_id": tree["ab"[number % 2]].pk,
                "status": [Status.RECEIVED, Status.CLOSED][number % 3 == 0],
                "accept_by": ACCEPT_BY + datetime.timedelta(days=number % 40),
            }
        )
        for number in range(3000)
    )
    refresh_planner_statistics.call()
    head = staff_client_for(people["head_city"])
    handler = staff_client_for(people["handler_a"])
    plans = []
    with connection.cursor() as cursor:
        for client, queue in ((head, "all"), (handler, "unit"), (head, "overdue")):
            with CaptureQueriesContext(connection) as queries:
                assert "QUEUE-" in listed(client, queue)
            for query in queries:
                if (
                    query["sql"].startswith(
                        ('SELECT "petitions_petition"."id" AS "pk"', "SELECT COUNT(*)")
                    )
                    and "petitions_petition" in query["sql"]
                ):
                    cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                    plans.append(" | ".join(row[-1] for row in cursor.fetchall()))
    assert len(plans) == 6, plans
    for plan in plans:
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
        petitions_read = plan.split(" | LIST SUBQUERY")[0]  # not the units'
        assert "INDEX petition_queue" in petitions_read or (
            "COVERING INDEX petition_unit_status" in petitions_read
        ), plan
