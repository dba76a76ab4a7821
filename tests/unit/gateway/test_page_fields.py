"""The gateway's default resolver (a dict's key, else an attribute, else the field's
default; null when missing) and connection edges whose cursor is encoded only when read
(services/gateway/schema/common.py)."""

from types import SimpleNamespace

from services.gateway.schema.common import (
    LazyEdge,
    build_connection,
    decode_cursor,
    dict_or_attr,
    encode_cursor,
)


def test_the_default_resolver_reads_dict_keys_and_attributes():
    assert dict_or_attr("full_name", None, {"full_name": "Lò Văn Pọm"}, None) == "Lò Văn Pọm"
    assert dict_or_attr("full_name", None, SimpleNamespace(full_name="Lò Thị Ín"), None) \
        == "Lò Thị Ín"


def test_the_default_resolver_answers_null_or_the_default_when_missing():
    assert dict_or_attr("gender", None, {"full_name": "x"}, None) is None
    assert dict_or_attr("gender", None, SimpleNamespace(), None) is None
    assert dict_or_attr("gender", "F", {}, None) == "F"
    assert dict_or_attr("gender", None, {"gender": None}, None) is None


def test_the_schema_resolves_plain_fields_through_it():
    from services.gateway.schema import schema

    field = schema.graphql_schema.get_type("Mediator").fields["fullName"]
    assert field.resolve.func is dict_or_attr and field.resolve.args == ("full_name", None)


class _Connection(SimpleNamespace):
    pass


def test_edge_cursors_are_the_same_when_read():
    page = {"items": [{"id": "a"}, {"id": "b"}, {"id": "c"}], "end_cursor": "E"}
    connection = build_connection(_Connection, page, page["items"][:2], ("B", 0))
    assert [decode_cursor(e.cursor) for e in connection.edges] == [("B", 1), ("B", 2)]
    whole = build_connection(_Connection, page, page["items"], (None, 0))
    assert whole.edges[-1].cursor == encode_cursor("E", 0) == whole.page_info.end_cursor
    assert whole.page_info.has_next_page is False and whole.total_count == 3


def test_an_edge_encodes_its_cursor_only_when_read(monkeypatch):
    calls = []
    monkeypatch.setattr("services.gateway.schema.common.encode_cursor",
                        lambda *at: calls.append(at) or "C")
    edge = LazyEdge({"id": "a"}, "B", 1)
    assert calls == [] and edge.node == {"id": "a"}
    assert edge.cursor == "C" and calls == [("B", 1)]
