"""Writes of partner agencies, their contacts and service agreements. Keyword-only; every write is
audited, and every state change of an agreement is an AgreementEvent row in the same transaction
(`_event`). Functions that depend on the date take `now`, so tests move the clock.

Who may call what is asked of `xinshao.access.scopes` here too, so a command or an API later stays
inside the same rules as the pages.
"""
import secrets
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access import scopes
from xinshao.audit.services import audit_record
from xinshao.core.checks import permitted, written_text
from xinshao.core.uploads import PDF, file_kept, stored_upload_problem
from xinshao.org.models import PartnerAgency
from xinshao.partners.models import AgencyContact, AgreementEvent, Scope, ServiceAgreement

A = ServiceAgreement.State


def _text(value, *, field: str, what: str, maximum: int, required: bool = True) -> str:
    """written_text, with its refusal put next to the field."""
    try:
        return written_text(value, what=what, minimum=1, maximum=maximum, required=required)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _event(*, agreement: ServiceAgreement, kind: str, actor, now, request=None, reason: str = "",
           **detail) -> AgreementEvent:
    """The one way to record a change of an agreement: an event row and an audit entry."""
    event = AgreementEvent.objects.create(
        agreement=agreement, kind=kind, actor=actor if actor is not None and actor.is_authenticated else None,
        at=now, reason=reason[:500], detail=detail)
    audit_record(actor=actor, action=f"partners.{kind}", obj=agreement, request=request,
                 detail={"event": event.pk, **{k: v for k, v in detail.items() if isinstance(v, (int, str))}})
    return event


# --- Agencies and contacts ------------------------------------------------------------------

@transaction.atomic
def agency_save(*, actor, name: str, kind: str, region, address: str = "", phone: str = "",
                agency: PartnerAgency | None = None, request=None) -> PartnerAgency:
    """Add an agency of the actor's region, or change one."""
    permitted(scopes.can_manage_partners(actor))
    if region is None or not scopes.regions_visible_to(actor).filter(pk=region.pk).exists():
        raise ValidationError({"region": _("请选择本市或所辖区县。")})
    if kind not in PartnerAgency.Kind.values:
        raise ValidationError({"kind": _("请选择机构类型。")})
    name = _text(name, field="name", what=_("机构名称"), maximum=100)
    if PartnerAgency.objects.filter(name=name).exclude(pk=agency.pk if agency else None).exists():
        raise ValidationError({"name": _("已有同名的合作机构。")})
    agency = agency or PartnerAgency()
    agency.name, agency.kind, agency.region = name, kind, region
    agency.address = _text(address, field="address", what=_("地址"), maximum=200, required=False)
    agency.phone = _text(phone, field="phone", what=_("联系电话"), maximum=30, required=False)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, action="partners.agency_save", obj=agency, request=request, detail={"name": name})
    return agency


@transaction.atomic
def contact_save(*, agency: PartnerAgency, actor, name: str, phone: str, post: str = "", email: str = "",
                 note: str = "", is_primary: bool = False, contact: AgencyContact | None = None,
                 request=None) -> AgencyContact:
    """Add a contact person, or change one. Making one the primary contact makes the others not."""
    permitted(scopes.can_manage_partners(actor))
    contact = contact or AgencyContact(agency=agency)
    contact.name = _text(name, field="name", what=_("姓名"), maximum=50)
    contact.phone = _text(phone, field="phone", what=_("电话"), maximum=30)
    contact.post = _text(post, field="post", what=_("职务"), maximum=50, required=False)
    contact.email = (email or "").strip()
    contact.note = _text(note, field="note", what=_("备注"), maximum=300, required=False)
    contact.is_primary = bool(is_primary)
    if contact.is_primary:
        agency.contacts.exclude(pk=contact.pk).filter(is_primary=True).update(is_primary=False)
    contact.full_clean()
    contact.save()
    audit_record(actor=actor, action="partners.contact_save", obj=contact, request=request,
                 detail={"agency": agency.pk})
    return contact


@transaction.atomic
def contact_remove(*, contact: AgencyContact, actor, request=None) -> None:
    permitted(scopes.can_manage_partners(actor))
    audit_record(actor=actor, action="partners.contact_remove", obj=contact, request=request,
                 detail={"agency": contact.agency_id, "name": contact.name})
    contact.delete()


# --- Agreements -----------------------------------------------------------------------------

def _agreement_fields(*, actor, agency, schools, title, number, scope, starts_on, ends_on) -> dict:
    if agency is None or not scopes.agencies_visible_to(actor).filter(pk=agency.pk).exists():
        raise ValidationError({"agency": _("请从本市的合作机构中选择。")})
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": _("请至少选择一所学校。")})
    visible = set(scopes.schools_visible_to(actor).filter(pk__in=[s.pk for s in schools]).values_list("pk", flat=True))
    if len(visible) < len({s.pk for s in schools}):
        raise ValidationError({"schools": _("只能选择本市的学校。")})
    scope = list(dict.fromkeys(scope or []))
    if not scope or set(scope) - set(Scope.values):
        raise ValidationError({"scope": _("请选择协议包含的服务。")})
    if starts_on is None or ends_on is None:
        raise ValidationError(_("请填写协议的开始和结束日期。"))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    return {"agency": agency, "schools": schools, "title": _text(title, field="title", what=_("协议名称"), maximum=100),
            "number": _text(number, field="number", what=_("协议编号"), maximum=50, required=False),
            "scope": scope, "starts_on": starts_on, "ends_on": ends_on}


@transaction.atomic
def agreement_create(*, actor, agency, schools, title: str, scope, starts_on, ends_on, number: str = "", now=None,
                     request=None) -> ServiceAgreement:
    """A draft agreement between an agency and one or more schools."""
    permitted(scopes.can_manage_partners(actor))
    now = now or timezone.now()
    fields = _agreement_fields(actor=actor, agency=agency, schools=schools, title=title, number=number, scope=scope,
                               starts_on=starts_on, ends_on=ends_on)
    schools = fields.pop("schools")
    agreement = ServiceAgreement.objects.create(created_by=actor, created_at=now, **fields)
    agreement.schools.set(schools)
    _event(agreement=agreement, kind="agreement_create", actor=actor, now=now, request=request,
           schools=len(schools))
    return agreement


@transaction.atomic
def agreement_update(*, agreement: ServiceAgreement, actor, agency, schools, title: str, scope, starts_on, ends_on,
                     number: str = "", now=None, request=None) -> ServiceAgreement:
    """Change a draft. Once in force an agreement is what was signed: renew it with a new one."""
    permitted(scopes.can_manage_partners(actor))
    now = now or timezone.now()
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != A.DRAFT:
        raise ValidationError(_("只有草稿可以修改；已生效的协议请到期后续签，或提前终止。"))
    fields = _agreement_fields(actor=actor, agency=agency, schools=schools, title=title, number=number, scope=scope,
                               starts_on=starts_on, ends_on=ends_on)
    schools = fields.pop("schools")
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.save()
    agreement.schools.set(schools)
    _event(agreement=agreement, kind="agreement_update", actor=actor, now=now, request=request,
           schools=len(schools))
    return agreement


@transaction.atomic
def agreement_document_add(*, agreement: ServiceAgreement, name: str, content: bytes, actor, now=None,
                           request=None) -> ServiceAgreement:
    """Keep the signed agreement (a PDF), replacing an earlier upload. The scan of a paper agreement
    often arrives after it is in force, so any state accepts it."""
    permitted(scopes.can_manage_partners(actor))
    now = now or timezone.now()
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement.pk)
    problem = stored_upload_problem(name=name, content=content, kinds=PDF)
    if problem:
        raise ValidationError({"file": problem})
    earlier = agreement.document.name if agreement.document else ""
    agreement.document_token = secrets.token_hex(16)
    agreement.document_name, agreement.document_size = PurePath(name).name[:255], len(content)

    def save() -> None:
        agreement.save(update_fields=["document", "document_token", "document_name", "document_size"])
        _event(agreement=agreement, kind="document_add", actor=actor, now=now, request=request, size=len(content),
               replaced=int(bool(earlier)))
    file_kept(agreement.document, stored_name="agreement.pdf", content=content, save=save)
    if earlier:
        transaction.on_commit(lambda: agreement.document.storage.delete(earlier))
    return agreement


@transaction.atomic
def agreement_activate(*, agreement: ServiceAgreement, actor, now=None, request=None) -> ServiceAgreement:
    """A signed draft comes into force (valid from its start date)."""
    permitted(scopes.can_manage_partners(actor))
    now = now or timezone.now()
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != A.DRAFT:
        raise ValidationError(_("只有草稿可以生效。"))
    if agreement.ends_on < timezone.localdate(now):
        raise ValidationError(_("这份协议的结束日期已过，不能再生效；请修改日期或新建协议。"))
    agreement.state = A.ACTIVE
    agreement.save(update_fields=["state"])
    _event(agreement=agreement, kind="agreement_activate", actor=actor, now=now, request=request)
    return agreement


@transaction.atomic
def agreement_terminate(*, agreement: ServiceAgreement, actor, reason: str, now=None,
                        request=None) -> ServiceAgreement:
    """End an agreement in force before its end date, with the reason; from today it is not valid."""
    permitted(scopes.can_manage_partners(actor))
    now = now or timezone.now()
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != A.ACTIVE:
        raise ValidationError(_("只有生效中的协议可以提前终止。"))
    reason = _text(reason, field="reason", what=_("提前终止的原因"), maximum=500)
    agreement.state, agreement.terminated_on, agreement.termination_reason = A.TERMINATED, timezone.localdate(now), reason
    agreement.save(update_fields=["state", "terminated_on", "termination_reason"])
    _event(agreement=agreement, kind="agreement_terminate", actor=actor, now=now, request=request, reason=reason)
    return agreement


def agreements_end_expired(now=None) -> int:
    """Mark each active agreement past its end date as ended (one event each); return how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ended = 0
    for pk in ServiceAgreement.objects.filter(state=A.ACTIVE, ends_on__lt=today).values_list("pk", flat=True):
        ended += _end(pk, today, now)
    return ended


@transaction.atomic
def _end(pk: int, today, now) -> int:
    # Re-read under lock: another run of the job may have ended it, or the bureau terminated it, meanwhile.
    agreement = ServiceAgreement.objects.select_for_update().filter(pk=pk, state=A.ACTIVE, ends_on__lt=today).first()
    if agreement is None:
        return 0
    agreement.state = A.ENDED
    agreement.save(update_fields=["state"])
    _event(agreement=agreement, kind="agreement_end", actor=None, now=now, ends_on=agreement.ends_on.isoformat())
    return 1
