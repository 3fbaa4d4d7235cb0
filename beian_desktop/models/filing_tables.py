"""What a filing holds (SPEC §1a): provinces, subjects, principals, websites, access.

Document numbers are stored encrypted (`*_enc`) with a keyed hash beside them for
exact look-ups; the clear number never reaches the database. Text fields default to
'' so a draft can be saved before every field is filled in.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beian_desktop.models.base import Base, UTCDateTime


class Province(Base):
    """One row per province; `verification_from` None means SMS verification is off."""

    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # GB/T 2260, e.g. "33"
    name_zh: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(64))
    abbr: Mapped[str] = mapped_column(String(2))  # the ICP number prefix, e.g. "浙"
    verification_from: Mapped[date | None] = mapped_column(Date)


class Principal(Base):
    """负责人: a person answerable for a subject or a website."""

    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    doc_type: Mapped[str] = mapped_column(String(32), default="resident_id")
    doc_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    doc_number_hash: Mapped[str] = mapped_column(String(64), index=True)
    mobile: Mapped[str] = mapped_column(String(11), default="", index=True)
    phone2: Mapped[str] = mapped_column(String(32), default="")
    emergency_phone: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(128), default="")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Subject(Base):
    """主体: the company or person behind the websites."""

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/active/cancelled
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    city: Mapped[str] = mapped_column(String(64), default="")
    nature: Mapped[str] = mapped_column(String(32), default="enterprise")
    holder_name: Mapped[str] = mapped_column(String(128), default="", index=True)
    doc_type: Mapped[str] = mapped_column(String(32), default="credit_code")
    doc_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    doc_number_hash: Mapped[str] = mapped_column(String(64), index=True)
    document_address: Mapped[str] = mapped_column(String(256), default="")
    mailing_address: Mapped[str] = mapped_column(String(256), default="")
    investor: Mapped[str] = mapped_column(String(128), default="")
    icp_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    website_seq: Mapped[int] = mapped_column(Integer, default=0)  # last "-N" handed out
    remarks: Mapped[str] = mapped_column(Text, default="")
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    principal: Mapped[Principal] = relationship()
    websites: Mapped[list[Website]] = relationship(back_populates="subject", order_by="Website.id")


class Website(Base):
    """网站: one website of a subject, with its own principal and domains."""

    __tablename__ = "websites"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    name: Mapped[str] = mapped_column(String(128), default="")
    home_url: Mapped[str] = mapped_column(String(256), default="")
    service_content: Mapped[str] = mapped_column(String(128), default="")
    language: Mapped[str] = mapped_column(String(32), default="zh_CN")
    preapproval_type: Mapped[str] = mapped_column(String(64), default="")
    preapproval_number: Mapped[str] = mapped_column(String(64), default="")
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    icp_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    remarks: Mapped[str] = mapped_column(Text, default="")

    subject: Mapped[Subject] = relationship(back_populates="websites")
    principal: Mapped[Principal] = relationship()
    domains: Mapped[list[Domain]] = relationship(
        order_by="Domain.position", cascade="all, delete-orphan"
    )
    access_records: Mapped[list[AccessRecord]] = relationship(
        order_by="AccessRecord.id", cascade="all, delete-orphan"
    )


class Domain(Base):
    """Stored normalised (IDN as punycode) so a search finds it whatever was typed."""

    __tablename__ = "domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    website_id: Mapped[int] = mapped_column(ForeignKey("websites.id"), index=True)
    name: Mapped[str] = mapped_column(String(253), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class AccessRecord(Base):
    """接入: which ISP hosts a website, how, and on which servers."""

    __tablename__ = "access_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    website_id: Mapped[int] = mapped_column(ForeignKey("websites.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    isp_name: Mapped[str] = mapped_column(String(128), default="")
    method: Mapped[str] = mapped_column(String(32), default="")
    server_ips: Mapped[str] = mapped_column(Text, default="")  # comma-separated, normalised
