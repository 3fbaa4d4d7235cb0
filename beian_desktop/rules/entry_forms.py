"""What the entry dialogs read: the pickers' rows, an approved filing handed back as
the inputs a change form edits, what such an edit changes (old → new), and the
preview of who an entry would have verify (SPEC §2, §2.1) before it is saved.

Like rules/read_models.py these leave the read services with every ID number and
phone masked: an input field the screen only shows masked is None ("keep the stored
value", rules/inputs.py) and its masked text is in `masked`, under the form's own
path for the field (`subject.principal.mobile`, `websites[1].principal.doc_number`).
Such a field left empty keeps the stored value; whatever is typed there is the new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.errors import in_language
from beian_desktop.rules.field_labels import field_label
from beian_desktop.rules.inputs import (
    AccessInput,
    ChangeInput,
    FilingInput,
    PrincipalInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import mask_phone


# -- the pickers -------------------------------------------------------------------------
@dataclass(frozen=True)
class SubjectChoice:
    """An approved subject, as a picker lists it."""

    subject_id: int
    holder_name: str
    icp_number: str
    province_name: str
    nature: str  # terms.SubjectNature
    principal_name: str
    websites: int  # its approved websites


@dataclass(frozen=True)
class WebsiteChoice:
    """An approved website, as a picker lists it."""

    website_id: int
    subject_id: int
    name: str
    domains: tuple[str, ...]  # Unicode, as people read them
    icp_number: str
    subject_name: str
    principal_name: str
    isp_names: tuple[str, ...]  # who hosts it now (its active access records)


@dataclass(frozen=True)
class PrincipalChoice:
    """A principal of an approved filing; `roles` as VerifierView's."""

    principal_id: int
    name: str
    doc_masked: str
    phone_masked: str
    roles: tuple[str, ...]  # "subject_principal", "website_principal:<website name>"


# -- forms filled from what is stored ----------------------------------------------------
@dataclass(frozen=True)
class ApprovedFiling:
    """The filing as the bureau approved it: its subject and approved websites (each
    WebsiteInput with its `id`), for a change (变更备案) to start from, and its
    principals for a phone change."""

    subject_id: int
    icp_number: str
    province_name: str
    filing: FilingInput
    website_icp_numbers: tuple[str, ...]  # in the order of filing.websites
    principals: tuple[PrincipalChoice, ...]  # the subject principal first, each once
    masked: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestForEditing:
    """A draft or returned 新增备案 as its entry form edits it: `filing` as stored, ID
    numbers and phones None ("keep", masked text in `masked`), each website with its
    `id`. A returned request carries why it came back. The other business types have
    their own shapes below, with the same first fields (`EditableRequest`)."""

    request_id: int
    business_type: str
    state: str
    filing: FilingInput
    return_reason: str | None = None
    masked: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WebsiteEditing:
    """A 新增网站 opened again: the approved subject it adds to and the website as
    stored (`id` set; its principal's secrets None, masked under `website.principal`)."""

    request_id: int
    business_type: str
    state: str
    subject: SubjectChoice
    website: WebsiteInput
    return_reason: str | None = None
    masked: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AccessEditing:
    """A 新增接入 opened again: the approved website and its new access as stored."""

    request_id: int
    business_type: str
    state: str
    website: WebsiteChoice
    access: AccessInput
    return_reason: str | None = None


@dataclass(frozen=True)
class ChangeEditing:
    """A 变更备案 opened again: the approved filing, and `edited`, that filing with the
    stored change applied, for the form (its masked texts in `masked`). A secret the
    change sets is None in `edited`, its new value masked in `kept` under the form's
    path: left empty, it stays as the change has it (change_between's `kept`)."""

    request_id: int
    business_type: str
    state: str
    approved: ApprovedFiling
    edited: FilingInput
    return_reason: str | None = None
    masked: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PhoneChangeEditing:
    """A 变更手机号码 opened again: the subject, whose number changes and the new
    number, masked (left empty, the request keeps it)."""

    request_id: int
    business_type: str
    state: str
    subject: SubjectChoice
    principal_id: int
    new_mobile_masked: str
    return_reason: str | None = None


@dataclass(frozen=True)
class CancellationEditing:
    """A cancellation opened again: the record it cancels (a subject for 注销主体, a
    website otherwise). The record is all a cancellation holds, so all it corrects."""

    request_id: int
    business_type: str
    state: str
    subject: SubjectChoice | None = None
    website: WebsiteChoice | None = None
    return_reason: str | None = None


EditableRequest = (
    RequestForEditing
    | WebsiteEditing
    | AccessEditing
    | ChangeEditing
    | PhoneChangeEditing
    | CancellationEditing
)


# -- who would verify --------------------------------------------------------------------
@dataclass(frozen=True)
class VerifierPreview:
    """One person who would get the SMS: `new_number` when it goes to a number the
    request changes (SPEC §2.1: the new number only, never the old)."""

    name: str
    roles: tuple[str, ...]  # as PrincipalChoice.roles
    phone_masked: str
    new_number: bool = False


@dataclass(frozen=True)
class VerificationPreview:
    """Who would verify if the request were submitted now, and how many must.
    `quorum` None: no SMS, straight to the bureau, for `skipped_because`
    (rules/who_verifies.NoVerificationReason)."""

    quorum: str | None
    verifiers: tuple[VerifierPreview, ...] = ()
    skipped_because: str | None = None


@dataclass(frozen=True)
class ChangeLine:
    """One field a change changes, old and new as a screen may show them (ID numbers
    and phones masked, domains joined). `path` is the field's, with a website as
    `websites[#<id>]`; `website_name` names that website."""

    path: str
    old: str
    new: str
    website_name: str | None = None

    @property
    def field(self) -> str:
        """The field's own name (`holder_name`, `mobile`): what its values are."""
        return self.path.rsplit(".", 1)[-1]

    def label(self, language: str = "zh_CN") -> str:
        """主体 › 主办单位名称, or 网站“青禾官网” › 负责人 › 手机号码."""
        head, _, rest = self.path.partition(".")
        if not head.startswith("websites[#"):
            return field_label(self.path, language)
        name = self.website_name or head[len("websites[#") : -1]
        website = in_language(language, f"网站“{name}”", f"Website “{name}”")
        return f"{website} › {field_label(rest, language)}"


@dataclass(frozen=True)
class ChangePreview:
    lines: tuple[ChangeLine, ...]
    verification: VerificationPreview


# -- what an edited approved filing changes ------------------------------------------------
# The fields a change (变更备案) may change, as rules/inputs.py names them. The province
# and the access records are not among them: another province is another filing, and
# hosting changes are 新增接入 / 取消接入.
SUBJECT_FIELDS = (
    "city",
    "nature",
    "holder_name",
    "doc_type",
    "doc_number",
    "document_address",
    "mailing_address",
    "investor",
    "remarks",
)
PRINCIPAL_FIELDS = (
    "name",
    "doc_type",
    "doc_number",
    "mobile",
    "phone2",
    "emergency_phone",
    "email",
)
WEBSITE_FIELDS = (
    "name",
    "home_url",
    "domains",
    "service_content",
    "language",
    "preapproval_type",
    "preapproval_number",
    "remarks",
)
_PHONES = frozenset({"mobile", "phone2", "emergency_phone"})
_MASKED = _PHONES | {"doc_number"}


def _shown(name: str, value: object) -> str:
    """A value as a change line may show it: secrets masked, lists joined."""
    if isinstance(value, list):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    text = str(value).strip()
    if name in _PHONES and text:
        return mask_phone(text)
    if name == "doc_number" and text:
        return mask_document_number(text)
    return text


def _changed_fields(
    names: tuple[str, ...],
    before: object,
    after: object,
    form_path: str,
    masked: dict[str, str],
    kept: Mapping[str, str],
) -> list[tuple[str, object, str, str]]:
    """(field, new value, old shown, new shown) for each field that differs. A field the
    screen only showed masked is changed when something was typed into it (None or
    empty keeps it: as approved, or, in `kept`, the saved change's new value, given as
    None); the service drops a retyped value equal to the stored one."""
    changed: list[tuple[str, object, str, str]] = []
    for name in names:
        old, new = getattr(before, name), getattr(after, name)
        if name in _MASKED:
            if new is None or not str(new).strip():
                path = f"{form_path}.{name}"
                if path in kept:
                    changed.append((name, None, masked.get(path, ""), kept[path]))
                continue
            old_shown = masked.get(f"{form_path}.{name}", "")
        elif isinstance(old, list) or isinstance(new, list):
            old_list = [str(v).strip() for v in old or [] if str(v).strip()]
            new_list = [str(v).strip() for v in new or [] if str(v).strip()]
            if old_list == new_list:
                continue
            new = new_list
            old_shown = _shown(name, old_list)
        else:
            if str(old).strip() == str(new).strip():
                continue
            new = str(new).strip()
            old_shown = _shown(name, old)
        changed.append((name, new, old_shown, _shown(name, new)))
    return changed


def _principal_changes(
    before: PrincipalInput,
    after: PrincipalInput,
    form_path: str,
    line_path: str,
    masked: dict[str, str],
    kept: Mapping[str, str],
    website_name: str | None = None,
) -> tuple[dict[str, str | None], list[ChangeLine]]:
    fields: dict[str, str | None] = {}
    lines = []
    for name, new, old_shown, new_shown in _changed_fields(
        PRINCIPAL_FIELDS, before, after, form_path, masked, kept
    ):
        fields[name] = None if new is None else str(new).strip()
        lines.append(ChangeLine(f"{line_path}.{name}", old_shown, new_shown, website_name))
    return fields, lines


def change_between(
    approved: ApprovedFiling, edited: FilingInput, kept: Mapping[str, str] | None = None
) -> tuple[ChangeInput, tuple[ChangeLine, ...]]:
    """What the clerk's edit of the approved filing changes: the ChangeInput to save and
    its lines (field, old → new) to show. `edited.websites` are the approved ones, in
    the same order, each with its `id`. `kept`: a saved change opened again, its secret
    new values (masked, by form path) that an empty field keeps (ChangeEditing)."""
    kept = kept or {}
    before, masked = approved.filing, approved.masked
    change = ChangeInput()
    lines: list[ChangeLine] = []
    for name, new, old_shown, new_shown in _changed_fields(
        SUBJECT_FIELDS, before.subject, edited.subject, "subject", masked, kept
    ):
        change.subject[name] = None if new is None else str(new)
        lines.append(ChangeLine(f"subject.{name}", old_shown, new_shown))
    fields, principal_lines = _principal_changes(
        before.subject.principal,
        edited.subject.principal,
        "subject.principal",
        "subject.principal",
        masked,
        kept,
    )
    change.subject_principal.update(fields)
    lines += principal_lines
    for i, (old_site, new_site) in enumerate(zip(before.websites, edited.websites, strict=True)):
        assert old_site.id is not None  # an approved website has its id
        site_id, path = old_site.id, f"websites[#{old_site.id}]"
        site_fields: dict[str, object] = {}
        for name, new, old_shown, new_shown in _changed_fields(
            WEBSITE_FIELDS, old_site, new_site, f"websites[{i}]", masked, kept
        ):
            site_fields[name] = new
            lines.append(ChangeLine(f"{path}.{name}", old_shown, new_shown, old_site.name))
        if site_fields:
            change.websites[site_id] = site_fields
        fields, principal_lines = _principal_changes(
            old_site.principal,
            new_site.principal,
            f"websites[{i}].principal",
            f"{path}.principal",
            masked,
            kept,
            old_site.name,
        )
        if fields:
            change.website_principals[site_id] = fields
        lines += principal_lines
    return change, tuple(lines)
