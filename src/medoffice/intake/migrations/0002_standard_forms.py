"""The standard intake forms, shipped ready (idempotent: see ``intake.standard``)."""

from django.db import migrations


def install(apps, schema_editor):
    from medoffice.intake.standard import install_standard_forms

    install_standard_forms(apps)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
