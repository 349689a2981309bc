"""The HTML report in a real browser: Debian's headless chromium loads the file, and the
test checks what it parsed (the DOM), what it drew (a screenshot) and what it prints
(a PDF). Skipped, saying why, where no chromium is installed."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import MINIMAL_MANDATE
from test_report_doc import HOSTILE


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.slow,  # a real browser per test: out of the everyday `pytest -m "not slow"`
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no chromium browser found (on Debian: apt-get install chromium); "
        "the HTML report is then checked only as text, in test_report_doc.py",
    ),
]


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless chromium on a local file, with no profile, sync or network chatter."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
        page.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def write_report(tracker, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / "report.html"
    result = tracker("report", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def text_of(dom: str) -> str:
    """The text a reader sees, roughly: tags dropped, whitespace folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


def test_browser_parses_the_whole_report(tracker, tmp_path):
    dom = chromium(tmp_path, write_report(tracker, tmp_path / "out"), "--dump-dom").stdout
    shown = text_of(dom)
    assert "Coverage report: Independent Expert on human rights and international solidarity" in (
        shown
    )
    assert re.findall(r"<h2>([^<]*)</h2>", dom) == [
        "Coverage",
        "Gaps",
        "What the resolutions asked",
        "The wider record",
        "From visit to follow-up",
        "Timeline",
        "Visits",
    ]
    coverage = dom[dom.index('<table class="coverage">') : dom.index("</table>")]
    assert coverage.count('<tr class="') == 19  # one row per theme, none pushed out
    # global citizenship, cities; Rizki's two areas of focus, which A/HRC/15/32 set; and, judged
    # in Okafor's term, civil society, South-South cooperation, technology and innovation
    assert coverage.count('class="status gap"') == 7
    assert "No completed visit recorded: Eastern European Group (EEG)." in shown
    assert "rizki Rudi Muhammad Rizki appointed 2005-07-29, start not recorded – 2011" in shown
    svg = dom[dom.index("<svg") : dom.index("</svg>")]
    assert svg.count("<circle") == 8  # the eight country visits
    assert "<script" not in dom


def test_browser_shows_hostile_text_as_text(make_data, tracker_for, tmp_path):
    mandate = MINIMAL_MANDATE.replace('name = "First Holder"', 'name = "First <b>Holder</b>"')
    tracker = tracker_for(make_data(mandate, themes=HOSTILE))
    dom = chromium(tmp_path, write_report(tracker, tmp_path / "out"), "--dump-dom").stdout
    assert "<script" not in dom and "<img" not in dom and "<b>" not in dom
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in dom
    assert "First &lt;b&gt;Holder&lt;/b&gt;" in dom


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of a non-interlaced 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    rows: list[bytes] = []
    previous = bytearray(width * step)
    stride = width * step + 1
    for y in range(height):
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1 : (y + 1) * stride])
        unfilter(kind, line, previous, step)
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r) if step == 3 else drop_alpha(r) for r in rows]


def unfilter(kind: int, line: bytearray, above: bytearray, step: int) -> None:
    for i in range(len(line)):
        left = line[i - step] if i >= step else 0
        up = above[i]
        corner = above[i - step] if i >= step else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            guess = left + up - corner
            a, b, c = abs(guess - left), abs(guess - up), abs(guess - corner)
            nearest = left if a <= b and a <= c else up if b <= c else corner
            line[i] = (line[i] + nearest) & 0xFF


def drop_alpha(row: bytes) -> bytes:
    return b"".join(row[i : i + 3] for i in range(0, len(row), 4))


def count_colour(rows: list[bytes], rgb: tuple[int, int, int]) -> int:
    wanted = bytes(rgb)
    return sum(1 for row in rows for i in range(0, len(row), 3) if row[i : i + 3] == wanted)


def test_browser_draws_the_coverage_colours(tracker, tmp_path):
    page = write_report(tracker, tmp_path / "out")
    shot = tmp_path / "shot.png"
    # Tall enough for the first touched row (taxation, the 11th theme).
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1200,2200")
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 2200)
    # The inline CSS took effect: status cells are filled with their colours.
    assert count_colour(rows, (0xDA, 0xFB, 0xE1)) > 5000  # addressed (light green)
    assert count_colour(rows, (0xFF, 0xD8, 0xD3)) > 1000  # gap (light red)
    assert count_colour(rows, (0xFF, 0xF1, 0xC2)) > 500  # touched (light yellow)


def test_browser_draws_the_timeline(tracker, tmp_path):
    """The report's inline SVG, opened on its own, is well-formed and draws its markers."""
    report = write_report(tracker, tmp_path / "out").read_text(encoding="utf-8")
    drawing = tmp_path / "out" / "timeline.svg"
    drawing.write_text(report[report.index("<svg") : report.index("</svg>") + 6], "utf-8")
    shot = tmp_path / "timeline.png"
    chromium(tmp_path, drawing, f"--screenshot={shot}", "--window-size=1000,260")
    _, _, rows = png_pixels(shot.read_bytes())
    assert count_colour(rows, (0x1A, 0x7F, 0x37)) > 8 * 20  # eight visit circles
    assert count_colour(rows, (0x82, 0x50, 0xDF)) > 3 * 20  # resolutions dated to the day
    white = count_colour(rows, (0xFF, 0xFF, 0xFF))
    assert white < 0.95 * 1000 * 260  # the term bands and grid are drawn too


def test_browser_prints_on_a4_landscape(tracker, tmp_path):
    pdf = tmp_path / "report.pdf"
    page = write_report(tracker, tmp_path / "out")
    chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 3  # coverage, gaps and timeline each start a page
    boxes = {
        tuple(round(float(n)) for n in box.split())
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)
    }
    assert boxes == {(0, 0, 842, 595)}  # A4, landscape


def test_browser_draws_the_visit_charts_and_a_section_per_holder(tracker, tmp_path):
    """Issue 15: visits by holder and year and the regional balance as SVG charts drawn from
    the data, a visits section per holder, links wherever a symbol or URL appears. The
    screenshot stays in the test's output folder (out/visits.png) for a person to look at."""
    out = tmp_path / "out"
    report = write_report(tracker, out).read_text(encoding="utf-8")
    start = report.index('<section id="visits">')
    section = report[start : report.index("</section>", start) + len("</section>")]
    page = out / "visits.html"
    page.write_text(report[: report.index("<body>") + 6] + section + "</body></html>", "utf-8")
    shot = out / "visits.png"
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1200,1400")
    _, _, rows = png_pixels(shot.read_bytes())
    # Bars in the holders' colours (Dandan orange, Okafor green), and the balance in blue.
    assert count_colour(rows, (0xF2, 0x8E, 0x2B)) > 4 * 1000  # Dandan's four visits
    assert count_colour(rows, (0x59, 0xA1, 0x4F)) > 4 * 1000  # Okafor's four visits
    assert count_colour(rows, (0x09, 0x69, 0xDA)) > 2000  # shares of visits by group
    dom = chromium(tmp_path, page, "--dump-dom").stdout
    shown = text_of(dom)
    for heading in ("Rudi Muhammad Rizki (", "Virginia B. Dandan (", "Obiora Chinedu Okafor ("):
        assert heading in shown
    assert "No country visit or request recorded." in shown  # Rizki
    assert '<a href="https://docs.un.org/en/A/HRC/32/43/Add.1">A/HRC/32/43/Add.1</a>' in dom
    assert '<a href="https://www.ohchr.org/en/special-procedures/' in dom
    assert "Morocco" in shown and "Asia-Pacific Group" in shown
