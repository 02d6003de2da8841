"""A filter's rows read in the list's order from an index (issue 15): a lead's status (the archived ones sort
last, 410 ms on the generated million), a customer's gender and a message's channel (a rare value walked the whole
list).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0008_orderings_within_a_project'),
        ('members', '0023_filters_in_list_order'),
        ('touchpoints', '0015_orderings_within_a_project'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='outboundmessage',
            index=models.Index(fields=['channel', '-created_at', '-id'], name='message_channel_order_idx'),
        ),
    ]
