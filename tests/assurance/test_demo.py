"""The assurance demo: Blackpool's 2016/17 pack, generated and reviewed by lancashire.reviewer; twice
loaded, still one pack and one review."""

from __future__ import annotations

import time

import pytest

import assurance.demo
import cocomm.demo
import committees.demo
import conflicts.demo
import delegation.demo
import functions.demo
from assurance.models import AssurancePack, PackReview, PackStatus, ReviewOutcome
from cocomm.audit import system_user

pytestmark = pytest.mark.django_db

LOWER = (cocomm.demo, functions.demo, delegation.demo, committees.demo, conflicts.demo)


def test_the_demo_pack_is_generated_and_reviewed_and_loading_twice_changes_nothing() -> None:
    for module in LOWER:
        module.load(by=system_user())

    started = time.monotonic()
    assurance.demo.load(by=system_user())
    took = time.monotonic() - started
    assurance.demo.load(by=system_user())

    (pack,) = AssurancePack.objects.filter(ccg__ods_code="00R")
    assert pack.status == PackStatus.READY, pack.error
    assert (pack.period_start.isoformat(), pack.period_end.isoformat()) == ("2016-04-01", "2017-03-31")
    assert pack.contents["decisions"] >= 1 and pack.page_count
    review = PackReview.objects.get(pack=pack)
    assert review.outcome == ReviewOutcome.SUBSTANTIAL and review.actions
    assert review.reviewer.username == "lancashire.reviewer"
    assert took < 10, f"the demo pack took {took:.1f} s"
