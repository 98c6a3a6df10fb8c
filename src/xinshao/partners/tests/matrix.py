"""Partners objects for the access matrix: per side an agency with a contact, and a draft agreement
covering only that side's school, with its signed document. Side A's agency is the city's mental health centre (clinician
yi); side B's is the hospital matrix_objects.py made (clinician ma, outside the matrix). Drafts, so
the bureau admin's edit page answers with the form."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.org.models import PartnerAgency
from xinshao.partners import services
from xinshao.partners.tests.support import PDF


def matrix_side(city, side, objects):
    agency = city.agency if side == "A" else PartnerAgency.objects.get(name="明州市第一人民医院")
    school, clinician = (city.school_a, "yi") if side == "A" else (city.school_b, "ma")
    contact = services.contact_save(agency=agency, actor=city.bai, name=f"联系人{side}", phone="0574-12345678",
                                    is_primary=True)
    today = timezone.localdate()
    agreement = services.agreement_create(actor=city.bai, agency=agency, schools=[school], title=f"矩阵协议{side}",
                                          scope=["assessment"], starts_on=today,
                                          ends_on=today + datetime.timedelta(days=365))
    services.agreement_document_add(agreement=agreement, name="协议.pdf", content=PDF, actor=city.bai)
    return {
        "agency_id": Thing(agency.pk),
        "contact_id": Thing(contact.pk),
        "agreement_id": Thing(agreement.pk, frozenset({clinician})),
    }
