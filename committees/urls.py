"""The committee pages, mounted at /committees/ by `cocomm.urls`."""

from django.urls import URLPattern, URLResolver, path

from committees import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.committee_list, name="committee-list"),
    path("new/", views.committee_create, name="committee-create"),
    path("awaiting-approval/", views.decisions_awaiting, name="decisions-awaiting"),
    path("<int:pk>/", views.committee_detail, name="committee-detail"),
    path("<int:pk>/history/", views.committee_history, name="committee-history"),
    path("<int:pk>/terms/new/", views.terms_create, name="terms-create"),
    path("<int:pk>/members/new/", views.membership_add, name="membership-add"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("<int:pk>/chairs-action/", views.virtual_decision_create, name="virtual-decision-create"),
    # Terms of reference and seats
    path("terms/<int:pk>/", views.terms_detail, name="terms-detail"),
    path("terms/<int:pk>/approve/", views.terms_approve, name="terms-approve"),
    path("members/<int:pk>/end/", views.membership_end, name="membership-end"),
    # Meetings
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance-record"),
    path("meetings/<int:pk>/actions/new/", views.action_add, name="action-add"),
    path("meetings/<int:pk>/items/new/", views.agenda_item_add, name="agenda-item-add"),
    path("meetings/<int:pk>/minutes/", views.minutes_detail, name="minutes-detail"),
    path("meetings/<int:pk>/minutes/approve/", views.minutes_approve, name="minutes-approve"),
    # Agenda items
    path("items/<int:pk>/", views.agenda_item_detail, name="agenda-item-detail"),
    path("items/<int:pk>/note/", views.agenda_item_note, name="agenda-item-note"),
    path("items/<int:pk>/papers/new/", views.paper_add, name="paper-add"),
    path("items/<int:pk>/exclusions/new/", views.exclusion_add, name="exclusion-add"),
    path("items/<int:pk>/decision/new/", views.decision_propose, name="decision-propose"),
    path("items/<int:pk>/ratify/", views.virtual_decision_ratify, name="virtual-decision-ratify"),
    path("papers/<int:pk>/", views.paper_download, name="paper-download"),
    # Decisions
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/vote/open/", views.vote_open, name="vote-open"),
    path("decisions/<int:pk>/vote/", views.vote_cast, name="vote-cast"),
    path("decisions/<int:pk>/vote/close/", views.vote_close, name="vote-close"),
    path("decisions/<int:pk>/approve/", views.decision_approve, name="decision-approve"),
    # Matters
    path("matters/new/", views.matter_create, name="matter-create"),
    path("matters/<int:pk>/", views.matter_detail, name="matter-detail"),
    path("matters/<int:pk>/schedule/", views.matter_schedule, name="matter-schedule"),
]
