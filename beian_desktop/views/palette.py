"""One palette for every list, detail and desk: a state has the same colour wherever it
is shown, and an outcome (success, failure, waiting, refused) the same tone.

Colours are chosen to be told apart by people with the common colour-vision
deficiencies when read with their text (a state is never shown by colour alone), and
to keep a 4.5:1 contrast against white for text. `state_brush` gives the foreground a
table model returns for Qt.ForegroundRole; `badge_style` a label's style sheet.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtGui import QBrush, QColor


class Tone(StrEnum):
    SUCCESS = "#1b7f3b"  # done, verified, approved, sent
    FAILURE = "#b00020"  # failed, rejected, wrong, a field's error
    WARNING = "#a15c00"  # returned, expired, overdue, tries almost used up
    WAITING = "#1f5fa8"  # in progress: verifying, in review, pending, queued
    NEUTRAL = "#5f6368"  # drafts, cancelled, not needed, nothing to do


# Every state of terms.RequestState, VerifierState and SmsStatus (and the delivery
# words) has a tone; an unknown value is neutral.
_STATE_TONES: dict[str, Tone] = {
    # requests
    "draft": Tone.NEUTRAL,
    "submitted": Tone.WAITING,
    "verifying": Tone.WAITING,
    "bureau_review": Tone.WAITING,
    "approved": Tone.SUCCESS,
    "rejected": Tone.FAILURE,
    "returned": Tone.WARNING,
    "deleted": Tone.NEUTRAL,
    # verifiers
    "pending": Tone.WAITING,
    "verified": Tone.SUCCESS,
    "failed": Tone.FAILURE,
    "expired": Tone.WARNING,
    "not_needed": Tone.NEUTRAL,
    # SMS
    "sending": Tone.WAITING,
    "sent": Tone.SUCCESS,
    "cancelled": Tone.NEUTRAL,
    "delivered": Tone.SUCCESS,
    "unknown": Tone.NEUTRAL,
    # a supervisor's review of a return (terms.ReturnReview)
    "to_review": Tone.WARNING,
    "noted": Tone.WAITING,
    "handed_back": Tone.SUCCESS,
}


def state_tone(state: str | None) -> Tone:
    return _STATE_TONES.get(state or "", Tone.NEUTRAL)


def state_brush(state: str | None) -> QBrush:
    return QBrush(QColor(state_tone(state).value))


def badge_style(tone: Tone) -> str:
    """A label that says an outcome: its tone's text on a pale ground of the same hue."""
    color = QColor(tone.value)
    ground = QColor(color)
    ground.setAlpha(28)
    return (
        f"color: {color.name()}; background: rgba({ground.red()}, {ground.green()}, "
        f"{ground.blue()}, {ground.alpha()}); border: 1px solid {color.name()}; "
        "border-radius: 3px; padding: 6px;"
    )
