from django.db import migrations

# The starting taxonomy; the bureau admin and the psych centre add, reorder and retire topics later.
TOPICS = ["学业压力", "人际关系", "亲子关系", "情绪低落", "焦虑", "自伤自杀念头", "校园欺凌", "网络成瘾", "睡眠",
          "青春期困惑", "家庭变故", "其他"]


def seed(apps, schema_editor):
    Topic = apps.get_model("hotline", "Topic")
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_calls_and_visits")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
