"""Each vocabulary is declared once (services/common/vocabulary.py): the events, the RPC
payloads and the SDL's enums all use that declaration, and no module keeps a copy."""

import ast
import typing
from pathlib import Path

from services.common import events, vocabulary
from services.common.events.envelope import _SCHEMAS
from services.gateway.schema import schema

ROOT = Path(__file__).resolve().parents[3]
VOCABULARIES = {name: words for name, words in vars(vocabulary).items()
                if typing.get_origin(words) is typing.Literal}
SDL_ENUMS = {"GeoVersion": "GeoVersion", "UnitLevel": "UnitLevel", "Role": "Role",
             "Gender": "Gender", "CommendationLevel": "CommendationLevel",
             "IssueSeverity": "IssueSeverity", "RegistryIssueCode": "RegistryIssueCode",
             "CaseCategory": "Category", "CaseStatus": "CaseStatus", "Outcome": "OutcomeChoice",
             "Channel": "Channel", "EscalationKind": "EscalationKind",
             "NonMediableReason": "NonMediableReason", "RefusalReason": "RefusalReason"}


def test_every_sdl_enum_lists_exactly_its_vocabulary_in_order():
    types = schema.graphql_schema.type_map
    for enum_name, vocabulary_name in SDL_ENUMS.items():
        words = vocabulary.values(VOCABULARIES[vocabulary_name])
        assert tuple(types[enum_name].values) == words, enum_name


def _literals(annotation):
    """The Literal types inside an annotation (`Category | None` → [Category])."""
    if typing.get_origin(annotation) is typing.Literal:
        return [annotation]
    return [lit for arg in typing.get_args(annotation) for lit in _literals(arg)]


def test_event_fields_use_the_shared_vocabularies():
    assert events  # every schema registered
    known = {vocabulary.values(words) for words in VOCABULARIES.values()}
    checked = 0
    for model in _SCHEMAS.values():
        for name, field in model.model_fields.items():
            for literal in _literals(field.annotation):
                checked += 1
                assert typing.get_args(literal) in known, (model.__name__, name)
    assert checked >= 5


def test_no_module_redeclares_a_vocabulary():
    """A `Literal[...]` anywhere in services/ that spells a whole vocabulary is a copy."""
    spelled = {frozenset(vocabulary.values(words)) for words in VOCABULARIES.values()}
    copies = []
    for path in (ROOT / "services").rglob("*.py"):
        if path.name == "vocabulary.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                    and node.value.id == "Literal"):
                elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                words = frozenset(e.value for e in elements if isinstance(e, ast.Constant))
                if words in spelled:
                    copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert copies == []
