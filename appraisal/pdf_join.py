"""A long PDF made in chunks (issue 12, point 5): each chunk of items is rendered on its own by
appraisal.pdf.render_pdf and written to a temporary file, then the chunk files are joined
with pypdf into one file. WeasyPrint holds the whole layout of what it renders in memory, so
rendering 300 forms at once raised a worker to 523 MB; in chunks the layout in memory is at
most one chunk's, whatever the number of pages.

Chunk boundaries fall between items (forms), never inside one. With `separate=True` each item
of a chunk is laid out as a document of its own (appraisal.pdf.render_forms), so every form's
footer («стр. N из M») counts that form's pages, as on a form printed alone; otherwise a
chunk is one document and its footer counts the chunk's pages.
"""

import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

from appraisal import pdf

DEFAULT_CHUNK = 50


def chunks(items: Sequence, size: int) -> list[Sequence]:
    if size < 1:
        raise ValueError("a chunk holds at least one item")
    return [items[start:start + size] for start in range(0, len(items), size)]


def join_pdf_files(paths: Sequence[Path], target: Path) -> None:
    """Concatenate PDF files page by page into `target`."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    try:
        for path in paths:
            writer.append(str(path))
        with open(target, "wb") as handle:
            writer.write(handle)
    finally:
        writer.close()


def render_in_chunks(template_name: str, items: Sequence, context_for: Callable[[Sequence], dict], *,
                     chunk_size: int = DEFAULT_CHUNK, separate: bool = False,
                     progress: Callable[[int, int], None] | None = None) -> Path:
    """Render `template_name` once per chunk of `items` (with `context_for(chunk)`) and join the
    chunks; returns the path of a new temporary PDF file, which the caller removes.
    `progress(done, total)` is told after each chunk, in items."""
    total = len(items)
    folder = Path(tempfile.mkdtemp(prefix="bagalau-pdf-"))
    parts: list[Path] = []
    handle, target_name = tempfile.mkstemp(prefix="bagalau-", suffix=".pdf")
    os.close(handle)
    target = Path(target_name)
    try:
        done = 0
        for number, chunk in enumerate(chunks(items, chunk_size) or [items]):
            part = folder / f"part-{number:05d}.pdf"
            if separate:
                part.write_bytes(pdf.render_forms(template_name, [context_for(chunk[i:i + 1])
                                                                  for i in range(len(chunk))]))
            else:
                part.write_bytes(pdf.render_pdf(template_name, context_for(chunk)))
            parts.append(part)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        if len(parts) == 1:
            os.replace(parts[0], target)
        else:
            join_pdf_files(parts, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
        with suppress(OSError):
            folder.rmdir()
    return target
