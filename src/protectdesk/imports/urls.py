from django.urls import path

from protectdesk.imports import views

app_name = "imports"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/<uuid:sheet_id>/", views.sheet_page, name="sheet"),
    path("import/<uuid:sheet_id>/confirm/", views.confirm, name="confirm"),
    path("import/<uuid:sheet_id>/cancel/", views.cancel, name="cancel"),
    path("cases/<uuid:case_id>/import/", views.case_upload, name="case_upload"),
]
