from django.urls import include, path

from protectdesk import views
from protectdesk.records import registry

# The platform's own routes, then every domain module's, as each registered them from its
# integration.py (records.registry.register_urls), in the order of INSTALLED_APPS.
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("protectdesk.accounts.urls")),
    path("audit/", include("protectdesk.audit.urls")),
    path("jobs/", include("protectdesk.records.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    *(path(prefix, include(urlconf)) for prefix, urlconf in registry.URLS),
]

handler400 = "protectdesk.views.bad_request"
handler403 = "protectdesk.views.permission_denied"
handler404 = "protectdesk.views.not_found"
handler500 = "protectdesk.views.server_error"
