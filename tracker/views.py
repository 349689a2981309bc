"""SQL views that make the store readable on its own, in Datasette or any SQLite client.

The tables hold ids (holder, country, theme); the views join in the names a reader
wants (holder name, country name, theme lists, document links), one row per
record, with the same field names the CLI prints. They are created with the store
(store.build) and read only the tables, so they are always in step with them.
Lists (themes, places) are JSON arrays in the order the data files give them.
"""

from __future__ import annotations

from typing import Any

from tracker.kinds import report_year_sql
from tracker.links import sql_document_url

# A correlated subquery's ordered rows keep their order in json_group_array, so a
# list comes out in its `position` order (SQLite before 3.44 has no ORDER BY inside
# aggregates).
_VISIT_THEMES = (
    "(select json_group_array(theme) from "
    "(select theme from visit_theme where visit = v.id order by position))"
)
_REPORT_THEMES = (
    "(select json_group_array(theme) from "
    "(select theme from report_theme where report = r.key order by position))"
)

VIEWS: dict[str, tuple[str, str]] = {
    "visit_detail": (
        "Country visits with the holder's and the country's names, the report's link "
        "and the themes the visit focused on.",
        f"""
select
  v.id,
  h.mandate,
  v.holder,
  h.name as holder_name,
  v.country,
  c.name as country_name,
  g.name as region_name,
  v.status,
  v.start,
  v."end",
  v.report,
  {sql_document_url("v.report")} as report_url,
  {_VISIT_THEMES} as themes,
  coalesce(v.places, '[]') as places,
  v.source,
  v.note
from visit v
join holder h on h.id = v.holder
left join country c on c.iso3 = v.country
left join region g on g.id = c.region
order by coalesce(v.start, '9999'), v.id
""",
    ),
    "report_detail": (
        "Reports with the holder's name, the year, the themes they address and a link "
        "to the UN document.",
        f"""
select
  r.key,
  r.symbol,
  r.id,
  h.mandate,
  r.holder,
  h.name as holder_name,
  r.author,
  r.body,
  r.session,
  r.date,
  {report_year_sql("r")} as year,
  r.kind,
  r.title,
  {_REPORT_THEMES} as themes,
  r.summary,
  {sql_document_url("r.symbol")} as url,
  r.source,
  r.note
from report r
join holder h on h.id = r.holder
order by coalesce(r.date, cast(r.year as text)), r.session, r.key
""",
    ),
    "theme_detail": (
        "Thematic priorities with who set them and how many reports and visits addressed them.",
        f"""
select
  t.id,
  t.mandate,
  t.title,
  t.set_by,
  h.name as set_by_name,
  t.set_in,
  {sql_document_url("t.set_in")} as set_in_url,
  (select count(*) from report_theme rt where rt.theme = t.id) as reports,
  (select count(*) from visit_theme vt where vt.theme = t.id) as visits,
  t.source,
  t.note
from theme t
left join holder h on h.id = t.set_by
order by t.position
""",
    ),
    "holder_detail": (
        "Mandate holders in term order with their nationality's name and how many visits "
        "and reports each made.",
        """
select
  h.id,
  h.mandate,
  h.name,
  h.nationality,
  c.name as nationality_name,
  h.appointed,
  h.start,
  h."end",
  (select count(*) from visit v where v.holder = h.id) as visits,
  (select count(*) from report r where r.holder = h.id) as reports,
  (select count(*) from report r where r.author = h.id) as reports_written,
  h.source,
  h.note
from holder h
left join country c on c.iso3 = h.nationality
order by h.term_order
""",
    ),
    "resolution_detail": (
        "Resolutions that established and renewed mandates, with their recorded vote "
        "tallies and a link to the UN document.",
        f"""
select
  symbol,
  mandate,
  body,
  adopted,
  action,
  term_years,
  case when vote_recorded then yes_count end as yes,
  case when vote_recorded then no_count end as no,
  case when vote_recorded then abstain_count end as abstain,
  {sql_document_url("symbol")} as url,
  source,
  note
from resolution
order by adopted
""",
    ),
    "request_detail": (
        "What each resolution asks of the mandate, one row per request, with the "
        "resolution's adoption and term (tracker delivery judges them).",
        f"""
select
  q.resolution,
  r.mandate,
  r.adopted,
  r.term_years,
  q.seq,
  q.paragraph,
  q.asks,
  q.text,
  q.note,
  {sql_document_url("q.resolution")} as url
from resolution_request q
join resolution r on r.symbol = q.resolution
order by r.adopted, q.resolution, q.seq
""",
    ),
    "vote_by_group": (
        "Recorded votes broken down by UN regional group: how many of each group's members "
        "voted yes, no or abstained on each resolution, and which.",
        """
select
  v.resolution,
  r.adopted,
  coalesce(g.name, 'in no group') as region_name,
  c.region,
  sum(v.vote = 'yes') as yes,
  sum(v.vote = 'no') as no,
  sum(v.vote = 'abstain') as abstain,
  json_group_array(v.country) as countries
from vote v
join resolution r on r.symbol = v.resolution
left join country c on c.iso3 = v.country
left join region g on g.id = c.region
group by v.resolution, c.region
order by r.adopted, v.resolution, g.position
""",
    ),
}


def declared_view(kind: str) -> tuple[str, str]:
    """The `<kind>_detail` view of a declared kind that has none written above: its
    columns, the names of the holder and country it names, its lists as JSON arrays in
    their order, and the link to a UN document it is keyed by."""
    from tracker.kinds import KINDS, mandate_path

    spec = KINDS[kind]
    table, key = spec.table, spec.key_column
    columns: list[str] = []
    joins = []
    path = mandate_path(kind)
    if len(path) == 2:
        columns.append("h.mandate as mandate")
    for field in spec.fields:
        name = field.name
        if field.type in ("records", "vote"):
            continue
        if field.type == "slugs" and field.refers_to in KINDS:
            column = str(field.refers_to)
            # The link table <kind>_<target>, both names from the declarations.
            link, owner = f'"{kind}_{column}"', f'"{kind}"'
            sql = f'(select json_group_array("{column}") from (select "{column}" from '
            sql += link + " where " + owner + f' = t."{key}" order by position))'

            columns.append(sql + f' as "{name}"')
            continue
        columns.append(f't."{name}"')
        if field.refers_to == "holder":
            column = f"h_{name}"
            joins.append(f'left join holder {column} on {column}.id = t."{name}"')
            columns.append(f'{column}.name as "{name}_name"')
        elif field.type == "iso3":
            column = f"c_{name}"
            joins.append(f'left join country {column} on {column}.iso3 = t."{name}"')
            columns.append(f'{column}.name as "{name}_name"')
    if len(path) == 2:
        column = path[0]
        joins.append(f'join holder h on h.id = t."{column}"')
    symbol = spec.field(spec.key_fields[0])
    if symbol is not None and symbol.type == "symbol":
        columns.append(sql_document_url(f't."{symbol.name}"') + " as url")
    from tracker.queries import order_by

    sql = "select\n  " + ",\n  ".join(columns) + f'\nfrom "{table}" t\n' + "\n".join(joins)
    sql += "\norder by " + order_by(kind, "t")
    return f"{spec.about} With the names of what they refer to (see {kind}).", sql


def all_views() -> dict[str, tuple[str, str]]:
    """The views written above, and a view of every other declared kind."""
    from tracker.kinds import BUILT_IN, KINDS

    views = dict(VIEWS)
    for kind in KINDS:
        if kind not in BUILT_IN:
            views[f"{kind}_detail"] = declared_view(kind)
    return views


def create(db: Any) -> None:
    """Create every view in a sqlite_utils Database whose tables are built."""
    for name, (_, sql) in all_views().items():
        db.create_view(name, sql.strip(), replace=True)


def descriptions() -> dict[str, str]:
    """What each view shows, for the Datasette metadata."""
    return {name: description for name, (description, _) in all_views().items()}
