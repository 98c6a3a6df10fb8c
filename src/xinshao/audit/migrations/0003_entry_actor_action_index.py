from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head_row")]
    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["actor_id", "action", "-id"], name="audit_actor_action_latest"),
        ),
    ]
