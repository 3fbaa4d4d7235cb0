"""Migration 0011 (returns name every verifier): what it does to data already there,
both ways, on SQLite and PostgreSQL; and the triggers other revisions keep on
`requests` survive it (it drops a column without copying the table)."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from beian_desktop.models.database import alembic_config, make_engine
from beian_desktop.services.beian import Beian

from factories import phone, principal
from journeys import last6, latest_codes, send_first_sms, submit_filing, verifiers
from staff import FAST_HASHER, session_for

REVISION = "0011"
A, B = phone(1), phone(2, "unicom")


def _triggers_on_requests(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(
                text(
                    "SELECT name FROM sqlite_master"
                    " WHERE type = 'trigger' AND tbl_name = 'requests'"
                )
            )
        else:
            rows = conn.execute(
                text(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
                    " AND tgrelid = 'requests'::regclass"
                )
            )
        return {r[0] for r in rows}


def test_0011_closes_rounds_passed_before_it_and_goes_back_to_one_named_verifier(
    fresh_database_url, keys, clock
):
    app = Beian.open(database_url=fresh_database_url, keys=keys, clock=clock, hasher=FAST_HASHER)
    returned = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=24))
    app.tick()
    first_named = verifiers(app, returned)[0]
    passed = submit_filing(app, serial=2, subject_phone=phone(3), website_phones=[phone(4)])
    send_first_sms(app, clock)
    app.verification.check_code(
        session=session_for(app, "desk"),
        code=latest_codes(app)[phone(3)],
        phone=phone(3),
        id_last6=last6(principal(200).doc_number),
    )
    left_pending = verifiers(app, passed)[1]
    app.close()

    engine = make_engine(fresh_database_url)
    config = alembic_config(engine)
    before = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(before, str)
    command.downgrade(config, REVISION)  # the later revisions keep triggers of their own
    triggers = _triggers_on_requests(engine)
    command.downgrade(config, before)
    assert "returned_verifier_id" in {c["name"] for c in inspect(engine).get_columns("requests")}
    with engine.begin() as conn:
        assert (
            conn.execute(
                text("SELECT returned_verifier_id FROM requests WHERE id = :id"), {"id": returned}
            ).scalar_one()
            == first_named.id
        )
        # a round that passed with quorum "any one" before 0011 left its other verifier pending
        conn.execute(
            text(
                "UPDATE verification_rounds SET state = 'passed', ended_at = first_sent_at"
                " WHERE request_id = :id"
            ),
            {"id": passed},
        )
    assert _triggers_on_requests(engine) == triggers

    command.upgrade(config, REVISION)
    assert "returned_verifier_id" not in {
        c["name"] for c in inspect(engine).get_columns("requests")
    }
    assert _triggers_on_requests(engine) == triggers
    with engine.connect() as conn:
        state, ended, round_ended = conn.execute(
            text(
                "SELECT v.state, v.ended_at, r.ended_at FROM verifiers v"
                " JOIN verification_rounds r ON r.id = v.round_id WHERE v.id = :id"
            ),
            {"id": left_pending.id},
        ).one()
    assert state == "not_needed" and ended == round_ended
    command.upgrade(config, "head")
    engine.dispose()
