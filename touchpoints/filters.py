import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import Channel, MessageStatus
from .models import OutboundMessage


class OutboundMessageFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MessageStatus.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    purpose = django_filters.CharFilter(label=_("Purpose"))
    sent_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("From"))
    sent_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = OutboundMessage
        fields = ["customer", "project", "status", "channel", "purpose", "sent_after", "sent_before"]
