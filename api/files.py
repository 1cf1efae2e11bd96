"""A stored document sent over HTTP as an attachment."""

from __future__ import annotations

from fastapi.responses import FileResponse

from services.uploads import StoredFile


def attachment(stored: StoredFile) -> FileResponse:
    """The file as a download that no browser renders in the page."""
    return FileResponse(
        stored.path,
        media_type=stored.media_type,
        filename=stored.filename,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff"},
    )
