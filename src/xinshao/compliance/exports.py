"""The yearly compliance report as an export (Excel or PDF, exports/kinds.py)."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinshao.access import scopes
from xinshao.compliance.forms import ReportForm
from xinshao.compliance.report import compliance_report
from xinshao.exports.kinds import ExportRefused, as_table, export_kind


def report_form(user, params) -> ReportForm:
    form = ReportForm(params, user=user)
    if not form.is_valid():
        raise ExportRefused(_("年度或区域有误：") + " ".join(str(e) for errors in form.errors.values() for e in errors))
    return form


def _clean(user, params) -> dict:
    form = report_form(user, params)
    return {"year": form.cleaned_data["year"], "region": form.cleaned_data["region"].pk}


@export_kind("compliance_report", title=gettext_lazy("未成年人个人信息保护年度报告"),
             may=scopes.can_read_compliance_report, clean=_clean)
def compliance_report_tables(user, params):
    form = report_form(user, params)
    report = compliance_report(region=form.cleaned_data["region"], year=form.cleaned_data["year"])
    for table in report.tables:
        yield as_table(table)
