"""Schools, classes and students, read for roster sync: exactly what the owner's pages show."""
import datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from xinshao.access import scopes
from xinshao.access.routes import (BUREAU, CLASS_TEACHER, EVERYONE, GUARDIAN, PSYCH_TEACHER, REGION_WIDE,
                                   SCHOOL_ADMIN, SCHOOL_PEOPLE, STUDENTS)
from xinshao.api.operations import (IsoDateTime, ObjectId, PageMeta, Paging, PathId, audited, changed_since,
                                    one_of, operation, page_of)
from xinshao.audit.services import audit_record

router = Router(tags=["学校与学生"])


class SchoolOut(Schema):
    id: int = Field(description="学校编号。")
    code: str = Field(description="学校代码（教育部门的统一代码）。")
    name: str = Field(description="校名。")
    kind: str = Field(description="学校类型代码，如 primary、junior、senior。")
    district_id: int = Field(description="所属区县的编号。")
    is_active: bool = Field(description="学校是否在用。")


class ClassOut(Schema):
    id: int = Field(description="班级编号。")
    school_id: int = Field(description="所属学校的编号。")
    grade: str = Field(description="年级名称，如 初一。")
    grade_level: str = Field(description="年级代码，如 J1。")
    name: str = Field(description="班级名称，如 (3)班。")


def _class_rows(classes) -> list[dict]:
    return [{"id": c.pk, "school_id": c.school_id, "grade": str(c.grade.get_level_display()),
             "grade_level": c.grade.level, "name": c.name} for c in classes]


class StudentOut(Schema):
    id: int = Field(description="学生编号（终身不变）。")
    school_id: int = Field(description="现在学校的编号。")
    school_class_id: int = Field(description="现在班级的编号。")
    student_number: str = Field(description="学号。")
    name: str = Field(description="姓名。")
    gender: str = Field(description="性别代码：M 男，F 女。")
    birth_date: datetime.date = Field(description="出生日期。")
    status: str = Field(description="学籍状态：enrolled、suspended、transferred_out、graduated、left。")
    updated_at: datetime.datetime = Field(description="记录最后一次修改的时间，用于增量同步（updated_since）。")


class SchoolPage(PageMeta):
    items: list[SchoolOut] = Field(description="这一页的学校。")


class ClassPage(PageMeta):
    items: list[ClassOut] = Field(description="这一页的班级。")


class StudentPage(PageMeta):
    items: list[StudentOut] = Field(description="这一页的学生。")


class SchoolFilter(Paging):
    school_id: ObjectId | None = Field(None, description="只列这所学校的。")


class StudentFilter(SchoolFilter):
    updated_since: IsoDateTime | None = Field(None, description="只列这个时间之后修改过的（含），用于增量同步。")


@operation(router, "GET", "/schools", response={200: SchoolPage, 304: None}, allow=EVERYONE, lists="school_id")
def schools_list(request, response: HttpResponse, paging: Query[Paging]):
    """Schools the token's owner may see."""
    return page_of(request, response, scopes.schools_visible_to(request.user).order_by("code"), SchoolOut, paging)


@operation(router, "GET", "/schools/{school_id}", response={200: SchoolOut}, allow=[REGION_WIDE, SCHOOL_PEOPLE.of_school])
def school_get(request, school_id: PathId):
    """One school."""
    return one_of(scopes.schools_visible_to(request.user), school_id)


@operation(router, "GET", "/classes", response={200: ClassPage, 304: None}, allow=EVERYONE, lists="class_id")
def classes_list(request, response: HttpResponse, filters: Query[SchoolFilter]):
    """Classes the token's owner may see."""
    classes = scopes.classes_visible_to(request.user).order_by("school_id", "grade__level", "name", "id")
    if filters.school_id is not None:
        classes = classes.filter(school_id=filters.school_id)
    return page_of(request, response, classes, ClassOut, filters, rows=_class_rows)


@operation(router, "GET", "/classes/{class_id}", response={200: ClassOut},
           allow=[BUREAU, (SCHOOL_ADMIN | PSYCH_TEACHER).of_school, (CLASS_TEACHER | STUDENTS | GUARDIAN).of_class])
def class_get(request, class_id: PathId):
    """One class."""
    return _class_rows([one_of(scopes.classes_visible_to(request.user), class_id)])[0]


@operation(router, "GET", "/students", response={200: StudentPage, 304: None}, allow=EVERYONE, lists="student_id",
           sensitive=True)
def students_list(request, response: HttpResponse, filters: Query[StudentFilter]):
    """Students whose record the token's owner may open (bureau roles get none: they see totals)."""
    students = scopes.students_visible_to(request.user).order_by("id")
    if filters.school_id is not None:
        students = students.filter(school_id=filters.school_id)
    return page_of(request, response, changed_since(students, filters.updated_since), StudentOut, filters,
                   rows=audited(request, "api.students_listed", student_of=lambda student: student.pk))


@operation(router, "GET", "/students/{student_id}", response={200: StudentOut}, sensitive=True,
           allow=[(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, CLASS_TEACHER.of_class, (STUDENTS | GUARDIAN).own])
def student_get(request, student_id: PathId):
    """One student."""
    student = one_of(scopes.students_visible_to(request.user), student_id)
    audit_record(actor=request.user, action="api.student_viewed", student=student, obj=student, request=request)
    return student
