"""The search keys keep the pinyin initials alone: the header's search and the pickers find a name's characters and a
mobile number through the customer's own indexes, as the lists' search does (members.selectors.customers_named),
where they read a copy of each kept here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('lookup', '0003_customer_merges'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='customersearchkey',
            name='search_name_prefix_idx',
        ),
        migrations.RemoveIndex(
            model_name='customersearchkey',
            name='search_mobile_idx',
        ),
        migrations.RemoveIndex(
            model_name='customersearchkey',
            name='search_mobile_tail_idx',
        ),
        migrations.RemoveField(
            model_name='customersearchkey',
            name='mobile',
        ),
        migrations.RemoveField(
            model_name='customersearchkey',
            name='mobile_tail',
        ),
        migrations.RemoveField(
            model_name='customersearchkey',
            name='name',
        ),
    ]
