from django.db import migrations

from xinshao.workforce.kinds_seed import kinds_seed


def seed(apps, schema_editor):
    kinds_seed(apps.get_model("workforce", "CertificateKind"), apps.get_model("workforce", "Targets"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
