"""Hostile clients through HTTP against the real system: forged tokens, another commune's
token, injection strings in every text field, oversized and costly requests, and
Vietnamese names in NFC and NFD forms."""

import time
import unicodedata
import uuid

import jwt
import pytest
import requests

from tests.support.gateway_client import codes
from tests.support.hostile import ADD, FORM, SUBMIT

pytestmark = pytest.mark.e2e
ME = "{ me { username role } }"
CASE = "query($id: ID!) { case(id: $id) { id subject parties { fullName } } }"
INJECTIONS = [
    "'; DROP TABLE cases; --",
    "\" OR 1=1 --",
    "Robert'); DELETE FROM teams WHERE ('1'='1",
    "{ __schema { types { name } } }",
    "mutation { dissolveTeam(teamId: \"x\") { errors { code } } }",
    "<script>alert('xss')</script>",
    "${jndi:ldap://127.0.0.1/a} {{7*7}} %s%n",
    "Tên\u0000với byte rỗng",
    "\u202eRTL override \ufeff zero\u200bwidth",
    "x" * 5000,
]


def _claims(world, **changes) -> dict:
    now = int(time.time())
    claims = {"sub": "province.officer", "role": "PROVINCE_OFFICER", "scope_code": "20",
              "scope_version": "V2025", "team_id": None, "iat": now, "exp": now + 600}
    return {**claims, **changes}


def _forged_tokens(world) -> dict[str, str]:
    good = world.tokens["viewer"]
    head, payload, signature = good.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return {
        "tampered signature": f"{head}.{payload}.{flipped}",
        "payload swapped": f"{head}.{world.tokens['province.officer'].split('.')[1]}.{signature}",
        "expired": jwt.encode(_claims(world, exp=int(time.time()) - 5), world.secret, "HS256"),
        "alg none": jwt.encode(_claims(world), None, algorithm="none"),
        "other secret": jwt.encode(_claims(world), "x" * 40, "HS256"),
        "unknown role": jwt.encode(_claims(world, role="ROOT"), world.secret, "HS256"),
        "garbage": "not.a.token",
    }


def test_forged_tokens_are_unauthenticated(world):
    for name, token in _forged_tokens(world).items():
        response = world.client.post(ME, token=token)
        assert response.status_code == 401, (name, response.text)
        assert codes(response.json()) == ["UNAUTHENTICATED"], name
    assert world.run("viewer", ME)["data"]["me"]["role"] == "VIEWER"  # the real one works


def test_another_communes_officer_cannot_tell_a_case_exists(world):
    theirs = world.run(world.outsider, CASE, {"id": world.case_id})
    missing = world.run(world.outsider, CASE, {"id": "00000000-0000-0000-0000-000000000000"})
    assert codes(theirs) == codes(missing) == ["FORBIDDEN"]
    assert theirs["data"]["case"] is None and missing["data"]["case"] is None
    assert theirs["errors"][0]["message"] == missing["errors"][0]["message"]
    assert "Nguyễn Văn Ẻ" not in str(theirs)
    before = world.counts()
    denied = world.submit(world.outsider)
    assert codes(denied) == ["FORBIDDEN"] and world.counts() == before


def _refused_whole(body: dict, world, before: dict) -> bool:
    """A request the gateway refuses whole (NUL characters): typed, nothing changed."""
    if "errors" not in body:
        return False
    assert codes(body) == ["BAD_USER_INPUT"] and "NUL" in body["errors"][0]["message"], body
    assert world.counts() == before
    return True


def _accepted_verbatim_or_refused(world, result: dict, sent: str, read) -> bool:
    """Either stored as sent and returned as data, or a typed BAD_USER_INPUT (nothing
    changed is checked by the caller). Returns whether it was accepted."""
    if result["errors"]:
        assert {e["code"] for e in result["errors"]} == {"BAD_USER_INPUT"}, result
        return False
    assert read(result) == sent
    return True


@pytest.mark.parametrize("field", ["s", "d", "p1", "a1", "p2"])
def test_injection_strings_in_every_submit_case_field(world, field):
    read = {"s": lambda c: c["subject"], "d": lambda c: c["description"],
            "p1": lambda c: c["parties"][0]["fullName"],
            "a1": lambda c: c["parties"][0]["address"],
            "p2": lambda c: c["parties"][1]["fullName"]}[field]
    for text in INJECTIONS:
        before = world.counts()
        response = world.client.post(*_submit_args(world, {field: text}))
        assert response.status_code == 200, (text[:40], response.text[:300])
        body = response.json()
        if _refused_whole(body, world, before):
            continue
        result = body["data"]["submitCase"]
        accepted = _accepted_verbatim_or_refused(world, result, text, lambda r: read(r["case"]))
        after = world.counts()
        assert after["cases"] == before["cases"] + (1 if accepted else 0), text[:40]
        if accepted:  # and read back from storage, not only echoed
            stored = world.run(world.officer, CASE, {"id": result["case"]["id"]})
            assert "errors" not in stored, stored


def _submit_args(world, fields: dict):
    values = {"t": world.team_id, "k": uuid.uuid4().hex, "s": "Tranh chấp lối đi",
              "d": "Hai nhà tranh chấp lối đi", "p1": "Nguyễn Văn Ẻ", "a1": "Thôn 1",
              "p2": "Hoàng Thị Gờ", **fields}
    return SUBMIT, values, world.tokens[world.officer]


def test_injection_strings_in_team_mutations(world):
    for text in INJECTIONS:
        before = world.counts()
        formed = world.run(world.officer, FORM, {"c": world.home["code"], "n": text,
                                                 "v": text})
        if _refused_whole(formed, world, before):
            continue
        accepted = _accepted_verbatim_or_refused(
            world, formed["data"]["formTeam"], text, lambda r: r["team"]["name"])
        added = world.run(world.officer, ADD, {"t": world.team_id, "n": text, "g": "MALE",
                                               "e": text})
        assert "errors" not in added, (text[:40], added)  # NUL was refused above
        accepted_mediator = _accepted_verbatim_or_refused(
            world, added["data"]["addMediator"], text, lambda r: r["mediator"]["fullName"])
        after = world.counts()
        assert after["teams"] == before["teams"] + accepted, text[:40]
        assert after["mediators"] == before["mediators"] + accepted_mediator, text[:40]


def test_oversized_bodies_are_refused_before_parsing(world):
    before = world.counts()
    huge = "x" * (70 * 1024)
    response = world.client.post(*_submit_args(world, {"d": huge}))
    assert response.status_code == 413
    assert codes(response.json()) == ["REQUEST_TOO_LARGE"]
    raw = requests.post(world.client.url, data=b"{" + b" " * (200 * 1024) + b"}", timeout=15,
                        headers={"content-type": "application/json"})
    assert raw.status_code == 413 and codes(raw.json()) == ["REQUEST_TOO_LARGE"]
    assert world.counts() == before


def test_aliases_and_batches_that_multiply_cost_are_refused(world):
    page = "cases(first: 100) { edges { node { id team { name mediators { fullName } } } } }"
    aliased = "{ " + " ".join(f"a{i}: {page}" for i in range(10)) + " }"
    body = world.run("province.officer", aliased)
    assert codes(body) == ["QUERY_TOO_COSTLY"] and "data" not in body
    repeated = "{ teams(first: 100) { edges { node { " \
        + " ".join(f"m{i}: mediators {{ fullName }}" for i in range(30)) + " } } } }"
    assert codes(world.run("province.officer", repeated)) == ["QUERY_TOO_COSTLY"]
    batch = requests.post(world.client.url, json=[{"query": page}] * 20, timeout=15,
                          headers={"Authorization": f"Bearer {world.tokens['province.officer']}"})
    assert batch.status_code == 400
    assert codes(batch.json()) == ["BAD_REQUEST"]


def test_a_name_in_nfc_or_nfd_is_the_same_name(world):
    """Conflict of interest (art. 18): a party typed in NFD named like a mediator stored
    from NFC input is that mediator."""
    mediator_id, name = world.mediator_ids[1], "Nông Văn Hùng"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    case = world.submit(p1=decomposed)["data"]["submitCase"]["case"]
    assign = """mutation($c: ID!, $m: [ID!]!) { assignMediators(caseId: $c, mediatorIds: $m)
      { case { id status } errors { code field } } }"""
    deadline = time.monotonic() + 20
    while True:  # cases learns of the mediators from teams' events
        result = world.run(world.officer, assign, {"c": case["id"], "m": [mediator_id]})
        payload = result["data"]["assignMediators"]
        if payload["errors"] and payload["errors"][0]["code"] == "CONFLICT":
            break
        assert payload["case"] is None, "an NFD party name slipped past the conflict check"
        assert time.monotonic() < deadline, result
        time.sleep(0.5)
    assert payload["errors"][0]["field"] == "mediatorIds"  # next to the field it names
    clean = world.run(world.officer, assign, {"c": case["id"], "m": [world.mediator_ids[2]]})
    assert clean["data"]["assignMediators"]["errors"] == [], clean


def test_found_by_fuzzing_a_refused_replay_is_a_typed_error(world):
    """hypothesis-graphql: `replayDeadLetter(id: "")` was an INTERNAL_SERVER_ERROR (a null
    `replayed` on the refusal path)."""
    for letter_id in ("", "not-a-number", "999999"):
        body = world.run("province.officer", 'mutation($id: ID!) { replayDeadLetter(id: $id) '
                         "{ replayed errors { code field } } }", {"id": letter_id})
        assert "INTERNAL_SERVER_ERROR" not in str(body), body
        payload = (body.get("data") or {}).get("replayDeadLetter")
        if payload is not None:
            assert payload["replayed"] is False and payload["errors"], body
        else:
            assert codes(body) == ["NOT_FOUND"], body


def test_found_by_fuzzing_an_explicit_null_geo_version_is_the_default(world):
    """hypothesis-graphql: `formTeam(input: {..., geoVersion: null})` was an
    INTERNAL_SERVER_ERROR (a KeyError); null now means the default, V2025."""
    before = world.counts()
    body = world.run(world.officer, 'mutation { formTeam(input: {communeCode: "", '
                     'formedOn: "", name: "", geoVersion: null}) { team { id } '
                     "errors { code } } }")
    assert codes(body) == ["NOT_FOUND"], body  # "" is no V2025 unit (the default layout)
    assert world.counts() == before
    inspected = world.run("province.officer", 'mutation { recordInspection(input: {unitCode: '
                          '"20", geoVersion: null, inspectedOn: "x", body: "", findings: ""}) '
                          "{ errors { code } } }")
    assert "INTERNAL_SERVER_ERROR" not in str(inspected), inspected
