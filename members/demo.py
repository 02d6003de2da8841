"""Demo customers: about 200, spread over the projects and the sales team."""
import datetime
import random

from .choices import Gender, SourceChannel
from .models import Customer
from .services import register_customer

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强", "晓东", "海燕", "子涵", "浩然", "思远"]
CUSTOMER_COUNT = 200


def seed(*, projects, staff) -> int:
    """Register the demo customers that are not there yet; returns how many were added."""
    rng = random.Random(20261124)
    consultants = [staff[name] for name in ("demo-consultant", "demo-consultant2", "demo-consultant3")]
    existing = set(Customer.objects.filter(project__in=projects).values_list("mobile", flat=True))
    added = 0
    for index in range(CUSTOMER_COUNT):
        mobile = f"+86139{20260000 + index:08d}"
        project = projects[index % len(projects)]
        consultant = consultants[index % len(consultants)]
        fields = {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "gender": rng.choice([Gender.FEMALE, Gender.MALE]),
            "birthday": datetime.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)),
            "source_channel": rng.choice(list(SourceChannel)),
            "consents_to_messages": rng.random() < 0.8,
        }
        if mobile in existing:
            continue
        register_customer(project=project, mobile=mobile, actor=None, consultant=consultant, **fields)
        added += 1
    return added
