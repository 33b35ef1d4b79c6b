"""The migration that records when terms of reference were superseded dates each superseded version by
the approval of the version that followed it, in the order the approvals were recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cocomm.audit import system_user
from committees import services
from committees.choices import CommitteeKind


def _superseded_on_migration(executor: MigrationExecutor) -> tuple[str, str]:
    # Found by its name rather than its number, which may change when branches are merged.
    [key] = [
        k for k in executor.loader.disk_migrations if k[0] == "committees" and "terms_superseded_on" in k[1]
    ]
    return key


def _previous(executor: MigrationExecutor, key: tuple[str, str]) -> tuple[str, str]:
    [parent] = [p for p in executor.loader.graph.node_map[key].parents if p.key[0] == "committees"]
    return parent.key


@pytest.mark.django_db(transaction=True)
def test_each_superseded_version_ends_when_the_next_approved_version_began(level2_ccg: object) -> None:
    committee = services.committee_create(
        name="Migrated Committee", kind=CommitteeKind.PCCC, ccgs=[level2_ccg], by=system_user(), reason="Test"
    )
    executor = MigrationExecutor(connection)
    target = _superseded_on_migration(executor)
    before = _previous(executor, target)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    terms_model = old.get_model("committees", "TermsOfReference")
    history_model = old.get_model("committees", "HistoricalTermsOfReference")
    common = {"committee_id": committee.pk, "composition_rule": "pccc", "quorum_minimum": 3}
    # v3 was drafted before v2, so only the history tells the order in which they were approved.
    create = terms_model.objects.create
    v1 = create(version="v1", status="superseded", approved_on=dt.date(2015, 3, 1), **common)
    v3 = create(version="v3", status="approved", approved_on=dt.date(2017, 3, 1), **common)
    v2 = create(version="v2", status="superseded", approved_on=dt.date(2016, 3, 1), **common)
    draft = create(version="v4", status="draft", **common)
    moment = timezone.now()
    for offset, terms in enumerate((v1, v2, v3)):
        history_model.objects.create(
            id=terms.pk,
            version=terms.version,
            status="approved",
            approved_on=terms.approved_on,
            history_date=moment + dt.timedelta(minutes=offset),
            history_type="~",
            **common,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    ended = dict(
        new.get_model("committees", "TermsOfReference")
        .objects.filter(pk__in=[v1.pk, v2.pk, v3.pk, draft.pk])
        .values_list("version", "superseded_on")
    )
    assert ended == {"v1": dt.date(2016, 3, 1), "v2": dt.date(2017, 3, 1), "v3": None, "v4": None}
