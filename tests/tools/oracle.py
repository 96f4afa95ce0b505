#!/usr/bin/env python3
"""Independent reference implementation of `handoff evaluate --json` (SPEC §3-§5).

Usage: oracle.py [--protocol PROTOCOL.json] --now NOW DOC.json

Prints the evaluation JSON of SPEC §4 on stdout and exits 0, or prints
"error: field `PATH`" on stderr and exits 65 when the document or the protocol is
invalid (§3 validation, §5 protocol errors).

Written from the specification text only, with the standard library only.
Every number is computed exactly (fractions.Fraction; JSON decimals are read as
decimal.Decimal so nothing passes through binary floating point) and rounded once,
half-up, at the end. Instants are exact Fractions of seconds since the Unix epoch.
Where the specification is ambiguous the choice made here is listed in
tests/tools/AMBIGUITIES.md.
"""

import argparse
import datetime as dt
import json
import math
import re
import sys
import zoneinfo
from decimal import Decimal
from fractions import Fraction

EX_DATAERR = 65

# ---------------------------------------------------------------------------------------
# Vocabulary (SPEC §3)

SEGMENTS = ("strategic", "enterprise", "mid_market", "smb")
TRIGGERS = ("contract_signature", "verbal_commit", "poc_conversion")
CHURN = ("low", "medium", "high")
STAKEHOLDER_ROLES = ("executive_sponsor", "champion", "economic_buyer", "technical_lead",
                     "end_users", "blocker", "influencer")
COMMITMENT_KINDS = ("scope", "service", "timeline", "commercial", "verbal")
SEVERITIES = ("low", "medium", "high")
ATTENDEE_ROLES = ("account_executive", "sales_engineer", "sales_manager", "csm",
                  "implementation_specialist", "cs_manager", "revops", "product",
                  "professional_services", "finance", "customer")
DECISIONS = ("accepted", "needs_revision", "rejected")
AGENDA_SEGMENTS = ("customer_overview", "stakeholders", "objectives", "scope_commitments",
                   "implementation", "risks", "questions_next_steps")

# Done-at field of every SLA activity (§4.6 table).
SLA_DONE_FIELD = {
    "handoff_started": ("timeline", "handoff_started_at"),
    "meeting_held": ("meeting", "held_at"),
    "intro_sent": ("timeline", "intro_sent_at"),
    "first_cs_contact": ("timeline", "first_cs_contact_at"),
    "cs_prep_done": ("timeline", "cs_prep_done_at"),
    "kickoff_scheduled": ("timeline", "kickoff_scheduled_at"),
    "joint_meeting_held": ("timeline", "joint_meeting_held_at"),
    "kickoff_held": ("timeline", "kickoff_held_at"),
}
OFFSET_KEYS = ("hours", "days", "business_days")

DEFAULT_PROTOCOL = {
    "version": "2026.1",
    "timezone": "UTC",
    "holidays": [],
    "sla": [
        {"activity": "handoff_started", "hours": 24},
        {"activity": "meeting_held", "hours": 48},
        {"activity": "intro_sent", "hours": 48},
        {"activity": "first_cs_contact", "hours": 48},
        {"activity": "cs_prep_done", "days": 3},
        {"activity": "kickoff_scheduled", "days": 5},
        {"activity": "joint_meeting_held", "business_days": 5},
        {"activity": "kickoff_held", "days": 10},
    ],
    "revision_hours": 24,
    "escalation_hours": [0, 24, 72],
    "standard_payment_days": 30,
    "stale_after_days": 7,
    "docs_min_percent": 100,
    "agenda_lead_hours": 24,
    "implementation_weeks": {"smb": 4, "mid_market": 8, "enterprise": 10, "strategic": 12},
    "required_attendees": {
        "default": ["account_executive", "csm"],
        "strategic": ["account_executive", "csm", "cs_manager"],
    },
    "bands": {"excellent": 90, "good": 80, "acceptable": 70},
}


class Invalid(Exception):
    """A document or protocol error naming one field path."""

    def __init__(self, path, expected):
        super().__init__(path)
        self.path = path
        self.expected = expected


# ---------------------------------------------------------------------------------------
# Value predicates (SPEC §3 and §4.1)

BLANKS = " \t\n\r\f\v"


def is_number(v):
    """A JSON number; JSON true/false are not numbers."""
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def num(v):
    return Fraction(v)


def absent(v):
    """`null` and an empty string count as absent everywhere."""
    return v is None or (isinstance(v, str) and v == "")


def is_na(v):
    return isinstance(v, str) and v.strip(BLANKS).lower() == "n/a"


def filled(v):
    if isinstance(v, bool) or is_number(v):
        return True
    if isinstance(v, str):
        return v.strip(BLANKS) != ""
    if isinstance(v, list):
        return any(filled(e) for e in v)
    return False


def get(obj, *keys):
    """obj[k1][k2]..., or None when any step is missing or not an object."""
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


# ---------------------------------------------------------------------------------------
# Calendar and time

TS_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
                   r"(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_month(y, m):
    return (31, 29 if is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]


def days_from_civil(y, m, d):
    """Days since 1970-01-01 in the proleptic Gregorian calendar."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def valid_ymd(y, m, d):
    return 1 <= m <= 12 and 1 <= d <= days_in_month(y, m)


def parse_timestamp(v):
    """RFC 3339 with an offset, per §3; returns exact epoch seconds or None."""
    if not isinstance(v, str):
        return None
    match = TS_RE.fullmatch(v.strip(BLANKS))
    if not match:
        return None
    y, mo, d, h, mi, s = (int(g) for g in match.groups()[:6])
    frac, off = match.group(7), match.group(8)
    if not valid_ymd(y, mo, d) or h > 23 or mi > 59 or s > 59:
        return None
    offset = 0
    if off not in ("Z", "z"):
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            return None
        offset = (oh * 60 + om) * 60 * (1 if off[0] == "+" else -1)
    t = Fraction(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset)
    if frac:
        t += Fraction(int(frac[1:]), 10 ** (len(frac) - 1))
    return t


def parse_date(v, strip=True):
    """`YYYY-MM-DD`, a real calendar date; returns (y, m, d) or None."""
    if not isinstance(v, str):
        return None
    match = DATE_RE.fullmatch(v.strip(BLANKS) if strip else v)
    if not match:
        return None
    y, m, d = (int(g) for g in match.groups())
    return (y, m, d) if valid_ymd(y, m, d) else None


def date_parses(v):
    return parse_date(v) is not None or parse_timestamp(v) is not None


def fmt_utc(t):
    """Instant -> `YYYY-MM-DDTHH:MM:SSZ`, fractions dropped (truncated toward the past)."""
    secs = math.floor(t)
    days, rem = divmod(secs, 86400)
    y, m, d = civil_from_days(days)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, m, d, rem // 3600, rem // 60 % 60, rem % 60)


def to_datetime_utc(t):
    secs = math.floor(t)
    days, rem = divmod(secs, 86400)
    y, m, d = civil_from_days(days)
    return dt.datetime(y, m, d, rem // 3600, rem // 60 % 60, rem % 60, tzinfo=dt.timezone.utc)


def add_business_days(t0, n, zone, holidays):
    """§4.6 business days: count forward from T0's local date in `zone`, skipping
    Saturdays, Sundays and holidays; land at T0's local wall-clock time. A wall time in a
    DST gap or overlap takes the offset in force just before the transition (fold=0)."""
    n = int(n)  # a non-integer count is truncated (see AMBIGUITIES.md)
    if n == 0:
        return t0
    frac = t0 - math.floor(t0)
    local = to_datetime_utc(t0).astimezone(zone)
    day = local.date()
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day.isoformat() not in holidays:
            counted += 1
    wall = dt.datetime(day.year, day.month, day.day, local.hour, local.minute, local.second,
                       fold=0, tzinfo=zone)
    offset = int(wall.utcoffset().total_seconds())
    epoch = (days_from_civil(day.year, day.month, day.day) * 86400
             + local.hour * 3600 + local.minute * 60 + local.second - offset)
    return Fraction(epoch) + frac


# ---------------------------------------------------------------------------------------
# Protocol (SPEC §5)

def load_protocol(raw):
    if raw is None:
        return dict(DEFAULT_PROTOCOL)
    if not isinstance(raw, dict):
        raise Invalid("protocol", "a JSON object")
    proto = dict(DEFAULT_PROTOCOL)
    for key, value in raw.items():
        if value is not None:  # null counts as absent: the default stays
            proto[key] = value

    tz = raw.get("timezone")
    if tz is not None:
        if not isinstance(tz, str) or tz not in iana_zones():
            raise Invalid("timezone", "an IANA time zone name")
    hol = raw.get("holidays")
    if hol is not None:
        if not isinstance(hol, list):
            raise Invalid("holidays", "an array of YYYY-MM-DD dates")
        for i, h in enumerate(hol):
            if parse_date(h, strip=False) is None:
                raise Invalid("holidays[%d]" % i, "a YYYY-MM-DD date")
    sla = raw.get("sla")
    if sla is not None:
        if not isinstance(sla, list):
            raise Invalid("sla", "an array of SLA entries")
        for i, entry in enumerate(sla):
            ok = isinstance(entry, dict) and entry.get("activity") in SLA_DONE_FIELD
            if ok:  # exactly one offset key present, and it is a number >= 0
                offsets = [entry[k] for k in OFFSET_KEYS if entry.get(k) is not None]
                ok = len(offsets) == 1 and is_number(offsets[0]) and offsets[0] >= 0
            if not ok:
                raise Invalid("sla[%d]" % i, "a known activity with exactly one of "
                              "hours, days, business_days as a number >= 0")
    esc = raw.get("escalation_hours")
    if esc is not None:
        if not (isinstance(esc, list) and len(esc) == 3 and all(is_number(e) for e in esc)):
            raise Invalid("escalation_hours", "3 numbers")
    return proto


_ZONES = None


def iana_zones():
    global _ZONES
    if _ZONES is None:
        _ZONES = set(zoneinfo.available_timezones()) | {"UTC"}
    return _ZONES


def pnum(proto, key):
    """A numeric protocol setting; a value of another type (keys other than those of
    §5's refusal list are not validated) falls back to the built-in default."""
    v = proto.get(key)
    return num(v) if is_number(v) else num(DEFAULT_PROTOCOL[key])


def sla_offset(entry):
    for k in OFFSET_KEYS:
        v = entry.get(k)
        if is_number(v) and v >= 0:
            return k, num(v)
    raise AssertionError("validated SLA entry without an offset")


# ---------------------------------------------------------------------------------------
# Document validation (SPEC §3)

OBJECT_FIELDS = [("deal",), ("deal", "owner"), ("deal", "payment"), ("customer",),
                 ("objectives",), ("scope",), ("technical",), ("implementation",),
                 ("commercial",), ("team",), ("team", "csm"), ("team", "cs_manager"),
                 ("readiness",), ("meeting",), ("meeting", "cs_questions"), ("timeline",),
                 ("review",)]
ARRAY_FIELDS = [("stakeholders",), ("commitments",), ("risks",), ("meeting", "attendees"),
                ("meeting", "segments_covered"), ("review", "history")]
NA_ARRAYS = {("commitments",), ("risks",)}
OBJECT_ELEMENT_ARRAYS = [("stakeholders",), ("commitments",), ("risks",),
                         ("meeting", "attendees"), ("review", "history")]
OPTIONAL_ENUMS = [(("deal", "segment"), SEGMENTS), (("deal", "trigger"), TRIGGERS),
                  (("churn_risk",), CHURN)]
ELEMENT_ENUMS = [  # (array, key, allowed, required)
    (("stakeholders",), "role", STAKEHOLDER_ROLES, True),
    (("commitments",), "kind", COMMITMENT_KINDS, False),
    (("risks",), "severity", SEVERITIES, False),
    (("meeting", "attendees"), "role", ATTENDEE_ROLES, True),
    (("review", "history"), "decision", DECISIONS, True),
]
TIMESTAMP_FIELDS = [("deal", "contract_signed_at"), ("deal", "verbal_commit_at"),
                    ("meeting", "scheduled_for"), ("meeting", "agenda_sent_at"),
                    ("meeting", "held_at"), ("updated_at",)]


def dotted(path):
    return ".".join(path)


def validate(doc):
    if not isinstance(doc, dict):
        raise Invalid("document", "a JSON object")
    for path in OBJECT_FIELDS:
        v = get(doc, *path)
        if not absent(v) and not isinstance(v, dict):
            raise Invalid(dotted(path), "an object")
    for path in ARRAY_FIELDS:
        v = get(doc, *path)
        if absent(v) or isinstance(v, list) or (path in NA_ARRAYS and is_na(v)):
            continue
        raise Invalid(dotted(path), "an array")
    for path in OBJECT_ELEMENT_ARRAYS:
        for i, e in elements(doc, path):
            if not isinstance(e, dict):
                raise Invalid("%s[%d]" % (dotted(path), i), "an object")
    for key in ("asked", "answered"):
        v = get(doc, "meeting", "cs_questions", key)
        if not absent(v) and not is_number(v):
            raise Invalid("meeting.cs_questions." + key, "a number")
    for path, allowed in OPTIONAL_ENUMS:
        v = get(doc, *path)
        if not absent(v) and v not in allowed:
            raise Invalid(dotted(path), "one of " + ", ".join(allowed))
    for path, key, allowed, required in ELEMENT_ENUMS:
        for i, e in elements(doc, path):
            v = e.get(key)
            if (required and absent(v)) or (not absent(v) and v not in allowed):
                raise Invalid("%s[%d].%s" % (dotted(path), i, key),
                              "one of " + ", ".join(allowed))
    ts_paths = list(TIMESTAMP_FIELDS)
    timeline = doc.get("timeline")
    if isinstance(timeline, dict):
        ts_paths += [("timeline", k) for k in timeline if k.endswith("_at")]
    for path in ts_paths:
        v = get(doc, *path)
        if not absent(v) and parse_timestamp(v) is None:
            raise Invalid(dotted(path), "an RFC 3339 timestamp with an offset")
    for i, e in elements(doc, ("review", "history")):
        if parse_timestamp(e.get("at")) is None:
            raise Invalid("review.history[%d].at" % i, "an RFC 3339 timestamp with an offset")


def elements(doc, path):
    """(index, element) of an array field, skipping absent (null / "") elements."""
    v = get(doc, *path)
    if not isinstance(v, list):
        return []
    return [(i, e) for i, e in enumerate(v) if not absent(e)]


def objects(doc, path):
    return [e for _, e in elements(doc, path) if isinstance(e, dict)]


def ts(doc, *path):
    """A validated timestamp field as an instant, or None when absent."""
    v = get(doc, *path)
    return None if absent(v) else parse_timestamp(v)


# ---------------------------------------------------------------------------------------
# Completeness (SPEC §4.1, §4.2)

FILLED, NA, MISSING, INVALID = "filled", "not_applicable", "missing", "invalid"


def kind_text(v):
    if is_na(v):
        return NA
    return FILLED if filled(v) and not isinstance(v, (list, dict)) else MISSING


def kind_list(v):
    if is_na(v):
        return NA
    if isinstance(v, str):
        return FILLED if filled(v) else MISSING
    if isinstance(v, list) and any(isinstance(e, str) and filled(e) for e in v):
        return FILLED
    return MISSING


def kind_date(v):
    if is_na(v):
        return NA
    if not filled(v):
        return MISSING
    return FILLED if date_parses(v) else INVALID


def kind_milestones(v):
    if is_na(v):
        return NA
    if not isinstance(v, list):
        return MISSING
    elems = [e for e in v if isinstance(e, dict) and filled(e.get("name"))]
    if any(date_parses(e.get("date")) for e in elems):
        return FILLED
    if any(filled(e.get("date")) for e in elems):
        return INVALID
    return MISSING


def kind_role(doc, role):
    keys = ("department", "user_count") if role == "end_users" else ("name", "title")
    complete = [s for s in objects(doc, ("stakeholders",))
                if s.get("role") == role and all(filled(s.get(k)) for k in keys)]
    if any(not any(is_na(s.get(k)) for k in keys) for s in complete):
        return FILLED
    return NA if complete else MISSING


def kind_entries(v):
    if is_na(v):
        return NA
    if isinstance(v, list) and any(isinstance(e, dict) and filled(e.get("text")) for e in v):
        return FILLED
    return MISSING


ROLES5 = ("executive_sponsor", "champion", "economic_buyer", "technical_lead", "end_users")

# (id, kind, in deal summary)
ITEMS = [
    ("customer.company_name", "text", True),
    ("customer.industry", "text", True),
    ("customer.company_size", "text", True),
    ("customer.business_challenges", "text", True),
    ("customer.purchase_context", "text", True),
    ("customer.why_now", "text", False),
    ("customer.competitors_evaluated", "list", False),
] + [("stakeholders." + r, "role", False) for r in ROLES5] + [
    ("objectives.primary_objective", "text", True),
    ("objectives.success_criteria", "list", True),
    ("objectives.roi_expectation", "text", True),
    ("objectives.personal_wins", "text", True),
    ("scope.features", "list", True),
    ("scope.integrations", "list", True),
    ("scope.customizations", "text", True),
    ("scope.professional_services", "text", True),
    ("scope.support_tier", "text", True),
    ("scope.timeline_promised", "text", True),
    ("commitments", "entries", False),
    ("technical.environment", "text", False),
    ("technical.integration_specs", "text", False),
    ("technical.data_migration", "text", False),
    ("technical.security_compliance", "text", False),
    ("technical.validation_status", "text", False),
    ("implementation.start_date", "date", True),
    ("implementation.go_live_target", "date", True),
    ("implementation.milestones", "milestones", True),
    ("implementation.customer_resources", "text", True),
    ("implementation.dependencies", "list", True),
    ("commercial.acv", "text", True),
    ("commercial.payment_terms", "text", True),
    ("commercial.discount", "text", True),
    ("commercial.special_terms", "text", True),
    ("risks", "entries", False),
    ("churn_risk", "text", False),
]
assert len(ITEMS) == 39 and sum(1 for i in ITEMS if i[2]) == 24

KINDS = {"text": kind_text, "list": kind_list, "date": kind_date,
         "milestones": kind_milestones, "entries": kind_entries}


def item_states(doc):
    states = {}
    for item_id, kind, _ in ITEMS:
        if kind == "role":
            states[item_id] = kind_role(doc, item_id.split(".", 1)[1])
        else:
            states[item_id] = KINDS[kind](get(doc, *item_id.split(".")))
    return states


# ---------------------------------------------------------------------------------------
# Rounding

def round_half_up(x, decimals):
    scale = 10 ** decimals
    return Fraction(math.floor(x * scale + Fraction(1, 2)), scale)


def out_num(x, decimals):
    return float(round_half_up(x, decimals))


# ---------------------------------------------------------------------------------------
# Evaluation (SPEC §4)

def evaluate(doc, proto, now):
    states = item_states(doc)
    n_filled = sum(1 for s in states.values() if s in (FILLED, NA))
    percent = round_half_up(Fraction(n_filled * 100, 39), 1)
    completeness = {
        "percent": float(percent),
        "filled": n_filled,
        "required": 39,
        "missing": [i for i, _, _ in ITEMS if states[i] in (MISSING, INVALID)],
        "not_applicable": [i for i, _, _ in ITEMS if states[i] == NA],
        "invalid": [i for i, _, _ in ITEMS if states[i] == INVALID],
    }

    deal = get(doc, "deal")
    segment = get(deal, "segment")
    t0 = ts(doc, "deal", "contract_signed_at")
    if t0 is None:
        t0 = ts(doc, "deal", "verbal_commit_at")

    # -- SLAs (§4.6)
    zone = zoneinfo.ZoneInfo(proto["timezone"])
    holidays = set(proto.get("holidays") or [])
    esc_hours = [num(e) for e in proto["escalation_hours"]]
    sla_lines = []
    dues = {}
    for entry in proto["sla"]:
        activity = entry["activity"]
        done = ts(doc, *SLA_DONE_FIELD[activity])
        due = None
        if t0 is not None:
            kind, n = sla_offset(entry)
            if kind == "hours":
                due = t0 + n * 3600
            elif kind == "days":
                due = t0 + n * 86400
            else:
                due = add_business_days(t0, n, zone, holidays)
        dues.setdefault(activity, due)
        sla_lines.append(sla_line(activity, due, done, now, esc_hours))
    history = objects(doc, ("review", "history"))
    if history and history[-1].get("decision") in ("rejected", "needs_revision"):
        at = parse_timestamp(history[-1]["at"])
        due = at + pnum(proto, "revision_hours") * 3600
        resubmitted = ts(doc, "timeline", "resubmitted_at")
        done = resubmitted if resubmitted is not None and resubmitted >= at else None
        sla_lines.append(sla_line("revision", due, done, now, esc_hours))

    # -- Quality (§4.3)
    c = {}
    c["deal_summary"] = Fraction(15) * sum(
        1 for i, _, ds in ITEMS if ds and states[i] in (FILLED, NA)) / 24
    c["stakeholder_map"] = Fraction(2 * sum(
        1 for r in ROLES5 if states["stakeholders." + r] in (FILLED, NA)))

    commitments = objects(doc, ("commitments",))
    if commitments:
        documented = sum(1 for e in commitments
                         if e.get("kind") in COMMITMENT_KINDS and filled(e.get("text"))
                         and isinstance(e.get("in_contract"), bool))
        validated = sum(1 for e in commitments if e.get("validated_by_cs") is True)
        c["commitments"] = Fraction(10 * documented + 5 * validated, len(commitments))
    else:
        c["commitments"] = Fraction(0)

    risks = objects(doc, ("risks",))
    rf = Fraction(2) if not absent(doc.get("churn_risk")) else Fraction(0)
    if risks:
        mitigated = sum(1 for r in risks
                        if filled(r.get("mitigation")) and not is_na(r.get("mitigation")))
        rf += 3 + Fraction(5 * mitigated, len(risks))
    c["risk_factors"] = rf

    meeting = get(doc, "meeting")
    held = ts(doc, "meeting", "held_at")
    if held is not None:
        req_map = proto["required_attendees"]
        required = None
        if isinstance(req_map, dict):
            required = req_map.get(segment) if isinstance(segment, str) and segment in req_map \
                else req_map.get("default")
        required = list(dict.fromkeys(r for r in required if isinstance(r, str))) \
            if isinstance(required, list) else []
        present = {a.get("role") for a in objects(doc, ("meeting", "attendees"))}
        c["attendance"] = (Fraction(10 * sum(1 for r in required if r in present),
                                    len(required)) if required else Fraction(10))
        covered = get(meeting, "segments_covered")
        covered = covered if isinstance(covered, list) else []
        c["agenda"] = Fraction(10 * len({s for s in covered
                                         if isinstance(s, str) and s in AGENDA_SEGMENTS}), 7)
        asked = get(meeting, "cs_questions", "asked")
        answered = get(meeting, "cs_questions", "answered")
        if absent(asked) or num(asked) <= 0:
            c["cs_questions"] = Fraction(10)
        else:
            ans = Fraction(0) if absent(answered) else num(answered)
            c["cs_questions"] = 10 * min(ans, num(asked)) / num(asked)
    else:
        c["attendance"] = c["agenda"] = c["cs_questions"] = Fraction(0)

    meeting_due = dues.get("meeting_held")
    c["handoff_sla"] = Fraction(15) if (meeting_due is not None and held is not None
                                        and held <= meeting_due) else Fraction(0)
    intro_due = dues.get("intro_sent")
    intro = ts(doc, "timeline", "intro_sent_at")
    c["intro_48h"] = Fraction(5) if (intro_due is not None and intro is not None
                                     and intro <= intro_due) else Fraction(0)

    groups = {"documentation": ("deal_summary", "stakeholder_map", "commitments",
                                "risk_factors"),
              "meeting": ("attendance", "agenda", "cs_questions"),
              "timeliness": ("handoff_sla", "intro_48h")}
    total = int(round_half_up(sum(c.values(), Fraction(0)), 0))
    quality = {"total": total, "band": band(total, proto["bands"])}
    for g, keys in groups.items():
        quality[g] = out_num(sum((c[k] for k in keys), Fraction(0)), 2)
    quality["components"] = {k: out_num(v, 2) for k, v in c.items()}

    # -- Gate (§4.4)
    payment = get(deal, "payment")
    trigger = get(deal, "trigger")
    contract_status = get(deal, "contract_status")
    pending = (contract_status != "fully_executed" and trigger == "verbal_commit"
               and segment == "strategic" and filled(get(deal, "pre_close_approved_by")))
    blockers = []
    if contract_status != "fully_executed" and not pending:
        blockers.append("contract.not_executed")
    if not pending:
        schedule = get(payment, "schedule")
        if (not filled(get(payment, "terms"))
                or schedule not in ("upfront", "installments")
                or (schedule == "upfront" and get(payment, "first_payment_received") is not True)
                or (schedule == "installments"
                    and get(payment, "schedule_established") is not True)):
            blockers.append("payment.unconfirmed")
    readiness_keys = ("crm_updated",) if pending else (
        "crm_updated", "finance_record", "cs_platform_account", "support_entitled")
    if not all(get(doc, "readiness", k) is True for k in readiness_keys):
        blockers.append("systems.not_updated")
    if percent < pnum(proto, "docs_min_percent"):
        blockers.append("docs.incomplete")
    csm_name = get(doc, "team", "csm", "name")
    if not filled(csm_name) or is_na(csm_name):
        blockers.append("cs.not_assigned")
    accounts = get(doc, "team", "csm", "accounts")
    capacity = get(doc, "team", "csm", "capacity")
    if is_number(accounts) and is_number(capacity) and accounts >= capacity:
        blockers.append("cs.over_capacity")
    if ts(doc, "meeting", "scheduled_for") is None and held is None:
        blockers.append("meeting.not_scheduled")
    gate = {"ready": not blockers, "pending_contract": pending, "blockers": blockers}

    # -- Flags (§4.5)
    flags = []
    terms_days = get(payment, "terms_days")
    if is_number(terms_days) and terms_days > pnum(proto, "standard_payment_days"):
        flags.append("payment.extended_terms")
    if get(payment, "delay_requested") is True:
        flags.append("payment.delay_requested")
    if get(payment, "po_required") is True and get(payment, "po_received") is not True:
        flags.append("payment.missing_po")
    concerns = get(payment, "finance_concerns")
    if filled(concerns) and not is_na(concerns):
        flags.append("finance.concerns")
    if any((e.get("kind") == "verbal" or e.get("in_contract") is False)
           and e.get("validated_by_cs") is not True for e in commitments):
        flags.append("commitments.unvalidated")
    weeks = get(doc, "scope", "timeline_weeks")
    impl_weeks = proto["implementation_weeks"]
    seg_weeks = impl_weeks.get(segment) if isinstance(impl_weeks, dict) and \
        isinstance(segment, str) else None
    if is_number(weeks) and is_number(seg_weeks) and weeks < seg_weeks:
        flags.append("expectations.timeline_gap")
    updated = ts(doc, "updated_at")
    if updated is not None and now - updated > pnum(proto, "stale_after_days") * 86400:
        flags.append("info.stale")
    if doc.get("churn_risk") == "high":
        flags.append("churn.high")
    if any(r.get("severity") == "high"
           and (not filled(r.get("mitigation")) or is_na(r.get("mitigation"))) for r in risks):
        flags.append("risks.unmitigated_high")
    scheduled = ts(doc, "meeting", "scheduled_for")
    if scheduled is not None:
        point = scheduled - pnum(proto, "agenda_lead_hours") * 3600
        sent = ts(doc, "meeting", "agenda_sent_at")
        if (sent is not None and sent > point) or (sent is None and now > point
                                                   and held is None):
            flags.append("agenda.late")
    if sum(1 for h in history if h.get("decision") == "rejected") >= 2:
        flags.append("review.repeated_rejections")
    if any(s.get("role") == "blocker"
           and (not filled(s.get("mitigation")) or is_na(s.get("mitigation")))
           for s in objects(doc, ("stakeholders",))):
        flags.append("stakeholders.blocker_unaddressed")

    return {
        "protocol": float(proto["version"]) if isinstance(proto["version"], Decimal)
        else proto["version"],
        "now": fmt_utc(now),
        "quality": quality,
        "completeness": completeness,
        "gate": gate,
        "flags": flags,
        "sla": sla_lines,
    }


def sla_line(activity, due, done, now, esc_hours):
    line = {"activity": activity, "due": None if due is None else fmt_utc(due),
            "done_at": None if done is None else fmt_utc(done)}
    escalation = 0
    if due is None:
        status = "not_started"
    elif done is not None:
        status = "met" if done <= due else "late"
    elif now <= due:
        status = "pending"
    else:
        status = "overdue"
        escalation = sum(1 for h in esc_hours if now - due >= h * 3600)
    line["status"] = status
    line["escalation"] = escalation
    return line


def band(total, bands):
    for name in ("excellent", "good", "acceptable"):
        threshold = bands.get(name) if isinstance(bands, dict) else None
        if is_number(threshold) and total >= threshold:
            return name
    return "substandard"


# ---------------------------------------------------------------------------------------

def reject_constant(name):
    raise ValueError("not JSON: " + name)


def load_json(path, what):
    """Parse a JSON file; text that is not JSON at all is refused like a root that is
    not a JSON object, naming `what` (`document` or `protocol`)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return json.loads(data.decode("utf-8"), parse_float=Decimal,
                          parse_constant=reject_constant)
    except (ValueError, RecursionError) as e:  # includes JSONDecodeError, bad UTF-8
        raise Invalid(what, "a JSON object") from e


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--protocol")
    ap.add_argument("--now", required=True)
    ap.add_argument("document")
    args = ap.parse_args(argv)
    now = parse_timestamp(args.now)
    if now is None:
        print("error: --now is not an RFC 3339 timestamp with an offset", file=sys.stderr)
        return 64
    try:
        proto = load_protocol(load_json(args.protocol, "protocol") if args.protocol else None)
        doc = load_json(args.document, "document")
        validate(doc)
    except Invalid as e:
        print("error: field `%s`" % e.path, file=sys.stderr)
        return EX_DATAERR
    json.dump(evaluate(doc, proto, now), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
