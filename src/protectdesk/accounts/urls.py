from django.urls import path

from protectdesk.accounts import manage_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/two-factor/", views.login_enrol, name="login_enrol"),
    path("login/two-factor/qr.png", views.totp_qr, name="totp_qr"),
    path("unlock/", views.unlock, name="unlock"),
    path("logout/", views.logout_view, name="logout"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("setup/<str:token>/", views.first_run, name="first_run"),
    path("account/", views.account, name="account"),
    path("account/password/", views.change_password, name="change_password"),
    path("account/sessions/revoke/", views.revoke_sessions, name="revoke_sessions"),
    path("account/two-factor/", views.totp_enrol, name="totp_enrol"),
    path("account/two-factor/remove/", views.totp_disable, name="totp_disable"),
    path("account/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("staff/", manage_views.staff, name="staff"),
    path("staff/invite/", manage_views.invite, name="invite"),
    path("staff/<uuid:user_id>/reinvite/", manage_views.reinvite, name="reinvite"),
    path("staff/<uuid:user_id>/role/", manage_views.change_role, name="change_role"),
    path("staff/<uuid:user_id>/active/", manage_views.set_active, name="set_active"),
    path(
        "staff/invitations/<uuid:invitation_id>/revoke/",
        manage_views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("desk/", manage_views.desk_settings, name="desk_settings"),
]
