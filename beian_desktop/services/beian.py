"""One object the views, the worker, the demo and the tests all drive the product by.

It only wires the services to one context; each service keeps its own rules. Every
public method of its services takes the caller's sign-in session (`session=`, the
token `sign_in.sign_in` handed out) and checks it against the database before it acts
(services/sessions.py, rules/permissions.py OPERATIONS). The scheduler and the
dispatcher (`tick`, `dispatch`) act as the system, which no sign-in can be. The
sync `tick()`/`dispatch()` run the async dispatcher on a private event loop kept for
the object's life (so an HTTP client's connections survive between ticks); code that
already runs on a loop (the app on qasync, the worker) awaits `tick_async()`. One
Beian is driven from one thread at a time; open one per thread or process.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine

from beian_desktop.models import statistics
from beian_desktop.models.database import (
    make_engine,
    make_read_session_factory,
    make_session_factory,
    upgrade_to_head,
)
from beian_desktop.rules.clock import Clock, system_clock
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.entry import FilingService
from beian_desktop.services.filing.import_service import ImportService
from beian_desktop.services.filing.submission import SubmissionService
from beian_desktop.services.people.accounts import UserService
from beian_desktop.services.people.reveal import SecretsService
from beian_desktop.services.people.sign_in import SignInService
from beian_desktop.services.private_files import secure_sqlite
from beian_desktop.services.reading.query_service import QueryService
from beian_desktop.services.review.review_service import ReviewService
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.services.sending.dispatch import Dispatcher, DispatchReport
from beian_desktop.services.sending.senders import OutboxSender, SmsSender
from beian_desktop.services.sending.sms_config import SmsConfig
from beian_desktop.services.settings.settings_service import SettingsService
from beian_desktop.services.verification.scheduler import TickReport, tick
from beian_desktop.services.verification.verification_service import VerificationService


class Beian:
    def __init__(
        self,
        ctx: ServiceContext,
        engine: Engine | None = None,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.ctx = ctx
        self.engine = engine
        self.dispatcher = dispatcher or Dispatcher(ctx)
        self.filings = FilingService(ctx)
        self.imports = ImportService(ctx)
        self.submission = SubmissionService(ctx)
        self.verification = VerificationService(ctx, self.dispatcher)
        self.review = ReviewService(ctx)
        self.settings = SettingsService(ctx)
        self.users = UserService(ctx)
        self.sign_in = SignInService(ctx)
        self.secrets = SecretsService(ctx)
        self.queries = QueryService(ctx)
        self._runner: asyncio.Runner | None = None
        self._sender_closed = False

    @classmethod
    def open(
        cls,
        *,
        database_url: str,
        keys: SecretKeys,
        clock: Clock = system_clock,
        sender: SmsSender | None = None,
        sms: SmsConfig | None = None,
        upgrade: bool = True,
        hasher: PasswordHasher | None = None,
    ) -> Beian:
        """Upgrades the database to the newest schema first, as every start does, and
        brings the planner's statistics up to date (models/statistics.py). A SQLite
        file is created (and kept) readable by its owner only."""
        secure_sqlite(database_url)
        engine = make_engine(database_url)
        if upgrade:
            upgrade_to_head(engine)
            secure_sqlite(database_url)  # the -wal and -shm the migration made
        statistics.refresh(engine)
        sessions = make_session_factory(engine)
        sms = sms or SmsConfig()
        if sender is None:
            if sms.kind == "http" and sms.http is not None:
                # Imported only here: aiohttp's import costs a sixth of a second of
                # every start, and most desktops send through the outbox.
                from beian_desktop.services.sending.http_sender import HttpSender

                sender = HttpSender(sms.http)
            else:
                sender = OutboxSender(sessions, keys, clock)
        ctx = ServiceContext(
            sessions=sessions,
            keys=keys,
            clock=clock,
            sender=sender,
            read_sessions=make_read_session_factory(engine),
            hasher=hasher or PasswordHasher(),
        )
        dispatcher = Dispatcher(
            ctx,
            template=sms.template,
            link=sms.link,
            concurrency=sms.http.max_concurrency if sms.http else 8,
            lease=timedelta(seconds=sms.lease_seconds),
        )
        return cls(ctx, engine, dispatcher)

    def now(self) -> datetime:
        """The product's clock (injected): what every screen's times and countdowns use."""
        return self.ctx.now()

    def _run(self, coroutine):
        if self._runner is None:
            self._runner = asyncio.Runner()
        return self._runner.run(coroutine)

    async def tick_async(self, now: datetime | None = None) -> TickReport:
        return await tick(self.ctx, self.dispatcher, now)

    def tick(self, now: datetime | None = None) -> TickReport:
        """Everything due: expiries, returns, the noon resends, then the sends."""
        return self._run(self.tick_async(now))

    def dispatch(self, now: datetime | None = None) -> DispatchReport:
        return self._run(self.dispatcher.run_once(now))

    async def aclose_sender(self) -> None:
        """Closes the HTTP client on the loop that used it (the worker's, the app's)."""
        aclose = getattr(self.ctx.sender, "aclose", None)
        if aclose is not None and not self._sender_closed:
            self._sender_closed = True
            await aclose()

    def close(self) -> None:
        """Code on a running loop awaits `aclose_sender()` first; this cannot."""
        try:
            asyncio.get_running_loop()
            on_a_loop = True
        except RuntimeError:
            on_a_loop = False
        if not self._sender_closed and not on_a_loop:
            self._run(self.aclose_sender())
        if self._runner is not None:
            self._runner.close()
            self._runner = None
        if self.engine is not None:
            self.engine.dispose()
