from django.urls import include, path

from protectdesk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("protectdesk.accounts.urls")),
    path("audit/", include("protectdesk.audit.urls")),
    path("cases/", include("protectdesk.cases.urls")),
    path("cases/", include("protectdesk.attachments.urls")),
    path("search/", include("protectdesk.search.urls")),
    path("", include("protectdesk.incidents.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

handler400 = "protectdesk.views.bad_request"
handler403 = "protectdesk.views.permission_denied"
handler404 = "protectdesk.views.not_found"
handler500 = "protectdesk.views.server_error"
