from tests.conftest import sign_in


def test_each_role_reaches_its_home_page(desks, client):
    for user, heading in [
        (desks.admin, b"Administration"),
        (desks.coordinator, b"Desk overview"),
        (desks.caseworker, b"My work"),
        (desks.defender, b"My protection"),
    ]:
        client.cookies.clear()
        sign_in(client, user.login)
        response = client.get("/")
        assert response.status_code == 200
        assert heading in response.content
