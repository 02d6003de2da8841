"""Complaint categories become records editable in the admin; the former fixed choices are the defaults,
each with the defect category (rule D1) a complaint of that category raises."""
import django.db.models.deletion
from django.db import migrations, models

DEFAULTS = [
    # code, name, English name, defect category, position
    ("quality", "施工质量", "Construction quality", "construction", 10),
    ("design", "设计", "Design", "design", 20),
    ("delivery", "交付", "Delivery", "construction", 30),
    ("property", "物业管理", "Property management", "", 40),
    ("sales", "销售与合同", "Sales and contracts", "", 50),
    ("service", "服务态度", "Service attitude", "", 60),
    ("other", "其他", "Other", "", 90),
]
DEFECT_CATEGORIES = [("design", "Design rationality"), ("construction", "Construction quality"),
                     ("materials", "Materials and equipment")]


def add_defaults_and_link(apps, schema_editor):
    Category = apps.get_model("complaints", "ComplaintCategory")
    by_code = {}
    for code, name, name_en, defect_category, position in DEFAULTS:
        by_code[code], _created = Category.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "defect_category": defect_category, "position": position})
    for model in ("Complaint", "HistoricalComplaint", "CaseEntry"):
        rows = apps.get_model("complaints", model).objects
        for code, category in by_code.items():
            rows.filter(category=code).update(category_ref=category)
        rows.filter(category_ref__isnull=True).update(category_ref=by_code["other"])


def back_to_codes(apps, schema_editor):
    for model in ("Complaint", "HistoricalComplaint", "CaseEntry"):
        rows = apps.get_model("complaints", model).objects
        for row in rows.select_related("category_ref").iterator():
            rows.filter(pk=row.pk).update(category=row.category_ref.code if row.category_ref_id else "other")


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0002_customer_message_templates"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintCategory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(help_text="A short English slug; the API and exports use it.", max_length=30,
                                          unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=50, verbose_name="English name")),
                ("defect_category", models.CharField(blank=True, choices=DEFECT_CATEGORIES,
                                                     help_text="Rule D1: the category of a defect it raises.",
                                                     max_length=20, verbose_name="defect category")),
                ("is_active", models.BooleanField(default=True, verbose_name="offered at intake")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
            ],
            options={"verbose_name": "complaint category", "verbose_name_plural": "complaint categories",
                     "ordering": ["position", "code"]},
        ),
        migrations.AddField(
            model_name="complaint", name="category_ref",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="complaints.complaintcategory"),
        ),
        migrations.AddField(
            model_name="historicalcomplaint", name="category_ref",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="complaints.complaintcategory"),
        ),
        migrations.AddField(
            model_name="caseentry", name="category_ref",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="complaints.complaintcategory"),
        ),
        migrations.RunPython(add_defaults_and_link, back_to_codes),
        migrations.RemoveIndex(model_name="complaint", name="complaint_category_idx"),
        migrations.RemoveField(model_name="complaint", name="category"),
        migrations.RemoveField(model_name="historicalcomplaint", name="category"),
        migrations.RemoveField(model_name="caseentry", name="category"),
        migrations.RenameField(model_name="complaint", old_name="category_ref", new_name="category"),
        migrations.RenameField(model_name="historicalcomplaint", old_name="category_ref", new_name="category"),
        migrations.RenameField(model_name="caseentry", old_name="category_ref", new_name="category"),
        migrations.AlterField(
            model_name="complaint", name="category",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="complaints",
                                    to="complaints.complaintcategory", verbose_name="category"),
        ),
        migrations.AlterField(
            model_name="historicalcomplaint", name="category",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="complaints.complaintcategory", verbose_name="category"),
        ),
        migrations.AlterField(
            model_name="caseentry", name="category",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="cases",
                                    to="complaints.complaintcategory", verbose_name="category"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["category", "received_at"], name="complaint_category_idx"),
        ),
    ]
