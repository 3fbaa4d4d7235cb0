"""`{name}` placeholders in texts an administrator writes: the SMS template, the
endpoint's body and status URL.

`str.format` is not safe for these: a literal brace breaks it and `{code.__class__}`
reaches attributes. Here only a known name in braces is replaced; every other brace
stays as it was typed, and `unknown_placeholders` says what a config file asks for
that does not exist, so it can be refused before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from string import Template


class BraceTemplate(Template):
    """string.Template with `{name}` in place of `$name`; there is no escape: a brace
    that does not enclose a name is a brace."""

    delimiter = "{"
    flags = re.NOFLAG  # names are lower case; no IGNORECASE
    # Template.__init_subclass__ compiles a str pattern (as documented); typeshed types
    # the attribute only as the compiled Pattern it becomes.
    pattern = (
        r"\{(?:(?P<escaped>(?!))|(?P<named>[a-z_][a-z0-9_]*)\}|(?P<braced>(?!))|(?P<invalid>))"  # type: ignore[assignment]
    )


_ANY_BRACED = re.compile(r"(?<!\{)\{([^{}\s]+)\}")  # "{}" and "{ }" are plain braces


def fill(text: str, values: Mapping[str, str]) -> str:
    """Known names replaced; anything else left exactly as written."""
    return BraceTemplate(text).safe_substitute(values)


def unknown_placeholders(text: str, known: Collection[str]) -> list[str]:
    """What `text` writes in braces that is not one of `known` (`{code.x}`, `{tel}`)."""
    return [name for name in _ANY_BRACED.findall(text) if name not in known]
