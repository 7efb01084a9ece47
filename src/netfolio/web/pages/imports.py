"""Import: upload a file, see the dry run, confirm; undo the last run; review duplicates.

The upload is kept in memory between the dry run and the confirmation (a random token names
it, never the file's name). To import, its bytes are written to a private temporary folder
under a name made from safe characters only, read by the import pipeline, and removed.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from netfolio.errors import ImportError_, NetfolioError, ValidationError
from netfolio.web.api.models import MAX_ID, Id
from netfolio.web.deps import PendingUpload, WebContext, get_ctx, redirect, render

router = APIRouter()

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(filename: str | None) -> str:
    """A file name made of safe characters only, keeping the extension (format detection
    and the ledger's record of where facts came from use it)."""
    base = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    clean = _UNSAFE.sub("_", base).strip("._") or "upload"
    extension = _UNSAFE.sub("", base.rsplit(".", 1)[1])[:10] if "." in base else ""
    if extension and "." not in clean:
        clean += "." + extension
    return clean[-120:]


def import_bytes(ctx: WebContext, upload: PendingUpload, *, dry_run: bool) -> Any:
    """Run :meth:`Network.import_file` over uploaded bytes (never a path from the user)."""
    with tempfile.TemporaryDirectory(prefix="netfolio-upload-") as folder:
        path = Path(folder) / safe_name(upload.name)
        path.write_bytes(upload.data)
        return ctx.net.import_file(path, upload.format, dry_run=dry_run)


def _formats() -> list[tuple[str, str]]:
    from netfolio.io.formats import FORMATS

    return [(key, module.LABEL) for key, module in FORMATS.items()]


def _page(request: Request, ctx: WebContext, status_code: int = 200,
          **extra: Any) -> HTMLResponse:
    context = {
        "formats": _formats(),
        "history": ctx.net.import_history(limit=8),
        "duplicates": ctx.net.duplicates(),
        "limit_mb": ctx.max_upload_bytes // (1024 * 1024),
        "report": None, "token": None, "done": False,
        **extra,
    }
    return render(request, "import.html", context, status_code=status_code)


@router.get("/import", response_class=HTMLResponse, name="import")
def import_page(request: Request, ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    return _page(request, ctx)


@router.post("/import", response_class=HTMLResponse, name="import_upload")
async def upload(request: Request, file: UploadFile = File(...), format: str = Form(""),
                 ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    try:
        data = await file.read(ctx.max_upload_bytes + 1)
        if len(data) > ctx.max_upload_bytes:
            raise ValidationError(
                f"the file is larger than {ctx.max_upload_bytes // 2**20} MB")
        if not data:
            raise ImportError_("the file is empty", file=safe_name(file.filename))
        if format and format not in dict(_formats()):
            raise ValidationError(f"{format!r} is not an import format")
        pending = PendingUpload(name=safe_name(file.filename), data=data,
                                format=format or None)
        report = await run_in_threadpool(import_bytes, ctx, pending, dry_run=True)
    except NetfolioError as exc:  # the upload form again, the reason beside it
        return _page(request, ctx, status_code=422, error=str(exc),
                     file_name=safe_name(file.filename), chosen=format)
    token = ctx.uploads.add(pending)
    return _page(request, ctx, report=report, token=token, file_name=pending.name)


@router.post("/import/confirm", name="import_confirm")
async def confirm(request: Request, token: str = Form(..., max_length=100),
                  ctx: WebContext = Depends(get_ctx)) -> Response:
    pending = ctx.uploads.pop(token)
    if pending is None:
        raise ValidationError("that upload has expired: upload the file again")
    report = await run_in_threadpool(import_bytes, ctx, pending, dry_run=False)
    ctx.wrote()
    return _page(request, ctx, report=report, done=True, file_name=pending.name)


@router.post("/import/undo", name="import_undo")
def undo(request: Request, ctx: WebContext = Depends(get_ctx)) -> Response:
    result = ctx.net.import_undo()
    ctx.wrote()
    return redirect("/import", (
        f"Undid the import of {result.run.file_name}: {result.people_removed} people and "
        f"{result.interactions_removed} interactions removed."), request)


@router.post("/duplicates/{duplicate_id}", name="duplicate_resolve")
def resolve(request: Request, duplicate_id: Id, action: str = Form(...),
            keep: int | None = Form(None, ge=1, le=MAX_ID),
            ctx: WebContext = Depends(get_ctx)) -> Response:
    kept = ctx.net.resolve_duplicate(duplicate_id, action, keep=keep)
    ctx.wrote()
    message = f"Merged into {kept.display_name}." if kept else "Marked as different people."
    return redirect("/import#duplicates", message, request)
