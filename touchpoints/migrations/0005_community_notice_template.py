from django.db import migrations

CODE = "warranty_community_notice"


def add_template(apps, schema_editor):
    apps.get_model("touchpoints", "MessageTemplate").objects.get_or_create(code=CODE, defaults={
        "name": "保修到期小区通告 (J16)", "channel": "letter",
        "body": "各位业主:本小区{component}的保修期将于{month}陆续到期,请您在保修期届满前检查相关物品,"
                "如有问题可与万科客服中心(保修中心)联系:{hotline}。",
    })


def remove_template(apps, schema_editor):
    apps.get_model("touchpoints", "MessageTemplate").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0004_load_step_catalogue")]
    operations = [migrations.RunPython(add_template, remove_template)]
