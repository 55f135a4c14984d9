"""Consent: what the defender agreed to, when, and every earlier record kept as history."""


def test_consent_record_with_history(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    url = f"/cases/{desks.case.id}/consent/"
    assert client.post(url, {"store_data": "on", "given_on": "2026-09-01"}).status_code == 302
    bad = client.post(url, {"share_with_partners": "on", "given_on": "2026-10-01"})
    assert bad.status_code == 400 and b"Name the partners" in bad.content
    assert (
        client.post(
            url,
            {
                "store_data": "on",
                "share_with_partners": "on",
                "partners": "Legal aid partner",
                "given_on": "2026-10-01",
            },
        ).status_code
        == 302
    )
    page = client.get(f"/cases/{desks.case.id}/").content
    assert (
        b"Given on 2026-10-01" in page
        and b"Legal aid partner" in page
        and b"1 earlier consent record" in page
    )
