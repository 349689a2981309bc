"""Links from UN document symbols to the documents themselves.

The United Nations Official Document System (ODS) answers a permalink made of a
language and the symbol: https://docs.un.org/en/A/HRC/44/44 opens the English
version of A/HRC/44/44, whatever the document's internal file name. That form is
the one the UN's documents site (docs.un.org) gives out as the "permanent link"
today; the older undocs.org/<symbol> form redirects to it. English is used
because the tracked data (titles, summaries) is in English.

Only real symbols get a link: a report known only by an `id`, or a `source`
that is a URL or a citation with paragraphs, does not.
"""

from __future__ import annotations

import re

DOCUMENT_BASE = "https://docs.un.org/en/"

# UN document symbols: series letters, then slash-separated parts, e.g. A/HRC/41/44/Add.1,
# E/CN.4/RES/2005/55, A/RES/73/262. The one definition: the validator and the source
# reader (provenance.py) use it too, and building a link never imports the validator.
SYMBOL = re.compile(r"^[A-Z][A-Z0-9.]*(?:/[A-Za-z0-9.\-()]+)+$")


def document_url(symbol: str | None) -> str | None:
    """The permalink of the UN document with this symbol, or None if it is not a symbol."""
    if not symbol or not SYMBOL.fullmatch(symbol):
        return None
    # A symbol has only letters, digits and / . - ( ), all safe in a URL path, so it
    # goes in as it is (and the store's views can build the same link in SQL).
    return DOCUMENT_BASE + symbol


def sql_document_url(column: str) -> str:
    """The same permalink as an SQL expression over a symbol column, for the store's views."""
    return f"case when {column} is not null then '{DOCUMENT_BASE}' || {column} end"
