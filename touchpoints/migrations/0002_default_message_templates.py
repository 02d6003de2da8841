from django.db import migrations

DEFAULTS = [
    ("warranty_expiry", "部品保修到期提醒 (J16)",
     "尊敬的万科业主,您房屋中{component}的质保期即将在{date}到期,特提醒您在保修期届满前检查相关物品,"
     "如有问题可与万科客服中心(保修中心)联系:{hotline}"),
    ("subscription_welcome", "认购后续服务短信 (J7)",
     "尊敬的{name}，恭喜您认购{project}{unit}。签约、按揭、交付等后续服务将陆续为您提供，"
     "如有任何疑问或建议，请致电万科客服热线{hotline}。"),
    ("birthday_greeting", "生日祝福 (J18)", "尊敬的{name}，今天是您的生日，万科全体同仁祝您生日快乐、阖家幸福！"),
]


def add_defaults(apps, schema_editor):
    MessageTemplate = apps.get_model("touchpoints", "MessageTemplate")
    for code, name, body in DEFAULTS:
        MessageTemplate.objects.get_or_create(code=code, defaults={"name": name, "body": body})


def remove_defaults(apps, schema_editor):
    apps.get_model("touchpoints", "MessageTemplate").objects.filter(code__in=[code for code, *_ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0001_add_message_outbox")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
