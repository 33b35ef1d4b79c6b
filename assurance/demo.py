"""Demonstration assurance pack: Blackpool (00R, delegated from April 2016) for 2016/17, generated
through the services, and NHS England Lancashire's review of it (substantial assurance, with an
action). Looks before it creates, so loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

from assurance import services
from assurance.models import AssurancePack, PackReview, PackStatus, ReviewOutcome
from cocomm.models import CCG, User

BLACKPOOL = "00R"
REVIEWER = "lancashire.reviewer"
PERIOD = (dt.date(2016, 4, 1), dt.date(2017, 3, 31))


def load(by: User) -> None:
    ccg = CCG.objects.filter(ods_code=BLACKPOOL).first()
    reviewer = User.objects.filter(username=REVIEWER).first()
    if ccg is None or reviewer is None:
        return
    start, end = PERIOD
    pack = (
        AssurancePack.objects.filter(ccg=ccg, period_start=start, period_end=end, status=PackStatus.READY)
        .order_by("version")
        .first()
    )
    if pack is None:
        pack = services.pack_request(ccg=ccg, start=start, end=end, by=by)
        pack = services.pack_generate(pack_id=pack.pk, by=by)
    if pack.status == PackStatus.READY and not PackReview.objects.filter(pack=pack).exists():
        services.review_record(
            pack=pack,
            outcome=ReviewOutcome.SUBSTANTIAL,
            comments=(
                "Decisions were taken by a quorate committee with conflicts declared and ruled on item by "
                "item. The register of interests shows people overdue with their declarations."
            ),
            actions="Bring every overdue declaration up to date and report progress at the next review.",
            by=reviewer,
        )
