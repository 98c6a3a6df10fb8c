from xinshao.campaigns.codes import code_digest
from xinshao.campaigns.models import Assignment
from xinshao.campaigns.rules import battery_for


def test_opening_gives_each_targeted_student_one_code(city, student_campaign):
    assignments = Assignment.objects.filter(campaign=student_campaign)
    assert {a.student for a in assignments} == {city.chen, city.lin}
    for a in assignments:
        assert a.code_digest == code_digest(a.code) and len(a.code) == 10
    chen = assignments.get(student=city.chen)
    assert [b.instrument_id for b in battery_for(chen)] == ["phqa", "gad7", "asq"]
