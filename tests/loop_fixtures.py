"""A small unit tree and petitions for the closed-loop tests.

prov (province)
└── city
    ├── a   (sibling units: a never sees b)
    └── b
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone

from petitions.models import Category, Petition, Unit, UnitMembership
from petitions.workflow import Role
from portal.security import roles

#: The staff role group that opens the admin for each membership role.
GROUPS = {
    Role.RECEPTION: roles.RECEPTION,
    Role.HANDLER: roles.HANDLER,
    Role.HEAD: roles.UNIT_HEAD,
    Role.SUPERVISOR: roles.SUPERVISOR,
}


def loop_category():
    found = Category.objects.filter(code="loop-cat").first()
    return found or Category.add_root(code="loop-cat", name="测试类别")


def make_petition(unit, **fields):
    category = fields.pop("category", None) or loop_category()
    number = Petition.objects.count() + 1
    defaults = {
        "tracking_no": f"LOOP-{number:05d}",
        "access_code_hash": "x",
        "category": category,
        "unit": unit,
        "name": "张三",
        "phone": "13712345678",
        "subject": "测试诉求",
        "description": "内容",
        "consent_at": timezone.now(),
        "privacy_notice_version": "1",
        "received_at": timezone.now(),
    }
    defaults.update(fields)
    return Petition.objects.create(**defaults)


def member(django_user_model, username, unit, role, email=None):
    user = django_user_model.objects.create_user(
        username, email or f"{username}@example.invalid", "pw-" + username
    )
    UnitMembership.objects.create(user=user, unit=unit, role=role)
    group = Group.objects.filter(name=GROUPS[role], permissions__isnull=False).first()
    if group is None:  # a transactional test flushed the migrated roles
        roles.sync_roles(apps)
        group = Group.objects.get(name=GROUPS[role])
    user.groups.add(group)
    return user


@pytest.fixture
def tree(db):
    prov = Unit.add_root(code="loop-prov", name="省")
    city = prov.add_child(code="loop-city", name="市")
    city = Unit.objects.get(pk=city.pk)
    a = city.add_child(code="loop-a", name="甲")
    city = Unit.objects.get(pk=city.pk)
    b = city.add_child(code="loop-b", name="乙")
    return {
        "prov": Unit.objects.get(pk=prov.pk),
        "city": Unit.objects.get(pk=city.pk),
        "a": Unit.objects.get(pk=a.pk),
        "b": Unit.objects.get(pk=b.pk),
    }


#: The usual people of the small tree: key -> (username, unit, role). Their
#: addresses are <username>@example.invalid.
PEOPLE = {
    "reception": ("rec", "a", Role.RECEPTION),
    "handler": ("han", "a", Role.HANDLER),
    "head": ("head", "a", Role.HEAD),
    "city_head": ("chead", "city", Role.HEAD),
    "city_handler": ("chan", "city", Role.HANDLER),
    "city_supervisor": ("csup", "city", Role.SUPERVISOR),
    "prov_head": ("phead", "prov", Role.HEAD),
    "prov_handler": ("phan", "prov", Role.HANDLER),
    "b_handler": ("bhan", "b", Role.HANDLER),
    "b_head": ("bhead", "b", Role.HEAD),
}


def people(tree, django_user_model, *keys) -> dict:
    """The named people of PEOPLE, each a member of their unit."""
    return {
        key: member(django_user_model, PEOPLE[key][0], tree[PEOPLE[key][1]], role)
        for key in keys
        for role in [PEOPLE[key][2]]
    }
