"""Documents' metadata: add, find, list, and whether stored content is still named."""

from __future__ import annotations

from sqlmodel import Session, col, select

from store.tables import Document


def add_document(*, session: Session, document: Document) -> Document:
    """Store an uploaded document's metadata."""
    session.add(document)
    session.flush()
    return document


def content_in_use(*, session: Session, sha256: str) -> bool:
    """Whether any document's metadata names stored content with this sha256."""
    statement = select(Document.id).where(col(Document.sha256) == sha256)
    return session.exec(statement).first() is not None


def get_document(*, session: Session, reference: str, document_id: str) -> Document | None:
    """The document of this case with this id, or None (also when it belongs to another case)."""
    document = session.get(Document, document_id)
    return document if document is not None and document.reference == reference else None


def list_documents(
    *, session: Session, reference: str, visibilities: list[str] | None = None
) -> list[Document]:
    """The case's documents, oldest first, optionally only those of the given visibilities."""
    statement = select(Document).where(col(Document.reference) == reference)
    if visibilities is not None:
        statement = statement.where(col(Document.visibility).in_(visibilities))
    return list(session.exec(statement.order_by(col(Document.uploaded_at))).all())
