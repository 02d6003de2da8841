"""Companies, projects, buildings, units and the components whose warranties run out (J16)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ProductKind, ProjectStatus, SegmentVariant, UnitStatus


class Company(models.Model):
    """A city company of the group. Customers' phone numbers are unique within a company."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    city = models.CharField(_("city"), max_length=50)
    service_hotline = models.CharField(_("service hotline"), max_length=30, blank=True)
    segment_variant = models.CharField(
        _("owner segments"),
        max_length=20,
        choices=SegmentVariant.choices,
        default=SegmentVariant.STANDARD,
        help_text=_("Rule M2: how owners are grouped by time since move-in."),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Project(models.Model):
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("project code"),
        max_length=30,
        blank=True,
        help_text=_("The sales system's code of the project; imports find the project by it."),
    )
    city = models.CharField(_("city"), max_length=50)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNING, db_index=True
    )
    product_kind = models.CharField(
        _("product kind"), max_length=20, choices=ProductKind.choices, default=ProductKind.HIGH_RISE
    )
    opening_date = models.DateField(_("opening date"), null=True, blank=True)
    delivery_date = models.DateField(_("planned delivery date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True, related_name="projects"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["company__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="unique_project_name_per_company"),
            models.UniqueConstraint(
                fields=["company", "code"], condition=~models.Q(code=""), name="unique_project_code_per_company"
            ),
        ]
        indexes = [models.Index(fields=["name"], name="project_name_idx")]

    def __str__(self):
        return self.name


class ProjectRules(models.Model):
    """The per-project settings of the business rules; each rule's number defaults to the seed's."""

    project = models.OneToOneField(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="rules")
    three_day_cancellation = models.BooleanField(
        _("three-day no-reason cancellation"),
        default=True,
        help_text=_("Rule J4: a subscription may be cancelled without reason within 3 days."),
    )
    cancellation_days = models.PositiveSmallIntegerField(_("cancellation window (days)"), default=3)
    cancellation_excludes_opening_day = models.BooleanField(
        _("not on a centralized opening day"),
        default=True,
        help_text=_("Rule J4 (a): subscriptions made on a centralized opening day cannot use it."),
    )
    cancellation_discount_threshold = models.DecimalField(
        _("special discount threshold (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Rule J4 (b): units discounted by at least this much cannot use it."),
    )

    class Meta:
        verbose_name = _("project rules")
        verbose_name_plural = _("project rules")

    def __str__(self):
        return str(self.project)


class Building(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("name"), max_length=50)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_building_name_per_project")]

    def __str__(self):
        return f"{self.project} {self.name}"


class Unit(models.Model):
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="units")
    # Denormalised from the building so that lists filter and scope by project without a join.
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="units", editable=False
    )
    number = models.CharField(_("unit number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"))
    area = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(1)])
    layout = models.CharField(_("layout"), max_length=30, blank=True, help_text=_("e.g. 3 bedrooms, 2 living rooms"))
    list_price = models.DecimalField(
        _("list price (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        # A project's units together, building by building as they were entered, then floor and number: an order
        # the list's index serves (the building's name, through a join, sorted all 306,000 units of a large
        # company for the first page; and "10栋" sorts before "2栋" by name anyway).
        ordering = ["project_id", "building_id", "floor", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unique_unit_number_per_building")]
        indexes = [
            models.Index(fields=["project", "status"], name="unit_project_status_idx"),
            models.Index(fields=["project", "building", "floor", "number"], name="unit_list_order_idx"),
            # the other orderings the list offers, both ways
            models.Index(fields=["number", "id"], name="unit_number_order_idx"),
            models.Index(fields=["floor", "id"], name="unit_floor_order_idx"),
            models.Index(fields=["area", "id"], name="unit_area_order_idx"),
            models.Index(fields=["list_price", "id"], name="unit_price_order_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "number", "id"], name="unit_project_number_idx"),
            models.Index(fields=["project", "floor", "id"], name="unit_project_floor_idx"),
            models.Index(fields=["project", "area", "id"], name="unit_project_area_idx"),
            models.Index(fields=["project", "list_price", "id"], name="unit_project_price_idx"),
        ]

    def __str__(self):
        return f"{self.building.name}-{self.number}"

    def save(self, *args, **kwargs):
        self.project_id = self.building.project_id
        super().save(*args, **kwargs)


class UnitTally(models.Model):
    """How many of a project's units are in a status, kept by the database itself: triggers on the units table
    (migration 0006) count every insert, status or project change and delete, whichever way it comes (the
    admin, an import, a purchase's milestone, a cascade, a bulk update). A page of projects then reads its
    totals from a few rows here instead of counting a large company's 300,000 units."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="unit_tallies"
    )
    status = models.CharField(_("status"), max_length=20, choices=UnitStatus.choices)
    units = models.IntegerField(_("units"))

    class Meta:
        verbose_name = _("unit tally")
        verbose_name_plural = _("unit tallies")
        constraints = [models.UniqueConstraint(fields=["project", "status"], name="unique_unit_tally_per_status")]

    def __str__(self):
        return f"{self.project_id} {self.status}: {self.units}"


class ComponentType(models.Model):
    """A kind of component of a home (window, boiler, waterproofing …) with its warranty period."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    default_warranty_months = models.PositiveSmallIntegerField(
        _("default warranty (months)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("component type")
        verbose_name_plural = _("component types")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WarrantyOverride(models.Model):
    """A project's own warranty period for a component type, replacing the default (J16)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="warranty_overrides"
    )
    component_type = models.ForeignKey(
        ComponentType, verbose_name=_("component type"), on_delete=models.CASCADE, related_name="overrides"
    )
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("warranty override")
        verbose_name_plural = _("warranty overrides")
        constraints = [
            models.UniqueConstraint(fields=["project", "component_type"], name="unique_warranty_override_per_project")
        ]

    def __str__(self):
        return f"{self.project} · {self.component_type}: {self.warranty_months}"
