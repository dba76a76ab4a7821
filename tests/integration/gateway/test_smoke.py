from tests.support.gateway_client import codes


def test_login_returns_a_token_that_opens_me(gateway):
    body = gateway.login("commune2025.06401", "demo")
    login = body["data"]["login"]
    assert login["user"] == {"username": "commune2025.06401", "role": "COMMUNE_OFFICER",
                             "scopeCode": "06401", "teamId": None}
    me = gateway.post("{ me { username role scopeVersion scope { code name geoVersion } } }",
                      token=login["token"])
    assert me.json()["data"]["me"] == {
        "username": "commune2025.06401", "role": "COMMUNE_OFFICER", "scopeVersion": "V2025",
        "scope": {"code": "06401", "name": "Chi Lăng (2025)", "geoVersion": "V2025"}}


def test_wrong_password_is_unauthenticated(gateway):
    body = gateway.login("commune2025.06401", "nope")
    assert codes(body) == ["UNAUTHENTICATED"] and body["data"] is None
