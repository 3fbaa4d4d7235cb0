"""Whom a return names (SPEC §3: "with the reason and who").

A return names every verifier that kept the round from passing: for an expiry (and
for an SMS never handed over in time) every verifier still pending at the deadline,
not only the first; for tries used up, the verifier (with quorum "any one", every
verifier) whose tries ran out. The round's verifiers keep the states the return left
them in, and a round that ended never changes again, so the names are read from
those states whenever they are shown: no copy to keep in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from beian_desktop.terms import ReturnReason, VerifierState


def named_state(reason: str | None) -> VerifierState:
    """The state a return leaves the verifiers it names in: those still pending expire
    with the round; the one whose tries ran out had failed already."""
    if reason == ReturnReason.TRIES_USED_UP:
        return VerifierState.FAILED
    return VerifierState.EXPIRED


def named_verifiers(reason: str | None, verifiers: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The names a return gives, of the returned round's (state, name) in their order."""
    wanted = named_state(reason)
    return tuple(name for state, name in verifiers if state == wanted)
