from django.db import migrations

ROLE_LABELS = ["Front desk", "Billing", "Clinical", "Manager", "Administrator"]


def create_policies(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RolePolicy = apps.get_model("accounts", "RolePolicy")
    for label in ROLE_LABELS:
        group, _ = Group.objects.get_or_create(name=label)
        RolePolicy.objects.update_or_create(
            group=group, defaults={"mfa_required": label == "Administrator"}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_apitoken_emergencyaccess_rolepolicy")]
    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
