from django.urls import path

from protectdesk.library import views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("offline/<str:lang>.zip", views.offline, name="offline"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.new, name="new"),
    path("manage/<uuid:resource_id>/", views.edit, name="edit"),
    path("manage/<uuid:resource_id>/publish/", views.publish, name="publish"),
    path("manage/<uuid:resource_id>/delete/", views.delete, name="delete"),
    path("manage/<uuid:resource_id>/<str:lang>/", views.edit_version, name="edit_version"),
    path(
        "manage/<uuid:resource_id>/<str:lang>/delete/",
        views.delete_version,
        name="delete_version",
    ),
    path("<slug:slug>/", views.resource, name="resource"),
    path("<slug:slug>/<str:lang>/", views.version, name="version"),
    path("<slug:slug>/<str:lang>/file", views.download, name="download"),
]
