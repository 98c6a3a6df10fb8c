"""The bureau's personal-information pages in the demo city (compliance/, docs/compliance.md):

- access requests (/compliance/access/): the first showcase school's admin asked for two of its
  teachers to take on part-time psych work, and the second school's admin for a stand-in class
  teacher; the bureau admin approved one (the school then put them on its workforce register), the
  other two wait;
- the incident register (/compliance/incidents/): a completion export with students' results sent
  to a parents' chat group by mistake and recalled, contained and reported to the authority.

Written through the apps' services as the people would; runs last, once every other part has read
who holds which role."""
import datetime

from xinshao.accounts.models import User
from xinshao.accounts.roles import Role
from xinshao.compliance.models import AccessRequest, DataKind, Incident, IncidentEvent
from xinshao.compliance.services import access_approve, access_request, incident_act, incident_report
from xinshao.demo.logins import SHOWCASE_SCHOOLS
from xinshao.org.models import Region, School, SchoolClass
from xinshao.people.models import Student
from xinshao.workforce.services import staff_from_logins

HOUR = datetime.timedelta(hours=1)
AFFECTED = 3


def _access_requests(schools: list[School], admin: User, now: datetime.datetime) -> list[AccessRequest]:
    first, second = schools[0], schools[-1]
    users = {user.username: user for user in User.objects.filter(username__in=[
        f"{first.code.lower()}.admin", f"{first.code.lower()}.teacher1", f"{first.code.lower()}.teacher2",
        f"{second.code.lower()}.admin", f"{second.code.lower()}.teacher1"])}
    first_admin, second_admin = users[f"{first.code.lower()}.admin"], users[f"{second.code.lower()}.admin"]
    approved = access_request(
        requested_by=first_admin, user=users[f"{first.code.lower()}.teacher2"], role=Role.PSYCH_TEACHER, unit=first,
        reason="本学期起兼任心理辅导室值班，需要查看本校学生的预警和个案。", now=now - 72 * HOUR)
    access_approve(access_request=approved, actor=admin, note="已核对学校的兼职聘任文件。", now=now - 50 * HOUR)
    staff_from_logins(actor=first_admin, school=first, now=now - 49 * HOUR)   # onto the school's register
    stand_in = SchoolClass.objects.filter(school=second).order_by("grade__level", "name").first()
    return [approved, access_request(
        requested_by=first_admin, user=users[f"{first.code.lower()}.teacher1"], role=Role.PSYCH_TEACHER, unit=first,
        reason="下学期起担任兼职心理教师，已报名本市 C 证培训。", now=now - 20 * HOUR),
        access_request(requested_by=second_admin, user=users[f"{second.code.lower()}.teacher1"],
                       role=Role.CLASS_TEACHER, unit=stand_in,
                       reason="原班主任休产假，由该教师代理班主任至明年三月。", now=now - 6 * HOUR)]


def _incident(city: Region, school: School, admin: User, now: datetime.datetime) -> Incident:
    discovered = now - 30 * HOUR
    students = list(Student.objects.filter(school=school).order_by("student_number")[:AFFECTED])
    incident = incident_report(
        actor=admin, region=city, title=f"{school.name}测评完成情况表误发至家长群", discovered_at=discovered,
        description=("一位班主任把含有本班学生测评完成情况和三名学生关注等级的导出表误发到班级家长群，"
                     "约十分钟后发现并撤回；群内有 46 位家长，撤回前无法确认有多少人打开过。"),
        affected_count=AFFECTED, affected_students=students, data_kinds=[DataKind.IDENTITY, DataKind.RESULTS],
        now=discovered + HOUR)
    incident_act(incident=incident, actor=admin, kind=IncidentEvent.Kind.CONTAINED, now=discovered + 2 * HOUR,
                 note="已撤回消息，请群内家长删除已下载的文件；该班主任的导出权限暂停，学校已约谈。")
    return incident_act(incident=incident, actor=admin, kind=IncidentEvent.Kind.AUTHORITY_REPORTED,
                        now=discovered + 20 * HOUR, note="已书面报告市网信办和市教育局。")


def seed_compliance(city: Region, now: datetime.datetime) -> None:
    admin = User.objects.filter(username="bureau.admin").first()
    schools = list(School.objects.filter(district__parent=city).order_by("code")[:SHOWCASE_SCHOOLS])
    if admin is None or not schools:
        return
    _access_requests(schools, admin, now)
    _incident(city, schools[0], admin, now)
