"""The conflicts of interest pages, mounted at /conflicts/ by `cocomm.urls`."""

from django.urls import URLPattern, URLResolver, path

from conflicts.views import (
    breaches,
    campaigns,
    declarations,
    gifts,
    guardian,
    meetings,
    procurement,
    registers,
)

urlpatterns: list[URLPattern | URLResolver] = [
    # The declarant's own entries
    path("mine/", declarations.my_declarations, name="my-declarations"),
    path("mine/new/", declarations.declaration_create, name="declaration-create"),
    path("declarations/<int:pk>/end/", declarations.declaration_end, name="declaration-end"),
    path("declarations/<int:pk>/history/", declarations.declaration_history, name="declaration-history"),
    path("declarations/<int:pk>/mitigation/", declarations.mitigation_approve, name="mitigation-approve"),
    # A CCG's registers, for its governance officers and NHS England reviewers
    path("ccgs/<str:ods_code>/", registers.register_detail, name="register-detail"),
    path("ccgs/<str:ods_code>/late/", registers.late_declarations, name="late-declarations"),
    path(
        "ccgs/<str:ods_code>/interests.csv", registers.register_interests_csv, name="register-interests-csv"
    ),
    path("ccgs/<str:ods_code>/gifts.csv", registers.register_gifts_csv, name="register-gifts-csv"),
    path(
        "ccgs/<str:ods_code>/declarations/new/",
        declarations.declaration_create_for,
        name="declaration-create-for",
    ),
    path("ccgs/<str:ods_code>/gifts/new/", gifts.offer_create, name="offer-create"),
    path("ccgs/<str:ods_code>/limits/", gifts.thresholds_edit, name="thresholds-edit"),
    path("ccgs/<str:ods_code>/breaches/new/", breaches.breach_create, name="breach-create"),
    path("ccgs/<str:ods_code>/guardian/", guardian.guardian_overview, name="guardian-overview"),
    path("ccgs/<str:ods_code>/referrals/", guardian.referral_list, name="referral-list"),
    path("breaches/<int:pk>/", breaches.breach_detail, name="breach-detail"),
    path("breaches/<int:pk>/investigate/", breaches.breach_investigate, name="breach-investigate"),
    path("breaches/<int:pk>/close/", breaches.breach_close, name="breach-close"),
    path("ccgs/<str:ods_code>/campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    # The register of procurement decisions, by decision, and the award that follows one
    path("procurement/<int:pk>/", procurement.procurement_entry, name="procurement-entry"),
    path("procurement/<int:pk>/award/", procurement.award_record, name="award-record"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign-close"),
    # At the meeting
    path("meetings/<int:pk>/checklist/", meetings.meeting_checklist, name="meeting-checklist"),
    path("items/<int:pk>/", meetings.item_declarations, name="item-declarations"),
    path("items/<int:pk>/refer/", meetings.item_refer, name="item-refer"),
    path("items/<int:pk>/chair/", meetings.item_chair_name, name="item-chair-name"),
]
