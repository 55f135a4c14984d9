from django.urls import path

from protectdesk.plans import views

app_name = "plans"

_PLAN = "cases/<uuid:case_id>/plan/"

urlpatterns = [
    path(_PLAN, views.plan, name="plan"),
    path(_PLAN + "start/", views.start, name="start"),
    path(_PLAN + "edit/", views.edit, name="edit"),
    path(_PLAN + "review/", views.review, name="review"),
    path(_PLAN + "measures/new/", views.measure, name="new_measure"),
    path(_PLAN + "measures/<uuid:measure_id>/", views.measure, name="measure"),
    path(_PLAN + "measures/<uuid:measure_id>/done/", views.measure_done, name="measure_done"),
    path(_PLAN + "protocols/<slug:kind>/", views.protocol, name="protocol"),
    path(_PLAN + "contingency/<slug:kind>/", views.contingency, name="contingency"),
    path(_PLAN + "plan.pdf", views.pdf, name="pdf"),
    path(_PLAN + "versions/", views.versions, name="versions"),
    path(_PLAN + "versions/<int:number>/", views.version, name="version"),
    path(_PLAN + "check-ins/<uuid:checkin_id>/", views.check_in, name="check_in"),
    path("dashboard/<slug:kind>/", views.dashboard_list, name="dashboard_list"),
]
