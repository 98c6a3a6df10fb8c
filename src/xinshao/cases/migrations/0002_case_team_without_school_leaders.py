"""School leaders leave every case team: team membership opens a case, and a school admin is to
see the school's red cases only (by level, scopes.cases_visible_to), not every case."""
from django.db import migrations, models


def remove_school_leaders(apps, schema_editor):
    apps.get_model("cases", "CaseTeamMember").objects.filter(part="school_leader").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(remove_school_leaders, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="caseteammember", name="part",
            field=models.CharField(choices=[("psych_teacher", "心理教师"), ("class_teacher", "班主任")],
                                   max_length=20, verbose_name="角色"),
        ),
    ]
