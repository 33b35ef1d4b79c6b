"""Level applications: pages under /ccgs/."""

from django.urls import URLPattern, URLResolver, path

from delegation import application_views as views

APPLICATION = "<str:ods_code>/applications/<int:pk>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:ods_code>/applications/", views.application_list, name="application-list"),
    path("<str:ods_code>/applications/new/", views.application_start, name="application-start"),
    path(APPLICATION, views.application_detail, name="application-detail"),
    path(f"{APPLICATION}history/", views.application_history, name="application-history"),
    path(f"{APPLICATION}evidence/", views.evidence_add, name="application-evidence-add"),
    path(
        f"{APPLICATION}evidence/<int:evidence_pk>/document/",
        views.evidence_document,
        name="application-evidence-document",
    ),
    path(f"{APPLICATION}vote/", views.member_vote_record, name="application-vote-record"),
    path(f"{APPLICATION}steps/", views.step_record, name="application-step-record"),
    path(
        f"{APPLICATION}steps/<int:step_pk>/document/", views.step_document, name="application-step-document"
    ),
    path(f"{APPLICATION}submit/", views.application_submit, name="application-submit"),
    path(f"{APPLICATION}decide/", views.application_decide, name="application-decide"),
    path(f"{APPLICATION}withdraw/", views.application_withdraw, name="application-withdraw"),
]
