"""The published registers, mounted at /public/ by `cocomm.urls`: open to everyone, no login."""

from django.urls import URLPattern, URLResolver, path

from conflicts.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("ccgs/", public.public_ccg_list, name="public-ccg-list"),
    path("ccgs/<str:ods_code>/", public.public_ccg, name="public-ccg"),
    path("ccgs/<str:ods_code>/interests/", public.public_interests, name="public-interests"),
    path("ccgs/<str:ods_code>/interests.csv", public.public_interests_csv, name="public-interests-csv"),
    path("ccgs/<str:ods_code>/interests.pdf", public.public_interests_pdf, name="public-interests-pdf"),
    path("ccgs/<str:ods_code>/gifts/", public.public_gifts, name="public-gifts"),
    path("ccgs/<str:ods_code>/gifts.csv", public.public_gifts_csv, name="public-gifts-csv"),
    path("ccgs/<str:ods_code>/gifts.pdf", public.public_gifts_pdf, name="public-gifts-pdf"),
    path("ccgs/<str:ods_code>/procurement/", public.public_procurement, name="public-procurement"),
    path("ccgs/<str:ods_code>/procurement.csv", public.public_procurement_csv, name="public-procurement-csv"),
    path("ccgs/<str:ods_code>/procurement.pdf", public.public_procurement_pdf, name="public-procurement-pdf"),
]
