"""Names and choices shared by the model and the read path.

Kept apart from model.py so that read commands can import them without the
schema machinery (dataclasses alone costs several milliseconds at start-up).
"""

VISIT_STATUSES = (
    "requested",
    "invited",
    "accepted",
    "scheduled",
    "completed",
    "postponed",
    "declined",
    "cancelled",
)
OPEN_VISIT_STATUSES = ("requested", "invited", "accepted", "scheduled", "postponed")
# Visits whose dates are agreed: once those dates pass without an update the record is stale.
DATED_VISIT_STATUSES = ("accepted", "scheduled")
RESOLUTION_BODIES = ("CHR", "HRC", "GA")
RESOLUTION_ACTIONS = ("establishment", "renewal", "other")
REPORT_BODIES = ("HRC", "GA")
REPORT_KINDS = ("thematic", "visit", "annual", "overview", "declaration")
VOTE_CHOICES = ("yes", "no", "abstain")
ENGAGEMENT_KINDS = ("statement", "panel", "consultation", "side-event", "meeting", "other")
# OHCHR's communication types: allegation letter, urgent appeal, other letter, and the joint ones.
COMMUNICATION_TYPES = ("AL", "UA", "OL", "JAL", "JUA")
# What a UHRI annotation is: a recommendation, or a concern or observation.
RECOMMENDATION_TYPES = ("recommendation", "observation")
# What a resolution asks of the mandate (tracker/delivery.py judges each).
REQUEST_ASKS = ("report-hrc", "report-ga", "forums", "consult", "visits", "other")

# Timeline event kinds, in the order events of the same day are shown.
EVENT_KINDS = (
    "establishment",
    "renewal",
    "resolution",
    "term-start",
    "visit",
    "report",
    "engagement",
    "communication",
    "term-end",
)
