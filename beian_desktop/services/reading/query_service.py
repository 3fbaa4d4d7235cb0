"""Every view's reads, one face over the reading modules (each screen's queries live in
a module of their own): keyword-only, each call one short read (`ctx.read_only`), and
only the frozen dataclasses of rules/read_models.py come out, never an ORM object or
a clear phone or ID number.
"""

from __future__ import annotations

from sqlalchemy import select

from beian_desktop.models import Province
from beian_desktop.rules.masking import scrub
from beian_desktop.rules.phones import mask_phone
from beian_desktop.rules.read_models import OutboxRow, ProvinceRow
from beian_desktop.services.reading.desk import DeskQueries
from beian_desktop.services.reading.filings_list import FilingListQueries
from beian_desktop.services.reading.navigation import NavigationQueries
from beian_desktop.services.reading.request_detail import RequestDetailQueries
from beian_desktop.services.reading.request_editing import RequestEditingQueries
from beian_desktop.services.reading.returns import ReturnQueries
from beian_desktop.services.reading.sql_helpers import check_limit
from beian_desktop.services.sending.senders import read_outbox


class QueryService(
    FilingListQueries,
    RequestDetailQueries,
    DeskQueries,
    ReturnQueries,
    RequestEditingQueries,
    NavigationQueries,
):
    """Every view's reads."""

    # -- bits and pieces -------------------------------------------------------------------
    def outbox(self, *, session: str, limit: int = 200) -> list[OutboxRow]:
        """The local outbox, newest first; codes masked, staff must not read them."""
        limit = check_limit(limit)
        with self.ctx.acting(session, "queries.outbox", read=True) as act:
            db = act.db
            entries = read_outbox(db, self.ctx.keys, limit=limit)
        return [
            OutboxRow(
                id=e.id,
                phone_masked=mask_phone(e.phone),
                sender_number=e.sender_number,
                text=scrub(e.text, codes=True),
                stored_at=e.stored_at,
            )
            for e in entries
        ]

    def provinces(self, *, session: str) -> list[ProvinceRow]:
        with self.ctx.acting(session, "queries.provinces", read=True) as act:
            db = act.db
            return [
                ProvinceRow(p.code, p.name_zh, p.name_en, p.verification_from)
                for p in db.scalars(select(Province).order_by(Province.code))
            ]
