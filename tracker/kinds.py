"""Every kind of record, declared once.

A kind's declaration says where its records live (file, table), what names a record
(its key), each field (type, whether required, its column header when listed, whether
searched, what it links to, its meaning) and the rules that relate its fields. Every
other module derives what it needs from here:

- the loader and the validator (tracker/sources.py, tracker/validate.py): files, fields,
  types, choices, references, `one_of` pairs and the named `rules`;
- the writer's canonical layout (tracker/writer.py): key order and `order`;
- the store (tracker/store.py): one table per kind (scalar fields as columns), one link
  table per list of references (`<kind>_<target>`), one table per list of sub-records
  (`<kind>_<field>`), their foreign keys, indexes and row builders;
- the search index (tracker/search.py): `searched` fields, references as names;
- the Datasette views and metadata, `init`'s file headers, the JSON/CSV columns, the
  list commands, `show`, completion, `add`/`update`/`remove`, and the field tables of
  docs/data-format.md (scripts/gen_data_docs.py).

To add a kind, append a Kind to KINDS below. To add a field, add a Field to its kind.
Plain classes (tracker/plain.py), so that the read path pays little to import this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.constants import (
    COMMUNICATION_TYPES,
    ENGAGEMENT_KINDS,
    RECOMMENDATION_TYPES,
    REPORT_BODIES,
    REPORT_KINDS,
    REQUEST_ASKS,
    RESOLUTION_ACTIONS,
    RESOLUTION_BODIES,
    VISIT_STATUSES,
)
from tracker.plain import Plain

# Field types: text, slug (an id), int, date (any precision), iso3 (a country), symbol
# (a UN document symbol), enum (one of `choices`), list (of text), slugs (a list of ids of
# `refers_to`), dates (a list of dates), records (a list of sub-records with their own
# `fields`), vote (the resolution's vote table).
SCALAR_TYPES = ("text", "slug", "int", "date", "iso3", "symbol", "enum")


class Field(Plain):
    """One field of a record kind."""

    __slots__ = (
        "choices",
        "default_from",
        "fields",
        "help",
        "indexed",
        "name",
        "refers_to",
        "required",
        "searched",
        "shown",
        "type",
    )

    def __init__(
        self,
        name: str,
        type: str,
        required: bool = False,
        choices: tuple[str, ...] = (),
        # The kind whose key this field holds (one, or a list for `slugs`).
        refers_to: str | None = None,
        # What the field means: --help of add/update, docs/data-format.md, Datasette.
        help: str = "",
        # The column header when the kind is listed as a table (None: not a column).
        shown: str | None = None,
        # Where the search index puts the field: "title", "text" or "tags" (None: not
        # searched).
        searched: str | None = None,
        # The sub-records' fields of a `records` field.
        fields: tuple[Field, ...] = (),
        # Whether the store indexes the column (for the filters and joins that use it).
        indexed: bool = False,
        # The field whose value the store (and so every list) gives when this one is absent.
        default_from: str | None = None,
    ) -> None:
        self.name, self.type, self.required, self.choices = name, type, required, choices
        self.refers_to, self.help, self.shown, self.searched = refers_to, help, shown, searched
        self.fields, self.indexed, self.default_from = fields, indexed, default_from


class Kind(Plain):
    """One kind of record: a [[name]] table of `file`, a table of the store."""

    __slots__ = (
        "about",
        "any_of",
        "default_key",
        "fields",
        "file",
        "key",
        "label",
        "name",
        "numbered",
        "one_of",
        "order",
        "plural",
        "rules",
        "search_title",
        "title",
    )

    def __init__(
        self,
        name: str,
        file: str,
        # The field that names a record; "a|b": the first of the two a record has.
        key: str,
        fields: tuple[Field, ...],
        plural: str,
        # Title of the kind's list (and of its list command's output).
        title: str,
        # One line on what the records are: init's file header, Datasette, the docs.
        about: str,
        # The order records are listed and written in: field names ("a|b": the first
        # present), records missing a value last, then by key. Empty: the file's order.
        order: tuple[str, ...] = (),
        # The fields that name a record for people (completion, Datasette's label column).
        label: tuple[str, ...] = (),
        # Pairs of fields of which a record holds exactly one or the other.
        one_of: tuple[tuple[str, str], ...] = (),
        # Pairs of fields of which a record holds at least one (a holder's start, or
        # appointment).
        any_of: tuple[tuple[str, str], ...] = (),
        # Cross-field rules this kind obeys, by name (tracker/validate.py RULES).
        rules: tuple[str, ...] = (),
        # The key of a record that gives none (e.g. a visit's `<iso3>-<year>`).
        default_key: Callable[[dict[str, Any]], str | None] | None = None,
        # A column the store numbers the records by, in listing order ("position").
        numbered: str | None = None,
        # The text of a record's search title, when it is not its `title` field:
        # a str.format pattern over the record's columns.
        search_title: str = "",
    ) -> None:
        self.name, self.file, self.key, self.fields = name, file, key, fields
        self.plural, self.title, self.about, self.order = plural, title, about, order
        self.label, self.one_of, self.any_of, self.rules = label, one_of, any_of, rules
        self.default_key, self.numbered, self.search_title = default_key, numbered, search_title

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def country_fields(self) -> tuple[str, ...]:
        """The fields holding a country code, each read with the country's name beside it."""
        return tuple(f.name for f in self.fields if f.type == "iso3")

    @property
    def table(self) -> str:
        return self.name

    @property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(self.key.split("|"))

    @property
    def key_column(self) -> str:
        """The store column holding the key: the key field, or `key` for "a|b" keys."""
        return "key" if "|" in self.key else self.key

    def key_of(self, data: dict[str, Any]) -> str:
        for name in self.key_fields:
            value = data.get(name)
            if value:
                return str(value)
        if self.default_key is not None:
            return self.default_key(data) or ""
        return ""


def default_visit_id(data: dict[str, Any]) -> str | None:
    """`<iso3>-<year>` from the visit's start, else from its first history entry."""
    from tracker.dates import try_parse

    country = data.get("country")
    if not isinstance(country, str) or not country:
        return None
    when = try_parse(data.get("start"))
    history = data.get("history")
    if when is None and isinstance(history, list) and history and isinstance(history[0], dict):
        when = try_parse(history[0].get("date"))
    if when is None:
        return None
    return f"{country.lower()}-{when.year}"


def report_date(report: Any) -> Any:
    """A report's date (a dates.PartialDate): its `date`, else its `year` (a report has
    one of the two). Every view that dates or counts a report by year uses this, or the
    same rule in SQL (report_year_sql)."""
    from tracker.dates import PartialDate, try_parse

    date, year = _value(report, "date"), _value(report, "year")
    when = try_parse(date) if date else None
    if when is None and year:
        when = PartialDate(int(year))
    return when


def _value(record: Any, name: str) -> Any:
    """A field of a dict or a store row, None when it has none."""
    try:
        return record[name]
    except (KeyError, IndexError):
        return None


def report_year(report: Any) -> int | None:
    """A report's year, by report_date's rule."""
    when = report_date(report)
    return when.year if when else None


def report_year_sql(alias: str = "r") -> str:
    """report_year's rule in SQL, for a report table aliased `alias`."""
    return f"cast(coalesce({alias}.year, substr({alias}.date, 1, 4)) as integer)"


SOURCE = Field(
    "source",
    "text",
    required=True,
    help="UN document symbol(s) or public URL the record's facts come from",
)
NOTE = Field(
    "note",
    "text",
    help="what is unconfirmed or inferred, and any remark",
    searched="text",
)
HISTORY_FIELDS = (
    Field("date", "date", required=True, help="when the status changed (any precision)"),
    Field("status", "enum", required=True, choices=VISIT_STATUSES, help="the new status"),
    Field("note", "text", help="remarks", searched="text"),
)

REQUEST_FIELDS = (
    Field("paragraph", "int", help="the operative paragraph's number, where a source gives it"),
    Field(
        "asks",
        "enum",
        required=True,
        choices=REQUEST_ASKS,
        help="what is asked: report to the HRC or the GA, take part in forums, consult, "
        "visits (States asked to accept them), or other",
    ),
    Field("text", "text", required=True, help="a short quote of the request", searched="text"),
    Field("note", "text", help="remarks, e.g. where the quote comes from", searched="text"),
)

KINDS: dict[str, Kind] = {}


def declare(*kinds: Kind) -> None:
    """Add kinds to KINDS (in place: every module holds the same dict)."""
    for kind in kinds:
        KINDS[kind.name] = kind
    _files_from_kinds()


def forget(*names: str) -> None:
    """Remove declared kinds (tests that declare one for a while)."""
    for name in names:
        KINDS.pop(name, None)
    _files_from_kinds()


# Which kinds each data file holds, in the order they are written: derived from KINDS,
# and kept as one dict that is changed in place, so that importers see declared kinds.
FILES: dict[str, tuple[str, ...]] = {}


def _files_from_kinds() -> None:
    files: dict[str, tuple[str, ...]] = {}
    for kind in KINDS.values():
        files[kind.file] = (*files.get(kind.file, ()), kind.name)
    FILES.clear()
    FILES.update(files)


declare(
    Kind(
        "mandate",
        "mandate.toml",
        "id",
        (
            Field(
                "id",
                "slug",
                required=True,
                help="slug of the mandate, e.g. international-solidarity",
            ),
            Field("title", "text", required=True, help="official title"),
            Field(
                "established",
                "date",
                required=True,
                help="date the establishing resolution was adopted (any precision)",
            ),
            Field(
                "established_by",
                "symbol",
                required=True,
                help="symbol of the establishing resolution",
            ),
            SOURCE,
            NOTE,
        ),
        plural="mandates",
        title="Mandates",
        about="The special procedure mandates tracked in this store.",
        label=("title",),
        # Its own clock: the last renewal's term run out, a holder with no successor.
        rules=("mandate_clock",),
    ),
    Kind(
        "holder",
        "mandate.toml",
        "id",
        (
            Field(
                "id",
                "slug",
                required=True,
                help="slug, usually the family name (rizki, dandan, okafor, bailliet)",
                shown="Id",
            ),
            Field("mandate", "slug", required=True, refers_to="mandate", indexed=True),
            Field("name", "text", required=True, help="full name", shown="Name", searched="title"),
            Field("nationality", "iso3", shown="Nationality", searched="tags"),
            Field(
                "appointed",
                "date",
                help="when the holder was appointed (any precision), where a source says so",
                shown="Appointed",
            ),
            Field(
                "start",
                "date",
                help="when the holder took up the mandate (any precision); give it or `appointed`",
                shown="Start",
            ),
            Field(
                "end",
                "date",
                help="end of the term (any precision); absent while in office",
                shown="End",
            ),
            SOURCE,
            NOTE._replace(shown="Note"),
        ),
        plural="holders",
        title="Mandate holders",
        about="The people who held each mandate, in term order.",
        # In term order: by the day the term began, else (not known) the appointment.
        order=("start|appointed",),
        label=("name",),
        any_of=(("start", "appointed"),),
        rules=("end_after_start", "appointed_before_start", "dates_in_life"),
        numbered="term_order",
    ),
    Kind(
        "resolution",
        "mandate.toml",
        "symbol",
        (
            Field("symbol", "symbol", required=True, help="e.g. A/HRC/RES/44/11", shown="Symbol"),
            Field("mandate", "slug", required=True, refers_to="mandate"),
            Field(
                "body",
                "enum",
                required=True,
                choices=RESOLUTION_BODIES,
                help="Commission on Human Rights, Human Rights Council or General Assembly",
                shown="Body",
            ),
            Field(
                "adopted",
                "date",
                required=True,
                help="adoption date (any precision)",
                shown="Adopted",
                searched="tags",
            ),
            Field("action", "enum", required=True, choices=RESOLUTION_ACTIONS, shown="Action"),
            Field(
                "term_years",
                "int",
                help="length of the term granted; omitted when not known",
                shown="Term (years)",
            ),
            SOURCE,
            NOTE,
            Field(
                "vote",
                "vote",
                help="[resolution.vote]: yes/no/abstain, each a list of alpha-3 codes or a tally",
                shown="Vote",
            ),
            Field(
                "request",
                "records",
                help="[[resolution.request]]: what the resolution asks of the mandate, one "
                "request each (tracker delivery judges them)",
                fields=REQUEST_FIELDS,
            ),
        ),
        plural="resolutions",
        title="Resolutions",
        about="Resolutions that established and renewed the mandates, with vote tallies.",
        order=("adopted",),
        label=("action", "adopted"),
        search_title="{body} resolution {symbol} ({action})",
    ),
    Kind(
        "visit",
        "visits.toml",
        "id",
        (
            Field(
                "id",
                "slug",
                help="unique; defaults to <iso3 in lower case>-<year> (year of start, else of "
                "the first history entry), e.g. bra-2012",
                shown="Visit",
            ),
            Field(
                "holder",
                "slug",
                required=True,
                refers_to="holder",
                help="who made (or is to make) the visit",
                shown="Holder",
                indexed=True,
            ),
            Field("country", "iso3", required=True, shown="Country", indexed=True),
            Field(
                "status",
                "enum",
                required=True,
                choices=VISIT_STATUSES,
                help="where the visit stands",
                shown="Status",
                indexed=True,
            ),
            Field(
                "start",
                "date",
                help="first day of the visit (any precision); required once completed",
                shown="Start",
                indexed=True,
            ),
            Field("end", "date", help="last day of the visit (any precision)", shown="End"),
            Field(
                "report",
                "symbol",
                refers_to="report",
                help="the visit report (a report of kind visit)",
                shown="Report",
            ),
            Field(
                "themes",
                "slugs",
                refers_to="theme",
                help="the themes the visit focused on, only where a source says so",
                shown="Themes",
            ),
            Field(
                "places",
                "list",
                help="places visited, only where a source names them",
                searched="text",
            ),
            SOURCE,
            NOTE,
            Field(
                "history",
                "records",
                help="[[visit.history]]: one entry per change of status, in date order",
                fields=HISTORY_FIELDS,
            ),
        ),
        plural="visits",
        title="Country visits",
        about="Country visits and visit requests.",
        order=("start",),
        label=("country", "status"),
        rules=(
            "end_after_start",
            "dates_in_life",
            "visit_in_term",
            "visit_status",
            "history_in_order",
        ),
        default_key=default_visit_id,
        # Made by search.py itself: the country's name, and the status unless completed.
        search_title="Visit to {country} ({status})",
    ),
    Kind(
        "theme",
        "themes.toml",
        "id",
        (
            Field("id", "slug", required=True, help="slug, e.g. climate-change", shown="Id"),
            Field("mandate", "slug", required=True, refers_to="mandate", indexed=True),
            Field(
                "title",
                "text",
                required=True,
                help="title of the theme",
                shown="Title",
                searched="title",
            ),
            Field(
                "set_by",
                "slug",
                refers_to="holder",
                help="the holder who set the theme as a priority",
                shown="Set by",
                searched="tags",
            ),
            Field(
                "set_in",
                "symbol",
                help="symbol of the report in which it was set",
                shown="Set in",
                searched="tags",
            ),
            SOURCE,
            NOTE,
        ),
        plural="themes",
        title="Thematic priorities",
        about="Thematic priorities announced by the holders.",
        label=("title",),
        numbered="position",
    ),
    Kind(
        "report",
        "themes.toml",
        "symbol|id",
        (
            Field(
                "symbol",
                "symbol",
                help="UN document symbol, e.g. A/HRC/44/44 or A/HRC/44/44/Add.1",
                shown="Symbol",
            ),
            Field(
                "id",
                "slug",
                help="slug used instead of symbol only while the symbol is not known",
            ),
            Field(
                "holder",
                "slug",
                required=True,
                refers_to="holder",
                help="who presented the report",
                shown="Presented by",
                indexed=True,
            ),
            Field(
                "author",
                "slug",
                refers_to="holder",
                help="who wrote it, where not the presenter (default: holder)",
                shown="Written by",
                indexed=True,
                default_from="holder",
            ),
            Field("body", "enum", required=True, choices=REPORT_BODIES, shown="Body", indexed=True),
            Field(
                "session",
                "int",
                help="session of the body the report was submitted to, when known",
                shown="Session",
            ),
            Field(
                "date",
                "date",
                help="date of the report, instead of year when the day is known",
            ),
            Field("year", "int", help="year of the report", shown="Year", indexed=True),
            Field("kind", "enum", required=True, choices=REPORT_KINDS, shown="Kind"),
            Field(
                "title",
                "text",
                required=True,
                help="short subject",
                shown="Title",
                searched="title",
            ),
            Field(
                "themes",
                "slugs",
                refers_to="theme",
                help="the themes the report addresses",
                shown="Themes",
            ),
            Field("summary", "text", help="one or two factual sentences", searched="text"),
            SOURCE,
            NOTE,
        ),
        plural="reports",
        title="Reports",
        about="Reports to the Human Rights Council (HRC) and General Assembly (GA).",
        order=("date|year", "session"),
        label=("title",),
        one_of=(("symbol", "id"), ("date", "year")),
        rules=("plausible_year", "author_not_holder"),
    ),
    Kind(
        "engagement",
        "engagements.toml",
        "id",
        (
            Field("id", "slug", required=True, help="slug, e.g. okafor-ga72-2017", shown="Id"),
            Field(
                "holder",
                "slug",
                required=True,
                refers_to="holder",
                help="the holder who took part",
                shown="Holder",
                indexed=True,
            ),
            Field("date", "date", required=True, help="when (any precision)", shown="Date"),
            Field("end", "date", help="last day, for an engagement of several days"),
            Field(
                "forum",
                "text",
                required=True,
                help='where: e.g. "GA Third Committee", "HRC 54", "COP 17"',
                shown="Forum",
                searched="tags",
            ),
            Field(
                "kind",
                "enum",
                required=True,
                choices=ENGAGEMENT_KINDS,
                help="what the holder did there",
                shown="Kind",
            ),
            Field("place", "text", help="city or venue", searched="tags"),
            Field(
                "country",
                "iso3",
                help="the State the engagement took place in or dealt with, where one does",
                shown="Country",
                indexed=True,
                searched="tags",
            ),
            Field(
                "report",
                "symbol",
                refers_to="report",
                help="the report presented, if any",
                shown="Report",
            ),
            Field(
                "themes",
                "slugs",
                refers_to="theme",
                help="the themes it dealt with, only where a source says so",
                shown="Themes",
            ),
            Field(
                "title", "text", required=True, help="what it was", shown="Title", searched="title"
            ),
            SOURCE,
            NOTE,
        ),
        plural="engagements",
        title="Engagements",
        about="Statements, panels, consultations and meetings the holders took part in.",
        order=("date",),
        label=("forum", "date"),
        rules=("end_after_date",),
    ),
    Kind(
        "communication",
        "communications.toml",
        "ref",
        (
            Field(
                "ref",
                "text",
                required=True,
                help='OHCHR\'s reference, e.g. "AL CUB 4/2019"',
                shown="Ref",
            ),
            Field(
                "type",
                "enum",
                required=True,
                choices=COMMUNICATION_TYPES,
                help="allegation letter, urgent appeal, other letter, or a joint one",
                shown="Type",
            ),
            Field(
                "holder",
                "slug",
                required=True,
                refers_to="holder",
                help="the holder who sent it (or joined it)",
                shown="Holder",
                indexed=True,
            ),
            Field(
                "country",
                "iso3",
                help="the State written to; absent for a letter to others (a company, a body)",
                shown="Country",
                indexed=True,
                searched="tags",
            ),
            Field(
                "date", "date", required=True, help="when it was sent (any precision)", shown="Date"
            ),
            Field("joint_with", "text", help="the other mandates that joined it", searched="text"),
            Field(
                "summary",
                "text",
                help="what it was about, in a sentence",
                shown="Summary",
                searched="text",
            ),
            Field(
                "themes",
                "slugs",
                refers_to="theme",
                help="the themes it dealt with",
                shown="Themes",
            ),
            Field(
                "replies",
                "dates",
                help="the dates replies were received (empty: no reply recorded)",
                shown="Replies",
            ),
            SOURCE,
            NOTE,
        ),
        plural="communications",
        title="Communications",
        about="Letters and appeals the holders sent to States and others, and the replies.",
        order=("date",),
        label=("type", "date"),
        search_title="Communication {ref}",
    ),
    Kind(
        "invitation",
        "invitations.toml",
        "country",
        (
            Field(
                "country",
                "iso3",
                required=True,
                help="the State that issued the standing invitation",
                shown="Country",
            ),
            Field(
                "since",
                "date",
                help="when it was issued (any precision), where known",
                shown="Since",
            ),
            Field("withdrawn", "date", help="when it was withdrawn, if it was", shown="Withdrawn"),
            SOURCE,
            NOTE._replace(shown="Note"),
        ),
        plural="invitations",
        title="Standing invitations",
        about="States with a standing invitation to all special procedures.",
        order=("country",),
        label=("country",),
        rules=("withdrawn_after_since",),
        search_title="Standing invitation from {country}",
    ),
    Kind(
        "recommendation",
        "recommendations.toml",
        "id",
        (
            Field(
                "id",
                "text",
                required=True,
                help="the Universal Human Rights Index (UHRI) annotation id",
                shown="Id",
            ),
            Field(
                "report",
                "symbol",
                required=True,
                refers_to="report",
                help="the report that made it",
                shown="Report",
                indexed=True,
            ),
            Field(
                "countries",
                "list",
                help="the States it is addressed to, as ISO 3166-1 alpha-3 codes",
                shown="Countries",
            ),
            Field(
                "type",
                "enum",
                required=True,
                choices=RECOMMENDATION_TYPES,
                help="a recommendation, or a concern or observation",
                shown="Type",
            ),
            Field(
                "published",
                "date",
                help="when the report was published, as UHRI gives it",
                shown="Published",
            ),
            Field(
                "text",
                "text",
                required=True,
                help="its text, as plain text (UHRI's HTML removed)",
                shown="Text",
                searched="text",
            ),
            Field("themes", "list", help="UHRI's themes, as it gives them", searched="tags"),
            Field("sdgs", "list", help="the Sustainable Development Goals UHRI links it to"),
            Field(
                "affected_persons",
                "list",
                help="the groups of persons UHRI says it concerns",
                searched="tags",
            ),
            SOURCE._replace(help="UHRI and the date of the export it was imported from"),
            NOTE,
        ),
        plural="recommendations",
        title="Recommendations",
        about="Recommendations and observations of the mandate's reports, from the UN's "
        "Universal Human Rights Index (UHRI).",
        order=("report",),
        label=("report", "type"),
        rules=("country_codes",),
        search_title="Recommendation of {report} ({type})",
    ),
)


# The kinds whose lists, details and views are written by hand (tracker/queries.py,
# tracker/views.py), because they join in names, votes and links of their own; every other
# kind is listed, shown and viewed from its declaration alone.
BUILT_IN = ("mandate", "holder", "resolution", "visit", "theme", "report")


# --- what the other modules derive -------------------------------------------------


def kind_of_file(name: str) -> tuple[Kind, ...]:
    return tuple(KINDS[k] for k in FILES.get(name, ()))


def columns(kind: str) -> list[tuple[str, str]]:
    """The (key, header) columns of the kind's list table. A vote is shown as its summary
    ("31 yes, 13 no, 3 abstaining"), in the row's `vote_summary`; a country code as the
    country's name, in the row's `country_name` (JSON and CSV have both)."""
    suffix = {"vote": "_summary", "iso3": "_name"}
    return [(f.name + suffix.get(f.type, ""), f.shown) for f in KINDS[kind].fields if f.shown]


def references_to(target: str) -> list[tuple[Kind, Field]]:
    """Every field of every kind that names a record of `target`."""
    return [(k, f) for k in KINDS.values() for f in k.fields if f.refers_to == target]


def sort_key(kind: str) -> Callable[[dict[str, Any]], tuple[Any, ...]] | None:
    """How a kind's records are ordered (the canonical layout, the store's numbering): by
    the fields of its declared `order`, records missing a value last, then by key. None
    for kinds kept in file order. The query layer orders its SQL the same way
    (queries.order_by)."""
    spec = KINDS[kind]
    if not spec.order:
        return None
    from tracker.dates import try_parse

    types = {f.name: f.type for f in spec.fields}

    def part(name: str, data: dict[str, Any]) -> tuple[Any, ...]:
        names = name.split("|")
        present = next((n for n in names if n in data), None)
        if all(types.get(n) == "int" for n in names):
            # Whole numbers (a session) after missing ones, as SQLite sorts NULL first.
            value = data.get(present) if present else None
            number = isinstance(value, int) and not isinstance(value, bool)
            return (number, value if number else 0)
        if present is None:
            return ("9999",)  # records without the value last
        value = data[present]
        if types.get(present) == "date":
            # Dates as sortable text ("2011" < "2011-08" < "2011-08-01"), as the store holds them.
            parsed = try_parse(value)
            return (str(parsed) if parsed else "9999",)
        return (str(value),)

    def key(data: dict[str, Any]) -> tuple[Any, ...]:
        return (*(p for name in spec.order for p in part(name, data)), spec.key_of(data))

    return key


# The order `tracker search` ranks kinds in where scores tie; other searched kinds follow.
SEARCH_ORDER = ("report", "visit", "theme", "holder", "resolution")


def searched_kinds() -> tuple[str, ...]:
    """The kinds the search index holds: those with a field searched as their title (or a
    search title pattern)."""
    searched = [
        k
        for k, spec in KINDS.items()
        if spec.search_title or any(f.searched == "title" for f in spec.fields)
    ]
    first = [k for k in SEARCH_ORDER if k in searched]
    return (*first, *(k for k in searched if k not in first))


def mandate_path(kind: str) -> tuple[str, ...]:
    """How a record belongs to a mandate: its own `mandate` field, or through the field
    that names its holder (("holder",)), or nothing (())."""
    spec = KINDS[kind]
    for field in spec.fields:
        if field.refers_to == "mandate":
            return (field.name,)
    for field in spec.fields:
        if field.refers_to == "holder" and field.type == "slug":
            return (field.name, "mandate")
    return ()
