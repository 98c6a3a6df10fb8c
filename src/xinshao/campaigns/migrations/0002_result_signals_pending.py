from django.db import migrations, models


class Migration(migrations.Migration):
    """A result stored from now on is pending until early warning has made its signals.

    Existing rows start cleared; alerts' 0002 sets the marker again on those the old
    id-ordered sweep had not reached (or may have skipped)."""

    dependencies = [
        ("campaigns", "0001_campaigns_assignments_results"),
    ]

    operations = [
        migrations.AddField(
            model_name="instrumentresult",
            name="signals_pending",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="instrumentresult",
            name="signals_pending",
            field=models.BooleanField(default=True),
        ),
        migrations.AddIndex(
            model_name="instrumentresult",
            index=models.Index(condition=models.Q(("signals_pending", True)), fields=["id"],
                               name="result_signals_pending"),
        ),
    ]
