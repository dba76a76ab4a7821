from tests.support.gateway_client import codes


def test_login_returns_a_token_that_opens_me(gateway):
    body = gateway.login("commune.06400", "demo")
    login = body["data"]["login"]
    assert login["user"] == {"username": "commune.06400", "role": "COMMUNE_OFFICER",
                             "scopeCode": "06400", "teamId": None}
    me = gateway.post("{ me { username role scope { code name } } }", token=login["token"])
    assert me.json()["data"]["me"] == {"username": "commune.06400", "role": "COMMUNE_OFFICER",
                                       "scope": {"code": "06400", "name": "Chi Lăng commune"}}


def test_wrong_password_is_unauthenticated(gateway):
    body = gateway.login("commune.06400", "nope")
    assert codes(body) == ["UNAUTHENTICATED"] and body["data"] is None
