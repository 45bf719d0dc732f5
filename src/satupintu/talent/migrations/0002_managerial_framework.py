"""Load the managerial and socio-cultural competencies shipped with the app.

The same file is applied again by ``talent.services.framework_load`` (and
``satupintu manage talent_load --framework``) after an edit.
"""

from django.db import migrations


def load_framework(apps, schema_editor):
    from satupintu.talent import loading

    data = loading.check(loading.read_file(loading.MANAGERIAL_FILE))
    loading.apply(
        data,
        models=loading.Models(
            Agency=apps.get_model("organisations", "Agency"),
            Competency=apps.get_model("talent", "Competency"),
            CompetencyLevel=apps.get_model("talent", "CompetencyLevel"),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_framework, migrations.RunPython.noop),
    ]
