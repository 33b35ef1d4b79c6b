"""The conflicts of interest pages, mounted at /conflicts/ by `cocomm.urls`."""

from django.urls import URLPattern, URLResolver, path

from conflicts import views

urlpatterns: list[URLPattern | URLResolver] = [
    # The declarant's own entries
    path("mine/", views.my_declarations, name="my-declarations"),
    path("mine/new/", views.declaration_create, name="declaration-create"),
    path("declarations/<int:pk>/end/", views.declaration_end, name="declaration-end"),
    path("declarations/<int:pk>/history/", views.declaration_history, name="declaration-history"),
    path("declarations/<int:pk>/mitigation/", views.mitigation_approve, name="mitigation-approve"),
    # A CCG's registers, for its governance officers and NHS England reviewers
    path("ccgs/<str:ods_code>/", views.register_detail, name="register-detail"),
    path(
        "ccgs/<str:ods_code>/declarations/new/", views.declaration_create_for, name="declaration-create-for"
    ),
    path("ccgs/<str:ods_code>/gifts/new/", views.offer_create, name="offer-create"),
    path("ccgs/<str:ods_code>/limits/", views.thresholds_edit, name="thresholds-edit"),
    path("ccgs/<str:ods_code>/breaches/new/", views.breach_create, name="breach-create"),
    path("ccgs/<str:ods_code>/campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign-close"),
    # At the meeting
    path("meetings/<int:pk>/checklist/", views.meeting_checklist, name="meeting-checklist"),
    path("items/<int:pk>/", views.item_declarations, name="item-declarations"),
    path("items/<int:pk>/refer/", views.item_refer, name="item-refer"),
]
