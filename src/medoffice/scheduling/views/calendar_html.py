"""The inside of a calendar column (backgrounds, open slots, cards) as HTML built in Python.

A day with 20 providers draws about 600 open slots and 300 cards; through the template engine
that took most of the page's 100 ms budget (9,000 variable lookups, 300 includes). Here each
item is one f-string in which every text value is escaped (``escape``) and every number is an
int: the same markup the templates would give, an order of magnitude faster. The frame around
it (column heads, time marks) stays in ``day_board.html``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:  # the column module calls this one
    from medoffice.scheduling.views.calendar_columns import Card, Column, Shade, Slot


def escape(value: Any) -> str:
    """What Django's ``escape`` does (``html.escape`` of ``str``) without its lazy-string
    wrapper, which cost more than the escaping itself at ~13,000 calls a page."""
    return html.escape(str(value))


def _rows(row: int, span: int) -> str:
    return f'data-row="{int(row)}" data-span="{int(span)}"'


def _shade(shade: Shade) -> str:
    label = f'<span class="cal-shade-label">{escape(shade.label)}</span> ' if shade.label else ""
    return (
        f'<div class="cal-shade cal-shade-{escape(shade.kind)}" '
        f"{_rows(shade.place.row, shade.place.span)}>"
        f'{label}<span class="visually-hidden">{escape(shade.when)}</span></div>'
    )


def _slot(slot: Slot, head_id: str) -> str:
    where = _rows(slot.place.row, slot.place.span)
    short = f'<span aria-hidden="true">{escape(slot.label)}</span>'
    if not slot.url:
        return (
            f'<span class="cal-slot" {where}><span class="visually-hidden">'
            f"{escape(slot.full)} open</span>{short}</span>"
        )
    return (
        f'<a class="cal-slot" id="{escape(slot.key)}" href="{escape(slot.url)}" data-panel '
        f'{where} aria-describedby="{escape(head_id)}"><span class="visually-hidden">Book '
        f"{escape(slot.full)}</span>{short}</a>"
    )


def _badges(card: Card) -> str:
    a = card.appointment
    badges = [
        f'<span class="cal-badge cal-status-{escape(a.status)}">'
        f"{escape(a.get_status_display())}</span>"
    ]
    if a.overbook:
        badges.append(
            '<span class="cal-badge cal-badge-ob" title="Overbook">OB'
            '<span class="visually-hidden">: overbook</span></span>'
        )
    if card.risk:
        css = "cal-badge cal-badge-risk" if card.risk_high else "cal-badge"
        badges.append(f'<span class="{css}">{escape(card.risk)}</span>')
    if card.overbook_ok:
        badges.append('<span class="cal-badge cal-badge-hint">overbook OK here</span>')
    return "".join(badges)


def _card(card: Card) -> str:
    a = card.appointment
    short = card.place.span < 4
    css = f"cal-card is-{escape(a.status)}"
    css += " is-overbook" if a.overbook else ""
    css += " is-short" if short else ""
    kind = escape(a.appointment_type.name)
    where = f" · <span>{escape(card.where)}</span>" if card.where else ""
    spoken = f'<span class="visually-hidden">, {escape(card.age)}, {kind}</span>' if short else ""
    return (
        f'<a class="{css}" id="{escape(card.key)}" href="{escape(card.url)}" data-panel '
        f'{_rows(card.place.row, card.place.span)} data-lane="{int(card.lane)}" '
        f'data-lane-span="{int(card.lane_span)}" data-color="{escape(a.appointment_type.color)}">'
        f'<span class="cal-card-line"><span class="cal-card-time">'
        f'<span class="visually-hidden">{escape(card.when)}</span>'
        f'<span aria-hidden="true">{escape(card.start)}</span></span> '
        f'<span class="cal-card-name">{escape(a.patient.display_name)}</span></span>'
        f'<span class="cal-card-line cal-card-second"><span>{escape(card.age)}</span> · '
        f'<span class="cal-card-type">{kind}</span>{where}</span>'
        f'<span class="cal-card-badges">{_badges(card)}</span>{spoken}</a>'
    )


def column_body(column: Column) -> SafeString:
    """Backgrounds, then open slots, then cards (drawn on top), then the "now" line."""
    head_id = f"{column.key}-head"
    parts = [_shade(shade) for shade in column.shades]
    parts += [_slot(slot, head_id) for slot in column.slots]
    parts += [_card(card) for card in column.cards]
    if column.now is not None:
        parts.append(f'<div class="cal-now" {_rows(column.now.row, 1)} aria-hidden="true"></div>')
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped or an int)
