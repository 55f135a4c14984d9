from protectdesk.audit.models import AuditEntry


def test_managers_see_their_desk_log_and_can_verify(desks, signed_in_client):
    client = signed_in_client(desks.coordinator)
    response = client.get("/audit/")
    assert response.status_code == 200 and b"Invitation accepted" in response.content
    verified = client.get("/audit/?verify=1")
    assert b"The chain is intact" in verified.content


def test_the_log_shows_only_this_desk(desks, signed_in_client):
    client = signed_in_client(desks.outsider)
    response = client.get("/audit/")
    seqs = {row.seq for row in AuditEntry.objects.filter(desk_id=desks.desk.id)}
    other = {row.seq for row in AuditEntry.objects.filter(desk_id=desks.outsider.desk_id)}
    assert other
    page = response.content.decode()
    for seq in seqs - other:
        assert f"<td>{seq}</td>" not in page


def test_an_emptied_log_is_reported_broken_in_the_users_language(
    desks, signed_in_client, settings, tmp_path
):
    import polib
    from django.db import connection

    # The Spanish catalogue compiled from its .po here, so this test does not depend on
    # django.mo having been rebuilt; tests/test_catalogues.py checks the shipped one matches.
    locale = settings.LOCALE_PATHS[0]
    compiled = tmp_path / "es" / "LC_MESSAGES"
    compiled.mkdir(parents=True)
    polib.pofile(str(locale / "es" / "LC_MESSAGES" / "django.po")).save_as_mofile(
        str(compiled / "django.mo")
    )
    settings.LOCALE_PATHS = [tmp_path]
    client = signed_in_client(desks.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    page = client.get("/audit/?verify=1").content.decode()
    assert "La cadena de auditoría está rota:" in page
    assert "el registro de auditoría está vacío" in page
    assert "La cadena está intacta" not in page
