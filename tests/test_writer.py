"""The writer: canonical layout, comments, round trip, fmt, validation before any write."""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracker import sources, writer
from tracker.dates import try_parse
from tracker.model import FILES, KINDS, DataSet
from tracker.validate import validate

TODAY = dt.date(2026, 11, 23)


# --- helpers --------------------------------------------------------------------------


def normalized_value(kind: str, name: str, value: Any) -> Any:
    """A value as the writer means it: dates compared by what they say, not how written."""
    spec = KINDS[kind].field(name)
    if spec is not None and spec.type == "date":
        parsed = try_parse(value)
        return str(parsed) if parsed else value
    if name == "history" and isinstance(value, list):
        return [{**entry, "date": str(try_parse(entry["date"]))} for entry in value]
    return value


def normalized(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {name: normalized_value(kind, name, value) for name, value in data.items()}


def records_of(dataset: DataSet) -> dict[str, list[dict[str, Any]]]:
    return {kind: [normalized(kind, r.data) for r in dataset.of(kind)] for kind in KINDS}


def load_ok(folder: Path) -> DataSet:
    dataset, problems = sources.load(folder)
    assert problems == []
    return dataset


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        name: ((folder / name).read_bytes(), (folder / name).stat().st_mtime_ns) for name in FILES
    }


def canonical_texts(folder: Path, header: str = "") -> dict[str, str]:
    dataset = load_ok(folder)
    return {
        name: writer.file_text(name, writer.records_by_kind(dataset, name), header)
        for name in FILES
    }


# --- layout ---------------------------------------------------------------------------


def test_record_layout_keys_in_model_order_dates_and_sub_tables_last():
    visit = {
        "note": "Invented.",
        "history": [
            {"status": "requested", "date": "2024-03"},
            {"note": "By letter.", "status": "accepted", "date": "2025-02-10"},
        ],
        "status": "accepted",
        "country": "CHL",
        "holder": "bailliet",
        "start": "2025-11",
        "id": "chl-2025",
        "themes": ["peace", "corporations"],
        "source": "A/HRC/00/00",
    }
    assert writer.record_text("visit", visit) == textwrap.dedent(
        """\
        [[visit]]
        id = "chl-2025"
        holder = "bailliet"
        country = "CHL"
        status = "accepted"
        start = "2025-11"
        themes = ["peace", "corporations"]
        source = "A/HRC/00/00"
        note = "Invented."

        [[visit.history]]
        date = "2024-03"
        status = "requested"

        [[visit.history]]
        date = 2025-02-10
        status = "accepted"
        note = "By letter."
        """
    )


def test_resolution_vote_table_and_long_lists_one_item_a_line():
    codes = sorted(f"A{a}{b}" for a in "BCD" for b in "FGHIJ")  # 15 made-up codes
    resolution = {
        "vote": {"abstain": 3, "yes": codes, "no": ["AUS"]},
        "symbol": "A/HRC/RES/44/11",
        "adopted": dt.date(2020, 7, 16),
        "term_years": 3,
    }
    text = writer.record_text("resolution", resolution)
    assert text.startswith(
        '[[resolution]]\nsymbol = "A/HRC/RES/44/11"\nadopted = 2020-07-16\nterm_years = 3\n\n'
        '[resolution.vote]\nyes = [\n    "ABF",\n    "ABG",\n'
    )
    assert text.endswith('    "ADJ",\n]\nno = ["AUS"]\nabstain = 3\n')


def test_strings_are_escaped_by_tomli_w():
    text = writer.record_text("theme", {"id": "x", "title": 'a "quoted" # not a comment\nline'})
    assert 'title = "a \\"quoted\\" # not a comment\\nline"' in text
    assert writer.comments(text) == []


def test_empty_history_and_vote_survive():
    visit = writer.record_text("visit", {"id": "a", "history": []})
    assert visit == '[[visit]]\nid = "a"\nhistory = []\n'
    resolution = writer.record_text("resolution", {"symbol": "A/RES/1/1", "vote": {}})
    assert resolution == '[[resolution]]\nsymbol = "A/RES/1/1"\n\n[resolution.vote]\n'


def test_record_order_within_kinds():
    records = {
        "theme": [{"id": "b"}, {"id": "a"}],  # themes keep their order: it is meaningful
        "report": [
            {"symbol": "A/HRC/2/1", "year": 2020, "session": 44},
            {"symbol": "A/75/1", "year": 2020, "session": 75},
            {"id": "undated-symbol", "date": dt.date(2019, 3, 1)},
            {"symbol": "A/HRC/1/1", "year": 2020},
        ],
    }
    text = writer.file_text("themes.toml", records, "# header")
    keys = [line.split(" = ")[1] for line in text.splitlines() if line.startswith(("id", "sym"))]
    assert keys == [
        '"b"',
        '"a"',
        '"undated-symbol"',
        '"A/HRC/1/1"',
        '"A/HRC/2/1"',
        '"A/75/1"',
    ]
    assert text.startswith("# header\n\n[[theme]]\n")


def test_visits_sorted_by_start_undated_last_then_id():
    records = {
        "visit": [
            {"id": "z", "start": "2020"},
            {"id": "request"},
            {"id": "a", "start": dt.date(2020, 5, 1)},
            {"id": "b", "start": "2020"},
        ]
    }
    text = writer.file_text("visits.toml", records, "")
    assert [line for line in text.splitlines() if line.startswith("id")] == [
        'id = "b"',
        'id = "z"',
        'id = "a"',
        'id = "request"',
    ]


# --- comments -------------------------------------------------------------------------


def test_comments_are_found_outside_strings_only():
    text = textwrap.dedent(
        '''\
        # header
        # more header

        [[theme]]  # trailing
        id = "a#b"
        title = 'c#d'
        note = """e
        # not a comment
        """
        # a real one
        source = "s \\" # still a string"
        '''
    )
    assert writer.comments(text) == [
        (1, "# header"),
        (2, "# more header"),
        (4, "# trailing"),
        (10, "# a real one"),
    ]
    assert writer.header_block(text) == ("# header\n# more header", 3)
    assert writer.stray_comments(text) == [(4, "# trailing"), (10, "# a real one")]


# --- round trip -----------------------------------------------------------------------

SLUG = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3}){0,2}", fullmatch=True)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda s: bool(s.strip())
)
CODES = ("ARG", "BRA", "CHL", "KEN", "NLD", "NGA", "QAT", "SWE", "PHL", "IDN")


@st.composite
def partial_dates(draw: st.DrawFn, first: int, last: int) -> Any:
    day = draw(st.dates(dt.date(first, 1, 1), dt.date(last, 12, 31)))
    form = draw(st.sampled_from(["date", "day text", "month", "year"]))
    return {
        "date": day,
        "day text": day.isoformat(),
        "month": day.isoformat()[:7],
        "year": str(day.year),
    }[form]


def optional(draw: st.DrawFn, data: dict[str, Any], name: str, strategy: Any) -> None:
    if draw(st.booleans()):
        data[name] = draw(strategy)


@st.composite
def data_sets(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """Valid data sets of every kind, with awkward text, partial dates, empty lists."""
    records: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    mandate_ids = draw(st.lists(SLUG, min_size=1, max_size=2, unique=True))
    for mandate in mandate_ids:
        data = {"id": mandate, "title": draw(TEXT), "source": draw(TEXT)}
        data["established"] = draw(partial_dates(1980, 1989))
        data["established_by"] = "E/CN.4/RES/1985/1"
        optional(draw, data, "note", TEXT)
        records["mandate"].append(data)
    holder_ids = draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))
    for holder in holder_ids:
        data = {"id": holder, "mandate": draw(st.sampled_from(mandate_ids)), "name": draw(TEXT)}
        data["start"] = draw(partial_dates(1990, 2000))
        optional(draw, data, "end", partial_dates(2016, 2020))
        optional(draw, data, "nationality", st.sampled_from(CODES))
        data["source"] = draw(TEXT)
        records["holder"].append(data)
    for symbol in draw(
        st.lists(st.from_regex(r"A/HRC/RES/[1-9][0-9]?/[1-9]", fullmatch=True), unique=True)
    ):
        data = {"symbol": symbol, "mandate": draw(st.sampled_from(mandate_ids))}
        data |= {"body": draw(st.sampled_from(["CHR", "HRC", "GA"]))}
        data |= {"adopted": draw(partial_dates(1985, 2025)), "source": draw(TEXT)}
        data["action"] = draw(st.sampled_from(["establishment", "renewal", "other"]))
        optional(draw, data, "term_years", st.integers(0, 10))
        optional(draw, data, "vote", votes())
        records["resolution"].append(data)
    theme_ids = draw(st.lists(SLUG, max_size=4, unique=True))
    for theme in theme_ids:
        data = {"id": theme, "mandate": draw(st.sampled_from(mandate_ids)), "title": draw(TEXT)}
        optional(draw, data, "set_by", st.sampled_from(holder_ids))
        optional(draw, data, "set_in", st.from_regex(r"A/HRC/[1-9]{2}/[1-9]", fullmatch=True))
        data["source"] = draw(TEXT)
        optional(draw, data, "note", TEXT)
        records["theme"].append(data)
    symbols = []
    for key in draw(
        st.lists(
            st.one_of(SLUG, st.from_regex(r"A/[1-9]{2}/[1-9]{1,3}", fullmatch=True)),
            max_size=4,
            unique=True,
        )
    ):
        data = {"symbol" if "/" in key else "id": key}
        if "/" in key:
            symbols.append(key)
        data |= {
            "holder": draw(st.sampled_from(holder_ids)),
            "body": draw(st.sampled_from(["HRC", "GA"])),
        }
        optional(draw, data, "session", st.integers(0, 80))
        if draw(st.booleans()):
            data["date"] = draw(partial_dates(1950, 2100))
        else:
            data["year"] = draw(st.integers(1945, 2200))
        data["kind"] = draw(
            st.sampled_from(["thematic", "visit", "annual", "overview", "declaration"])
        )
        data["title"] = draw(TEXT)
        optional(
            draw,
            data,
            "themes",
            st.lists(st.sampled_from(theme_ids), unique=True) if theme_ids else st.just([]),
        )
        optional(draw, data, "summary", TEXT)
        data["source"] = draw(TEXT)
        records["report"].append(data)
    for _ in range(draw(st.integers(0, 4))):
        records["visit"].append(draw(visits(holder_ids, theme_ids, symbols)))
    return records


@st.composite
def votes(draw: st.DrawFn) -> dict[str, Any]:
    codes = draw(st.permutations(CODES))
    vote: dict[str, Any] = {}
    for index, choice in enumerate(("yes", "no", "abstain")):
        if draw(st.booleans()):
            vote[choice] = (
                draw(st.integers(0, 50))
                if draw(st.booleans())
                else sorted(codes[index * 3 : index * 3 + draw(st.integers(0, 3))])
            )
    return vote


@st.composite
def visits(
    draw: st.DrawFn, holders: list[str], themes: list[str], reports: list[str]
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    optional(draw, data, "id", SLUG)
    data["holder"] = draw(st.sampled_from(holders))
    data["country"] = draw(st.sampled_from(CODES))
    history = sorted(
        draw(st.lists(partial_dates(2001, 2015), max_size=3)),
        key=lambda d: try_parse(d).earliest(),  # type: ignore[union-attr]
    )
    statuses = ["requested", "accepted", "postponed", "completed", "declined"]
    entries = [{"date": d, "status": draw(st.sampled_from(statuses))} for d in history]
    for entry in entries:
        optional(draw, entry, "note", TEXT)
    data["status"] = entries[-1]["status"] if entries else draw(st.sampled_from(statuses))
    if data["status"] == "completed" or draw(st.booleans()):
        data["start"] = draw(partial_dates(2001, 2015))
    if reports:
        optional(draw, data, "report", st.sampled_from(reports))
    optional(
        draw,
        data,
        "themes",
        st.lists(st.sampled_from(themes), unique=True) if themes else st.just([]),
    )
    optional(draw, data, "places", st.lists(TEXT, max_size=3))
    data["source"] = draw(TEXT)
    optional(draw, data, "note", TEXT)
    if entries or draw(st.booleans()):
        data["history"] = entries
    if "id" not in data and "start" not in data and not entries:
        data["id"] = draw(SLUG)
    return data


def write_plain(folder: Path, records: dict[str, list[dict[str, Any]]]) -> None:
    """Write records the way tomli-w lays them out on its own: not canonical."""
    for name, kinds in FILES.items():
        document = {kind: records[kind] for kind in kinds if records[kind]}
        (folder / name).write_text(tomli_w.dumps(document), encoding="utf-8")


@given(data_sets())
@pytest.mark.slow  # 150 generated data sets, each written, read and formatted
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_round_trip_and_fmt_idempotent_for_any_valid_data_set(records):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_plain(folder, records)
        dataset = load_ok(folder)
        errors = [p for p in validate(dataset, TODAY) if p.is_error]
        assume(not errors)  # e.g. two visits whose derived ids collide
        texts = canonical_texts(folder, header="# Test data.\n# Second line.")
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        reloaded = load_ok(folder)
        before, after = records_of(dataset), records_of(reloaded)
        for kind in KINDS:
            key = KINDS[kind].key
            assert sorted(after[kind], key=lambda d: str(d.get(key) or d)) == sorted(
                before[kind], key=lambda d: str(d.get(key) or d)
            )
        assert [r.key for r in reloaded.of("theme")] == [r.key for r in dataset.of("theme")]
        assert canonical_texts(folder, header="# Test data.\n# Second line.") == texts
        assert writer.not_canonical(folder) == []
        for text in texts.values():
            assert writer.stray_comments(text) == []


# --- fmt and refusals through the CLI -------------------------------------------------


def test_fmt_on_shipped_data_keeps_every_record_and_header(tracker, shipped):
    before = records_of(load_ok(shipped))
    headers = {n: writer.header_block((shipped / n).read_text())[0] for n in FILES}
    first = tracker("fmt")
    assert first.exit_code == 0, first.output
    assert tracker("fmt", "--check").exit_code == 0
    after = records_of(load_ok(shipped))
    for kind in KINDS:
        assert sorted(map(repr, after[kind])) == sorted(map(repr, before[kind]))
    for name in FILES:
        assert writer.header_block((shipped / name).read_text())[0] == headers[name]
        assert headers[name].startswith("# ")
    again = tracker("fmt")
    assert again.exit_code == 0
    assert "All data files are already in canonical layout." in again.stdout


MESSY = """\
# Hand-written visits.

[[visit]]
source   =   "A/HRC/20/1/Add.1"
status = "completed"
id="ken-2012"
end = "2012-03-05"
start = 2012-03-01
holder = "first"
country = "KEN"
history = [ { date = "2011", status = "requested" }, { status = "completed", date = "2012-03-05" } ]
"""


def test_fmt_check_then_fmt_a_messy_file(make_data, tracker_for):
    folder = make_data(visits=MESSY)
    run = tracker_for(folder)
    check = run("fmt", "--check")
    assert check.exit_code == 1
    assert check.stdout.endswith("visits.toml: not in canonical layout (run `tracker fmt`)\n")
    dry = run("fmt", "--dry-run")
    assert dry.exit_code == 0
    assert (folder / "visits.toml").read_text() == MESSY
    assert '-history = [ { date = "2011", status = "requested" }' in dry.stdout
    assert run("fmt").exit_code == 0
    assert (folder / "visits.toml").read_text() == textwrap.dedent(
        """\
        # Hand-written visits.

        [[visit]]
        id = "ken-2012"
        holder = "first"
        country = "KEN"
        status = "completed"
        start = 2012-03-01
        end = 2012-03-05
        source = "A/HRC/20/1/Add.1"

        [[visit.history]]
        date = "2011"
        status = "requested"

        [[visit.history]]
        date = 2012-03-05
        status = "completed"
        """
    )
    assert run("fmt", "--check").exit_code == 0


def test_a_write_that_would_drop_a_comment_refuses_naming_the_line(make_data, tracker_for):
    visits = MESSY.replace('status = "completed"\n', 'status = "completed"  # confirmed?\n', 1)
    folder = make_data(visits=visits)
    before = snapshot(folder)
    run = tracker_for(folder)
    result = run("update", "visit", "ken-2012", "--note", "Invented.")
    assert result.exit_code == 1
    assert "visits.toml:5: # confirmed?" in result.stderr
    assert "Move their text into the record's `note` field" in result.stderr
    check = run("fmt", "--check")
    assert check.exit_code == 1
    assert "visits.toml:5: comment outside the leading block" in check.stdout
    assert run("fmt").exit_code == 1
    assert snapshot(folder) == before
    # A write to another file does not touch visits.toml, so its comment is no obstacle.
    added = run("add", "theme", "--id", "water", "--title", "Water", "--source", "A/1/1")
    assert added.exit_code == 0, added.output
    assert snapshot(folder)["visits.toml"] == before["visits.toml"]


def test_failed_validation_leaves_every_file_untouched(tracker, shipped):
    before = snapshot(shipped)
    result = tracker(
        "add", "visit", "--holder", "rizki", "--country", "NLD", "--status", "completed",
        "--start", "2019-05-01", "--source", "A/1/1",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "visit 'nld-2019' field 'start': 2019-05-01 is after rizki's term ended (2011)" in (
        result.stderr
    )
    assert "Nothing was written: the change would leave 1 error(s)." in result.stderr
    assert snapshot(shipped) == before
    assert not list(shipped.glob(".*.tmp"))


def test_a_write_keeps_the_leading_comment_block(tracker, shipped):
    header = writer.header_block((shipped / "themes.toml").read_text())[0]
    result = tracker("link", "A/HRC/62/38", "civil-society")
    assert result.exit_code == 0, result.output
    text = (shipped / "themes.toml").read_text()
    assert text.startswith(header + "\n\n[[theme]]\n")
    assert 'themes = ["peace", "civil-society"]' in text


def test_dry_run_prints_a_diff_and_writes_nothing(tracker, shipped):
    before = snapshot(shipped)
    result = tracker("update", "holder", "bailliet", "--end", "2026-10", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        f"--- a/{str(shipped / 'mandate.toml').lstrip('/')}",
        f"+++ b/{str(shipped / 'mandate.toml').lstrip('/')}",
    ]
    assert '+end = "2026-10"' in result.stdout
    assert "Dry run: nothing was written." in result.stderr
    assert snapshot(shipped) == before


def test_the_shipped_package_data_is_not_edited_in_place(monkeypatch, tmp_path):
    from tracker.paths import Settings
    from tracker.problems import TrackerError

    monkeypatch.setattr(writer, "PACKAGE_DIR", tmp_path)
    (tmp_path / "shipped_data").mkdir()
    settings_ = Settings(tmp_path / "shipped_data", tmp_path / "x.db")
    try:
        writer.writable_folder(settings_)
    except TrackerError as error:
        assert "not edited in place" in str(error)
    else:
        raise AssertionError("expected a refusal")


def test_fmt_refuses_invalid_data_even_when_the_layout_is_canonical(tracker, shipped):
    visits = shipped / "visits.toml"
    text = visits.read_text(encoding="utf-8")
    visits.write_text(text.replace('holder = "okafor"', 'holder = "nobody"', 1), encoding="utf-8")
    assert tracker("fmt", "--check").exit_code == 0  # the layout is fine
    result = tracker("fmt")
    assert result.exit_code == 1
    assert "field 'holder': no holder 'nobody'" in result.output
