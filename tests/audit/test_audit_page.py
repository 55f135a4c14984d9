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
