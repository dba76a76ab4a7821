"""Parties' personal data (Personal Data Protection Law, in force since 1/1/2026): what is
held about a case's parties and until when, and its erasure, for the commune officer of
the case's commune (services/cases/personal_data.py keeps the rule)."""

import graphene

from services.common import vocabulary
from services.gateway.schema.common import UserError, ctx, run_mutation
from services.gateway.schema.enums import enum_of
from services.gateway.schema.permissions import case_of, requires

ErasureReason = enum_of("ErasureReason", vocabulary.ErasureReason,
                        "Why personal data was erased: its retention period ended, or on "
                        "request.")


class PersonalText(graphene.ObjectType):
    """A free text about the case that may hold personal data."""

    field = graphene.String(required=True, description="subject, outcome_note, "
                            "agreement_text, follow_up_note, escalation_reason, or "
                            "<step>_reason (a referral's or guidance's reason)")
    text = graphene.String(required=True)


class HeldParty(graphene.ObjectType):
    full_name = graphene.String(required=True)
    address = graphene.String()


class PersonalDataReport(graphene.ObjectType):
    """What the cases service holds about a case's parties; after an erasure, nothing
    (and when and why it was erased)."""

    case_id = graphene.ID(required=True)
    status = graphene.String(required=True)
    closed_at = graphene.String(description="the case's last step once closed; null while open")
    retention_years = graphene.Int(required=True)
    retention_ends_at = graphene.String(description="when it is erased unless erased before "
                                        "(closedAt + retentionYears); null while open")
    expired = graphene.Boolean(required=True)
    erased = graphene.Boolean(required=True)
    erased_at = graphene.String()
    erasure_reason_code = graphene.Field(ErasureReason)
    erasure_reason = graphene.String(description="the officer's reason, or the retention rule")
    description = graphene.String(description="the facts; null once erased")
    parties = graphene.List(graphene.NonNull(HeldParty), required=True)
    texts = graphene.List(graphene.NonNull(PersonalText), required=True)


class PersonalDataQueries(graphene.ObjectType):
    personal_data_report = graphene.Field(
        PersonalDataReport, case_id=graphene.ID(required=True),
        description="what is held about the case's parties and until when (commune officer)")

    @requires("read_personal_data", on=case_of("case_id"))
    def resolve_personal_data_report(root, info, case_id):
        return ctx(info).call("cases", "personal_data_report", case_id,
                              ctx(info).principal.as_actor())


class ErasePersonalDataPayload(graphene.ObjectType):
    report = graphene.Field(PersonalDataReport, description="what is held now: nothing")
    already_erased = graphene.Boolean(description="it was erased before: nothing changed")
    errors = graphene.List(graphene.NonNull(UserError), required=True)


class PersonalDataMutations(graphene.ObjectType):
    erase_personal_data = graphene.Field(
        ErasePersonalDataPayload, required=True, case_id=graphene.ID(required=True),
        reason=graphene.String(required=True, description="why (at most 500 characters; no "
                               "party's name or address: it is kept)"),
        description="erase a closed case's personal data now; idempotent")

    @requires("erase_personal_data", on=case_of("case_id"))
    def resolve_erase_personal_data(root, info, case_id, reason):
        result = {}

        def erase():
            result.update(ctx(info).call("cases", "erase_personal_data", case_id, reason,
                                         ctx(info).principal.as_actor()))
            return result["report"]

        answer = run_mutation(ErasePersonalDataPayload, erase, "report")
        answer.already_erased = result.get("already_erased")  # None when refused
        return answer
