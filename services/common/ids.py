"""Identifiers of cases and events: UUIDv7 (RFC 9562), time-ordered.

Rows written together then sit together in every index keyed by their id. Random
UUIDv4s put each intake on a random leaf page of indexes of millions of entries
(cases, case details, the audit trail, the outbox, reporting's projections), and on a
large database each such page was a buffer miss and, after a checkpoint, a full page
in the WAL that the commit waits for (docs/performance.md).
"""

import uuid

from uuid6 import uuid7


def new_uuid() -> uuid.UUID:
    return uuid7()


def new_id() -> str:
    return str(uuid7())
