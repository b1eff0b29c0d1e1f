"""Synthetic petitions with realistic Chinese text, for benchmarks and search tests.

Every document has the shape ``search.documents.PetitionDocument`` indexes and is
built from our own vocabulary (no data set is downloaded): tracking and case
numbers, a category and unit tree, channels, statuses, dates, deadlines, replies and
internal notes. The same seed gives the same corpus.

    from bench.search_corpus import petitions
    for document in petitions(20_000, seed=7): ...
"""

import random
from datetime import UTC, date, datetime, timedelta

from petitions.identifiers import format_tracking_no

# A city intermediate court with district courts, and a justice bureau with offices:
# (tree path, code, name). Paths follow treebeard's four characters per level.
UNITS = [
    ("0001", "city-court", "市中级人民法院"),
    ("00010001", "east-court", "东城区人民法院"),
    ("00010002", "west-court", "西城区人民法院"),
    ("00010003", "north-court", "北城区人民法院"),
    ("0002", "justice-bureau", "市司法局"),
    ("00020001", "mediation-office", "人民调解科"),
    ("00020002", "east-station", "东城司法所"),
]
LEAF_UNITS = [unit for unit in UNITS if len(unit[0]) == 8]
CATEGORIES = {
    "enforcement": ("执行", ["执行款", "拍卖", "财产处置", "失信被执行人", "执行难"]),
    "asset-disposal": ("财产处置", ["房屋", "车辆", "评估", "拍卖", "变卖"]),
    "litigation-service": ("诉讼服务", ["立案", "诉讼费用", "送达", "开庭", "调解"]),
    "integrity": ("廉政举报", ["违规", "吃拿卡要", "办案人员", "举报", "作风"]),
    "consultation": ("法律咨询", ["劳动合同", "工资", "继承", "婚姻", "赡养"]),
    "labour": ("劳动争议", ["拖欠工资", "社会保险", "工伤", "加班费", "劳动仲裁"]),
}
STATUSES = ["received", "accepted", "assigned", "in_progress", "replied", "closed"]
CHANNELS = ["web", "letter", "visit", "phone", "hotline", "wechat"]
SUBJECTS = [
    "关于{a}的问题",
    "{a}迟迟未处理",
    "申请{a}进展查询",
    "对{a}结果有异议",
    "反映{a}和{b}问题",
    "请求尽快{a}",
]
SENTENCES = [
    "本人于{year}年向法院申请强制执行，至今{a}仍未到位。",
    "被执行人长期拖欠{a}，名下有{b}却未被处置。",
    "承办法官多次答复正在办理，但{a}一直没有结果。",
    "请求法院依法对{a}进行{b}，维护申请人合法权益。",
    "我方已提交全部材料，希望尽快安排{a}。",
    "对方当事人转移财产，涉及{a}和{b}，请求调查。",
    "多次拨打热线反映{a}问题，未得到明确答复。",
    "家中老人生活困难，{a}关系到一家人的生计。",
    "诉源治理工作中，建议加强{a}方面的释法说理。",
    "如不及时处理{a}，可能引发集体上访。",
]
REPLIES = [
    "您反映的{a}问题已转交承办部门，我院将在法定期限内答复。",
    "经核查，{a}已于近日办理完毕，请注意查收相关文书。",
    "关于{a}，依法应通过执行异议程序解决，已告知相关途径。",
]
NOTES = [
    "已电话联系申请人，核实{a}情况。",
    "需协调财产处置部门，关注{b}进度。",
    "属重复信访，关联前案，{a}已答复过。",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CATEGORY_CODES = list(CATEGORIES)


def _pick(rng: random.Random, items):
    # random.choice draws bits until they fit; one float is several times quicker
    # and the corpus is built inside the timed rebuild.
    return items[int(rng.random() * len(items))]


def _number(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _fill(template: str, words: list[str], rng: random.Random) -> str:
    return template.format(
        a=_pick(rng, words), b=_pick(rng, words), year=_number(rng, 2018, 2025)
    )


def petition_document(number: int, rng: random.Random, today: date) -> dict:
    """One synthetic petition, as a builder in ``search.sources`` would make it."""
    from search.backends.base import case_key

    category = _pick(rng, CATEGORY_CODES)
    category_name, words = CATEGORIES[category]
    path, unit_code, unit_name = _pick(rng, LEAF_UNITS)
    received = datetime.combine(
        today - timedelta(days=_number(rng, 0, 720)), datetime.min.time(), UTC
    ) + timedelta(minutes=_number(rng, 0, 24 * 60 - 1))
    due = received.date() + timedelta(days=60)
    status = _pick(rng, STATUSES)
    case_no = ""
    if rng.random() < 0.4:
        court, sequence = _number(rng, 100, 120), _number(rng, 1, 9999)
        case_no = f"（{received.year}）京{court:04d}执{sequence}号"
    replies = [_fill(_pick(rng, REPLIES), words, rng)] if status in STATUSES[4:] else []
    notes = [_fill(_pick(rng, NOTES), words, rng) for _ in range(_number(rng, 0, 2))]
    description = "".join(
        _fill(_pick(rng, SENTENCES), words, rng) for _ in range(_number(rng, 2, 6))
    )
    flags = [flag for flag in ("joint", "repeat", "urgent") if rng.random() < 0.05]
    phone = f"1{_pick(rng, '3589')}{_number(rng, 0, 999_999_999):09d}"
    return {
        "id": str(number),
        "version": received.isoformat(),
        "tracking_no": format_tracking_no(received.date(), number % 100_000),
        "case_no": case_no,
        "case_key": case_key(case_no) if case_no else "",
        "subject": _fill(_pick(rng, SUBJECTS), words, rng),
        "description": description,
        "replies": replies,
        "notes": notes,
        "category": [category],
        "category_name": category_name,
        "unit": unit_code,
        "unit_path": [path[:4], path],
        "unit_name": unit_name,
        "status": status,
        "channel": _pick(rng, CHANNELS),
        "flags": flags,
        "received": received.isoformat(),
        "received_month": received.strftime("%Y-%m"),
        "due": due.isoformat(),
        "overdue": status != "closed" and due < today,
        "name_masked": _pick(rng, SURNAMES) + "*",
        "phone_masked": phone[:3] + "****" + phone[-4:],
        "phone_hash": "",
        "url": f"/admin/petitions/{number}/",
    }


def petitions(count: int, seed: int = 7, today: date | None = None):
    """``count`` synthetic petitions, numbered from 1, reproducible by ``seed``."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 1)
    for number in range(1, count + 1):
        yield petition_document(number, rng, today)
