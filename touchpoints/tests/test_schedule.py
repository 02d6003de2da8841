"""The care schedule: what falls due, when, for whom — each with a frozen clock (J6–J20)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from core.testing import count_queries
from estates.choices import ProjectStatus
from estates.models import WarrantyOverride
from estates.tests.factories import ComponentTypeFactory, ProjectFactory
from members.tests.factories import CustomerFactory
from touchpoints.choices import Duty, TaskStatus
from touchpoints.models import CareSettings, CareTask, CommunityNotice, OutboundMessage, VisitRound
from touchpoints.schedule import run_daily_scan

D = datetime.date


def tasks(duty, **filters):
    return CareTask.objects.filter(duty=duty, **filters)


@pytest.mark.rule("J7")
def test_a_subscription_queues_the_welcome_message_with_the_hotline(project, buy, frozen):
    purchase = buy(subscribed_on=D(2026, 3, 2))

    with frozen(D(2026, 3, 2)):
        run_daily_scan()

    message = OutboundMessage.objects.get(customer=purchase.customer, purpose=Duty.SUBSCRIPTION_MESSAGE)
    assert project.company.service_hotline in message.body and purchase.customer.name in message.body
    assert tasks(Duty.SUBSCRIPTION_MESSAGE).get().status == TaskStatus.DONE


@pytest.mark.rule("J7", "J22")
def test_a_message_missed_yesterday_goes_out_today_once(project, buy, frozen):
    buy(subscribed_on=D(2026, 3, 1))

    with frozen(D(2026, 3, 2)):
        run_daily_scan()
        run_daily_scan()
    with frozen(D(2026, 3, 3)):
        run_daily_scan()

    assert OutboundMessage.objects.filter(purpose=Duty.SUBSCRIPTION_MESSAGE).count() == 1


@pytest.mark.rule("J8")
def test_the_call_center_calls_after_signing_and_after_delivery(project, buy, frozen):
    signed = buy(signed_on=D(2026, 3, 1))
    delivered = buy(signed_on=D(2025, 6, 1), delivered_on=D(2026, 3, 1))

    with frozen(D(2026, 3, 3)):
        run_daily_scan()

    signing_call = tasks(Duty.SIGNING_SURVEY_CALL).get(purchase=signed)
    assert signing_call.owner_role == Role.CALL_CENTER
    assert (signing_call.due_start, signing_call.due_end) == (D(2026, 3, 1), D(2026, 3, 8))
    assert tasks(Duty.DELIVERY_SURVEY_CALL).get().purchase == delivered


@pytest.mark.rule("J9")
def test_the_consultant_calls_within_seven_days_of_signing(project, buy, frozen, staff):
    purchase = buy(signed_on=D(2026, 3, 1))
    purchase.consultant = staff[Role.CONSULTANT]
    purchase.save()

    with frozen(D(2026, 2, 28)):
        run_daily_scan()
    assert not tasks(Duty.SIGNING_FOLLOW_UP_CALL).exists()
    with frozen(D(2026, 3, 1)):
        run_daily_scan()

    call = tasks(Duty.SIGNING_FOLLOW_UP_CALL).get()
    assert call.owner == staff[Role.CONSULTANT] and call.due_end == D(2026, 3, 8)


@pytest.mark.rule("J13")
def test_the_home_pack_falls_due_a_month_before_the_planned_delivery(project, buy, frozen):
    project.delivery_date = D(2026, 6, 30)
    project.save()
    purchase = buy(signed_on=D(2025, 6, 1))

    with frozen(D(2026, 5, 30)):
        run_daily_scan()
    assert not tasks(Duty.HOME_PACK).exists()
    with frozen(D(2026, 5, 31)):
        run_daily_scan()

    pack = tasks(Duty.HOME_PACK).get()
    assert pack.purchase == purchase and pack.due_end == D(2026, 6, 29) and pack.owner_role == Role.CUSTOMER_SERVICE


@pytest.mark.rule("J14")
def test_move_in_raises_the_congratulation_visit(project, buy, frozen):
    buy(delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 10))

    with frozen(D(2026, 3, 10)):
        run_daily_scan()

    visit = tasks(Duty.MOVE_IN_VISIT).get()
    assert visit.due_end == D(2026, 3, 24) and visit.owner_role == Role.CUSTOMER_SERVICE


@pytest.mark.rule("J15")
def test_the_three_month_round_samples_ten_percent_at_least_and_sixty_at_most(project, buy, frozen):
    for _ in range(25):
        buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    CareSettings.objects.create(project=project, three_month_sample_max=2)

    with frozen(D(2026, 4, 9)):
        run_daily_scan()
    assert not tasks(Duty.THREE_MONTH_VISIT).exists()
    with frozen(D(2026, 4, 10)):
        run_daily_scan()

    visit_round = VisitRound.objects.get(project=project, year=2026)
    assert visit_round.delivered_units == 25
    # 10% of 25 is 3 households, but the project allows at most 2
    assert tasks(Duty.THREE_MONTH_VISIT).count() == 2 == visit_round.target
    assert tasks(Duty.THREE_MONTH_VISIT).first().due_end == D(2026, 7, 10)


@pytest.mark.rule("J15")
def test_the_default_sample_is_ten_percent_rounded_up(project, buy, frozen):
    for _ in range(11):
        buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))

    with frozen(D(2026, 4, 12)):
        run_daily_scan()
        run_daily_scan()

    assert tasks(Duty.THREE_MONTH_VISIT).count() == 2


@pytest.mark.rule("J16")
def test_the_warranty_notice_goes_a_month_before_each_component_expires(project, buy, frozen):
    waterproofing = ComponentTypeFactory(name="防水", default_warranty_months=60)
    doors = ComponentTypeFactory(name="门窗", default_warranty_months=24)
    WarrantyOverride.objects.create(project=project, component_type=doors, warranty_months=36)
    purchase = buy(delivered_on=D(2024, 5, 20), moved_in_on=D(2024, 6, 1))

    with frozen(D(2027, 4, 19)):
        run_daily_scan()
    assert not tasks(Duty.WARRANTY_NOTICE).exists()
    with frozen(D(2027, 4, 20)):
        run_daily_scan()

    task = tasks(Duty.WARRANTY_NOTICE).get()
    assert task.component_type == doors and task.due_end == D(2027, 5, 20) and task.unit == purchase.unit
    message = OutboundMessage.objects.get(purpose=Duty.WARRANTY_NOTICE)
    assert message.body == (
        "尊敬的万科业主,您房屋中门窗的质保期即将在5月20日到期,特提醒您在保修期届满前检查相关物品,"
        f"如有问题可与万科客服中心(保修中心)联系:{project.company.service_hotline}"
    )
    notice = CommunityNotice.objects.get(project=project)
    assert notice.component_type == doors and "门窗" in notice.body and notice.expires_in == "2027-05"
    assert waterproofing.care_tasks.count() == 0


@pytest.mark.rule("J17")
def test_the_one_year_house_check_falls_due_a_year_after_move_in(project, buy, frozen):
    buy(delivered_on=D(2025, 3, 1), moved_in_on=D(2025, 3, 15))

    with frozen(D(2026, 3, 15)):
        run_daily_scan()

    check = tasks(Duty.ONE_YEAR_CHECK).get()
    assert check.due_end == D(2026, 4, 14) and check.owner_role == Role.ENGINEERING


@pytest.mark.rule("J18", "M3")
def test_birthday_greetings_go_to_owners_who_consented(project, buy, frozen):
    owner = CustomerFactory(project=project, birthday=D(1980, 7, 1), consents_to_messages=True)
    buy(customer=owner)
    refused = CustomerFactory(project=project, birthday=D(1985, 7, 1), consents_to_messages=False)
    buy(customer=refused)
    CustomerFactory(project=project, birthday=D(1990, 7, 1), consents_to_messages=True)  # a visitor, not an owner

    with frozen(D(2026, 7, 1)):
        run_daily_scan()

    greeting = OutboundMessage.objects.get(purpose=Duty.BIRTHDAY_GREETING)
    assert greeting.customer == owner and owner.name in greeting.body
    assert tasks(Duty.BIRTHDAY_GREETING).get().period == "2026"


@pytest.mark.rule("J18", "M1")
def test_club_members_get_a_birthday_greeting_too(project, frozen):
    from members.services import join_club

    member = CustomerFactory(project=project, birthday=D(1992, 7, 1), consents_to_messages=True)
    join_club(customer=member, source_project=project, actor=None, joined_on=D(2026, 1, 5))

    with frozen(D(2026, 7, 1)):
        run_daily_scan()

    assert OutboundMessage.objects.get(purpose=Duty.BIRTHDAY_GREETING).customer == member


@pytest.mark.rule("J18")
def test_a_leap_day_birthday_is_greeted_on_the_28th(project, buy, frozen):
    buy(customer=CustomerFactory(project=project, birthday=D(1988, 2, 29), consents_to_messages=True))

    with frozen(D(2027, 2, 28)):
        run_daily_scan()

    assert tasks(Duty.BIRTHDAY_GREETING).count() == 1


@pytest.mark.rule("J19")
def test_quality_checks_fall_due_at_3_11_23_and_35_months_after_delivery(project, buy, frozen):
    buy(delivered_on=D(2025, 1, 10))
    due_days = {D(2025, 4, 10): "m3", D(2025, 12, 10): "m11", D(2026, 12, 10): "m23", D(2027, 12, 10): "m35"}

    for day in due_days:
        with frozen(day - datetime.timedelta(days=1)):
            run_daily_scan()
        with frozen(day):
            run_daily_scan()

    checks = tasks(Duty.QUALITY_CHECK).order_by("due_start")
    assert [(task.period, task.due_start) for task in checks] == [(p, d) for d, p in due_days.items()]
    assert all(task.owner_role == Role.ENGINEERING for task in checks)


@pytest.mark.rule("J20")
def test_four_years_after_delivery_the_improvement_plan_falls_due(project, buy, frozen):
    buy(delivered_on=D(2022, 5, 1))

    with frozen(D(2026, 5, 1)):
        run_daily_scan()

    plan = tasks(Duty.FOUR_YEAR_PLAN).get()
    assert plan.project == project and plan.period == "m48"


@pytest.mark.rule("J11")
def test_progress_letters_fall_due_every_two_months_and_raise_an_alert_when_late(project, buy, frozen):
    project.status = ProjectStatus.UNDER_CONSTRUCTION
    project.save()
    buy(signed_on=D(2025, 12, 1))
    delivered_elsewhere = ProjectFactory(company=project.company, status=ProjectStatus.UNDER_CONSTRUCTION)

    with frozen(D(2026, 3, 5)):
        run_daily_scan()
    letter = tasks(Duty.PROGRESS_LETTER).get()
    assert (letter.project, letter.due_start, letter.due_end) == (project, D(2026, 3, 1), D(2026, 4, 30))
    assert not tasks(Duty.PROGRESS_LETTER, project=delivered_elsewhere).exists()  # nobody is waiting there

    with frozen(D(2026, 5, 1)):
        run_daily_scan()
    letter.refresh_from_db()
    assert letter.alerted_at is not None
    assert tasks(Duty.PROGRESS_LETTER, period="2026-05").exists()


@pytest.mark.rule("J12")
def test_every_company_owes_a_group_purchase_event_each_year(company, frozen):
    with frozen(D(2026, 1, 1)):
        run_daily_scan()
    with frozen(D(2027, 1, 1)):
        run_daily_scan()

    assert list(tasks(Duty.GROUP_PURCHASE, company=company).values_list("period", flat=True).order_by("period")) == [
        "2026",
        "2027",
    ]


@pytest.mark.rule("J6")
def test_mystery_shopper_checks_every_two_months_or_quarterly(project, other_project, frozen):
    CareSettings.objects.create(project=other_project, mystery_shopper_interval=3)

    for day in (D(2026, 1, 15), D(2026, 3, 15), D(2026, 4, 15)):
        with frozen(day):
            run_daily_scan()

    assert list(tasks(Duty.MYSTERY_SHOPPER, project=project).values_list("period", flat=True)) == ["2026-01", "2026-03"]
    assert list(tasks(Duty.MYSTERY_SHOPPER, project=other_project).values_list("period", flat=True)) == [
        "2026-01",
        "2026-04",
    ]


@pytest.mark.rule("J22")
def test_running_the_scan_twice_creates_nothing_new(project, buy, frozen):
    project.status = ProjectStatus.UNDER_CONSTRUCTION
    project.save()
    ComponentTypeFactory(default_warranty_months=12)
    buy(subscribed_on=D(2026, 3, 1), signed_on=D(2026, 3, 1))
    buy(delivered_on=D(2025, 3, 10), moved_in_on=D(2025, 3, 10))

    with frozen(D(2026, 3, 10)):
        first = run_daily_scan()
        counts = (CareTask.objects.count(), OutboundMessage.objects.count(), CommunityNotice.objects.count())
        second = run_daily_scan()

    assert first.created >= 5 and second.created == 0
    assert (CareTask.objects.count(), OutboundMessage.objects.count(), CommunityNotice.objects.count()) == counts


def test_a_second_scan_of_the_day_finds_nothing_to_write(project, buy, frozen):
    """Every rule leaves out what the first run wrote, project- and company-level duties included (issue 15): the
    second run writes nothing, so it neither inserts nor counts the task table."""
    project.status = ProjectStatus.SELLING
    project.save()
    ComponentTypeFactory(default_warranty_months=12)
    born_today = CustomerFactory(project=project, consents_to_messages=True, birthday=D(1980, 3, 10))
    buy(customer=born_today, subscribed_on=D(2026, 3, 1), signed_on=D(2026, 3, 1))
    buy(delivered_on=D(2025, 3, 10), moved_in_on=D(2025, 3, 10))

    with frozen(D(2026, 3, 10)):
        first = run_daily_scan()
        with CaptureQueriesContext(connection) as second_run:
            second = run_daily_scan()

    assert {Duty.MYSTERY_SHOPPER, Duty.PROGRESS_LETTER, Duty.GROUP_PURCHASE, Duty.BIRTHDAY_GREETING} <= set(
        first.by_duty
    )
    assert second.by_duty == {} and second.created == 0
    written = [q["sql"] for q in second_run.captured_queries if q["sql"].startswith("INSERT")]
    assert written == []


def at(day: datetime.date, hour: int):
    """The clock frozen at `hour` o'clock (Shanghai) of `day`."""
    return time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), tick=False)


@pytest.fixture
def quiet_purchase(buy):
    """A purchase subscribed long ago and not signed, read by the first scan of 10 March at 8 o'clock, then signed
    that day by a raw UPDATE, which leaves its updated_at as it was: a change not recorded as one."""
    from members.models import Purchase

    with at(D(2026, 3, 9), 8):
        quiet = buy()
    with at(D(2026, 3, 10), 8):
        run_daily_scan()
    Purchase.objects.filter(pk=quiet.pk).update(signed_on=D(2026, 3, 10), status="signed")
    return quiet


def test_a_later_scan_of_the_day_reads_what_was_written_since_the_last_and_new_settings_read_all(
    project, buy, staff, quiet_purchase
):
    """The day's second scan reads only purchases, customers and memberships written since the first began (issue
    15): what was written since gets its tasks; a change not recorded waits for new care settings (or the next
    day), when the scan reads everything again."""
    from members import services as member_services

    with at(D(2026, 3, 10), 14):
        signed_today = buy(signed_on=D(2026, 3, 10))
        born_today = CustomerFactory(project=project, consents_to_messages=True, birthday=D(1980, 3, 10))
        member_services.join_club(customer=born_today, source_project=project, actor=staff[Role.CONSULTANT])
        afternoon = run_daily_scan()
    with at(D(2026, 3, 10), 15):
        again = run_daily_scan()
    with at(D(2026, 3, 10), 16):
        CareSettings.objects.create(project=project, return_call_days=3)
        after_settings = run_daily_scan()

    assert tasks(Duty.SIGNING_SURVEY_CALL, purchase=signed_today).count() == 1
    assert tasks(Duty.BIRTHDAY_GREETING, customer=born_today).count() == 1
    assert afternoon.by_duty.get(Duty.SIGNING_SURVEY_CALL) == 1 and again.created == 0
    assert after_settings.by_duty.get(Duty.SIGNING_SURVEY_CALL) == 1, "new settings: the scan reads every purchase"
    assert tasks(Duty.SIGNING_SURVEY_CALL, purchase=quiet_purchase).count() == 1


@pytest.mark.rule("J18")
def test_a_later_scan_greets_whoever_born_today_consented_became_an_owner_or_joined_the_club_since(project, buy, staff):
    """The second scan's birthday greetings start from the customers, purchases and memberships written since
    the first scan (issue 15): each of the three makes a customer born today due, and nobody else is greeted."""
    from members import services as member_services

    def born_today(year, consents=True):
        return CustomerFactory(project=project, consents_to_messages=consents, birthday=D(year, 3, 10))

    with at(D(2026, 3, 9), 8):
        consents_later = born_today(1980, consents=False)
        buy(customer=consents_later)
        buys_later, joins_later, neither = born_today(1985), born_today(1990), born_today(1991)
    with at(D(2026, 3, 10), 8):
        morning = run_daily_scan()
    with at(D(2026, 3, 10), 14):
        consents_later.consents_to_messages = True
        consents_later.save()
        buy(customer=buys_later)
        member_services.join_club(customer=joins_later, source_project=project, actor=staff[Role.CONSULTANT])
        afternoon = run_daily_scan()

    assert Duty.BIRTHDAY_GREETING not in morning.by_duty
    assert afternoon.by_duty[Duty.BIRTHDAY_GREETING] == 3
    greeted = set(tasks(Duty.BIRTHDAY_GREETING).values_list("customer_id", flat=True))
    assert greeted == {consents_later.pk, buys_later.pk, joins_later.pk} and neither.pk not in greeted


def test_the_first_scan_of_a_new_day_reads_every_purchase(quiet_purchase):
    with at(D(2026, 3, 10), 9):
        run_daily_scan()
    assert not tasks(Duty.SIGNING_SURVEY_CALL, purchase=quiet_purchase).exists(), "the same day: what was written"
    with at(D(2026, 3, 11), 8):
        run_daily_scan()
    assert tasks(Duty.SIGNING_SURVEY_CALL, purchase=quiet_purchase).count() == 1


def test_a_duty_missed_yesterday_is_created_today_once(project, buy, frozen):
    buy(signed_on=D(2026, 3, 9))

    with frozen(D(2026, 3, 10)):  # the scan did not run on the 9th
        run_daily_scan()
    with frozen(D(2026, 3, 11)):
        run_daily_scan()

    assert tasks(Duty.SIGNING_SURVEY_CALL).count() == 1


def test_the_scan_runs_the_same_number_of_queries_for_few_or_many_purchases(project, buy, frozen):
    ComponentTypeFactory(default_warranty_months=12)

    def purchases(n):
        for _ in range(n):
            buy(subscribed_on=D(2026, 3, 10), signed_on=D(2026, 3, 10))
            buy(
                delivered_on=D(2025, 3, 12),
                moved_in_on=D(2025, 12, 10),
                customer=CustomerFactory(project=project, birthday=D(1980, 3, 10), consents_to_messages=True),
            )

    purchases(2)
    with frozen(D(2026, 3, 10)):
        few = reading_queries(run_daily_scan)
    CareTask.objects.all().delete()
    OutboundMessage.objects.all().delete()
    CommunityNotice.objects.all().delete()
    VisitRound.objects.all().delete()
    purchases(20)
    with frozen(D(2026, 3, 10)):
        many = reading_queries(run_daily_scan)
        total = count_queries(run_daily_scan)

    assert CareTask.objects.count() > 100
    assert many == few  # only the bulk INSERTs are split, by the database's parameter limit
    assert total < 50  # the rules, the bookkeeping of the day's scans (touchpoints.ScanMark) and the writes


def reading_queries(scan) -> int:
    """Queries other than the batched bulk INSERTs (SQLite caps one INSERT at 999 parameters)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        scan()
    return sum(1 for query in context.captured_queries if not query["sql"].lstrip().upper().startswith("INSERT"))


@pytest.mark.rule("J15")
def test_a_closed_round_takes_no_more_households(project, buy, frozen, staff):
    from touchpoints import services

    buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
        services.complete_task(
            task=tasks(Duty.THREE_MONTH_VISIT).get(), actor=staff[Role.CUSTOMER_SERVICE], outcome="入户拜访"
        )
        services.close_visit_round(
            visit_round=VisitRound.objects.get(), actor=staff[Role.CUSTOMER_SERVICE], summary="完成"
        )
    for _ in range(15):
        buy(delivered_on=D(2026, 2, 1), moved_in_on=D(2026, 2, 1))

    with frozen(D(2026, 5, 2)):
        run_daily_scan()

    assert tasks(Duty.THREE_MONTH_VISIT).count() == 1
