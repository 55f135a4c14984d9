from django.urls import path

from protectdesk.partners import views

app_name = "partners"

_PARTNER = "partners/<uuid:partner_id>/"

urlpatterns = [
    path("partners/", views.directory, name="directory"),
    path("partners/open/", views.open_directory, name="open"),
    path("partners/access/", views.give_access, name="give_access"),
    path("partners/rotate/", views.rotate_keys, name="rotate"),
    path("partners/recover/", views.recover, name="recover"),
    path("partners/new/", views.new_partner, name="new"),
    path(_PARTNER, views.partner, name="partner"),
    path(_PARTNER + "contacts/new/", views.contact, name="new_contact"),
    path(_PARTNER + "contacts/<uuid:contact_id>/", views.contact, name="contact"),
    path(
        _PARTNER + "contacts/<uuid:contact_id>/remove/",
        views.remove_contact,
        name="remove_contact",
    ),
    path("cases/<uuid:case_id>/referrals/new/", views.referral, name="new_referral"),
    path("cases/<uuid:case_id>/referrals/<uuid:referral_id>/", views.referral, name="referral"),
]
