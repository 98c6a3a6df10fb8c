"""The pages a user can reach, each shown only to those whose capability allows it.

Each capability is a named check in `xinshao.access.scopes`: this list decides nothing itself.

The header menu and the home page both read this list, so a role's home shows exactly
what that role can do.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes


@dataclass(frozen=True)
class Destination:
    title: str
    description: str
    url_name: str
    allowed: Callable

    def url(self) -> str:
        return reverse(self.url_name)


DESTINATIONS = [
    # Dashboards (dashboards/): the bureau's first destination, then a school's and a class's.
    Destination(_("全市看板"), _("全市测评覆盖与完成、结果分级、预警响应、个案、转介、回访、热线和持证率（仅汇总）"),
                "dashboards:city", scopes.can_view_city_dashboard),
    Destination(_("学校看板"), _("本校测评完成、结果分级、预警响应、个案和需要跟进的学生"), "dashboards:my_school",
                lambda user: scopes.own_dashboard_schools(user).exists()),
    Destination(_("班级情况"), _("本班测评完成情况、关注名单和需要我做的事"), "dashboards:my_class",
                scopes.can_see_own_classes),
    Destination(_("全市概况"), _("各区县、各类学校的学校数和学生数（仅汇总，不含个人信息）"), "core:overview",
                scopes.can_view_city_overview),
    Destination(_("学校"), _("可查看的学校及其年级、班级"), "org:school_list",
                scopes.can_browse_schools),
    Destination(_("我的班级"), _("所带班级的学生名单"), "org:my_classes", scopes.can_see_own_classes),
    Destination(_("学生名册"), _("按班级查找学生，查看学生基本信息"), "people:student_list",
                scopes.can_read_roster),
    Destination(_("测评任务"), _("心理测评任务：创建、开始、打印答题码、查看完成情况"), "campaigns:list",
                scopes.can_use_campaign_pages),
    Destination(_("教师求助"), _("教师在心理健康测评后主动提出的求助"), "campaigns:help_requests",
                scopes.can_read_teacher_help_requests),
    Destination(_("测评知情同意"), _("查看孩子的测评任务，同意或拒绝参加"), "campaigns:family",
                scopes.can_answer_family_consent),
    Destination(_("我的孩子"), _("孩子的在校信息"), "people:student_list",
                scopes.can_see_own_children),
    Destination(_("名册导入"), _("用 Excel 或 CSV 导入、更新本校学生名册"), "rosters:import",
                lambda user: scopes.schools_with_roster_rights(user).exists()),
    Destination(_("量表库"), _("平台可用的量表：题目、计分、分级、关键条目与来源"), "instruments:library",
                scopes.can_browse_instruments),
    Destination(_("我的测评"), _("需要完成的心理测评，和已完成的测评"), "respond:my_tasks",
                scopes.can_answer_questionnaires),
    Destination(_("我的信息"), _("本人的在校信息"), "people:me",
                scopes.can_read_own_record),
    Destination(_("预警"), _("需要确认和跟进的预警：级别、原因、负责人和期限"), "alerts:inbox",
                scopes.can_use_alert_inbox),
    Destination(_("个案"), _("个案管理：评估、干预、转介、回访与结案"), "cases:list", scopes.can_use_case_pages),
    Destination(_("交接任务"), _("升学转入学生的心理成长档案：查看后确认接收"), "records:handovers",
                scopes.can_use_record_handovers),
    Destination(_("预警规则"), _("全市默认预警规则，以及本校更严格的规则"), "alerts:rules",
                scopes.can_use_rules_page),
    # The sentinel channels (sentinel/): the class channel, the home–school channel, self-help.
    Destination(_("心情打卡"), _("说说现在的心情和压力；想聊聊时，心理老师会来找你"), "sentinel:checkin",
                scopes.can_check_in),
    Destination(_("告诉心理老师"), _("发现同学最近不太对劲时，悄悄告诉学校的心理老师"), "sentinel:report",
                scopes.can_report_as_committee),
    Destination(_("自助角"), _("呼吸练习、睡个好觉、减压小方法，以及可以找谁聊聊"), "sentinel:self_help",
                scopes.can_use_self_help),
    Destination(_("反映孩子的情况"), _("孩子的情绪或状态让您担心时，告诉学校的心理老师"), "sentinel:concern",
                scopes.can_raise_guardian_concern),
    Destination(_("关注名单"), _("本班需要多一些关心的学生，以及负责的心理老师"), "sentinel:attention",
                scopes.can_see_attention_list),
    Destination(_("家访与家长会谈"), _("记录家访和家长会谈，查看自己写过的记录"), "sentinel:records",
                scopes.can_keep_home_school_records),
    Destination(_("转介给心理老师"), _("把需要关注的本班学生转介给学校心理老师"), "sentinel:refer",
                scopes.can_keep_home_school_records),
    Destination(_("家校沟通记录"), _("本校班主任写下的家访与家长会谈记录"), "sentinel:school_records",
                scopes.can_read_school_home_school_records),
    # The city hotline and walk-in centre (hotline/).
    Destination(_("记录来电"), _("接听时随手记录：来电类型、来电人、风险和措施，只用键盘即可"), "hotline:call_new",
                scopes.can_log_calls),
    Destination(_("来电记录"), _("全市热线来电，后续来电接在首次来电之后"), "hotline:call_list",
                scopes.can_read_calls),
    Destination(_("待回电"), _("所有接线员欠下的回电，逾期的排在最前"), "hotline:callbacks", scopes.can_read_calls),
    Destination(_("来访"), _("来访家庭：接待记录、我的来访家庭和下次来访"), "hotline:visit_list",
                scopes.can_keep_visits),
    Destination(_("热线与来访统计"), _("按月份、话题、来电人、风险统计来电和来访（仅数字）"), "hotline:statistics",
                scopes.can_read_hotline_statistics),
    Destination(_("来电话题"), _("统计来电和来访所用的话题分类"), "hotline:topics", scopes.can_edit_topics),
    # The agency portal (cases/portal/): referrals sent to the clinician's own agency.
    Destination(_("转介接收"), _("学校转介到本机构的学生：接收、记录就诊、反馈给学校"), "agency:list",
                scopes.can_use_agency_portal),
    # Counseling rooms and appointments (counseling/).
    Destination(_("预约心理老师"), _("选择本校心理老师或市心理中心，预约一个方便的时间"), "counseling:book",
                scopes.can_book_counseling),
    Destination(_("我的预约时段"), _("开放可预约的时段，按天查看预约，确认、改期或取消"), "counseling:slots",
                scopes.can_publish_slots),
    Destination(_("辅导室"), _("本校心理辅导室：面积、设备、开放时间和值班老师"), "counseling:rooms",
                scopes.can_keep_rooms),
    Destination(_("辅导室达标情况"), _("各校心理辅导室是否达到标准，缺少什么"), "counseling:compliance",
                scopes.can_read_room_compliance),
    # Local norms and instrument quality (norms/).
    Destination(_("本地常模与量表质量"), _("按年级和性别的本地百分位，量表在本市学生中的信度"), "norms:list",
                scopes.can_read_norms),
    # Inspections and rectification (governance/).
    Destination(_("督查轮次"), _("年度督查计划、各轮督查的学校、结果和汇总"), "governance:rounds",
                scopes.can_read_inspections),
    Destination(_("待审核整改"), _("学校已提交、等待审核的整改事项"), "governance:pending",
                scopes.can_sign_off_rectifications),
    Destination(_("逾期整改"), _("已过整改期限、尚未通过的整改事项"), "governance:overdue",
                scopes.can_read_inspections),
    Destination(_("本校整改事项"), _("督查提出的本校整改：上传材料、提交审核"), "governance:school_items",
                scopes.can_answer_rectifications),
    # Partner agencies and service agreements (partners/).
    Destination(_("合作机构"), _("精神卫生中心、医院、公安、民政、妇联、团委、街道社区：联系人和电话"), "partners:agencies",
                scopes.can_read_agencies),
    Destination(_("服务协议"), _("学校与合作机构的服务协议：服务内容、期限、是否有效"), "partners:agreements",
                scopes.can_read_agreements),
    Destination(_("即将到期的服务协议"), _("60 天内到期的有效服务协议，请及时续签"), "partners:expiring",
                scopes.can_read_all_agreements),
    # Activities entering campus (activities/).
    Destination(_("我的进校园活动申报"), _("本单位申报的进校园活动：填写、上传材料、提交，查看审批结果"),
                "activities:applications", scopes.can_apply_for_activities),
    Destination(_("申报进校园活动"), _("新建一份进校园活动申报"), "activities:application_new",
                scopes.can_apply_for_activities),
    Destination(_("进校园活动审批"), _("校外单位提交的进校园活动申报：审批、查看材料"), "activities:applications",
                scopes.can_read_activity_applications),
    Destination(_("进校园活动备案查询"), _("校外单位来校时，查一查活动是否经过审批、是否批准到本校"),
                "activities:register", scopes.can_search_activity_register),
    Destination(_("拒绝进校记录"), _("未经审批或超出审批范围、被学校拒绝的进校活动"), "activities:refusals",
                scopes.can_read_refusals),
    Destination(_("教师负担与身心状况"), _("各校每学期进校活动数量，与教师心理健康测评汇总并列"),
                "activities:teacher_load", scopes.can_read_teacher_load),
    # Workforce, certificates and training, designations (workforce/).
    Destination(_("心理教师配备"), _("各校专职、兼职心理教师和每千名学生配备，没有专职心理教师的学校"), "workforce:overview",
                scopes.can_read_workforce),
    Destination(_("持证率"), _("心理健康教育证书持证率：全市与各校对照目标，还需培训的老师"), "workforce:certification",
                scopes.can_read_workforce),
    Destination(_("本校教师队伍"), _("本校心理教师和班主任：专职兼职、学历、证书和培训"), "workforce:my_school",
                scopes.can_use_school_workforce),
    Destination(_("教师培训"), _("培训安排、报名、出勤和结业发证"), "workforce:trainings", scopes.can_read_trainings),
    Destination(_("示范校与实践基地"), _("心理健康教育示范校、特色校和实践基地名单"), "workforce:designations",
                scopes.can_read_designations),
    Destination(_("通知发送记录"), _("短信和邮件通知的发送结果、重试和失败原因"), "notifications:deliveries",
                scopes.can_watch_deliveries),
    Destination(_("审计与后台任务"), _("审计链完整性校验，后台定时任务运行情况"), "core:system_status",
                scopes.can_verify_audit_chain),
    Destination(_("访问记录查询"), _("谁查看过某名学生、某位用户查看过什么，异常访问和紧急访问报告"), "audit:search",
                scopes.can_search_audit),
    # Retention and the guardian's copy of a child's data (retention/).
    Destination(_("数据保存期限"), _("每类数据保存多久、到期删除还是匿名化，修改记录和执行记录"), "retention:policies",
                scopes.can_read_retention),
    Destination(_("个人信息副本"), _("申请孩子个人信息的副本（监护人）；登记监护人的书面申请（学校）"), "retention:copies",
                scopes.can_use_copy_requests),
    # Personal information protection (compliance/).
    Destination(_("访问授权审批"), _("查看学生信息的角色须经批准：待审批的申请、批准、拒绝和撤销"), "compliance:pending",
                scopes.can_approve_access),
    Destination(_("申请访问授权"), _("为本校教职工申请心理教师、班主任等角色，经教育局批准后生效"), "compliance:request_new",
                lambda user: scopes.can_request_access(user) and not scopes.can_approve_access(user)),
    Destination(_("个人信息保护年度报告"), _("持有哪些未成年人信息、谁查看过、授权和安全事件，导出 Excel 或 PDF"),
                "compliance:report", scopes.can_read_compliance_report),
    Destination(_("个人信息安全事件"), _("登记安全事件，按小时计的上报期限和处置经过"), "compliance:incidents",
                scopes.can_keep_incidents),
    Destination(_("已锁定账号"), _("连续输错密码被锁定的账号，核实后解除锁定"), "compliance:locked",
                scopes.can_unlock_accounts),
    # Referrals made in an emergency without the guardian's consent, for review (consent/).
    Destination(_("未经同意的紧急转介"), _("复核未经监护人同意的紧急转介：原因是否充分"), "consent:overrides",
                scopes.can_review_consent_overrides),
    Destination(_("我的账号"), _("两步验证、备用码，在所有设备上退出"), "accounts:account",
                lambda user: user.is_authenticated),
    Destination(_("接口令牌"), _("给学籍系统、心理中心系统等调用接口用的个人令牌：新建、查看、撤销"), "api:tokens",
                scopes.can_offer_api_tokens),
    Destination(_("事件推送"), _("把预警和转介事件推送到学籍系统等：登记地址、测试发送、发送记录"), "webhooks:endpoints",
                scopes.can_manage_webhooks),
]


def destinations_for(user) -> list[Destination]:
    return [destination for destination in DESTINATIONS if destination.allowed(user)]
