"""The respondent's pages: code entry, own tasks, the questionnaire and its two JSON endpoints,
the end page, and a teacher's own well-being result.

A student reaches a questionnaire with a one-campaign code and needs no login: the code binds
this browser's session to that one assignment. The questionnaire page then carries a signed
token naming the assignment; the draft and submit endpoints read the assignment from that
token, not from the session or a cookie, so they are safe without a CSRF token (a page of
another site cannot read the token) and skip the session store on the hot path.
"""
import json
import re
from fractions import Fraction

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import EVERYONE, STUDENTS, TEACHER, access_rule
from xinshao.audit.services import audit_record
from xinshao.campaigns.codes import code_digest
from xinshao.campaigns.models import Assignment, Campaign, HelpRequest, InstrumentResult
from xinshao.campaigns.respond_forms import AccessCodeForm, HelpRequestForm
from xinshao.campaigns.rules import battery_for
from xinshao.campaigns.submissions import (
    REFUSALS,
    Refusal,
    assignment_refusal,
    draft_save,
    help_request_create,
    pinned_definition,
    submission_receive,
)
from xinshao.campaigns.throttle import (
    client_address,
    code_attempts_blocked,
    code_failure_record,
)

SESSION_KEY = "xinshao_respond_assignment"
OFFLINE_CACHE = "xinshao-respond-v1"
TOKEN_SALT = "xinshao.campaigns.respond"
SECONDS_PER_QUESTION = 20  # for the time estimate on the first screen
MAX_BODY_BYTES = 256 * 1024  # a whole battery with seconds is a few kilobytes


def respondent_token(assignment_id: int) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign(str(assignment_id))


def _token_assignment_id(payload) -> int | None:
    try:
        return int(signing.Signer(salt=TOKEN_SALT).unsign(str(payload.get("token"))))
    except (signing.BadSignature, ValueError):
        return None


def _may_answer(user, assignment: Assignment) -> bool:
    """A student's code is the key to that student's questionnaire, unless someone else is signed
    in on this browser; a teacher's survey needs that teacher signed in."""
    if assignment.teacher_id is not None:
        return user.is_authenticated and user.pk == assignment.teacher_id
    return not user.is_authenticated or scopes.assignments_answerable_by(user).filter(pk=assignment.pk).exists()


def _session_assignment(request) -> Assignment | None:
    assignment_id = request.session.get(SESSION_KEY)
    if assignment_id is None:
        return None
    assignment = Assignment.objects.select_related("campaign", "student", "teacher").filter(pk=assignment_id).first()
    if assignment is None or not _may_answer(request.user, assignment):
        return None
    return assignment


def _refused(request, code: str):
    status, message = REFUSALS[code]
    return render(request, "campaigns/respond/refused.html", {"message": message}, status=status)


@access_rule(allow=EVERYONE, public=True)
@login_not_required
@require_http_methods(["GET", "POST"])
def start(request):
    address = client_address(request)
    if code_attempts_blocked(address):
        return render(request, "campaigns/respond/wait.html", status=429)
    form = AccessCodeForm(request.POST or None, initial={"code": request.GET.get("code", "")[:30]})
    if request.method == "POST" and form.is_valid():
        assignment = Assignment.objects.select_related("campaign", "student").filter(
            code_digest=code_digest(form.cleaned_data["code"]), student__isnull=False).first()
        if assignment is None:
            code_failure_record(address)
            form.add_error("code", _("这个测评码不正确。请对照纸条再输入一次，或请老师帮忙。"))
        elif not _may_answer(request.user, assignment):
            return _refused(request, "other_account")
        else:
            refusal = assignment_refusal(assignment)
            if refusal and refusal != "already_submitted":
                return _refused(request, refusal)
            if not request.user.is_authenticated:
                request.session.cycle_key()
                request.session.set_expiry(0)  # a shared lab computer forgets the student when the browser closes
            request.session[SESSION_KEY] = assignment.pk
            return redirect("respond:questionnaire")
    return render(request, "campaigns/respond/start.html", {"form": form}, status=400 if form.errors else 200)


@access_rule(allow=EVERYONE)
@require_GET
def my_tasks(request):
    now = timezone.now()
    to_do, done = [], []
    for assignment in scopes.assignments_answerable_by(request.user).order_by("campaign__closes_at", "pk"):
        refusal = assignment_refusal(assignment, now)
        if refusal is None:
            to_do.append(assignment)
        elif refusal == "already_submitted":
            done.append(assignment)
    return render(request, "campaigns/respond/my_tasks.html", {"to_do": to_do, "done": done})


@access_rule(allow=STUDENTS.own)
@require_GET
def begin(request, assignment_id: int):
    assignment = get_object_or_404(scopes.assignments_answerable_by(request.user), pk=assignment_id)
    request.session[SESSION_KEY] = assignment.pk
    return redirect("respond:questionnaire")


def _parts(battery: list) -> tuple[list[dict], int]:
    """The battery as numbered parts and questions, one question per screen."""
    parts, number = [], 0
    for position, entry in enumerate(battery, start=1):
        definition = pinned_definition(entry.instrument_id, entry.instrument_version)
        questions = []
        for item in definition.items:
            number += 1
            questions.append({"number": number, "item": item})
        parts.append({"number": position, "definition": definition, "questions": questions})
    return parts, number


def _branching(definition) -> dict:
    """The definition's "shown if" rules for the page's script, by item position: the page asks
    such an item only when one of the named items has one of the values (or, with missing, was
    skipped), and sends no answer (null, "not asked") otherwise. The engine applies the same rule."""
    rules = {item.index: {"items": list(item.shown_if.item_indices), "values": sorted(item.shown_if.values),
                          "missing": item.shown_if.on_missing}
             for item in definition.items if item.shown_if}
    return {"shownIf": rules} if rules else {}


def _page_texts() -> dict:
    """What the page's script says, in the page's language."""
    return {
        "savedLocal": _("已保存在本机"),
        "savedServer": _("已保存。换一台设备输入同一个测评码，也能接着答。"),
        "offline": _("现在没有网络。答案已保存在本机，联网后会自动保存到学校。"),
        "submitting": _("正在提交……"),
        "retrying": _("网络不稳定，正在重新提交。答案已保存在本机，不会丢失。"),
        "submitted": _("已提交，谢谢你"),
        "chooseFirst": _("请先选择一个答案；如果不想回答，可以点“跳过这题”。"),
        "summary": _("你回答了 %(answered)s 题，跳过了 %(skipped)s 题。"),
        "leaveOffline": _("现在没有网络，答案只保存在这台设备上。请联网后再暂停，或在这台设备上继续作答。"),
    }


@access_rule(allow=EVERYONE, public=True, anonymous=302)
@login_not_required
@require_GET
def questionnaire(request):
    assignment = _session_assignment(request)
    if assignment is None:
        return redirect("respond:start")
    refusal = assignment_refusal(assignment)
    if refusal == "already_submitted":
        return redirect("respond:done")
    if refusal:
        return _refused(request, refusal)
    parts, question_count = _parts(battery_for(assignment))
    config = {
        "token": respondent_token(assignment.pk),
        "storageKey": f"xinshao-respond-{assignment.pk}",
        "draftUrl": reverse("respond:draft"),
        "submitUrl": reverse("respond:submit"),
        "doneUrl": reverse("respond:done"),
        "offlineWorker": reverse("respond:offline_worker"),
        "offlineCache": OFFLINE_CACHE,
        "draft": assignment.draft,
        "instruments": [{"id": part["definition"].id, "items": len(part["questions"]),
                         **_branching(part["definition"])} for part in parts],
        "text": _page_texts(),
    }
    return render(request, "campaigns/respond/questionnaire.html", {
        "campaign": assignment.campaign, "for_teacher": assignment.teacher_id is not None, "parts": parts,
        "part_count": len(parts), "question_count": question_count, "config": config,
        "minutes": max(1, round(question_count * SECONDS_PER_QUESTION / 60)),
    })


@access_rule(allow=EVERYONE, public=True)
@login_not_required
@require_GET
def offline_worker(request):
    """The questionnaire's service worker. Served from /take/ (not /static/) so that it may look
    after the questionnaire page; browsers run it only on https or localhost."""
    response = render(request, "campaigns/respond/offline_worker.js",
                      {"cache_name": OFFLINE_CACHE, "page_url": reverse("respond:questionnaire")},
                      content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def _json_payload(request):
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        return json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _json_refusal(refusal: Refusal) -> JsonResponse:
    return JsonResponse({"state": "refused", "error": refusal.code, "message": str(refusal.message)},
                        status=refusal.status)


def _token_call(request, receive, /, **extra):
    """Read the JSON body and its token, then hand both to a service; a Refusal becomes a JSON error."""
    payload = _json_payload(request)
    if not isinstance(payload, dict):
        return _json_refusal(Refusal("malformed"))
    assignment_id = _token_assignment_id(payload)
    if assignment_id is None:
        return _json_refusal(Refusal("unknown_assignment"))
    try:
        receive(assignment_id=assignment_id, payload=payload, **extra)
    except Refusal as refusal:
        return _json_refusal(refusal)
    return None


@access_rule(allow=EVERYONE, post_only=True, public=True, anonymous=400)
@csrf_exempt  # the body's signed token names the assignment; see the module docstring
@login_not_required
@require_POST
def draft(request):
    refused = _token_call(request, draft_save)
    return refused or JsonResponse({"state": "draft_saved"})


@access_rule(allow=EVERYONE, post_only=True, public=True, anonymous=400)
@csrf_exempt  # the body's signed token names the assignment; see the module docstring
@login_not_required
@require_POST
def submit(request):
    refused = _token_call(request, submission_receive, request=request)
    # The same answer however often it is sent: the first time and every retry.
    return refused or JsonResponse({"state": "submitted", "message": _("已提交，谢谢你"), "next": reverse("respond:done")})


@access_rule(allow=EVERYONE, post_only=True, public=True, anonymous=302)
@login_not_required
@require_POST
def leave(request):
    """Pause: this browser forgets the questionnaire; the answers wait on the server for the code."""
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("已暂停。下次输入同一个测评码，就能从上次的地方接着答。"))
    return redirect("respond:my_tasks" if request.user.is_authenticated else "respond:start")


@access_rule(allow=EVERYONE, public=True, anonymous=302)
@login_not_required
@require_GET
def done(request):
    assignment = _session_assignment(request)
    if assignment is None:
        return redirect("respond:start")
    if assignment.status != Assignment.Status.SUBMITTED:
        return redirect("respond:questionnaire")
    if assignment.teacher_id is not None:
        return redirect("respond:my_result", assignment_id=assignment.pk)
    return render(request, "campaigns/respond/done.html", {
        "campaign": assignment.campaign,
        "supportive": assignment.campaign.feedback == Campaign.Feedback.SUPPORTIVE,
    })


def _number(value) -> int | float:
    value = Fraction(value)
    return int(value) if value.denominator == 1 else float(value)


def _score_rows(definition, outcome: dict) -> list[dict]:
    """Each banded score of a result: its label, value, range and band, in the definition's words."""
    entries = {entry.id: entry for entry in (*definition.scores, *definition.transformed)}
    values = {**outcome["subscales"], **outcome["transformed"]}
    values.update({score.id: outcome["total"] for score in definition.scores if score.kind == "total"})
    rows = []
    for score_id, band_id in outcome["bands"].items():
        entry = entries[score_id]
        rows.append({"label": entry.label, "value": values.get(score_id), "low": _number(entry.range[0]),
                     "high": _number(entry.range[1]), "band": entry.bands.by_id(band_id).label})
    return rows


# An aside in brackets holding figures: a range, a cut-off or item numbers ("（0–40，第 4、5、7、8 题反向计分）",
# "（≥ 52%）", "(< 50)"). Staff read them; a respondent reads what the band means without them.
_FIGURES_ASIDE = re.compile(r"\s*[（(][^（）()]*[0-9≥≤<>%][^（）()]*[）)]")


def _plain(text: dict) -> dict:
    return {language: _FIGURES_ASIDE.sub("", words).strip() for language, words in text.items()}


def result_view(result: InstrumentResult) -> dict:
    definition = pinned_definition(result.instrument_id, result.instrument_version)
    outcome = result.outcome
    rows = _score_rows(definition, outcome)
    return {
        "title": definition.title,
        "rows": rows,
        # For the respondent: each banded score by name and what its band says, without the figures.
        "plain": [{"label": _plain(row["label"]), "band": _plain(row["band"])} for row in rows],
        # A cut-off met or a flag raised is the definition's own sign that a result deserves attention.
        "attention": any(outcome["cutoffs"].values()) or bool(outcome["flags"]),
    }


def _teacher_result(request, assignment_id: int) -> Assignment:
    return get_object_or_404(
        scopes.assignments_answerable_by(request.user).filter(teacher=request.user, status=Assignment.Status.SUBMITTED),
        pk=assignment_id)


def _render_result(request, assignment: Assignment, form: HelpRequestForm, status: int = 200):
    results = list(InstrumentResult.objects.filter(submission__assignment=assignment).order_by("pk"))
    return render(request, "campaigns/respond/my_result.html", {
        "campaign": assignment.campaign,
        "assignment": assignment,
        "results": [result_view(result) for result in results],
        "critical": any(result.has_critical_flag for result in results),
        "help_request": HelpRequest.objects.filter(assignment=assignment).first(),
        "form": form,
    }, status=status)


@access_rule(sensitive=True, allow=TEACHER.own)
@require_GET
def my_result(request, assignment_id: int):
    assignment = _teacher_result(request, assignment_id)
    # The teacher's own reading is recorded like the psych centre's (help_request_detail): it names the teacher.
    audit_record(actor=request.user, action="teacher_result.own_viewed", obj=assignment, request=request,
                 detail={"teacher": assignment.teacher_id})
    return _render_result(request, assignment, HelpRequestForm())


@access_rule(allow=TEACHER.own, post_only=True)
@require_POST
def help_request(request, assignment_id: int):
    assignment = _teacher_result(request, assignment_id)
    form = HelpRequestForm(request.POST)
    if not form.is_valid():
        return _render_result(request, assignment, form, status=400)
    help_request_create(assignment=assignment, message=form.cleaned_data["message"],
                        contact=form.cleaned_data["contact"], request=request)
    messages.success(request, _("市心理中心已收到你的求助，会尽快与你联系。"))
    return redirect("respond:my_result", assignment_id=assignment.pk)
