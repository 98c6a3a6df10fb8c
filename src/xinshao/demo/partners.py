"""Partner agencies and service agreements for the demo city (partners/): the city's agencies —
the mental health centre, two hospitals, the social work centre, police, civil affairs, the women's
federation, the youth league and a community office in each of the first two districts — each with
an address, a phone and contacts; and agreements, written through the services as the bureau admin
would, dated from `now`:

- 16 schools (the two showcase schools among them) under active agreements with the mental health
  centre: a framework agreement with twelve, and four single-school ones, one of them ending within
  the bureau's 60-day warning (the expiring-soon list);
- one school whose agreement with the centre ended last month (marked ended by the nightly job);
- the first children's hospital's crisis-intervention agreement with five schools, and a draft
  training agreement with the social work centre for the bureau admin to finish.

A smaller demo city (fewer than 17 schools) gets as many of these as it has schools for.
Runs before the early-warning examples: their referral goes to the centre from a covered school.
"""
import datetime
import random

from django.utils import timezone

from xinshao.accounts.models import User
from xinshao.demo.names import adult_name
from xinshao.org.models import PartnerAgency, Region, School
from xinshao.partners import services
from xinshao.partners.models import Scope

K = PartnerAgency.Kind
PDF = b"%PDF-1.4\n% demo: a signed service agreement between schools and a partner agency\n%%EOF\n"
DAY = datetime.timedelta(days=1)
# name, kind, address, phone; the first three are staff.AGENCIES (they have clinicians' logins).
AGENCIES = (
    ("明州市精神卫生中心", K.MENTAL_HEALTH_CENTRE, "明州市东湖区康宁路 88 号", "0574-87654120"),
    ("明州市第一人民医院", K.HOSPITAL, "明州市西山区人民路 1 号", "0574-87001120"),
    ("明州市阳光社会工作服务中心", K.SOCIAL_SERVICES, "明州市南浦区阳光里 6 号", "0574-86120011"),
    ("明州市儿童医院", K.HOSPITAL, "明州市北岸区育英路 25 号", "0574-87320120"),
    ("明州市公安局", K.POLICE, "明州市东湖区中山路 100 号", "0574-87110110"),
    ("明州市民政局", K.CIVIL_AFFAIRS, "明州市东湖区市府路 2 号", "0574-87120012"),
    ("明州市妇女联合会", K.WOMENS_FEDERATION, "明州市东湖区市府路 8 号", "0574-12338"),
    ("共青团明州市委员会", K.YOUTH_LEAGUE, "明州市东湖区市府路 8 号", "0574-12355"),
)
# Each agency's contacts: post, and whether the post is the one schools call first.
POSTS = {
    K.MENTAL_HEALTH_CENTRE: (("儿童青少年心理科主任", True), ("医务科干事", False), ("心理危机干预热线负责人", False)),
    K.HOSPITAL: (("心理门诊护士长", True), ("医务科科长", False)),
    K.SOCIAL_SERVICES: (("项目主管", True), ("驻校社工", False)),
    K.POLICE: (("未成年人保护专班民警", True),),
    K.CIVIL_AFFAIRS: (("儿童福利科科长", True),),
    K.WOMENS_FEDERATION: (("家庭和儿童工作部部长", True), ("维权热线 12338 值班", False)),
    K.YOUTH_LEAGUE: (("青少年权益部部长", True), ("12355 青少年服务台", False)),
    K.COMMUNITY_OFFICE: (("社区儿童主任", True),),
}
CENTRE_SCOPE = [Scope.ASSESSMENT, Scope.TREATMENT_REFERRAL, Scope.CRISIS_INTERVENTION, Scope.CONSULTATION]
COVERED = 16      # the bureau's report: 16 schools with an agreement with the city mental health centre
IN_FRAMEWORK = 12


def _agencies(city: Region, rng: random.Random) -> dict[str, PartnerAgency]:
    existing = {agency.name: agency for agency in PartnerAgency.objects.filter(region=city)}
    for name, kind, address, phone in AGENCIES:
        agency = existing.get(name) or PartnerAgency(name=name, kind=kind, region=city)
        agency.address, agency.phone = address, phone
        agency.save()
        existing[name] = agency
    for district in Region.objects.filter(parent=city).order_by("code")[:2]:
        agency = PartnerAgency.objects.create(
            name=f"{district.name}城关街道社区服务中心", kind=K.COMMUNITY_OFFICE, region=district,
            address=f"{district.name}城关街道文化路 {rng.randint(2, 60)} 号", phone=f"0574-8{rng.randint(1000000, 9999999)}")
        existing[agency.name] = agency
    return existing


def _contacts(agencies, admin: User, rng: random.Random) -> None:
    for agency in agencies.values():
        for post, primary in POSTS[agency.kind]:
            name = adult_name(rng, rng.choice("FM"))
            services.contact_save(agency=agency, actor=admin, name=name, post=post, is_primary=primary,
                                  phone=f"1{rng.choice('358')}{rng.randint(100000000, 999999999)}",
                                  email=f"contact{rng.randint(100, 999)}@mz-partner.example.cn" if primary else "",
                                  note="续签、结算事宜也找这位" if primary and agency.kind == K.MENTAL_HEALTH_CENTRE else "")


def _in_force(admin, now, *, agency, schools, title, number, scope, starts_on, ends_on, signed=True):
    agreement = services.agreement_create(actor=admin, agency=agency, schools=schools, title=title, number=number,
                                          scope=scope, starts_on=starts_on, ends_on=ends_on, now=now)
    if signed:
        services.agreement_document_add(agreement=agreement, name=f"{number}.pdf", content=PDF, actor=admin, now=now)
    return services.agreement_activate(agreement=agreement, actor=admin, now=now)


def seed_partners(city: Region, now: datetime.datetime, rng: random.Random) -> None:
    admin = User.objects.filter(username="bureau.admin").first()
    schools = list(School.objects.filter(district__parent=city).order_by("code"))
    if admin is None or not schools:
        return
    agencies = _agencies(city, rng)
    _contacts(agencies, admin, rng)
    today = timezone.localdate(now)
    centre = agencies["明州市精神卫生中心"]
    # The showcase schools first, then others picked by the rng.
    covered = schools[:2] + rng.sample(schools[2:], min(COVERED, len(schools) - 1) - 2)
    framework, singles = covered[:IN_FRAMEWORK], covered[IN_FRAMEWORK:]
    signed_on = today - 200 * DAY
    _in_force(admin, now - 200 * DAY, agency=centre, schools=framework, title="学校心理健康服务框架协议（第一批）",
              number=f"MZJW-XY-{signed_on.year}-01", scope=CENTRE_SCOPE, starts_on=signed_on,
              ends_on=signed_on + 730 * DAY)
    for n, school in enumerate(singles):
        starts_on = today - (300 + 20 * n) * DAY
        # The first single agreement ends within the bureau's 60-day warning; the others run on.
        ends_on = today + 40 * DAY if n == 0 else starts_on + 1095 * DAY
        _in_force(admin, now - (300 + 20 * n) * DAY, agency=centre, schools=[school],
                  title=f"{school.name}心理服务协议", number=f"MZJW-XY-{starts_on.year}-{10 + n}",
                  scope=CENTRE_SCOPE, starts_on=starts_on, ends_on=ends_on, signed=n != len(singles) - 1)
    rest = [school for school in schools if school not in covered]
    if rest:
        ended_school = rest[0]
        _in_force(admin, now - 395 * DAY, agency=centre, schools=[ended_school], title=f"{ended_school.name}心理服务协议",
                  number=f"MZJW-XY-{(today - 395 * DAY).year}-09", scope=CENTRE_SCOPE, starts_on=today - 395 * DAY,
                  ends_on=today - 30 * DAY)
        services.agreements_end_expired(now=now - 29 * DAY)
    hospital = agencies["明州市儿童医院"]
    _in_force(admin, now - 90 * DAY, agency=hospital, schools=covered[1:6], title="儿童青少年心理危机干预绿色通道协议",
              number=f"MZET-{today.year}-03", scope=[Scope.CRISIS_INTERVENTION, Scope.TREATMENT_REFERRAL],
              starts_on=today - 90 * DAY, ends_on=today + 275 * DAY)
    services.agreement_create(actor=admin, agency=agencies["明州市阳光社会工作服务中心"], schools=rest[1:4] or schools[:1],
                              title="班主任心理辅导能力培训协议", number="", now=now,
                              scope=[Scope.TRAINING, Scope.PARENT_EDUCATION], starts_on=today + 14 * DAY,
                              ends_on=today + 379 * DAY)
