from django.db import migrations

TEMPLATES = [
    ("complaint_received", "投诉受理通知 (C1, C5)",
     "尊敬的{name}，您反映的问题（编号{number}）已受理，我们将在24小时内给您答复。如有疑问请致电{hotline}。"),
    ("complaint_reply_committed", "投诉答复时间承诺 (C5)",
     "尊敬的{name}，关于您反映的问题（编号{number}），我们将于{reply_at}前给您明确答复。如有疑问请致电{hotline}。"),
]


def add_templates(apps, schema_editor):
    MessageTemplate = apps.get_model("touchpoints", "MessageTemplate")
    for code, name, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(code=code, defaults={"name": name, "body": body})


def remove_templates(apps, schema_editor):
    apps.get_model("touchpoints", "MessageTemplate").objects.filter(code__in=[code for code, *_ in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial_complaints"), ("touchpoints", "0002_default_message_templates")]
    operations = [migrations.RunPython(add_templates, remove_templates)]
