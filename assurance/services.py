"""Every change to assurance packs and their reviews: atomic, permission-checked, audited.

Generation is safe to run twice and never leaves a half-made pack: the pack row is locked
(`select_for_update`), a ready pack is left alone, and the file is written only after the PDF has
been rendered and read back. A failed pack keeps its error and may be retried.

Each run records when it read the data (a `PackRead`, and the pack's `data_as_of`): the pack is
labelled with that moment, not with when it was asked for, and a retry reads again and says when
the first attempt read it. What the pack shows is cut at the end of its period (see
`assurance.selectors`), so its content hash covers only the records of the period; see
docs/adr/0002.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from assurance import permissions, records, rules, selectors, versions
from assurance.models import AssurancePack, PackRead, PackReview, PackStatus, ReviewOutcome
from cocomm.audit import save_audited
from cocomm.models import CCG, User
from cocomm.pdf import render_pdf

log = logging.getLogger(__name__)

PDF_TEMPLATE = "pdf/assurance_pack.html"
SECTIONS_TEMPLATE = "assurance/pack_sections.html"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def pack_request(*, ccg: CCG, start: dt.date, end: dt.date, by: User) -> AssurancePack:
    """Queue the next version of a CCG's pack for a period; it is generated in the background."""
    _require(
        permissions.can_request_pack(by, ccg),
        "Only a governance officer of the CCG or an administrator may ask for a pack.",
    )
    if not rules.period_is_valid(start, end):
        raise ValidationError(
            {"period_end": "The period must end on or after its start, and be a year at most."}
        )
    # Lock the CCG so two requests at once cannot both take the same version number.
    CCG.objects.select_for_update().filter(pk=ccg.pk).first()
    latest = AssurancePack.objects.filter(ccg=ccg, period_start=start, period_end=end).aggregate(
        Max("version")
    )["version__max"]
    # No "data as of" yet: the data is read when the pack is generated, which may be much later.
    pack = AssurancePack(
        ccg=ccg,
        period_start=start,
        period_end=end,
        version=(latest or 0) + 1,
        queued_at=timezone.now(),
        requested_by=by,
    )
    save_audited(pack, by=by, reason="Assurance pack requested")
    _queue(pack, by)
    return pack


def _queue(pack: AssurancePack, by: User) -> None:
    # The row, committed as queued with no `sent_at`, is the record that the task is owed; sending
    # it after the commit cannot lose it: if the broker does not answer, `packs_send_waiting` does.
    pack_id = pack.pk
    transaction.on_commit(lambda: pack_send(pack_id=pack_id, by=by))


def pack_send(*, pack_id: int, by: User) -> bool:
    """Hand a queued pack's generation task to the broker; False if the broker did not answer (the
    pack then waits, and is sent again by `packs_send_waiting`)."""
    from assurance.tasks import pack_generate_task

    with transaction.atomic():
        # Marked sent before publishing: a worker may take the task at once, and with no broker the
        # task runs right here (local runs), after which a ready pack may no longer change.
        # `skip_locked`: another process sending this pack right now does the job.
        pack = (
            AssurancePack.objects.select_for_update(skip_locked=True)
            .filter(pk=pack_id, status=PackStatus.QUEUED, sent_at__isnull=True)
            .first()
        )
        if pack is None:
            return True  # sent already, being sent, or no longer queued
        sent_at = timezone.now()
        pack.sent_at = sent_at
        save_audited(pack, by=by, reason="Assurance pack sent for generation")
    try:
        pack_generate_task.delay(pack_id)
    except Exception:  # a broker that is down or unreachable, whatever the transport's error
        log.warning("Assurance pack %s could not be sent to the broker; it waits", pack_id, exc_info=True)
        with transaction.atomic():
            pack = AssurancePack.objects.select_for_update().get(pk=pack_id)
            if pack.status == PackStatus.QUEUED and pack.sent_at == sent_at:
                pack.sent_at = None
                save_audited(pack, by=by, reason="Assurance pack could not be sent: broker unavailable")
        return False
    return True


def packs_send_waiting(
    *, by: User, now: dt.datetime | None = None, grace: dt.timedelta = dt.timedelta(seconds=30)
) -> int:
    """Send the queued packs whose task never reached the broker; returns how many were sent.

    Packs queued in the last `grace` are left to the request that queued them, which sends them as
    soon as it commits."""
    now = now or timezone.now()
    waiting = (
        AssurancePack.objects.filter(status=PackStatus.QUEUED, sent_at__isnull=True)
        # Rows from before `queued_at` was kept count from when the pack was made.
        .filter(Q(queued_at__lte=now - grace) | Q(queued_at__isnull=True, created_at__lte=now - grace))
        .order_by("created_at", "pk")
    )
    sent = 0
    for pack_id in waiting.values_list("pk", flat=True):
        if not pack_send(pack_id=pack_id, by=by):
            break  # the broker is still down: the next run tries again
        sent += 1
    return sent


@transaction.atomic
def pack_retry(*, pack: AssurancePack, by: User) -> AssurancePack:
    """Queue a failed pack again (same version); its generation reads the data again."""
    _require(permissions.can_request_pack(by, pack.ccg), "Only a governance officer of the CCG may retry.")
    locked = AssurancePack.objects.select_for_update().get(pk=pack.pk)
    locked.move(PackStatus.QUEUED)
    locked.error = ""
    locked.queued_at, locked.started_at, locked.finished_at = timezone.now(), None, None
    locked.sent_at, locked.attempts = None, 0
    save_audited(locked, by=by, reason="Assurance pack generation retried")
    _queue(locked, by)
    return locked


class RenderedPack(NamedTuple):
    pdf: bytes
    content_sha256: str
    contents: dict[str, int]
    records: list[dict[str, Any]]


def pack_render(pack: AssurancePack) -> RenderedPack:
    """Render a pack, labelled with its `data_as_of`: the PDF bytes, the hash of its sections' HTML
    (the records of the period, nothing of the moment it was made), its counts and its records."""
    data = selectors.pack_data(pack.ccg, pack.period_start, pack.period_end)
    sections = render_to_string(SECTIONS_TEMPLATE, {"data": data})
    content_sha256 = hashlib.sha256(sections.encode()).hexdigest()
    first_read = versions.first_read_at(pack)
    context: dict[str, Any] = {
        "pack": pack,
        "data": data,
        "sections": sections,
        # An earlier attempt read the data first: the cover says this one read it again.
        "first_read_at": first_read if first_read is not None and first_read != pack.data_as_of else None,
    }
    return RenderedPack(
        render_pdf(PDF_TEMPLATE, context), content_sha256, data.contents, records.records_of(data)
    )


def pack_generate(*, pack_id: int, by: User) -> AssurancePack:
    """Generate a queued pack; safe to run twice: a ready pack is left alone, and a second run
    waits on the row lock while the first renders, then finds the pack ready."""
    with transaction.atomic():
        # A run that is rendering holds this lock until the pack is ready or failed; so a pack found
        # "generating" here was left so by a worker that died, and this is its redelivered task.
        pack = AssurancePack.objects.select_for_update().get(pk=pack_id)
        if pack.status == PackStatus.QUEUED:
            pack.move(PackStatus.GENERATING)
            pack.started_at = timezone.now()
            pack.attempts += 1
            save_audited(pack, by=by, reason="Assurance pack generation started")
        elif pack.status == PackStatus.GENERATING:
            if pack.attempts >= settings.ASSURANCE_PACK_MAX_ATTEMPTS:
                pack.move(PackStatus.FAILED)
                pack.error = (
                    f"Generation was interrupted {pack.attempts} times (the worker stopped); "
                    "retry to generate it again."
                )
                pack.finished_at = timezone.now()
                save_audited(pack, by=by, reason="Assurance pack generation failed")
                return pack
            # The stall clock starts again, so the redelivered run is not failed as the lost one.
            pack.started_at = timezone.now()
            pack.attempts += 1
            save_audited(pack, by=by, reason="Assurance pack generation restarted after an interruption")
        else:
            return pack
    read_at: dt.datetime | None = None
    try:
        with transaction.atomic():
            pack = AssurancePack.objects.select_for_update().select_related("ccg").get(pk=pack_id)
            if pack.status != PackStatus.GENERATING:
                return pack
            # The moment this run reads the data, recorded by the run that reads it; every query of
            # the read starts after it.
            read_at = timezone.now()
            pack.data_as_of = read_at
            pdf, content_sha256, contents, shown = pack_render(pack)
            page_count = len(PdfReader(io.BytesIO(pdf)).pages)
            # Only now, with the PDF made and read back, is anything written.
            name = (
                f"{pack.ccg.ods_code}-{pack.period_start:%Y%m%d}-{pack.period_end:%Y%m%d}-v{pack.version}.pdf"
            )
            pack.file.save(name, ContentFile(pdf), save=False)
            pack.sha256 = hashlib.sha256(pdf).hexdigest()
            pack.content_sha256 = content_sha256
            pack.page_count = page_count
            pack.contents = contents
            pack.finished_at = timezone.now()
            pack.move(PackStatus.READY)
            try:
                save_audited(pack, by=by, reason="Assurance pack generated")
                read = PackRead(pack=pack, read_at=read_at, records=shown)
                save_audited(read, by=by, reason="Assurance pack data read")
            except Exception:
                pack.file.delete(save=False)  # no file without its ready row
                raise
            return pack
    except Exception as error:  # recorded on the pack, for the person who asked for it
        log.exception("Assurance pack %s failed", pack_id)
        return _fail(pack_id, f"{type(error).__name__}: {error}", by, read_at=read_at)


def _fail(pack_id: int, error: str, by: User, *, read_at: dt.datetime | None = None) -> AssurancePack:
    with transaction.atomic():
        pack = AssurancePack.objects.select_for_update().get(pk=pack_id)
        if pack.status == PackStatus.GENERATING:
            pack.move(PackStatus.FAILED)
            pack.error = error[:2000]
            pack.finished_at = timezone.now()
            if read_at is not None:
                # The attempt read the data before it failed: a retry will say when.
                pack.data_as_of = read_at
            save_audited(pack, by=by, reason="Assurance pack generation failed")
            if read_at is not None:
                save_audited(
                    PackRead(pack=pack, read_at=read_at),
                    by=by,
                    reason="Assurance pack data read; generation failed",
                )
        return pack


def packs_fail_stalled(*, by: User, now: dt.datetime | None = None) -> list[AssurancePack]:
    """Mark failed the packs that waited or generated too long, so their officers can retry them."""
    now = now or timezone.now()
    failed = []
    candidates = AssurancePack.objects.filter(status__in=[PackStatus.QUEUED, PackStatus.GENERATING])
    for pack_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            # A pack being rendered right now holds its row lock: skip it rather than wait.
            pack = AssurancePack.objects.select_for_update(skip_locked=True).filter(pk=pack_id).first()
            if pack is None:
                continue
            if pack.waiting_for_broker:
                continue  # not stalled: waiting for the broker, and `packs_send_waiting` sends it
            why = rules.stalled_reason(
                pack.status,
                # A queued pack waits from when its task reached the broker. Rows from before these
                # times were kept fall back to when the pack was made.
                queued_at=pack.sent_at or pack.queued_at or pack.created_at,
                started_at=pack.started_at or pack.queued_at or pack.created_at,
                now=now,
                start_within=settings.ASSURANCE_PACK_START_WITHIN,
                finish_within=settings.ASSURANCE_PACK_FINISH_WITHIN,
            )
            if why is None:
                continue
            pack.move(PackStatus.FAILED)
            pack.error, pack.finished_at = why, now
            save_audited(pack, by=by, reason="Assurance pack generation timed out")
            failed.append(pack)
    return failed


# Reviews ---------------------------------------------------------------------------------------------


@transaction.atomic
def review_record(*, pack: AssurancePack, outcome: str, comments: str, actions: str, by: User) -> PackReview:
    """NHS England's reviewer of the CCG's area records the assurance the pack gives."""
    _require(
        permissions.can_review_pack(by, pack.ccg),
        "Only an NHS England reviewer of the CCG's area team may review its pack.",
    )
    if pack.status != PackStatus.READY:
        raise ValidationError("Only a ready pack can be reviewed.")
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "Choose the level of assurance."})
    if not comments.strip():
        raise ValidationError({"comments": "Enter the reviewer's comments."})
    if PackReview.objects.filter(pack=pack).exists():
        raise ValidationError("This pack has already been reviewed.")
    review = PackReview(
        pack=pack,
        reviewer=by,
        outcome=outcome,
        comments=comments.strip(),
        actions=actions.strip(),
        reviewed_on=timezone.localdate(),
    )
    save_audited(review, by=by, reason="Assurance pack reviewed by NHS England")
    return review


@transaction.atomic
def review_respond(*, review: PackReview, response: str, by: User) -> PackReview:
    """The CCG's governance officer answers the review (and may update the answer)."""
    _require(
        permissions.can_respond_to_review(by, review.pack.ccg),
        "Only a governance officer of the CCG may respond to its review.",
    )
    if not response.strip():
        raise ValidationError({"response": "Enter the CCG's response."})
    locked = PackReview.objects.select_for_update().get(pk=review.pk)
    locked.response = response.strip()
    locked.responded_by = by
    locked.responded_on = timezone.localdate()
    save_audited(locked, by=by, reason="CCG responded to the assurance review")
    return locked
