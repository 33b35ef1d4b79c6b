"""The core's pages: logging in and out, home, and practices. CCG pages are in `delegation.urls`."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from cocomm import views
from cocomm.forms import LoginForm

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    # Django's LogoutView answers POST only, so a link or a prefetch cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_check, name="audit-check"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<str:username>/", views.person_detail, name="person-detail"),
    path("people/<str:username>/roles/new/", views.role_grant, name="role-grant"),
    path("people/<str:username>/roles/<int:pk>/end/", views.role_end, name="role-end"),
    path("practices/<str:ods_code>/", views.practice_detail, name="practice-detail"),
    path("practices/<str:ods_code>/edit/", views.practice_edit, name="practice-edit"),
    path("practices/<str:ods_code>/history/", views.practice_history, name="practice-history"),
]
