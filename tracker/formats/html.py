"""HTML: the shareable report as one self-contained file (inline CSS and SVG, no scripts)."""

from __future__ import annotations

from typing import IO, Any

from tracker.render import made_visible


def document(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import report_doc

    out.write(report_doc.html(result.data))


# Text from the data made safe to show (render.visible_result), here for every result.
RENDERERS = made_visible({"document": document})
