"""Every role assignment that sees children and existed before the approval flow is recorded as
approved by migration, so nothing that worked stops working (docs/compliance.md)."""
from django.db import migrations

from xinshao.compliance.grants import record_existing_grants


def forwards(apps, schema_editor):
    record_existing_grants(request_model=apps.get_model("compliance", "AccessRequest"),
                           event_model=apps.get_model("compliance", "AccessEvent"),
                           assignment_model=apps.get_model("accounts", "RoleAssignment"))


def backwards(apps, schema_editor):
    apps.get_model("compliance", "AccessRequest").objects.filter(by_migration=True).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_access_incidents")]
    operations = [migrations.RunPython(forwards, backwards)]
