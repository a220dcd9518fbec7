"""The database schema (SQLAlchemy 2.x typed declarative). Alembic migrations mirror it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def _bytewise(type_: String) -> String:
    """Text compared byte by byte, as SQLite does, also on PostgreSQL (migration 0005)."""
    return type_.with_variant(type(type_)(type_.length, collation="C"), "postgresql")


class Dataset(Base):
    __tablename__ = "datasets"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(100))
    as_of: Mapped[date] = mapped_column(Date)
    publisher: Mapped[str] = mapped_column(Text, default="")
    license: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    content_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    entity_count: Mapped[int] = mapped_column(Integer, default=0)
    relationship_count: Mapped[int] = mapped_column(Integer, default=0)


class Source(Base):
    __tablename__ = "sources"
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    as_of: Mapped[date | None] = mapped_column(Date, nullable=True)
    license: Mapped[str] = mapped_column(Text, default="")


class EntityRow(Base):
    """One entity record of one dataset. `cluster_id` names the merged entity it belongs to."""

    __tablename__ = "entities"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)  # "<dataset>:<local id>"
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    local_id: Mapped[str] = mapped_column(String(200), index=True)
    cluster_id: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    hq_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    incorporation_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    residence_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    ownership: Mapped[str | None] = mapped_column(String(10), nullable=True)
    lei: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    website: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Listed companies: percent held by the public in holdings each below the disclosure threshold.
    public_float: Mapped[float | None] = mapped_column(Float, nullable=True)


class NameRow(Base):
    __tablename__ = "names"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[str] = mapped_column(String(300), index=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str | None] = mapped_column(String(35), nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(200), nullable=True)


class IdentifierRow(Base):
    __tablename__ = "identifiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[str] = mapped_column(String(300), index=True)
    scheme: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(Text)
    source_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    __table_args__ = (Index("ix_identifiers_scheme_value", "scheme", "value"),)


class RelationshipRow(Base):
    __tablename__ = "relationships"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str] = mapped_column(String(300), index=True)
    owned_id: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    share_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    share_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class DeterminationRow(Base):
    """Stored status of every merged entity under one policy (by SHA-256), as of a date."""

    __tablename__ = "determinations"
    policy_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(300), primary_key=True)  # cluster id
    status: Mapped[str] = mapped_column(String(10))
    restricted_min: Mapped[float] = mapped_column(Float)
    restricted_max: Mapped[float] = mapped_column(Float)


class DeterminationRun(Base):
    __tablename__ = "determination_runs"
    policy_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[date] = mapped_column(Date)
    data_fingerprint: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    entity_count: Mapped[int] = mapped_column(Integer)


class AuditRecord(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(50))
    query: Mapped[str] = mapped_column(Text, default="")
    entity_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    status: Mapped[str | None] = mapped_column(String(10), nullable=True)
    policy_id: Mapped[str] = mapped_column(String(200), default="")
    policy_sha256: Mapped[str] = mapped_column(String(64), default="")
    detail_json: Mapped[str] = mapped_column(Text, default="{}")


class SearchName(Base):
    """Every searchable name of a merged entity in each comparable form (one row per transliteration)."""

    __tablename__ = "search_names"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(String(300), index=True)  # cluster id
    name: Mapped[str] = mapped_column(Text)
    matched_on: Mapped[str] = mapped_column(String(30))  # name, alias, local name, former name …
    norm: Mapped[str] = mapped_column(_bytewise(Text()))  # Latin tokens, legal forms set aside
    forms: Mapped[str] = mapped_column(Text, default="")  # the legal forms set aside
    __table_args__ = (Index("ix_search_names_norm", "norm"),)


class SearchTerm(Base):
    """Postings: each term of a name (distinctive token, or two tokens joined) → the names holding it.

    Ordered by term, then by the length of the name, so that the shortest names come first.
    """

    __tablename__ = "search_terms"
    term: Mapped[str] = mapped_column(_bytewise(String(100)), primary_key=True)
    nlen: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    name_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    __table_args__ = ({"sqlite_with_rowid": False},)


class SearchVocab(Base):
    """The term dictionary: every term with the number of names holding it."""

    __tablename__ = "search_vocab"
    term: Mapped[str] = mapped_column(_bytewise(String(100)), primary_key=True)
    df: Mapped[int] = mapped_column(Integer)
    __table_args__ = ({"sqlite_with_rowid": False},)


class SearchDelete(Base):
    """Typo tolerance: each single-token term under a hash of itself and of every one-letter deletion."""

    __tablename__ = "search_deletes"
    variant: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    term: Mapped[str] = mapped_column(_bytewise(String(100)), primary_key=True)
    __table_args__ = ({"sqlite_with_rowid": False},)


class SearchPrefix(Base):
    """The most frequent terms starting with each prefix of one to three characters."""

    __tablename__ = "search_prefixes"
    prefix: Mapped[str] = mapped_column(_bytewise(String(12)), primary_key=True)
    rank: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    term: Mapped[str] = mapped_column(_bytewise(String(100)))
    df: Mapped[int] = mapped_column(Integer)
    __table_args__ = ({"sqlite_with_rowid": False},)


class SearchIdentifier(Base):
    """Identifiers in the form queries are looked up by: domains lowercased, LEIs and numbers uppercased."""

    __tablename__ = "search_identifiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scheme: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(300))
    entity_id: Mapped[str] = mapped_column(String(300), index=True)  # cluster id
    display: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_search_identifiers_value", "value", "scheme"),)


class DecisionRecordRow(Base):
    """One recorded decision, a link of a hash chain (see domain/decision_chain.py).

    `prev_sha256` is unique, so two writers that read the same last record cannot both append after it:
    the chain never forks.
    """

    __tablename__ = "decision_records"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC, as hashed
    user: Mapped[str] = mapped_column(String(200), default="")
    query: Mapped[str] = mapped_column(Text, default="")
    entity_id: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    customer_ref: Mapped[str] = mapped_column(String(200), default="", index=True)
    policy_sha256: Mapped[str] = mapped_column(String(64), default="")
    content_json: Mapped[str] = mapped_column(Text)
    prev_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
