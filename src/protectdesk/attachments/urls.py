from django.urls import path

from protectdesk.attachments import views

app_name = "attachments"

urlpatterns = [
    path("<uuid:case_id>/files/", views.upload, name="upload"),
    path("<uuid:case_id>/files/<uuid:attachment_id>/", views.download, name="download"),
    path("<uuid:case_id>/files/<uuid:attachment_id>/remove/", views.remove, name="remove"),
]
