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


# What the public form tells petitioners once, per category (code -> fields). Set
# only on categories without guidance yet, so an administrator's edits survive.
CATEGORY_GUIDANCE = {
    "enforcement": {
        "guidance": "关于法院执行案件（判决后对方不履行、执行进度、执行款）的诉求。",
        "guidance_en": "Requests about the enforcement of a judgment: the other side "
        "does not pay, progress of enforcement, enforcement money.",
        "materials": "生效法律文书（判决书、调解书）\n执行案号\n身份证明",
        "materials_en": "The effective judgment or mediation statement\n"
        "The enforcement case number\nProof of identity",
    },
    "asset-disposal": {
        "guidance": "查封、扣押、拍卖、变卖财产的异议和进度。",
        "guidance_en": "Seizure, auction or sale of property: objections and progress.",
        "materials": "执行案号\n财产清单或拍卖公告\n权属证明",
        "materials_en": "The enforcement case number\nThe list of property or the "
        "auction notice\nProof of ownership",
        "litigation_matter": True,
        "procedure": "对执行行为有异议的，应依《民事诉讼法》第236条向执行法院书面提出"
        "执行异议；对异议裁定不服的，可申请复议。",
        "procedure_en": "An objection to an enforcement measure is made in writing "
        "to the enforcing court (Civil Procedure Law, art. 236); a ruling on the "
        "objection can be challenged by reconsideration.",
    },
    "field-enforcement": {
        "guidance": "现场执行中的问题，例如强制迁出、搜查。",
        "guidance_en": "Problems during field enforcement, such as eviction or search.",
        "materials": "执行案号\n现场照片（如有）",
        "materials_en": "The enforcement case number\nPhotos from the scene, if any",
        "urgent_notice": "正在发生的暴力或危险，请立即拨打110。",
        "urgent_notice_en": "If violence or danger is happening now, call 110 at once.",
    },
    "integrity": {
        "guidance": "举报法院工作人员违法违纪行为。可以匿名，"
        "我们对举报人信息严格保密。",
        "guidance_en": "Report misconduct by court staff. You may stay anonymous; "
        "we keep reporters' identities strictly confidential.",
        "materials": "被举报人姓名或职务\n事实经过（时间、地点）\n证据线索",
        "materials_en": "Name or position of the person reported\nWhat happened, "
        "when and where\nEvidence or leads",
        "anonymous_allowed": True,
    },
    "litigation-service": {
        "guidance": "立案、送达、阅卷、诉讼费等诉讼服务事项。",
        "guidance_en": "Case filing, service of documents, access to files, court "
        "fees.",
        "materials": "案号（如已立案）\n身份证明",
        "materials_en": "The case number, if filed\nProof of identity",
    },
    "legal-consultation": {
        "guidance": "一般法律问题咨询。紧急法律援助请拨打12348。",
        "guidance_en": "General legal questions. For urgent legal aid call 12348.",
        "materials": "与问题有关的合同、证据（如有）",
        "materials_en": "Contracts or evidence related to the question, if any",
        "urgent_notice": "紧急法律援助：12348。",
        "urgent_notice_en": "Urgent legal aid: 12348.",
    },
    "other": {
        "guidance": "不属于以上类别的诉求。",
        "guidance_en": "Requests that fit none of the categories above.",
    },
}


def seed_guidance() -> int:
    updated = 0
    for code, fields in CATEGORY_GUIDANCE.items():
        category = Category.objects.filter(code=code).first()
        if category is None or category.guidance:
            continue
        for field, value in fields.items():
            setattr(category, field, value)
        category.save()
        updated += 1
    return updated


#: Routing rules: (category code or None, region slug or "", unit code). The rule
#: with neither is the system default: the demo's "other" category names no unit,
#: so its petitions (and their escalations) go to the city court's desk.
ROUTES = [
    (None, "", "jn-city"),
    ("litigation-service", "dongcheng", "jn-east"),
    ("litigation-service", "xicheng", "jn-west"),
    ("legal-consultation", "dongcheng", "jn-justice-east"),
]


def seed_routes() -> int:
    """The system default unit and a few regional routes; existing ones stay."""
    from home.models import Region

    from .models import RoutingRule

    created = 0
    for category_code, region, unit_code in ROUTES:
        category = Category.objects.filter(code=category_code).first()
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None or (category_code and category is None):
            continue
        if region and not Region.objects.filter(slug=region).exists():
            continue
        _rule, new = RoutingRule.objects.get_or_create(
            category=category, region=region, defaults={"unit": unit}
        )
        created += new
    return created


#: Demo staff (portal.security.demo) and the unit each works in.
DEMO_MEMBERSHIPS = [
    ("demo-reception", "jn-city", "reception"),
    ("demo-handler", "jn-city", "handler"),
    ("demo-unit-head", "jn-city", "head"),
    ("demo-supervisor", "jn-high", "supervisor"),
]


def seed_memberships(stdout) -> int:
    """Put the demo staff into units so the workspace has something to show."""
    from django.contrib.auth import get_user_model

    from .models import UnitMembership

    User = get_user_model()
    created = 0
    for username, code, role in DEMO_MEMBERSHIPS:
        user = User.objects.filter(username=username).first()
        unit = Unit.objects.filter(code=code).first()
        if user is None or unit is None:
            continue
        _membership, new = UnitMembership.objects.get_or_create(
            user=user, unit=unit, role=role
        )
        created += new
    if created:
        stdout.write(f"Placed {created} demo staff in their units.")
    return created


def seed(stdout) -> None:
    units = seed_tree(Unit, UNITS, unit_fields)
    categories = seed_tree(Category, CATEGORIES, category_fields)
    guided = seed_guidance()
    routes = seed_routes()
    if units or categories or guided or routes:
        stdout.write(
            f"Created {units} units, {categories} categories and {routes} routing "
            f"rules; guidance for {guided} categories."
        )
