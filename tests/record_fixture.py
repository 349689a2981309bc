"""A data folder tracker has never seen, with engagements, communications, standing
invitations and resolution requests filled in, and what its views must say, worked out by
hand (see the comments). Today is conftest.TODAY, 2026-11-23."""

from __future__ import annotations

import textwrap
from pathlib import Path

MANDATE = """\
[[mandate]]
id = "test-mandate"
title = "Independent Expert on testing"
established = 2010-01-01
established_by = "A/HRC/RES/13/1"
source = "A/HRC/RES/13/1"

[[holder]]
id = "first"
mandate = "test-mandate"
name = "First Holder"
start = 2010-06-01
end = 2014-05-31
source = "A/HRC/1/1"

[[holder]]
id = "second"
mandate = "test-mandate"
name = "Second Holder"
start = 2014-06-01
source = "A/HRC/2/2"

[[resolution]]
symbol = "A/HRC/RES/13/1"
mandate = "test-mandate"
body = "HRC"
adopted = 2010-01-01
action = "establishment"
term_years = 3
source = "A/HRC/RES/13/1"

# Answers for 2017, 2018 and 2019.
[[resolution]]
symbol = "A/HRC/RES/20/1"
mandate = "test-mandate"
body = "HRC"
adopted = 2016-06-30
action = "renewal"
term_years = 3
source = "A/HRC/RES/20/1"

[[resolution.request]]
paragraph = 2
asks = "visits"
text = "requests States to accept visits"

[[resolution.request]]
paragraph = 3
asks = "forums"
text = "participate in forums"

[[resolution.request]]
paragraph = 5
asks = "report-hrc"
text = "report annually to the Council"

[[resolution.request]]
paragraph = 5
asks = "report-ga"
text = "report annually to the Assembly"

[[resolution.request]]
paragraph = 7
asks = "other"
text = "take into account the outcomes of summits"

# Answers for 2020, 2021 and 2022.
[[resolution]]
symbol = "A/HRC/RES/29/1"
mandate = "test-mandate"
body = "HRC"
adopted = 2019-07-01
action = "renewal"
term_years = 3
source = "A/HRC/RES/29/1"

[[resolution.request]]
paragraph = 4
asks = "report-hrc"
text = "report annually to the Council"

[[resolution.request]]
paragraph = 6
asks = "consult"
text = "seek the views of States"

# The last renewal: its term ran out on 2025-07-05 and none is recorded after it.
[[resolution]]
symbol = "A/HRC/RES/38/1"
mandate = "test-mandate"
body = "HRC"
adopted = 2022-07-05
action = "renewal"
term_years = 3
source = "A/HRC/RES/38/1"

[resolution.vote]
yes = ["BRA", "KEN"]
no = ["DEU", "NLD"]
abstain = ["MEX"]
"""

THEMES = """\
[[theme]]
id = "water"
mandate = "test-mandate"
title = "Water"
source = "A/HRC/1/1"

[[theme]]
id = "tax"
mandate = "test-mandate"
title = "Taxation"
source = "A/HRC/1/1"

[[report]]
symbol = "A/HRC/34/1"
holder = "second"
body = "HRC"
year = 2017
kind = "thematic"
title = "Water"
themes = ["water"]
source = "A/HRC/34/1"

[[report]]
symbol = "A/HRC/37/1"
holder = "second"
body = "HRC"
year = 2018
kind = "thematic"
title = "More water"
source = "A/HRC/37/1"

[[report]]
symbol = "A/72/1"
holder = "second"
body = "GA"
year = 2017
kind = "thematic"
title = "GA one"
source = "A/72/1"

[[report]]
symbol = "A/73/1"
holder = "second"
body = "GA"
year = 2018
kind = "thematic"
title = "GA two"
source = "A/73/1"

[[report]]
symbol = "A/74/1"
holder = "second"
body = "GA"
date = 2019-10-15
kind = "thematic"
title = "GA three"
source = "A/74/1"

[[report]]
symbol = "A/HRC/43/1"
holder = "second"
body = "HRC"
year = 2020
kind = "thematic"
title = "HRC 2020"
source = "A/HRC/43/1"

[[report]]
symbol = "A/HRC/46/1"
holder = "second"
body = "HRC"
year = 2021
kind = "thematic"
title = "HRC 2021"
source = "A/HRC/46/1"

[[report]]
symbol = "A/HRC/49/1"
holder = "second"
body = "HRC"
year = 2022
kind = "thematic"
title = "HRC 2022"
source = "A/HRC/49/1"
"""

VISITS = """\
[[visit]]
id = "nld-2018"
holder = "second"
country = "NLD"
status = "completed"
start = 2018-11-05
end = 2018-11-09
source = "A/HRC/40/1/Add.1"

[[visit]]
id = "bra-2027"
holder = "second"
country = "BRA"
status = "scheduled"
start = 2027-03-01
end = 2027-03-05
source = "https://example.org/visits/bra?year=2027&x=<b>"

[[visit]]
id = "chl-2021"
holder = "second"
country = "CHL"
status = "requested"
source = "A/HRC/46/1"

[[visit.history]]
date = 2021-03-01
status = "requested"
"""

ENGAGEMENTS = """\
[[engagement]]
id = "ga-2017"
holder = "second"
date = 2017-10-17
forum = "GA Third Committee"
kind = "statement"
place = "New York"
report = "A/72/1"
themes = ["tax"]
title = "Statement to the Third Committee"
source = "https://example.org/ga-2017"

[[engagement]]
id = "states-2021"
holder = "second"
date = "2021-05"
forum = "Consultation with States"
kind = "consultation"
country = "CHL"
title = "Consultation with States in Santiago"
source = "A/HRC/49/1"

[[engagement]]
id = "panel-2027"
holder = "second"
date = 2027-02-10
forum = "HRC 64"
kind = "panel"
title = "Panel on water"
source = "https://example.org/panel"
"""

INVITATIONS = """\
[[invitation]]
country = "NLD"
since = "2001"
source = "https://example.org/invitations"

[[invitation]]
country = "CHL"
since = "2005-03"
source = "https://example.org/invitations"

[[invitation]]
country = "NOR"
since = 2001-03-01
withdrawn = "2020-01"
source = "https://example.org/invitations"

[[invitation]]
country = "PER"
source = "https://example.org/invitations"
note = "When it was issued is not recorded."
"""

COMMUNICATIONS = """\
[[communication]]
ref = "AL BRA 1/2026"
type = "AL"
holder = "second"
country = "BRA"
date = 2026-08-01
summary = "Water cuts"
themes = ["water"]
source = "https://example.org/al-bra-1-2026"

[[communication]]
ref = "UA NLD 2/2026"
type = "UA"
holder = "second"
country = "NLD"
date = 2026-10-01
summary = "Tax rules"
source = "https://example.org/ua-nld-2-2026"

[[communication]]
ref = "OL OTH 1/2025"
type = "OL"
holder = "second"
date = 2025-03-01
joint_with = "Special Rapporteur on water"
summary = "A letter to a company"
replies = [2025-04-20]
source = "https://example.org/ol-oth-1-2025"
"""

# What the views must say, worked out by hand.
DELIVERY = {
    "A/HRC/RES/20/1": {
        "visits": ("met", ["nld-2018"]),
        "forums": ("met", ["ga-2017"]),
        "report-hrc": ("partly met", ["A/HRC/34/1", "A/HRC/37/1"]),  # none for 2019
        "report-ga": ("met", ["A/72/1", "A/73/1", "A/74/1"]),
        "other": ("not judged", []),
    },
    "A/HRC/RES/29/1": {
        "report-hrc": ("met", ["A/HRC/43/1", "A/HRC/46/1", "A/HRC/49/1"]),
        "consult": ("met", ["states-2021"]),
    },
}
INVITED_NEVER_VISITED = ["CHL", "PER"]  # NOR's was withdrawn; NLD was visited in 2018
OPEN_REQUESTS_TO_INVITED = ["chl-2021"]
UNANSWERED = [("AL BRA 1/2026", 114)]  # UA NLD 2/2026 is 53 days old; OL OTH was answered
YEARS_WITHOUT_ENGAGEMENT = {
    "first": [2010, 2011, 2012, 2013, 2014],
    "second": [2014, 2015, 2016, 2018, 2019, 2020, 2022, 2023, 2024, 2025, 2026],
}
CALENDAR = [  # (uid, first day, day after the last)
    ("renewal-A-HRC-RES-38-1@tracker", "2025-07-05", "2025-07-06"),
    ("engagement-panel-2027@tracker", "2027-02-10", "2027-02-11"),
    ("visit-bra-2027@tracker", "2027-03-01", "2027-03-06"),
]


def write_folder(folder: Path) -> None:
    """Write this data folder's files into `folder` (made if missing)."""
    files = {
        "mandate.toml": MANDATE,
        "themes.toml": THEMES,
        "visits.toml": VISITS,
        "engagements.toml": ENGAGEMENTS,
        "invitations.toml": INVITATIONS,
        "communications.toml": COMMUNICATIONS,
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
