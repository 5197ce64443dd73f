"""The user's profile, vault settings, agencies and their contacts."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base


class Profile(Base):
    """The vault owner: name, role and organisation, used on signed documents."""

    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))


class Setting(Base):
    """One vault-wide setting (default procedure, nation, office hours...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Agency(Base):
    """An organisation a party works for."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(100))
    contacts: Mapped[list[Contact]] = relationship(back_populates="agency")


class Contact(Base):
    """A person or role to contact at an agency, user-added or from a procedure."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    procedure_id: Mapped[str | None] = mapped_column(String(100))
    agency: Mapped[Agency] = relationship(back_populates="contacts")
