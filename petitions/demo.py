"""Demo units and categories: a small court hierarchy and the common request types."""

from petitions.models import Category, Unit

# (code, parent code, name, English name, kind)
UNITS = [
    ("jn-high", None, "江南省高级人民法院", "Jiangnan High People's Court", "high"),
    (
        "jn-city",
        "jn-high",
        "江南市中级人民法院",
        "Jiangnan City Intermediate People's Court",
        "intermediate",
    ),
    (
        "jn-east",
        "jn-city",
        "江南市东城区人民法院",
        "Dongcheng District People's Court",
        "basic",
    ),
    (
        "jn-west",
        "jn-city",
        "江南市西城区人民法院",
        "Xicheng District People's Court",
        "basic",
    ),
    ("jn-justice", None, "江南市司法局", "Jiangnan City Justice Bureau", "bureau"),
    (
        "jn-justice-east",
        "jn-justice",
        "东城司法所",
        "Dongcheng Justice Station",
        "station",
    ),
]

# (code, parent code, name, English name, handling unit code)
CATEGORIES = [
    ("enforcement", None, "执行", "Enforcement", "jn-city"),
    ("asset-disposal", "enforcement", "财产处置", "Asset disposal", None),
    ("field-enforcement", "enforcement", "现场执行", "Field enforcement", None),
    ("integrity", None, "廉政举报", "Integrity report", "jn-high"),
    ("litigation-service", None, "诉讼服务", "Litigation service", "jn-city"),
    ("legal-consultation", None, "法律咨询", "Legal consultation", "jn-justice"),
    ("other", None, "其他", "Other", None),
]


def seed_tree(model, rows, fields_for) -> int:
    """Create the missing rows, parents first; existing codes are left alone."""
    created = 0
    for code, parent_code, *rest in rows:
        if model.objects.filter(code=code).exists():
            continue
        fields = {"code": code, **fields_for(*rest)}
        if parent_code:
            model.objects.get(code=parent_code).add_child(**fields)
        else:
            model.add_root(**fields)
        created += 1
    return created


def unit_fields(name, name_en, kind):
    return {"name": name, "name_en": name_en, "kind": kind}


def category_fields(name, name_en, unit_code):
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    return {"name": name, "name_en": name_en, "handling_unit": unit}


def seed(stdout) -> None:
    units = seed_tree(Unit, UNITS, unit_fields)
    categories = seed_tree(Category, CATEGORIES, category_fields)
    if units or categories:
        stdout.write(f"Created {units} units and {categories} categories.")
