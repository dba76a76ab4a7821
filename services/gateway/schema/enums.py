"""The API's enums, built from the shared vocabularies (services/common/vocabulary.py), so a
word is declared once; tests/unit/gateway/test_vocabulary.py keeps the SDL equal to them."""

import enum

import graphene

from services.common import vocabulary


def enum_of(name: str, words, description: str) -> type[graphene.Enum]:
    members = [(word, word) for word in vocabulary.values(words)]
    return graphene.Enum.from_enum(enum.Enum(name, members), description=description)


GeoVersion = enum_of("GeoVersion", vocabulary.GeoVersion,
                     "LEGACY: the layout in force until 30/6/2025 (11 districts); V2025: today's.")
UnitLevel = enum_of("UnitLevel", vocabulary.UnitLevel, "A unit's tier (districts: LEGACY only).")
Role = enum_of("Role", vocabulary.Role, "What a user may do, within their scope.")
Gender = enum_of("Gender", vocabulary.Gender, "A mediator's gender (Law 35 Art. 12).")
CommendationLevel = enum_of("CommendationLevel", vocabulary.CommendationLevel,
                            "The tier that awards a commendation.")
IssueSeverity = enum_of("IssueSeverity", vocabulary.IssueSeverity,
                        "RULE: a breach of the law (not compliant); WARNING: a goal missed.")
RegistryIssueCode = enum_of("RegistryIssueCode", vocabulary.RegistryIssueCode,
                            "A finding on a team's make-up (Law 35 Art. 12).")
CaseCategory = enum_of("CaseCategory", vocabulary.Category,
                       "The three groups of statistics indicator 0403.")
CaseStatus = enum_of("CaseStatus", vocabulary.CaseStatus, "Where a case is in its lifecycle.")
Outcome = enum_of("Outcome", vocabulary.OutcomeChoice,
                  "How a mediation ended; REFERRED refers the case to the competent body.")
Channel = enum_of("Channel", vocabulary.Channel, "How the dispute reached the team.")
EscalationKind = enum_of("EscalationKind", vocabulary.EscalationKind,
                         "Why a case is reported to the commune at once.")
NonMediableReason = enum_of("NonMediableReason", vocabulary.NonMediableReason,
                            "What may not be mediated (Decree 15/2014 Art. 5).")
RefusalReason = enum_of("RefusalReason", vocabulary.RefusalReason,
                        "Why a mutation was refused, for a client to word: a matter that may "
                        "not be mediated (Decree 15/2014 Art. 5: CRIME … OTHER_EXCLUDED) or a "
                        "registry rule (Law 35 Art. 8, 12; docs/gateway.md lists them).")
