"""X12 envelope numbers and clearinghouse connection settings, shared by every transaction we send.

Control numbers come from ``ControlNumber`` rows taken under ``select_for_update``: two requests
never share an ISA13, and a number is never reused (ISA13 wraps only after 999,999,999).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from medoffice.insurance.errors import EligibilityUnavailable
from medoffice.insurance.models import Clearinghouse, ControlNumber, Payer
from medoffice.integrations.clearinghouses import ClearinghouseSettings
from medoffice.interchange.x12 import EnvelopeIds

LIMIT = 999_999_999


def take_number(sequence: str) -> int:
    """The next number of ``sequence``, inside the caller's transaction (or its own)."""
    return take_numbers(sequence, 1)[0]


def take_numbers(sequence: str, count: int) -> list[int]:
    """``count`` consecutive numbers of ``sequence`` in one locked step (for a batch)."""
    with transaction.atomic():
        row, _ = ControlNumber.objects.select_for_update().get_or_create(sequence=sequence)
        first = row.last_value + 1 if row.last_value + count <= LIMIT else 1
        row.last_value = first + count - 1
        row.save(update_fields=["last_value"])
    return list(range(first, first + count))


def envelope_ids_for(clearinghouse: Clearinghouse, number: int) -> EnvelopeIds:
    return EnvelopeIds(
        sender_id=clearinghouse.sender_id,
        receiver_id=clearinghouse.receiver_id,
        interchange_control_number=number,
        group_control_number=number,
        transaction_control_number=number % 10_000 or 1,
        created=timezone.now(),
        usage="T" if clearinghouse.test_mode else "P",
    )


def next_envelope_ids(clearinghouse: Clearinghouse) -> EnvelopeIds:
    """Fresh ISA/GS/ST numbers for one interchange to ``clearinghouse``."""
    return envelope_ids_for(clearinghouse, take_number(f"isa:{clearinghouse.pk}"))


def clearinghouse_settings(clearinghouse: Clearinghouse) -> ClearinghouseSettings:
    return ClearinghouseSettings(
        kind=clearinghouse.kind,
        name=clearinghouse.name,
        endpoint_url=clearinghouse.endpoint_url,
        username=clearinghouse.username,
        password=clearinghouse.password,
        sender_id=clearinghouse.sender_id,
        receiver_id=clearinghouse.receiver_id,
        timeout_seconds=float(clearinghouse.timeout_seconds),
        retries=int(clearinghouse.retries),
        batch_folder=clearinghouse.batch_folder,
        sftp_host=clearinghouse.sftp_host,
        sftp_port=int(clearinghouse.sftp_port),
        sftp_username=clearinghouse.sftp_username,
        sftp_password=clearinghouse.sftp_password,
        sftp_path=clearinghouse.sftp_path,
    )


def clearinghouse_for(payer: Payer) -> Clearinghouse:
    """The payer's clearinghouse, or the practice's only active one; refused when there is none."""
    if payer.clearinghouse_id is not None:
        chosen = payer.clearinghouse
        if chosen is not None and chosen.active:
            return chosen
    active = list(Clearinghouse.objects.filter(active=True)[:2])
    if len(active) == 1:
        return active[0]
    raise EligibilityUnavailable(
        f"No clearinghouse is set for {payer.name}: a manager sets one on the payer's page."
    )
