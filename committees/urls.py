"""The committee pages, mounted at /committees/ by `cocomm.urls`."""

from django.urls import URLPattern, URLResolver, path

from committees.views import committees, decisions, items, matters, meetings, minutes

urlpatterns: list[URLPattern | URLResolver] = [
    path("", committees.committee_list, name="committee-list"),
    path("new/", committees.committee_create, name="committee-create"),
    path("awaiting-approval/", decisions.decisions_awaiting, name="decisions-awaiting"),
    path("<int:pk>/", committees.committee_detail, name="committee-detail"),
    path("<int:pk>/history/", committees.committee_history, name="committee-history"),
    path("<int:pk>/terms/new/", committees.terms_create, name="terms-create"),
    path("<int:pk>/members/new/", committees.membership_add, name="membership-add"),
    path("<int:pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("<int:pk>/chairs-action/", decisions.virtual_decision_create, name="virtual-decision-create"),
    # Terms of reference and seats
    path("terms/<int:pk>/", committees.terms_detail, name="terms-detail"),
    path("terms/<int:pk>/approve/", committees.terms_approve, name="terms-approve"),
    path("members/<int:pk>/end/", committees.membership_end, name="membership-end"),
    # Meetings
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/attendance/", meetings.attendance_record, name="attendance-record"),
    path("meetings/<int:pk>/actions/new/", meetings.action_add, name="action-add"),
    path("actions/<int:pk>/done/", meetings.action_complete, name="action-complete"),
    path("meetings/<int:pk>/items/new/", meetings.agenda_item_add, name="agenda-item-add"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_detail, name="minutes-detail"),
    path("meetings/<int:pk>/minutes/approve/", minutes.minutes_approve, name="minutes-approve"),
    path("meetings/<int:pk>/minutes/errata/new/", minutes.erratum_record, name="erratum-record"),
    # Agenda items
    path("items/<int:pk>/", items.agenda_item_detail, name="agenda-item-detail"),
    path("items/<int:pk>/note/", items.agenda_item_note, name="agenda-item-note"),
    path("items/<int:pk>/papers/new/", items.paper_add, name="paper-add"),
    path("items/<int:pk>/exclusions/new/", decisions.exclusion_add, name="exclusion-add"),
    path("items/<int:pk>/decision/new/", decisions.decision_propose, name="decision-propose"),
    path("items/<int:pk>/ratify/", decisions.virtual_decision_ratify, name="virtual-decision-ratify"),
    path("papers/<int:pk>/", items.paper_download, name="paper-download"),
    # Decisions
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/vote/open/", decisions.vote_open, name="vote-open"),
    path("decisions/<int:pk>/vote/", decisions.vote_cast, name="vote-cast"),
    path("decisions/<int:pk>/vote/close/", decisions.vote_close, name="vote-close"),
    path("decisions/<int:pk>/approve/", decisions.decision_approve, name="decision-approve"),
    path("decisions/<int:pk>/supersede/", decisions.decision_supersede, name="decision-supersede"),
    # Matters
    path("matters/new/", matters.matter_create, name="matter-create"),
    path("matters/<int:pk>/", matters.matter_detail, name="matter-detail"),
    path("matters/<int:pk>/schedule/", matters.matter_schedule, name="matter-schedule"),
]
