"""The demo site's words: guides, typical cases, Q&A, news and service channels.

Written for this project in plain Chinese, with English versions of about half.
Places, people, courts' case numbers and local phone numbers are fictional (江南省,
江南市); the national hotlines (12348, 12368, 12315, 12333, 96110) are real.
Statutes are quoted from the Civil Code and the laws named; check the current text
before reusing a quotation elsewhere.
"""


def p(*paragraphs):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def h(text):
    return [{"type": "heading", "value": text}]


def law(name, article, text):
    return [
        {"type": "statute", "value": {"law": name, "article": article, "text": text}}
    ]


def tip(text, title="", kind="tip"):
    return [
        {
            "type": "callout",
            "value": {"kind": kind, "title": title, "text": f"<p>{text}</p>"},
        }
    ]


def steps(title, items):
    return [
        {
            "type": "steps",
            "value": {
                "title": title,
                "steps": [{"title": t, "text": d} for t, d in items],
            },
        }
    ]


def qa(question, answer):
    return [
        {
            "type": "question",
            "value": {"question": question, "answer": f"<p>{answer}</p>"},
        }
    ]


# (slug, Chinese, English)
TOPICS = [
    ("wages", "欠薪讨薪", "Unpaid wages"),
    ("labour-contracts", "劳动合同", "Employment contracts"),
    ("family", "婚姻家庭", "Marriage and family"),
    ("inheritance", "继承", "Inheritance"),
    ("fraud", "防范电信诈骗", "Telecom fraud"),
    ("consumer", "消费维权", "Consumer rights"),
    ("minors", "未成年人保护", "Protecting children"),
    ("mediation", "人民调解", "Community mediation"),
]

REGIONS = [
    ("jiangnan", "江南市（全市）", "Jiangnan City (all districts)"),
    ("dongcheng", "东城区", "Dongcheng District"),
    ("xicheng", "西城区", "Xicheng District"),
]

# key: Chinese fields, English fields
OFFICES = {
    "centre": (
        {
            "name": "江南市公共法律服务中心",
            "address": "江南市东城区人民路100号市民服务中心一楼",
            "region": "jiangnan",
            "phone": "0570-86612348",
            "directions": "公交3路、15路“市民中心”站下车；正门设无障碍坡道。",
        },
        {
            "name": "Jiangnan Public Legal Service Centre",
            "address": "Ground floor, Citizens' Service Centre, 100 Renmin Road, "
            "Dongcheng District, Jiangnan",
            "directions": "Bus 3 or 15 to Citizens' Centre; step-free ramp at the "
            "main entrance.",
        },
    ),
    "court": (
        {
            "name": "江南市中级人民法院诉讼服务中心",
            "address": "江南市西城区法院路8号",
            "region": "xicheng",
            "phone": "0570-86612368",
            "directions": "地铁1号线“法院路”站B口出，步行200米。",
        },
        None,
    ),
    "station": (
        {
            "name": "东城区和平街道司法所",
            "address": "江南市东城区和平街道幸福路23号",
            "region": "dongcheng",
            "phone": "0570-86523010",
            "directions": "和平街道办事处院内东侧二层小楼。",
        },
        None,
    ),
}

# key: Chinese fields, English fields
CONTACTS = {
    "wang": (
        {
            "name": "王建国",
            "role": "和平街道司法所所长、人民调解员",
            "phone": "0570-86523011",
            "office": "station",
        },
        {
            "name": "Wang Jianguo",
            "role": "Head of the Peace Street Justice Office, people's mediator",
        },
    ),
    "chen": (
        {
            "name": "陈静",
            "role": "诉讼服务中心法官助理",
            "phone": "0570-86612370",
            "office": "court",
        },
        {
            "name": "Chen Jing",
            "role": "Judge's assistant, Litigation Service Centre",
        },
    ),
}

# Service channels ------------------------------------------------------------------

CHANNELS = [
    {
        "slug": "12348",
        "title": "12348公共法律服务热线",
        "kind": "hotline",
        "summary": "遇到法律问题不知道找谁，先打12348。律师和法律工作者免费解答，"
        "需要法律援助的，当场告诉您怎么申请。",
        "phones": [("全天24小时", "12348")],
        "hours": [(1, 7, "00:00", "23:59")],
        "holiday_note": "节假日照常接听。",
        "team": "江南市公共法律服务中心热线坐席（值班律师组）",
        "handles": "<ul><li>各类法律咨询：劳动、婚姻家庭、继承、消费、邻里纠纷等</li>"
        "<li>法律援助申请指引</li><li>人民调解、公证、司法鉴定等服务的转介</li></ul>",
        "bring": "",
        "promise": "来电即接；当场答不了的，两个工作日内回电；需要线下办理的，"
        "一次告知所需全部材料。",
        "languages": "普通话、江南方言",
        "accessibility": "听障人士可通过“江南普法”微信公众号文字咨询。",
        "topics": [
            "wages",
            "labour-contracts",
            "family",
            "inheritance",
            "consumer",
            "minors",
            "mediation",
        ],
        "region": "jiangnan",
        "en": {
            "title": "12348 Public Legal Service Hotline",
            "summary": "Not sure who can help with a legal problem? Call 12348 first. "
            "Lawyers answer free of charge and tell you on the spot how to apply "
            "for legal aid.",
            "phones": [("24 hours", "12348")],
            "holiday_note": "Open on public holidays.",
            "team": "Jiangnan Public Legal Service Centre hotline (duty lawyers)",
            "handles": "<ul><li>Legal questions of every kind: work, family, "
            "inheritance, shopping, neighbours</li><li>How to apply for legal "
            "aid</li><li>Referral to mediation, notaries and forensic "
            "services</li></ul>",
            "promise": "Every call answered; if we cannot answer at once we call "
            "back within two working days; when you must come in person we tell "
            "you everything to bring in one go.",
            "languages": "Mandarin, Jiangnan dialect",
            "accessibility": "Deaf and hard-of-hearing callers can write to us "
            "through the Jiangnan Law WeChat account.",
        },
    },
    {
        "slug": "12368",
        "title": "12368诉讼服务热线",
        "kind": "hotline",
        "summary": "查询案件进度、联系承办法官、了解立案和诉讼费用，拨打12368。",
        "phones": [("人工服务", "12368")],
        "hours": [(1, 5, "08:30", "12:00"), (1, 5, "14:00", "17:30")],
        "holiday_note": "法定节假日仅提供语音自助查询。",
        "team": "江南市中级人民法院诉讼服务中心",
        "contact": "chen",
        "handles": "<ul><li>案件进度查询</li><li>联系承办法官、留言转达</li>"
        "<li>立案、缴费、退费咨询</li><li>对法院工作的意见建议</li></ul>",
        "bring": "<p>来电时请准备好案号和当事人姓名。</p>",
        "promise": "留言转达承办法官后，三个工作日内回复。",
        "languages": "普通话",
        "accessibility": "",
        "topics": ["family", "inheritance", "wages"],
        "region": "jiangnan",
    },
    {
        "slug": "12333",
        "title": "12333劳动保障咨询热线",
        "kind": "hotline",
        "summary": "工资被拖欠、没签劳动合同、社保没交，可以打12333咨询或投诉。",
        "phones": [("咨询投诉", "12333")],
        "hours": [(1, 5, "08:30", "17:30")],
        "holiday_note": "节假日暂停人工服务，可语音留言。",
        "team": "江南市人力资源和社会保障局劳动保障监察支队",
        "handles": "<ul><li>拖欠工资投诉</li><li>劳动合同、社会保险政策咨询</li>"
        "<li>劳动争议仲裁指引</li></ul>",
        "bring": "",
        "promise": "欠薪投诉受理后五个工作日内联系投诉人。",
        "languages": "普通话",
        "accessibility": "",
        "topics": ["wages", "labour-contracts"],
        "region": "jiangnan",
    },
    {
        "slug": "12315",
        "title": "12315消费者投诉举报热线",
        "kind": "hotline",
        "summary": "买到假货、网购退货被拒、预付卡商家跑路，拨打12315或在网上投诉。",
        "phones": [("投诉举报", "12315")],
        "hours": [(1, 7, "08:30", "17:30")],
        "holiday_note": "节假日照常受理。",
        "team": "江南市市场监督管理局",
        "handles": "<ul><li>消费投诉与调解</li><li>假冒伪劣、虚假宣传举报</li></ul>",
        "bring": "<p>购物凭证、聊天记录、商品照片。</p>",
        "promise": "投诉七个工作日内决定是否受理并告知。",
        "languages": "普通话",
        "accessibility": "",
        "topics": ["consumer"],
        "region": "jiangnan",
    },
    {
        "slug": "96110",
        "title": "96110反诈预警劝阻专线",
        "kind": "hotline",
        "summary": "接到96110来电请务必接听，这是公安机关在提醒您可能正在被骗。"
        "拿不准对方是不是骗子，也可以主动拨打咨询。",
        "phones": [("全天24小时", "96110")],
        "hours": [(1, 7, "00:00", "23:59")],
        "holiday_note": "全年无休。",
        "team": "江南市公安局反诈中心",
        "handles": "<ul><li>疑似诈骗的咨询与劝阻</li><li>诈骗线索举报</li></ul>",
        "bring": "",
        "promise": "接到劝阻来电后，请立即停止转账；已经转账的，马上拨打110报警。",
        "languages": "普通话",
        "accessibility": "",
        "topics": ["fraud"],
        "region": "jiangnan",
        "en": {
            "title": "96110 Anti-Fraud Warning Line",
            "summary": "If 96110 calls you, answer: the police are warning you that "
            "you may be being scammed. You can also call it yourself when you are "
            "unsure about a caller.",
            "phones": [("24 hours", "96110")],
            "holiday_note": "Open every day of the year.",
            "team": "Jiangnan Public Security Bureau anti-fraud centre",
            "handles": "<ul><li>Advice when you suspect a scam</li><li>Reporting "
            "scam calls and messages</li></ul>",
            "promise": "When we call to warn you, stop any transfer at once; if you "
            "have already paid, call 110 immediately.",
            "languages": "Mandarin",
        },
    },
    {
        "slug": "peace-street-director",
        "title": "和平街道司法所所长直线",
        "kind": "direct",
        "summary": "邻里纠纷、家庭矛盾需要调解，可以直接找司法所所长王建国。",
        "phones": [("所长直线", "0570-86523011")],
        "hours": [(1, 5, "08:30", "12:00"), (1, 5, "14:00", "17:30")],
        "holiday_note": "节假日紧急纠纷请拨打12348转接。",
        "contact": "wang",
        "team": "东城区和平街道人民调解委员会",
        "handles": "<ul><li>邻里、物业、家庭纠纷调解</li><li>社区矫正对象报到咨询</li>"
        "<li>法律援助申请初审</li></ul>",
        "bring": "<p>身份证；与纠纷有关的照片、合同、聊天记录。</p>",
        "promise": "首问负责：接到电话的人负责到底，三个工作日内安排调解。",
        "languages": "普通话、江南方言",
        "accessibility": "行动不便的老人可预约上门调解。",
        "office": "station",
        "topics": ["mediation", "family"],
        "region": "dongcheng",
    },
    {
        "slug": "online-desk",
        "title": "江南法律服务网在线咨询",
        "kind": "online",
        "summary": "不方便打电话或出门，可以在网上留言咨询，律师会书面答复。",
        "phones": [],
        "hours": [(1, 7, "00:00", "23:59")],
        "holiday_note": "留言全天可提交；律师在工作日答复。",
        "online_url": "https://legal.jiangnan.example/ask",
        "team": "江南市公共法律服务中心网络咨询组",
        "handles": "<ul><li>书面法律咨询</li><li>法律援助网上预申请</li>"
        "<li>公证、调解预约</li></ul>",
        "bring": "",
        "promise": "工作日留言24小时内答复；节假日留言在节后第一个工作日答复。",
        "languages": "中文、English",
        "accessibility": "网站支持读屏软件和大字模式。",
        "topics": ["wages", "labour-contracts", "family", "inheritance", "consumer"],
        "region": "jiangnan",
        "en": {
            "title": "Jiangnan Legal Services Online Desk",
            "summary": "If calling or travelling is hard, leave your question "
            "online and a lawyer replies in writing.",
            "holiday_note": "Questions can be sent at any time; lawyers reply on "
            "working days.",
            "team": "Jiangnan Public Legal Service Centre online team",
            "handles": "<ul><li>Written legal advice</li><li>Pre-applying for "
            "legal aid</li><li>Booking a notary or a mediation</li></ul>",
            "promise": "Questions sent on a working day are answered within 24 "
            "hours; those sent on a holiday, on the first working day after.",
            "languages": "Chinese, English",
            "accessibility": "The site works with screen readers and large text.",
        },
    },
    {
        "slug": "wechat",
        "title": "“江南普法”微信公众号",
        "kind": "wechat",
        "summary": "关注公众号，可以文字咨询、预约律师，也能读到每周的普法小知识。",
        "phones": [],
        "hours": [(1, 5, "09:00", "17:00")],
        "holiday_note": "非工作时间留言次日回复。",
        "wechat_account": "jiangnanpufa",
        "team": "江南市司法局普法宣传科",
        "handles": "<ul><li>文字法律咨询</li><li>预约律师、调解员</li>"
        "<li>普法活动报名</li></ul>",
        "bring": "",
        "promise": "工作时间内留言两小时内回复。",
        "languages": "普通话",
        "accessibility": "听障人士可通过文字咨询。",
        "topics": ["fraud", "minors", "consumer"],
        "region": "jiangnan",
    },
    {
        "slug": "service-centre",
        "title": "江南市公共法律服务中心窗口",
        "kind": "office",
        "summary": "法律援助、公证、调解、法律咨询一个窗口办理，当面说清楚。",
        "phones": [("咨询", "0570-86612348")],
        "hours": [
            (1, 5, "09:00", "12:00"),
            (1, 5, "13:30", "17:00"),
            (6, 6, "09:00", "12:00"),
        ],
        "holiday_note": "法定节假日休息，周六上午只办理法律咨询。",
        "office": "centre",
        "team": "江南市法律援助中心、人民调解中心联合窗口",
        "handles": "<ul><li>法律援助申请受理</li><li>当面法律咨询</li>"
        "<li>人民调解申请</li><li>公证、司法鉴定指引</li></ul>",
        "bring": "<ul><li>本人身份证</li><li>与问题有关的材料：合同、工资条、"
        "聊天记录、判决书等</li><li>申请法律援助的，带上经济困难情况的说明"
        "（可现场填写承诺书）</li></ul>",
        "promise": "材料不全的，一次性告知需要补充的全部材料；法律援助申请"
        "自收到之日起七日内作出是否给予援助的决定。",
        "languages": "普通话、江南方言；可预约手语翻译",
        "accessibility": "无障碍坡道、无障碍卫生间；老年人、残疾人优先窗口。",
        "topics": [
            "wages",
            "labour-contracts",
            "family",
            "inheritance",
            "mediation",
            "minors",
        ],
        "region": "jiangnan",
        "en": {
            "title": "Jiangnan Public Legal Service Centre (walk-in desk)",
            "summary": "Legal aid, notaries, mediation and legal advice at one "
            "desk, face to face.",
            "phones": [("Enquiries", "0570-86612348")],
            "holiday_note": "Closed on public holidays; on Saturday mornings we "
            "give legal advice only.",
            "team": "Jiangnan Legal Aid Centre and Mediation Centre joint desk",
            "handles": "<ul><li>Applications for legal aid</li><li>Legal advice "
            "in person</li><li>Requests for mediation</li><li>Guidance on notaries "
            "and forensic services</li></ul>",
            "bring": "<ul><li>Your ID card</li><li>Papers about your problem: "
            "contracts, pay slips, chat records, judgments</li><li>For legal "
            "aid, a statement of your finances (you can fill one in here)</li></ul>",
            "promise": "If anything is missing we tell you everything at once; "
            "we decide on a legal aid application within seven days.",
            "languages": "Mandarin, Jiangnan dialect; sign language on request",
            "accessibility": "Step-free ramp and accessible toilet; priority desk "
            "for older and disabled people.",
        },
    },
    {
        "slug": "mobile-point",
        "title": "法律服务流动站（乡镇集市）",
        "kind": "mobile",
        "summary": "律师和调解员定期到乡镇集市摆摊，老人不用进城也能当面咨询。",
        "phones": [("预约", "0570-86523010")],
        "hours": [(3, 3, "08:00", "11:30")],
        "holiday_note": "遇雨雪天气或节假日顺延到下一个集日。",
        "location_note": "每月第一个周三：东城区青石镇集市（镇政府门前广场）；\n"
        "每月第三个周三：东城区柳塘村文化礼堂。",
        "team": "东城区司法局法律服务流动站",
        "handles": "<ul><li>当面法律咨询</li><li>调解申请</li>"
        "<li>法律援助申请材料代收</li></ul>",
        "bring": "<p>身份证和与问题有关的材料；不识字的可请家人陪同，"
        "工作人员也会帮您填写。</p>",
        "promise": "当天能答复的当场答复；需要后续办理的，由接待人负责跟进到底。",
        "languages": "普通话、江南方言",
        "accessibility": "设在一楼或露天，有座椅。",
        "topics": ["mediation", "inheritance", "family", "fraud"],
        "region": "dongcheng",
        "en": {
            "title": "Mobile Legal Service Point (village markets)",
            "summary": "Lawyers and mediators set up a stall at village markets, "
            "so older people can ask in person without travelling to the city.",
            "phones": [("Appointments", "0570-86523010")],
            "holiday_note": "In rain, snow or on a holiday we come on the next "
            "market day.",
            "location_note": "First Wednesday of each month: Qingshi town market "
            "(square in front of the town hall), Dongcheng.\nThird Wednesday: "
            "Liutang village cultural hall, Dongcheng.",
            "team": "Dongcheng Justice Bureau mobile service point",
            "handles": "<ul><li>Legal advice in person</li><li>Requests for "
            "mediation</li><li>We collect legal aid applications</li></ul>",
            "bring": "<p>Your ID card and papers about your problem; a family "
            "member may come along, and staff will help you fill in forms.</p>",
            "promise": "Answers on the day when possible; anything that needs "
            "follow-up stays with the person who received you until it is done.",
            "languages": "Mandarin, Jiangnan dialect",
            "accessibility": "On the ground floor or outdoors, with seats.",
        },
    },
]

# Guides ----------------------------------------------------------------------------

GUIDES = [
    {
        "slug": "unpaid-wages",
        "title": "被拖欠工资怎么办",
        "summary": "老板拖着不发工资，先把证据留好，再按协商、投诉、仲裁的顺序"
        "一步步来。申请劳动仲裁不收费。",
        "topics": ["wages"],
        "audience": "workers",
        "last_reviewed": "2026-09-01",
        "channels": ["12333", "12348", "service-centre"],
        "related": ["labour-contract"],
        "body": p(
            "工资是劳动者最基本的权利。用人单位无故拖欠、克扣工资，是违法行为。"
            "讨薪不一定要上门争吵，走法律途径更稳妥，而且大多不花钱。"
        )
        + law(
            "劳动法",
            "第五十条",
            "工资应当以货币形式按月支付给劳动者本人。不得克扣或者无故拖欠劳动者的工资。",
        )
        + h("第一步：把证据留好")
        + p(
            "能证明您在这里干活、干了多久、应该拿多少钱的材料都要留着："
            "劳动合同、工牌、考勤记录、工资条、银行流水、与老板或工头的微信聊天记录、"
            "工友的证言。没有书面合同也不要紧，这些材料同样能证明劳动关系。"
        )
        + tip("聊天记录不要删，最好截图并备份到另一部手机或电脑上。")
        + steps(
            "第二步：按顺序想办法",
            [
                ("和用人单位协商", "把欠款数额、应付日期写清楚，请对方书面确认。"),
                (
                    "向劳动保障监察投诉",
                    "拨打12333或到当地人社部门投诉，监察部门可以责令用人单位限期支付。",
                ),
                (
                    "申请劳动争议仲裁",
                    "向用人单位所在地的劳动争议仲裁委员会申请，仲裁不收费。",
                ),
                ("对仲裁结果不服的，向人民法院起诉", "收到裁决书之日起十五日内起诉。"),
            ],
        )
        + law(
            "劳动合同法",
            "第三十条第二款",
            "用人单位拖欠或者未足额支付劳动报酬的，劳动者可以依法向当地人民法院"
            "申请支付令，人民法院应当依法发出支付令。",
        )
        + tip(
            "劳动关系结束后，申请仲裁一般要在一年内提出。别拖，越早越好。",
            title="注意时效",
            kind="warning",
        )
        + qa(
            "没签劳动合同，还能讨回工资吗？",
            "能。考勤、工资转账记录、聊天记录、工友证言都能证明劳动关系。"
            "而且用人单位超过一个月不签书面合同，还应当每月支付二倍工资。",
        ),
        "en": {
            "title": "What to do when your wages are not paid",
            "summary": "If your employer will not pay you, keep the evidence first, "
            "then try talking, a complaint and arbitration, in that order. "
            "Labour arbitration is free.",
            "body": p(
                "Wages are a worker's most basic right. Withholding or cutting "
                "them without cause is against the law, and the legal route is "
                "usually safer than a confrontation, and mostly free."
            )
            + law(
                "Labour Law",
                "Article 50",
                "Wages shall be paid monthly to the worker in person in the form "
                "of money. Wages shall not be deducted or delayed without cause.",
            )
            + h("Step one: keep the evidence")
            + p(
                "Keep anything that shows you worked there, for how long and for "
                "how much: a contract, a work badge, attendance records, pay "
                "slips, bank statements, WeChat messages with the boss or "
                "foreman, statements from co-workers. Without a written contract "
                "these still prove that you were employed."
            )
            + tip("Do not delete chat records; screenshot them and keep a copy.")
            + steps(
                "Step two: in this order",
                [
                    (
                        "Talk to the employer",
                        "Ask them to confirm in writing "
                        "how much they owe and when they will pay.",
                    ),
                    (
                        "Complain to labour inspection",
                        "Call 12333; inspectors "
                        "can order the employer to pay by a deadline.",
                    ),
                    (
                        "Apply for labour arbitration",
                        "At the arbitration "
                        "committee where the employer is based; it is free.",
                    ),
                    (
                        "Go to court if you disagree with the award",
                        "Within 15 days of receiving it.",
                    ),
                ],
            )
            + tip(
                "Once the job has ended, apply for arbitration within one year.",
                title="Time limit",
                kind="warning",
            ),
        },
    },
    {
        "slug": "labour-contract",
        "title": "签劳动合同要注意什么",
        "summary": "入职一个月内必须签书面合同；试用期有上限；押身份证、收押金"
        "都是违法的。",
        "topics": ["labour-contracts"],
        "audience": "workers",
        "last_reviewed": "2026-08-15",
        "channels": ["12333", "12348"],
        "related": ["unpaid-wages"],
        "body": p(
            "劳动合同是保护自己的第一份证据。工资多少、干什么活、在哪里干、"
            "干多久，都要写进合同，签完自己留一份。"
        )
        + law(
            "劳动合同法",
            "第十条第一款、第二款",
            "建立劳动关系，应当订立书面劳动合同。已建立劳动关系，未同时订立书面"
            "劳动合同的，应当自用工之日起一个月内订立书面劳动合同。",
        )
        + law(
            "劳动合同法",
            "第八十二条第一款",
            "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，"
            "应当向劳动者每月支付二倍的工资。",
        )
        + h("试用期不能随便定")
        + p(
            "合同期限三个月以上不满一年的，试用期不超过一个月；一年以上不满三年的，"
            "不超过二个月；三年以上和无固定期限的，不超过六个月。"
            "同一单位对同一劳动者只能约定一次试用期。"
        )
        + tip(
            "用人单位不得扣押您的身份证等证件，也不得要求您交押金、"
            "提供担保。遇到这种情况可以拨打12333投诉。",
            title="这些要求是违法的",
            kind="warning",
        )
        + steps(
            "签合同前检查这几项",
            [
                ("工作内容和地点", "写得具体，避免随意调岗。"),
                ("工资和发放日期", "写明数额、构成和每月几号发。"),
                ("社会保险", "用人单位必须依法缴纳，不能用“补贴”代替。"),
                ("自己留一份", "合同一式两份，双方各执一份。"),
            ],
        ),
        "en": {
            "title": "What to check in an employment contract",
            "summary": "A written contract is due within a month of starting; "
            "probation has a limit; keeping your ID card or taking a deposit is "
            "against the law.",
            "body": p(
                "Your contract is your first piece of evidence. Pay, duties, "
                "place and length of the job all belong in it, and you keep a "
                "signed copy."
            )
            + law(
                "Labour Contract Law",
                "Article 10, paragraphs 1 and 2",
                "A written labour contract shall be concluded to establish a "
                "labour relationship. Where a labour relationship is established "
                "without a written contract, one shall be concluded within one "
                "month from the date employment begins.",
            )
            + law(
                "Labour Contract Law",
                "Article 82, paragraph 1",
                "An employer that fails to conclude a written contract with a "
                "worker for more than one month but less than one year from the "
                "date employment begins shall pay the worker double wages for "
                "each month.",
            )
            + h("Probation has limits")
            + p(
                "For a contract of three months to a year, probation is at most "
                "one month; one to three years, two months; three years or more, "
                "or open-ended, six months. Only one probation with the same "
                "employer."
            )
            + tip(
                "An employer may not keep your ID card or ask for a deposit or a "
                "guarantee. Call 12333 to complain.",
                title="These demands are unlawful",
                kind="warning",
            ),
        },
    },
    {
        "slug": "divorce",
        "title": "协议离婚和诉讼离婚怎么走",
        "summary": "双方都同意，可以到婚姻登记机关协议离婚，有三十天冷静期；"
        "一方不同意，可以向法院起诉。遭受家暴可以申请人身安全保护令。",
        "topics": ["family"],
        "audience": "families",
        "last_reviewed": "2026-07-20",
        "channels": ["service-centre", "12368", "12348"],
        "related": ["inheritance", "child-online-spending"],
        "body": h("双方同意：到民政局协议离婚")
        + law(
            "民法典",
            "第一千零七十六条第一款",
            "夫妻双方自愿离婚的，应当签订书面离婚协议，并亲自到婚姻登记机关申请离婚登记。",
        )
        + p(
            "离婚协议要写清楚：双方自愿离婚，子女由谁抚养、抚养费怎么付、"
            "探望怎么安排，财产和债务怎么分。"
        )
        + law(
            "民法典",
            "第一千零七十七条",
            "自婚姻登记机关收到离婚登记申请之日起三十日内，任何一方不愿意离婚的，"
            "可以向婚姻登记机关撤回离婚登记申请。前款规定期限届满后三十日内，"
            "双方应当亲自到婚姻登记机关申请发给离婚证；未申请的，视为撤回离婚登记申请。",
        )
        + tip("冷静期满后三十天内一定要两人一起去领离婚证，否则视为撤回申请。")
        + h("一方不同意：向法院起诉")
        + law(
            "民法典",
            "第一千零七十九条第二款",
            "人民法院审理离婚案件，应当进行调解；如果感情确已破裂，调解无效的，应当准予离婚。",
        )
        + p("起诉离婚不适用冷静期。经济困难的，可以申请法律援助和缓交诉讼费。")
        + tip(
            "遭受家庭暴力的，先保证人身安全，拨打110；可以向法院申请人身安全保护令，"
            "法院一般在七十二小时内作出裁定，情况紧急的二十四小时内作出。",
            title="遇到家暴",
            kind="warning",
        ),
    },
    {
        "slug": "inheritance",
        "title": "遗产怎么继承，遗嘱怎么立才有效",
        "summary": "没有遗嘱时按法定顺序继承；自书遗嘱要亲笔写、签名、写明年月日；"
        "有几份遗嘱内容冲突的，以最后一份为准。",
        "topics": ["inheritance"],
        "audience": "elderly",
        "last_reviewed": "2026-06-30",
        "channels": ["service-centre", "mobile-point", "12348"],
        "related": ["divorce", "neighbour-mediation"],
        "body": h("没有遗嘱：按法定顺序继承")
        + law(
            "民法典",
            "第一千一百二十七条第一款、第二款",
            "遗产按照下列顺序继承：（一）第一顺序：配偶、子女、父母；（二）第二顺序："
            "兄弟姐妹、祖父母、外祖父母。继承开始后，由第一顺序继承人继承，"
            "第二顺序继承人不继承；没有第一顺序继承人继承的，由第二顺序继承人继承。",
        )
        + p("同一顺序的继承人一般均等分配；对尽了主要赡养义务的，分配时可以多分。")
        + h("立遗嘱：形式要对")
        + law(
            "民法典",
            "第一千一百三十四条",
            "自书遗嘱由遗嘱人亲笔书写，签名，注明年、月、日。",
        )
        + law(
            "民法典",
            "第一千一百三十六条",
            "打印遗嘱应当有两个以上见证人在场见证。遗嘱人和见证人应当在遗嘱每一页签名，"
            "注明年、月、日。",
        )
        + tip(
            "继承人、受遗赠人及其利害关系人不能做见证人。"
            "电脑打印后只签个名、没有见证人的遗嘱，可能被认定无效。",
            kind="warning",
        )
        + law(
            "民法典",
            "第一千一百四十二条第三款",
            "立有数份遗嘱，内容相抵触的，以最后的遗嘱为准。",
        )
        + steps(
            "办理继承的一般步骤",
            [
                ("列出遗产", "房产、存款、车辆、股票等，找齐权属证明。"),
                ("确认继承人", "准备亲属关系证明、死亡证明。"),
                (
                    "协商分割",
                    "协商一致的可以办理继承公证，或一起到不动产登记机构办理。",
                ),
                ("协商不成", "可以申请人民调解，也可以向法院起诉。"),
            ],
        ),
    },
    {
        "slug": "telecom-fraud",
        "title": "识破电信网络诈骗",
        "summary": "“公检法”不会电话办案，更没有“安全账户”；刷单、投资、"
        "冒充客服都是常见骗局。被骗后马上打110。",
        "topics": ["fraud"],
        "audience": "everyone",
        "last_reviewed": "2026-10-10",
        "channels": ["96110", "wechat", "12348"],
        "related": ["online-shopping"],
        "body": p("骗子的剧本在变，但套路就几种。记住下面几句话，能挡住大部分骗局。")
        + steps(
            "这些都是骗局",
            [
                (
                    "“您涉嫌洗钱，请把钱转到安全账户”",
                    "公安、检察院、法院不会通过电话、视频办案，也没有所谓“安全账户”。",
                ),
                (
                    "“动动手指就能赚钱，先垫付再返利”",
                    "刷单返利本身就是诈骗，先给小甜头，再让您越投越多。",
                ),
                (
                    "“我是客服，您的订单出了问题要退款”",
                    "正规退款不需要您提供验证码，也不需要下载屏幕共享软件。",
                ),
                (
                    "“内部消息，稳赚不赔的投资”",
                    "陌生人拉进群推荐的投资平台，大多是假平台。",
                ),
            ],
        )
        + tip(
            "接到96110来电，请一定接听，那是警方在提醒您。",
            title="96110打来要接",
        )
        + law(
            "反电信网络诈骗法",
            "第三十一条第一款",
            "任何单位和个人不得非法买卖、出租、出借电话卡、物联网卡、电信线路、"
            "短信端口、银行账户、支付账户、互联网账户等，不得提供实名核验帮助；"
            "不得假冒他人身份或者虚构代理关系开立上述卡、账户、账号等。",
        )
        + tip(
            "把自己的银行卡、手机卡出借出租给别人，可能被追究法律责任，"
            "也可能成为诈骗的帮凶。",
            kind="warning",
        )
        + steps(
            "已经被骗了，马上做这三件事",
            [
                (
                    "立即拨打110报警",
                    "说清转账时间、金额、对方账户。越早报警，止付冻结的机会越大。",
                ),
                ("保存证据", "聊天记录、转账凭证、对方电话和账号，不要删除。"),
                ("提防“二次诈骗”", "声称能“帮您追回损失”的，多半也是骗子。"),
            ],
        ),
        "en": {
            "title": "Spotting telecom and online fraud",
            "summary": "Police, prosecutors and courts never handle cases by "
            "phone, and there is no 'safe account'. Fake tasks, investments and "
            "customer-service calls are common scams. If you have been cheated, "
            "call 110 at once.",
            "body": p(
                "The scripts change but the tricks are few. Remember these "
                "and most scams fail."
            )
            + steps(
                "These are all scams",
                [
                    (
                        "'You are suspected of money laundering; move your money to "
                        "a safe account'",
                        "The police and courts do not handle "
                        "cases by phone or video, and there is no safe account.",
                    ),
                    (
                        "'Earn money with a few taps; pay first, get a rebate'",
                        "Paid 'order boosting' is itself a scam.",
                    ),
                    (
                        "'I am customer service; your order needs a refund'",
                        "A real refund never needs your verification code or "
                        "screen-sharing software.",
                    ),
                ],
            )
            + tip(
                "If 96110 calls you, answer: it is the police warning you.",
                title="Answer 96110",
            )
            + steps(
                "Cheated already? Do these three things now",
                [
                    (
                        "Call 110",
                        "Give the time, amount and the receiving "
                        "account. The sooner you report, the better the chance to "
                        "freeze the money.",
                    ),
                    (
                        "Keep the evidence",
                        "Chats, transfer receipts, numbers and accounts.",
                    ),
                    (
                        "Beware a second scam",
                        "Anyone offering to recover your "
                        "loss for a fee is most likely another scammer.",
                    ),
                ],
            ),
        },
    },
    {
        "slug": "online-shopping",
        "title": "网购退货和消费维权",
        "summary": "网上买的东西，一般收货七天内可以无理由退货；商家欺诈的，"
        "可以要求退一赔三，最低赔五百元。",
        "topics": ["consumer"],
        "audience": "consumers",
        "last_reviewed": "2026-09-15",
        "channels": ["12315", "online-desk"],
        "related": ["telecom-fraud"],
        "body": law(
            "消费者权益保护法",
            "第二十五条第一款",
            "经营者采用网络、电视、电话、邮购等方式销售商品，消费者有权自收到商品之日起"
            "七日内退货，且无需说明理由，但下列商品除外：（一）消费者定作的；"
            "（二）鲜活易腐的；（三）在线下载或者消费者拆封的音像制品、计算机软件等"
            "数字化商品；（四）交付的报纸、期刊。",
        )
        + p("退回的商品应当完好。除另有约定外，退货的运费由消费者承担。")
        + law(
            "消费者权益保护法",
            "第五十五条第一款",
            "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，"
            "增加赔偿的金额为消费者购买商品的价款或者接受服务的费用的三倍；"
            "增加赔偿的金额不足五百元的，为五百元。法律另有规定的，依照其规定。",
        )
        + steps(
            "维权的顺序",
            [
                ("先找商家或平台协商", "保留订单、聊天记录和商品照片。"),
                ("向12315投诉", "电话或网上投诉，市场监管部门组织调解。"),
                (
                    "申请调解或向法院起诉",
                    "小额纠纷可以适用小额诉讼程序，审理快、费用低。",
                ),
            ],
        )
        + tip("办预付卡、会员卡前看清商家资质，不要一次充值太多。"),
        "en": {
            "title": "Returning online purchases and consumer rights",
            "summary": "Goods bought online can usually be returned within seven "
            "days of delivery without a reason; if the seller cheated you, you "
            "can claim three times the price, at least 500 yuan.",
            "body": law(
                "Consumer Rights Protection Law",
                "Article 25, paragraph 1",
                "Where a business sells goods online, by television, telephone or "
                "mail order, the consumer may return them within seven days of "
                "receipt without giving a reason, except goods made to order, "
                "fresh and perishable goods, digital goods downloaded or unsealed "
                "by the consumer, and newspapers and periodicals delivered.",
            )
            + p(
                "Returned goods must be in good condition; unless agreed "
                "otherwise, the consumer pays the return postage."
            )
            + steps(
                "How to claim",
                [
                    (
                        "Talk to the seller or platform first",
                        "Keep the order, chats and photos of the goods.",
                    ),
                    (
                        "Complain to 12315",
                        "By phone or online; market regulators mediate.",
                    ),
                    (
                        "Mediation or court",
                        "Small claims are heard quickly and cheaply.",
                    ),
                ],
            ),
        },
    },
    {
        "slug": "child-online-spending",
        "title": "孩子偷偷大额充值、打赏，钱能要回来吗",
        "summary": "八周岁以上的未成年人是限制民事行为能力人，与其年龄不相适应的"
        "大额充值，家长不追认的，可以要求退还。",
        "topics": ["minors"],
        "audience": "minors",
        "last_reviewed": "2026-05-18",
        "channels": ["12315", "12348", "wechat"],
        "related": ["online-shopping", "divorce"],
        "body": law(
            "民法典",
            "第十九条",
            "八周岁以上的未成年人为限制民事行为能力人，实施民事法律行为由其法定代理人"
            "代理或者经其法定代理人同意、追认；但是，可以独立实施纯获利益的民事法律行为"
            "或者与其年龄、智力相适应的民事法律行为。",
        )
        + p(
            "孩子用家长的手机给游戏充值几万元，或者给主播大额打赏，明显超出了他这个"
            "年龄能独立决定的范围。家长不同意的，可以要求平台退款。"
        )
        + steps(
            "怎么要回来",
            [
                (
                    "马上留证据",
                    "充值记录、支付记录、孩子使用手机的时间，"
                    "以及能证明是孩子操作的材料（聊天、游戏账号信息等）。",
                ),
                ("联系平台申请退款", "多数平台设有未成年人退款通道。"),
                ("投诉或起诉", "平台拒绝的，可以拨打12315投诉，或向法院起诉。"),
            ],
        )
        + tip(
            "家长也要管好自己的手机和支付密码。法院审理时会看家长有没有尽到监护责任，"
            "没尽到的，可能只能要回一部分。",
            kind="warning",
        )
        + law(
            "未成年人保护法",
            "第十一条第一款",
            "任何组织或者个人发现不利于未成年人身心健康或者侵犯未成年人合法权益的情形，"
            "都有权劝阻、制止或者向公安、民政、教育等有关部门提出检举、控告。",
        ),
    },
    {
        "slug": "neighbour-mediation",
        "title": "邻里纠纷，找人民调解",
        "summary": "楼上漏水、噪音扰民、宅基地边界争执，可以找村居或街道的人民调解"
        "委员会，调解不收费，达成的协议还可以申请法院确认。",
        "topics": ["mediation"],
        "audience": "everyone",
        "last_reviewed": "2026-04-22",
        "channels": ["peace-street-director", "mobile-point", "12348"],
        "related": ["inheritance"],
        "body": p(
            "邻里之间的矛盾，闹到法院既费时又伤感情。人民调解员大多是熟悉本地情况的"
            "老党员、老干部、律师，能帮双方把话说开。"
        )
        + law("人民调解法", "第四条", "人民调解委员会调解民间纠纷，不收取任何费用。")
        + steps(
            "怎么申请调解",
            [
                (
                    "找到调解组织",
                    "村（居）委会、街道（乡镇）司法所都设有人民调解委员会。",
                ),
                ("说明情况", "口头或书面申请都可以，带上身份证和相关照片、材料。"),
                ("参加调解", "调解员会分别听取双方意见，提出解决方案。"),
                ("签订调解协议", "协议对双方有约束力，应当履行。"),
            ],
        )
        + law(
            "人民调解法",
            "第三十三条第一款",
            "经人民调解委员会调解达成调解协议后，双方当事人认为有必要的，可以自调解协议"
            "生效之日起三十日内共同向人民法院申请司法确认，人民法院应当及时对调解协议"
            "进行审查，依法确认调解协议的效力。",
        )
        + tip(
            "调解协议经法院司法确认后，一方不履行的，另一方可以直接申请法院强制执行。"
        ),
    },
]

# Typical cases ---------------------------------------------------------------------

CASES = [
    {
        "slug": "migrant-workers-wages",
        "title": "分包单位拖欠农民工工资，总承包单位先行清偿",
        "summary": "包工头带着工程款“失联”，十二名农民工起诉，法院判决施工总承包单位"
        "先行清偿被拖欠的工资。",
        "topics": ["wages"],
        "audience": "workers",
        "region": "dongcheng",
        "authority": "江南市东城区人民法院",
        "decided_on": "2025-06-18",
        "case_number": "（2025）江0102民初1234号",
        "background": "<p>某建筑公司承包东城区一处住宅项目后，"
        "将木工工程分包给一家劳务公司。"
        "劳务公司负责人收到工程款后未发放工资，十二名木工被拖欠工资共计二十八万元。"
        "工人多次讨要无果，经12348热线指引申请了法律援助。</p>",
        "decision": "<p>法院认为，根据《保障农民工工资支付条例》，"
        "分包单位拖欠农民工工资的，"
        "由施工总承包单位先行清偿，再依法进行追偿。法院判决建筑公司先行支付"
        "全部欠薪，并可向劳务公司追偿。判决生效后，建筑公司已全部履行。</p>",
        "significance": "<p>建设工程领域层层分包，工人往往找不到真正的“老板”。"
        "法律规定总承包单位先行清偿，就是为了让工人的工资有着落。"
        "遇到欠薪，工人可以直接向总承包单位主张，并申请法律援助。</p>",
        "related": ["unpaid-wages"],
        "en": {
            "title": "Subcontractor withholds migrant workers' wages: the main "
            "contractor pays first",
            "summary": "A labour subcontractor vanished with the money; twelve "
            "workers sued and the court ordered the main contractor to pay their "
            "wages first.",
            "authority": "Dongcheng District People's Court, Jiangnan",
            "background": "<p>A builder subcontracted the carpentry on a housing "
            "project in Dongcheng to a labour firm. The firm's manager received "
            "the payment but paid no wages; twelve carpenters were owed 280,000 "
            "yuan in all. After getting nowhere, they called the 12348 hotline "
            "and were granted legal aid.</p>",
            "decision": "<p>Under the Regulations on Guaranteeing Payment of "
            "Migrant Workers' Wages, when a subcontractor withholds wages the "
            "main contractor pays them first and may then recover the money. "
            "The court ordered the builder to pay all the wages; it has done "
            "so.</p>",
            "significance": "<p>On building sites work is subcontracted in "
            "layers and workers often cannot find the real boss. The rule that "
            "the main contractor pays first makes sure wages are paid. Workers "
            "can claim directly from the main contractor and apply for legal "
            "aid.</p>",
        },
    },
    {
        "slug": "printed-will",
        "title": "打印遗嘱没有见证人，被认定无效",
        "summary": "老人生前留下一份电脑打印、只有本人签名的遗嘱，法院认定不符合"
        "法定形式，遗产按法定继承分配。",
        "topics": ["inheritance"],
        "audience": "elderly",
        "region": "xicheng",
        "authority": "江南市中级人民法院",
        "decided_on": "2025-09-02",
        "case_number": "（2025）江01民终5678号",
        "background": "<p>张老先生去世后，小儿子拿出一份打印的遗嘱，"
        "写明房屋由他一人继承，遗嘱上只有张老先生的签名和日期，没有见证人。"
        "其他子女不认可，诉至法院。</p>",
        "decision": "<p>法院认为，打印遗嘱应当有两个以上见证人在场见证，"
        "遗嘱人和见证人应当在每一页签名并注明年、月、日。"
        "这份遗嘱没有见证人，不符合法定形式，不能发生遗嘱继承的效力。"
        "房屋按法定继承由三名子女均等继承；小儿子长期与老人同住、照顾较多，"
        "法院判决其适当多分。</p>",
        "significance": "<p>遗嘱的形式决定它是否有效。想让遗嘱真正管用，"
        "可以亲笔书写全文并签名、写明年月日，或者找两名与继承无关的见证人，"
        "也可以到公证机构办理。</p>",
        "related": ["inheritance"],
    },
    {
        "slug": "game-top-up-refund",
        "title": "十一岁孩子游戏充值三万八，平台退还大部分",
        "summary": "孩子用母亲手机给游戏充值三万八千元，法院认定与其年龄不相适应，"
        "平台退还八成，家长因监护不到位自担两成。",
        "topics": ["minors", "consumer"],
        "audience": "minors",
        "region": "jiangnan",
        "authority": "江南市西城区人民法院",
        "decided_on": "2025-11-12",
        "case_number": "（2025）江0103民初2468号",
        "background": "<p>十一岁的小明趁母亲不注意，用她的手机在两个月内给一款网络游戏"
        "充值三万八千元。母亲发现后要求退款，平台以“无法证明是未成年人操作”为由拒绝。</p>",
        "decision": "<p>法院调取了充值时间、游戏内聊天记录和账号行为记录，"
        "认定充值主要由小明完成。十一岁的孩子属于限制民事行为能力人，"
        "这样大额的充值与其年龄、智力不相适应，其母亲明确不予追认，充值行为无效。"
        "同时母亲未妥善保管手机和支付密码，也有过错。法院判决平台退还八成款项。</p>",
        "significance": "<p>未成年人大额充值、打赏，家长可以依法要求退款，"
        "但要及时留存证据。家长也要管好手机和支付密码，尽到监护责任。</p>",
        "related": ["child-online-spending"],
        "en": {
            "title": "An 11-year-old spends 38,000 yuan in a game: the platform "
            "refunds most of it",
            "summary": "A child topped up a game with 38,000 yuan on his "
            "mother's phone; the court found this beyond his age and ordered an "
            "80% refund, the parent bearing 20% for lax supervision.",
            "authority": "Xicheng District People's Court, Jiangnan",
            "background": "<p>Over two months, eleven-year-old Xiaoming used his "
            "mother's phone to spend 38,000 yuan in an online game. The platform "
            "refused a refund, saying nothing showed that a child had paid.</p>",
            "decision": "<p>From the payment times, in-game chats and account "
            "activity the court found that Xiaoming made most of the payments. "
            "A child of eleven has limited capacity; spending of this size is "
            "beyond his age and his mother refused to ratify it, so it was "
            "void. The mother was also at fault for not guarding her phone and "
            "password. The platform was ordered to refund 80%.</p>",
            "significance": "<p>Parents can claim back large payments made by "
            "children, but should keep the evidence quickly, and must guard "
            "their own phones and passwords.</p>",
        },
    },
    {
        "slug": "water-leak-mediation",
        "title": "楼上漏水起纠纷，人民调解化干戈",
        "summary": "楼上装修导致楼下反复漏水，双方争执半年，司法所调解员三次上门，"
        "促成赔偿协议并经法院司法确认。",
        "topics": ["mediation"],
        "audience": "everyone",
        "region": "dongcheng",
        "authority": "东城区和平街道人民调解委员会",
        "decided_on": "2026-03-08",
        "case_number": "",
        "background": "<p>李阿姨家楼上装修后，卫生间天花板反复渗水，墙面发霉。"
        "楼上住户认为是老房子管道问题，拒绝赔偿，两家多次争吵，甚至惊动了派出所。</p>",
        "decision": "<p>调解员先请物业和专业师傅上门查明漏水原因，"
        "确认是楼上防水层破损。"
        "随后分别与两家沟通，最终楼上住户同意修复防水并赔偿李阿姨四千元。"
        "双方签订调解协议后，共同向东城区人民法院申请了司法确认。</p>",
        "significance": "<p>邻里纠纷先查清事实，再讲法讲情。人民调解不收费，"
        "经司法确认的调解协议可以申请强制执行，既省事又有保障。</p>",
        "related": ["neighbour-mediation"],
    },
]

# Q&A -------------------------------------------------------------------------------

QUESTIONS = [
    (
        "wages",
        "arbitration-fee",
        "申请劳动仲裁要交钱吗？",
        "不用。劳动争议仲裁不收费，仲裁委员会的经费由财政保障。",
        "Do I pay to apply for labour arbitration?",
        "No. Labour arbitration is free; it is funded by the government.",
    ),
    (
        "wages",
        "no-contract-wages",
        "没签合同被欠薪，怎么证明我在那里干过活？",
        "考勤记录、工资转账记录、工作服工牌、与老板的聊天记录、工友证言都可以证明。",
        "I have no contract and was not paid. How do I prove I worked there?",
        "Attendance records, wage transfers, a uniform or badge, chats with the "
        "boss and statements from co-workers all count.",
    ),
    (
        "labour-contracts",
        "probation-length",
        "试用期最长可以定多久？",
        "最长六个月，只适用于三年以上固定期限和无固定期限的劳动合同；"
        "期限越短，试用期上限越短。",
        "How long can probation be?",
        "At most six months, and only for contracts of three years or more or "
        "open-ended ones; shorter contracts allow less.",
    ),
    (
        "labour-contracts",
        "deposit",
        "入职时公司要收押金，合法吗？",
        "不合法。用人单位不得以任何名义向劳动者收取财物，也不得扣押身份证等证件。",
        "My new employer wants a deposit. Is that legal?",
        "No. An employer may not take money or keep your ID card under any name.",
    ),
    (
        "family",
        "cooling-off",
        "离婚冷静期是多久？起诉离婚也有吗？",
        "协议离婚有三十天冷静期。到法院起诉离婚不适用冷静期。",
        "How long is the divorce cooling-off period? Does it apply in court?",
        "Thirty days for divorce by agreement. It does not apply to divorce "
        "through the courts.",
    ),
    (
        "family",
        "protection-order",
        "遭受家暴，怎么申请人身安全保护令？",
        "向居住地、家暴发生地的基层人民法院申请，可以书面也可以口头申请，"
        "不收费。情况紧急的，法院二十四小时内作出裁定。",
        "How do I apply for a personal protection order against domestic violence?",
        "Apply to the local basic court, in writing or orally, free of charge. "
        "In an emergency the court decides within 24 hours.",
    ),
    (
        "inheritance",
        "handwritten-will",
        "自己写的遗嘱需要公证才有效吗？",
        "不需要。亲笔书写全文、签名、注明年月日的自书遗嘱就有效。公证可以减少日后争议。",
        "Does a handwritten will need a notary?",
        "No. A will written entirely in your own hand, signed and dated is valid. "
        "A notary helps avoid disputes later.",
    ),
    (
        "inheritance",
        "married-daughter",
        "出嫁的女儿能继承父母的遗产吗？",
        "能。子女不分男女、已婚未婚，都是第一顺序继承人，继承权平等。",
        "Can a married daughter inherit from her parents?",
        "Yes. Sons and daughters, married or not, are all first-order heirs with "
        "equal rights.",
    ),
    (
        "fraud",
        "safe-account",
        "对方自称警察，让我把钱转到“安全账户”，怎么办？",
        "这是诈骗。立即挂断，不要转账，可以拨打110或96110核实。",
        "A caller says he is a police officer and tells me to move money to a "
        "'safe account'. What do I do?",
        "It is a scam. Hang up, do not transfer anything, and call 110 or 96110 "
        "to check.",
    ),
    (
        "consumer",
        "no-reason-return",
        "网购的衣服不喜欢，能退吗？",
        "能。网购商品一般自收货之日起七日内可以无理由退货，商品要保持完好。",
        "I do not like clothes I bought online. Can I return them?",
        "Yes. Most goods bought online can be returned within seven days of "
        "delivery without a reason, if they are in good condition.",
    ),
    (
        "minors",
        "child-top-up",
        "孩子偷偷给游戏充值，能退款吗？",
        "与孩子年龄不相适应的大额充值，家长不追认的，可以要求退还。要尽快保存证据。",
        "My child spent money in a game without asking. Can I get it back?",
        "Large payments beyond a child's age can be reclaimed if you do not "
        "approve them. Keep the evidence quickly.",
    ),
    (
        "mediation",
        "mediation-fee",
        "找人民调解要收费吗？调解协议有用吗？",
        "人民调解不收费。调解协议有法律约束力，经法院司法确认后可以申请强制执行。",
        "Does community mediation cost anything? Is the agreement binding?",
        "It is free. The agreement is binding, and once a court confirms it, it "
        "can be enforced.",
    ),
]

# News ------------------------------------------------------------------------------

NEWS = [
    {
        "slug": "spring-festival-hotline",
        "title": "春节期间12348热线照常服务",
        "date": "2026-02-10",
        "place": "江南市",
        "summary": "春节假期（2月15日至23日）12348热线全天接听，公共法律服务中心"
        "窗口2月24日起恢复办公。",
        "topics": ["wages"],
        "body": p(
            "春节前后是欠薪求助的高峰。假期中，12348热线安排值班律师全天接听，"
            "涉及讨薪的来电优先转交人社部门处理。",
            "公共法律服务中心窗口2月15日至23日暂停现场服务，2月24日起恢复正常办公；"
            "期间可通过江南法律服务网在线咨询留言。",
        ),
        "en": {
            "title": "12348 hotline open throughout Spring Festival",
            "place": "Jiangnan City",
            "summary": "Over the Spring Festival holiday (15 to 23 February) the "
            "12348 hotline answers around the clock; the walk-in centre reopens "
            "on 24 February.",
            "body": p(
                "Wage claims peak around the new year. Duty lawyers answer 12348 "
                "throughout the holiday, and wage calls go straight to labour "
                "inspection.",
                "The walk-in desk is closed from 15 to 23 February and reopens "
                "on 24 February; questions can be left on the online desk.",
            ),
        },
    },
    {
        "slug": "consumer-day-2026",
        "title": "“3·15”消费者权益日现场咨询活动",
        "date": "2026-03-15",
        "place": "江南市人民广场",
        "summary": "市场监管、司法行政部门和律师在人民广场设摊，现场解答预付卡、"
        "网购退货等消费问题。",
        "topics": ["consumer"],
        "body": p(
            "3月15日上午9时至12时，江南市市场监督管理局联合市司法局、市律师协会"
            "在人民广场举办消费维权咨询活动，现场受理消费投诉。",
            "欢迎市民携带购物凭证、合同等材料前来咨询。",
        ),
        "en": {
            "title": "Consumer Rights Day advice stalls on 15 March",
            "place": "People's Square, Jiangnan",
            "summary": "Market regulators, the justice bureau and lawyers answer "
            "questions on prepaid cards and online returns at People's Square.",
            "body": p(
                "From 9 am to noon on 15 March, the market regulator, the justice "
                "bureau and the bar association hold an advice session at "
                "People's Square and take complaints on the spot.",
                "Bring receipts and contracts if you have them.",
            ),
        },
    },
    {
        "slug": "constitution-day-school",
        "title": "国家宪法日：法官走进校园讲“防欺凌”",
        "date": "2025-12-04",
        "place": "江南市第一中学",
        "summary": "西城区法院法官为初一学生上了一堂法治课，讲解校园欺凌的法律后果"
        "和求助方法。",
        "topics": ["minors"],
        "body": p(
            "12月4日国家宪法日，西城区人民法院少年审判庭法官来到江南市第一中学，"
            "结合真实案例讲解校园欺凌的法律责任，并告诉同学们遇到欺凌要及时告诉老师和家长。"
        ),
    },
]
