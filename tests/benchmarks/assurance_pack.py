"""Benchmark: a busy CCG's year as a pack of about 200 pages.

Run with `make benchmark` (PostgreSQL). The first run builds, through the services, a level-3 CCG
whose primary care commissioning committee met every fortnight with a long agenda (every decision voted on,
a declared conflict on every third item), a register of gifts and hospitality, and a readiness
assessment of all 14 functions. It then measures gathering the pack's data (queries, time), rendering
it (time, pages, peak resident memory), and the whole task as a worker runs it.
Figures are printed, not asserted: the suite holds the query count flat (tests/assurance).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import resource
import statistics
import sys
import time
from decimal import Decimal

import django

PACK_CCG = "97Z"
START, END = dt.date(2016, 4, 1), dt.date(2017, 3, 31)
MEETINGS = 24
ITEMS_PER_MEETING = 21
GIFTS = 120


def build() -> None:
    from django.utils import timezone

    from cocomm import services
    from cocomm.audit import system_user
    from committees import services as committee_services
    from committees.choices import AttendanceStatus, Purpose, VoteChoice
    from conflicts import services as conflict_services
    from conflicts.models import OfferKind, Ruling
    from delegation.models import RAG, Stance
    from delegation.readiness import readiness_action_add, readiness_record
    from delegation.services import level_assignment_record
    from functions.choices import Right, SchemeCode
    from functions.models import Function, LevelScheme
    from functions.services import area_team_scheme_set, reference_data_install
    from tests.factories.committees import pccc

    by = system_user()
    started = time.perf_counter()
    reference_data_install(by=by)
    national = LevelScheme.objects.get(code=SchemeCode.NATIONAL)
    area = services.area_team_create(
        ods_code="Q98", name="NHS England pack benchmark area", by=by, reason="Bench"
    )
    area_team_scheme_set(area_team=area, scheme=national, by=by, reason="Bench")
    ccg = services.ccg_create(
        ods_code=PACK_CCG,
        name="NHS Pack Benchmark CCG",
        area_team=area,
        weighted_population=310_000,
        by=by,
        reason="Bench",
    )
    level_assignment_record(
        ccg=ccg, level=national.levels.get(number=3), effective_from=START, by=by, reason="Bench"
    )
    board = pccc(ccg)
    chair = board.user("lay_chair")
    functions = list(Function.objects.order_by("number"))
    # The items fall under the functions the committee may decide at level 3.
    delegated = list(
        Function.objects.filter(
            rights__level__scheme=national, rights__level__number=3, rights__right=Right.DELEGATED
        ).order_by("number")
    )
    voters = ("lay_chair", "lay_member", "gp_one", "chief_officer")
    for sitting in range(MEETINGS):
        on = START + dt.timedelta(days=14 * sitting + 9)
        meeting = committee_services.meeting_schedule(
            committees=[board.committee],
            title="Primary Care Commissioning Committee",
            starts_at=timezone.make_aware(dt.datetime.combine(on, dt.time(14, 0))),
            place="Board room",
            by=by,
            reason="Bench",
        )
        for key in board.members:
            committee_services.attendance_record(
                meeting=meeting,
                person=board.person(key),
                status=AttendanceStatus.PRESENT,
                by=by,
                reason="Bench",
            )
        for number in range(ITEMS_PER_MEETING):
            item = committee_services.agenda_item_add(
                meeting=meeting,
                committee=board.committee,
                title=f"Practice matter {sitting + 1}.{number + 1}: list closure, merger or variation",
                purpose=Purpose.DECISION,
                ccg=ccg,
                function=delegated[(sitting + number) % len(delegated)],
                by=by,
                reason="Bench",
            )
            if number % 3 == 0:
                conflict_services.item_declaration_rule(
                    item=item,
                    person=board.person("gp_two"),
                    statement="Partner at a practice in the same locality, which would gain patients",
                    ruling=Ruling.NO_VOTE,
                    by=chair,
                )
            decision = committee_services.decision_propose(
                item=item,
                resolution=f"Approve practice matter {sitting + 1}.{number + 1} on the terms in the paper, "
                "with a review by the committee in six months' time.",
                by=chair,
                reason="Moved",
            )
            committee_services.vote_open(decision=decision, by=chair)
            for key in voters:
                committee_services.vote_cast(
                    decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
                )
            decision = committee_services.vote_close(decision=decision, by=chair)
            committee_services.decision_approve(decision=decision, by=chair)
    for n in range(GIFTS):
        conflict_services.offer_record(
            ccg=ccg,
            person=board.person(("gp_one", "gp_two", "chief_officer")[n % 3]),
            kind=OfferKind.HOSPITALITY if n % 2 else OfferKind.GIFT,
            description=f"Working lunch at an education event ({n + 1})",
            value=Decimal("4.50"),
            offeror="A local provider",
            from_supplier=False,
            offered_on=START + dt.timedelta(days=3 * n),
            accepted=False,
            by=by,
        )
    officer = by
    for function in functions:
        assessment = readiness_record(
            ccg=ccg,
            function=function,
            stance=Stance.INTERESTED,
            positions={
                "corporate": ("Terms of reference to be extended to the function.", RAG.AMBER),
                "finance": ("Budget to be confirmed with the area team.", RAG.RED),
                "primary_care": ("The team covers it with one more post.", RAG.GREEN),
                "contracts": ("Contracts are held by NHS England until transfer.", RAG.AMBER),
            },
            by=officer,
            reason="Bench",
        )
        readiness_action_add(
            assessment=assessment,
            description=f"Agree the hand-over plan for function {function.number}",
            owner="Head of primary care",
            due_on=dt.date(2017, 1, 31),
            by=officer,
        )
    print(
        f"built the pack CCG ({MEETINGS * ITEMS_PER_MEETING} decisions) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocomm.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from pypdf import PdfReader

    from assurance import selectors, services
    from assurance.models import AssurancePack, PackStatus
    from cocomm.audit import system_user
    from cocomm.models import CCG

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("Run the benchmark against PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if not CCG.objects.filter(ods_code=PACK_CCG).exists():
        with transaction.atomic():  # all or nothing, so a failed build is simply run again
            build()
    ccg = CCG.objects.get(ods_code=PACK_CCG)

    reset_queries()  # the build logged more queries than the capture's window holds
    with CaptureQueriesContext(connection) as captured:
        data = selectors.pack_data(ccg, START, END)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        selectors.pack_data(ccg, START, END)
        timings.append(time.perf_counter() - started)
    print(
        f"pack data: {len(data.meetings)} meetings, {len(data.decisions)} decisions, "
        f"{len(data.gifts)} gifts; "
        f"{len(captured)} queries, median {statistics.median(timings) * 1000:.0f} ms"
    )

    pack = AssurancePack(
        ccg=ccg,
        period_start=START,
        period_end=END,
        version=0,
        data_as_of=timezone.now(),
        requested_by=system_user(),
    )
    resident_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    pdf, _, _ = services.pack_render(pack)
    elapsed = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"render: {pages} pages, {len(pdf) / 1024:.0f} KiB, {elapsed:.1f} s, "
        f"peak resident set {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB "
        f"(before rendering {resident_before:.0f} MiB)"
    )

    # The whole job: queue, generate, read back, hash, store (with no broker configured the task
    # runs in-process as soon as the request commits).
    started = time.perf_counter()
    requested = services.pack_request(ccg=ccg, start=START, end=END, by=system_user())
    made = services.pack_generate(pack_id=requested.pk, by=system_user())
    assert made.status == PackStatus.READY, made.error
    print(
        f"generate (version {made.version}): {made.page_count} pages "
        f"in {time.perf_counter() - started:.1f} s, "
        f"SHA-256 {made.sha256[:16]}…, content {made.content_sha256[:16]}…"
    )


if __name__ == "__main__":
    main()
