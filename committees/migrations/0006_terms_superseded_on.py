"""Terms of reference record the day they stopped being in force, so "the terms in force on a date" is
one query: approved on or before it and not superseded by then."""

from django.db import migrations, models


def fill_superseded_on(apps, schema_editor):
    # Each superseded version ended when the version approved after it took effect: its successor is
    # the next version approved (in the order the approvals were recorded in the history).
    Terms = apps.get_model("committees", "TermsOfReference")
    History = apps.get_model("committees", "HistoricalTermsOfReference")
    approved_at = {}
    superseded_at = {}
    for row in History.objects.filter(status__in=["approved", "superseded"]).order_by("history_date", "history_id"):
        target = approved_at if row.status == "approved" else superseded_at
        target.setdefault(row.id, row.history_date)
    versions = {}
    for terms in Terms.objects.filter(status__in=["approved", "superseded"]):
        versions.setdefault(terms.committee_id, []).append(terms)
    for rows in versions.values():
        rows.sort(key=lambda t: (0, approved_at[t.pk], t.pk) if t.pk in approved_at else (1, None, t.pk))
        for index, terms in enumerate(rows):
            if terms.status != "superseded":
                continue
            following = rows[index + 1] if index + 1 < len(rows) else None
            ended = following.approved_on if following is not None else None
            if ended is None and terms.pk in superseded_at:
                ended = superseded_at[terms.pk].date()
            if ended is None:
                ended = terms.approved_on
            if terms.approved_on is not None and ended is not None and ended < terms.approved_on:
                ended = terms.approved_on  # approved out of date order: it was never in force
            Terms.objects.filter(pk=terms.pk).update(superseded_on=ended)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0005_erratum"),
    ]

    operations = [
        migrations.AddField(
            model_name="termsofreference",
            name="superseded_on",
            field=models.DateField(
                blank=True,
                help_text="The day the next version was approved: these terms were in force until the day before.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_superseded_on, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="termsofreference",
            index=models.Index(fields=["committee", "approved_on"], name="tor_in_force"),
        ),
        migrations.AddConstraint(
            model_name="termsofreference",
            constraint=models.CheckConstraint(
                condition=models.Q(("superseded_on__isnull", True), ("superseded_on__gte", models.F("approved_on")), _connector="OR"),
                name="tor_superseded_after_approval",
            ),
        ),
        migrations.AddConstraint(
            model_name="termsofreference",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("status", "superseded"), _negated=True), ("superseded_on__isnull", False), _connector="OR"),
                name="tor_superseded_has_date",
            ),
        ),
    ]
