from django.db import migrations

GENESIS_HASH = "0" * 64


def make_chain_head(apps, schema_editor):
    """The one chain-head row writers lock; made here so the hot path never has to check for it."""
    head = apps.get_model("audit", "AuditChainHead")
    entry = apps.get_model("audit", "AuditEntry")
    last = entry.objects.order_by("-id").first()
    head.objects.get_or_create(pk=1, defaults={"last_hash": last.entry_hash if last else GENESIS_HASH,
                                               "entry_count": entry.objects.count()})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial_audit")]
    operations = [migrations.RunPython(make_chain_head, migrations.RunPython.noop)]
