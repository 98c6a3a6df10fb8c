"""Workforce objects for the access matrix: per side a staff record of the school and its enrolment
in one city training (the same training and certificate kind on both sides: they are the city's)."""
from xinshao.access.tests.matrix_objects import Thing
from xinshao.workforce import services
from xinshao.workforce.kinds_seed import kinds_seed
from xinshao.workforce.models import CertificateKind, StaffMember, Targets, TrainingEvent


def _training(city):
    existing = TrainingEvent.objects.filter(name="矩阵培训").first()
    if existing:
        return existing
    kind = kinds_seed(CertificateKind, Targets)[0]
    return TrainingEvent.objects.create(name="矩阵培训", grants=kind, starts_on=city.term.starts_on,
                                        ends_on=city.term.starts_on, place="市教育局", capacity=10, hours=12,
                                        created_by=city.bai)


def matrix_side(city, side, objects):
    school = city.school_a if side == "A" else city.school_b
    training = _training(city)
    member = StaffMember.objects.create(school=school, name=f"矩阵教师{side}", post="psych_teacher",
                                        employment="full_time")
    enrolment = services.training_enrol(actor=city.bai, event=training, staff=member)
    return {
        "staff_id": Thing(member.pk),
        "training_id": Thing(training.pk),
        "enrolment_id": Thing(enrolment.pk),
        "kind_id": Thing(training.grants_id),
    }
