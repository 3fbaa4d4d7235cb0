"""One object the views, the worker, the demo and the tests all drive the product by.

It only wires the services to one context; each service keeps its own rules.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from beian_desktop.models.database import make_engine, make_session_factory, upgrade_to_head
from beian_desktop.services.clock import Clock, system_clock
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.dispatch import DispatchReport, dispatch_due
from beian_desktop.services.filing_service import FilingService
from beian_desktop.services.review_service import ReviewService
from beian_desktop.services.scheduler import TickReport, tick
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.services.sms_sender import OutboxSender, SmsSender
from beian_desktop.services.submission_service import SubmissionService
from beian_desktop.services.verification_service import VerificationService


class Beian:
    def __init__(self, ctx: ServiceContext, engine: Engine | None = None) -> None:
        self.ctx = ctx
        self.engine = engine
        self.filings = FilingService(ctx)
        self.submission = SubmissionService(ctx)
        self.verification = VerificationService(ctx)
        self.review = ReviewService(ctx)

    @classmethod
    def open(
        cls,
        *,
        database_url: str,
        keys: SecretKeys,
        clock: Clock = system_clock,
        sender: SmsSender | None = None,
        upgrade: bool = True,
    ) -> Beian:
        """Upgrades the database to the newest schema first, as every start does."""
        engine = make_engine(database_url)
        if upgrade:
            upgrade_to_head(engine)
        sessions = make_session_factory(engine)
        ctx = ServiceContext(
            sessions=sessions,
            keys=keys,
            clock=clock,
            sender=sender or OutboxSender(sessions, keys, clock),
        )
        return cls(ctx, engine)

    def tick(self, now: datetime | None = None) -> TickReport:
        return tick(self.ctx, now)

    def dispatch(self, now: datetime | None = None) -> DispatchReport:
        return dispatch_due(self.ctx, now)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
