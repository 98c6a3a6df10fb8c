from django.db import migrations


def mark_unswept_pending(apps, schema_editor):
    """Hand the old high-water mark over to the pending marker: every student result past the
    mark, and every critical one whose signal is missing (a commit out of id order could slip
    behind the mark), is pending again; processing it twice is harmless (signals are unique)."""
    InstrumentResult = apps.get_model("campaigns", "InstrumentResult")
    ScreeningSweep = apps.get_model("alerts", "ScreeningSweep")
    Signal = apps.get_model("alerts", "Signal")
    mark = ScreeningSweep.objects.filter(pk=1).values_list("last_result_id", flat=True).first() or 0
    students = InstrumentResult.objects.filter(student__isnull=False)
    students.filter(pk__gt=mark).update(signals_pending=True)
    signalled = {int(origin.split(":")[1]) for origin in
                 Signal.objects.filter(source="screening_result", origin__startswith="result:")
                 .values_list("origin", flat=True)}
    critical = students.filter(pk__lte=mark, has_critical_flag=True).values_list("pk", flat=True)
    missing = [pk for pk in critical.iterator() if pk not in signalled]
    for start in range(0, len(missing), 1000):
        students.filter(pk__in=missing[start:start + 1000]).update(signals_pending=True)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("campaigns", "0002_result_signals_pending"),
    ]

    operations = [
        migrations.RunPython(mark_unswept_pending, migrations.RunPython.noop),
        migrations.DeleteModel(name="ScreeningSweep"),
    ]
