"""Cases carry their submission's applicant and business (copies that never change), with
indexes that give a person's or a business's cases newest first."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_submissions(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Submission = apps.get_model("cases", "Submission")
    submission = Submission.objects.filter(pk=OuterRef("submission_id"))
    Case.objects.update(
        applicant_id=Subquery(submission.values("applicant_id")[:1]),
        business_id=Subquery(submission.values("business_id")[:1]),
    )


class Migration(migrations.Migration):
    # The copy updates a foreign key of every case; PostgreSQL checks those at commit, and
    # refuses to alter the table while the checks are pending. Each step commits by itself.
    atomic = False

    dependencies = [
        ("accounts", "0006_workforce_roles"),
        ("cases", "0005_served_cases_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="applicant",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="applicant",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="business",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.businessprofile",
                verbose_name="on behalf of",
            ),
        ),
        migrations.RunPython(copy_from_submissions, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="case",
            name="applicant",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="applicant",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["applicant", "-submitted_at", "-id"], name="cases_applicant_recent"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("business__isnull", False)),
                fields=["business", "-submitted_at", "-id"],
                name="cases_business_recent",
            ),
        ),
    ]
