import re

from django.db import migrations


def fill(apps, schema_editor):
    from lookup.indexing import pinyin_initials

    Customer = apps.get_model("members", "Customer")
    Key = apps.get_model("lookup", "CustomerSearchKey")
    batch = []
    for customer in Customer.objects.only("pk", "name", "mobile").iterator(chunk_size=2000):
        text = str(customer.mobile or "")
        digits = re.sub(r"\D", "", text[3:] if text.startswith("+86") else text)
        batch.append(Key(customer_id=customer.pk, name=customer.name, initials=pinyin_initials(customer.name)[:50],
                         mobile=digits[:20], mobile_tail=digits[-4:]))
        if len(batch) == 2000:
            Key.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Key.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0001_search_keys"), ("members", "0004_label_customer_full_name")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
