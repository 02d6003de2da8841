from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not given")


class SourceChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone enquiry")
    REFERRAL = "referral", _("Owner referral")
    CLUB = "club", _("Vanke club")
    ONLINE = "online", _("Online")
    OUTDOOR = "outdoor", _("Outdoor advertising")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")
