"""The published registers, mounted at /public/ by `cocomm.urls`: open to everyone, no login."""

from django.urls import URLPattern, URLResolver, path

from conflicts import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ccgs/", views.public_ccg_list, name="public-ccg-list"),
    path("ccgs/<str:ods_code>/", views.public_ccg, name="public-ccg"),
    path("ccgs/<str:ods_code>/interests/", views.public_interests, name="public-interests"),
    path("ccgs/<str:ods_code>/interests.csv", views.public_interests_csv, name="public-interests-csv"),
    path("ccgs/<str:ods_code>/interests.pdf", views.public_interests_pdf, name="public-interests-pdf"),
    path("ccgs/<str:ods_code>/gifts/", views.public_gifts, name="public-gifts"),
    path("ccgs/<str:ods_code>/gifts.csv", views.public_gifts_csv, name="public-gifts-csv"),
    path("ccgs/<str:ods_code>/gifts.pdf", views.public_gifts_pdf, name="public-gifts-pdf"),
    path("ccgs/<str:ods_code>/procurement/", views.public_procurement, name="public-procurement"),
    path("ccgs/<str:ods_code>/procurement.csv", views.public_procurement_csv, name="public-procurement-csv"),
    path("ccgs/<str:ods_code>/procurement.pdf", views.public_procurement_pdf, name="public-procurement-pdf"),
]
