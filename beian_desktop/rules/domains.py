"""Website domains: one stored spelling per domain (SPEC §6).

A filing lists the domains of each website; the same domain typed as
"WWW.例子.中国." or "www.xn--fsqu00a.xn--fiqs8s" must be recognised as one, so every
domain is stored in its ASCII (punycode) form, lower case, without a trailing dot,
and turned back into Unicode only for display. Users paste URLs, so the common
mistakes (scheme, path, port, wildcard, IP address) get messages of their own.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

import idna

from beian_desktop.rules.errors import InvalidValue

_MAX_LABEL = 63
MAX_DOMAIN = 253
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _invalid(code: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(f"domain.{code}", zh, en)


def _looks_like_ip(text: str) -> bool:
    candidate = text.strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def _reject_url_parts(text: str) -> None:
    """Name the URL part the user pasted along, rather than 'invalid character'."""
    if _SCHEME.match(text):
        raise _invalid(
            "scheme",
            "域名不要包含 http:// 等协议头，只填写域名本身，例如 www.example.com",
            "leave out http:// or any other scheme: enter only the domain, e.g. www.example.com",
        )
    if any(c.isspace() for c in text):
        raise _invalid("space", "域名不能包含空格", "a domain must not contain spaces")
    if "*" in text:
        raise _invalid(
            "wildcard",
            "不支持通配符域名（*），请逐个填写域名",
            "wildcard domains (*) are not accepted: enter each domain",
        )
    if any(c in text for c in "/?#\\"):
        raise _invalid(
            "path",
            "域名不要包含路径或参数（/、?、#）",
            "leave out any path or query (/, ?, #): enter only the domain",
        )
    if "@" in text:
        raise _invalid(
            "characters", "域名不能包含 @", "a domain must not contain @ (is it an e-mail address?)"
        )
    if _looks_like_ip(text):
        raise _invalid(
            "ip_address", "请填写域名，不能填写 IP 地址", "enter a domain, not an IP address"
        )
    if ":" in text:
        raise _invalid(
            "port", "域名不要包含端口号（如 :8080）", "leave out the port (such as :8080)"
        )


def _first_disallowed(text: str) -> str:
    """The first character UTS 46 refuses, so the message can show the user which."""
    for char in text:
        try:
            idna.uts46_remap(char, std3_rules=True, transitional=False)
        except idna.IDNAError:
            return char
    return text[0]  # pragma: no cover - only a combination failed; show something


def _a_label(label: str) -> str:
    return label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")


def normalize_domain(text: str) -> str:
    """The stored form of a domain: ASCII/punycode, lower case, no trailing dot.

    UTS 46 mapping (non-transitional, STD3 rules) does the lower-casing, full-width
    folding and "。" to "." of IDNA 2008 browsers, so what the user typed and what a
    browser would resolve are the same name. Raises `InvalidValue` naming the problem.
    """
    stripped = unicodedata.normalize("NFKC", text).strip()
    if not stripped:
        raise _invalid("empty", "域名不能为空", "the domain must not be empty")
    _reject_url_parts(stripped)
    try:
        mapped = idna.uts46_remap(stripped, std3_rules=True, transitional=False)
    except idna.IDNAError:
        bad = _first_disallowed(stripped)
        raise _invalid(
            "characters",
            f"域名包含不允许的字符“{bad}”（U+{ord(bad):04X}）",
            f"the domain contains a character that is not allowed: {bad!r} (U+{ord(bad):04X})",
        ) from None
    if mapped.endswith("."):
        mapped = mapped[:-1]
    labels = mapped.split(".")
    if any(not label for label in labels):
        raise _invalid(
            "label_empty",
            "域名中不能有连续的点，也不能以点开头",
            "a domain must not contain two dots in a row or start with a dot",
        )
    if len(labels) < 2:
        raise _invalid(
            "single_label",
            "域名至少包含两级，例如 example.com",
            "a domain has at least two labels, e.g. example.com",
        )
    if _looks_like_ip(mapped):
        raise _invalid(
            "ip_address", "请填写域名，不能填写 IP 地址", "enter a domain, not an IP address"
        )
    a_labels = []
    for label in labels:
        if label.startswith("-") or label.endswith("-"):
            raise _invalid(
                "hyphen",
                f"域名的每一段不能以短横线开头或结尾（{label}）",
                f"a label must not start or end with a hyphen ({label})",
            )
        if label[2:4] == "--" and not label.startswith("xn--"):
            raise _invalid(
                "hyphen",
                f"域名的每一段第 3、4 位不能都是短横线（{label}），只有 xn-- 开头的编码除外",
                f"a label must not have hyphens in both the 3rd and 4th place ({label}) "
                "unless it starts with xn--",
            )
        a_label = _a_label(label)
        if len(a_label) > _MAX_LABEL:
            raise _invalid(
                "label_length",
                f"域名的每一段最长 {_MAX_LABEL} 个字符（编码后），{label} 太长",
                f"each label is at most {_MAX_LABEL} characters once encoded; {label} is longer",
            )
        a_labels.append(a_label)
    if labels[-1].isdigit():
        raise _invalid(
            "numeric_tld",
            "顶级域名不能全是数字",
            "the top-level domain must not be all digits",
        )
    if len(".".join(a_labels)) > MAX_DOMAIN:
        raise _invalid(
            "length",
            f"域名总长度不能超过 {MAX_DOMAIN} 个字符（编码后）",
            f"a domain has at most {MAX_DOMAIN} characters once encoded",
        )
    try:
        encoded = idna.encode(".".join(labels), uts46=False, std3_rules=True).decode("ascii")
    except idna.IDNAError as exc:
        raise _invalid(
            "characters",
            "域名格式不正确，请检查拼写",
            f"the domain is not a valid name ({exc})",
        ) from None
    return encoded.lower()


def display_domain(ascii_domain: str) -> str:
    """The Unicode spelling of a stored domain, for screens.

    Display must never fail: a stored value that does not decode (it should not
    happen, everything stored went through `normalize_domain`) is shown as stored.
    """
    try:
        return idna.decode(ascii_domain)
    except (idna.IDNAError, UnicodeError):
        return ascii_domain
