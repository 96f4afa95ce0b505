#!/usr/bin/env python3
"""Generate the `handoff evaluate` case files in tests/data/evaluate/.

Usage: make_cases.py [--examples DIR] [--out DIR] [--check]

Each case is a small change to the model document `acme-complete.json`. For a valid
case the generator writes NAME.json (+ NAME.protocol.json) and NAME.expected.json, the
output of the reference implementation oracle.py; for an invalid one NAME.json
(+ NAME.protocol.json) and NAME.error: the field path the error must name, then the
message it must give (stated by the case; the oracle checks only the path).

Every case also carries a hand-written assertion of what its name claims (a flag is
there, a component has a given value...), so a case that stopped exercising its rule
fails generation instead of silently pinning something else. The oracle must also
reproduce the four shared examples exactly; they are copied in with their own names.

--check regenerates into memory and fails if any file on disk differs (no writes).
"""

import argparse
import copy
import json
import os
import re
import sys
from decimal import Decimal

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "data", "evaluate"))
DEFAULT_EXAMPLES = "/work/shared/examples"
EXAMPLES = ("acme-complete", "messy", "pre_close", "protocol")
BASE_NOW = "2026-11-09T12:00:00Z"

DEL = object()  # patch value: remove the key


# ---------------------------------------------------------------------------------------
# Document editing

PATH_RE = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def split_path(path):
    return [int(i) if i else k for k, i in PATH_RE.findall(path)]


def patch(doc, changes):
    """Apply {"a.b[2].c": value | DEL} to a copy of doc and return it (an index one past
    the end of an array appends)."""
    doc = copy.deepcopy(doc)
    for path, value in changes.items():
        keys = split_path(path)
        obj = doc
        for k in keys[:-1]:
            obj = obj[k]
        if value is DEL:
            del obj[keys[-1]]
        elif isinstance(obj, list) and keys[-1] == len(obj):
            obj.append(value)
        else:
            obj[keys[-1]] = value
    return doc


def shift(doc, seconds):
    """Move every timestamp of the document by `seconds` (keeps the deal's shape)."""
    doc = copy.deepcopy(doc)

    def move(obj, key):
        if isinstance(obj, dict) and isinstance(obj.get(key), str):
            t = oracle.parse_timestamp(obj[key])
            if t is not None:
                obj[key] = oracle.fmt_utc(t + seconds)

    for key in ("contract_signed_at", "verbal_commit_at"):
        move(doc.get("deal"), key)
    for key in ("scheduled_for", "agenda_sent_at", "held_at"):
        move(doc.get("meeting"), key)
    for key in list(doc.get("timeline", {})):
        move(doc["timeline"], key)
    for h in doc.get("review", {}).get("history", []):
        move(h, "at")
    move(doc, "updated_at")
    return doc


H = 3600
D = 86400


# ---------------------------------------------------------------------------------------
# Assertions used by the cases

def comp(r, name):
    return r["quality"]["components"][name]


def line(r, activity):
    found = [s for s in r["sla"] if s["activity"] == activity]
    assert len(found) == 1, "no single %s line" % activity
    return found[0]


def flags_are(*expected):
    return lambda r: r["flags"] == list(expected)


def blockers_are(*expected):
    return lambda r: r["gate"]["blockers"] == list(expected)


def all_of(*checks):
    return lambda r: all(c(r) for c in checks)


def states(r, item, missing=False, na=False, invalid=False):
    c = r["completeness"]
    return ((item in c["missing"]) == missing and (item in c["not_applicable"]) == na
            and (item in c["invalid"]) == invalid)


def sla_is(activity, due, done_at, status, escalation=0):
    def check(r):
        s = line(r, activity)
        return (s["due"], s["done_at"], s["status"], s["escalation"]) == (
            due, done_at, status, escalation)
    return check


# ---------------------------------------------------------------------------------------
# The cases

class Case:
    def __init__(self, name, doc, check=None, now=BASE_NOW, protocol=None, error=None,
                 raw=None, raw_protocol=None, message=None):
        self.name, self.doc, self.check, self.now = name, doc, check, now
        self.protocol, self.error, self.message = protocol, error, message
        self.raw, self.raw_protocol = raw, raw_protocol


# The messages of the refusals, line 2 of NAME.error. The oracle decides only the field
# path; the wording is the C program's (`handoff evaluate` prints it after the path), and
# each invalid case states the message it must be refused with.
OBJECT = "expected an object"
ARRAY = "expected an array"
ARRAY_OR_NA = 'expected an array or "N/A"'
NUMBER = "expected a number"
TIMESTAMP = "expected an RFC 3339 timestamp with an offset"
STAKEHOLDER_ROLES = ("executive_sponsor, champion, economic_buyer, technical_lead, end_users, "
                     "blocker, influencer")
ATTENDEE_ROLES = ("account_executive, sales_engineer, sales_manager, csm, "
                  "implementation_specialist, cs_manager, revops, product, "
                  "professional_services, finance, customer")
SLA_ACTIVITY = ("expected an object with an activity of the SLA table (handoff_started, "
                "meeting_held, intro_sent, first_cs_contact, cs_prep_done, kickoff_scheduled, "
                "joint_meeting_held, kickoff_held)")
SLA_OFFSET = "expected exactly one of hours, days, business_days as a number >= 0"


def build_cases(base):
    cases = []

    def case(name, changes=None, check=None, doc=None, **kw):
        d = patch(doc if doc is not None else base, changes or {})
        cases.append(Case(name, d, check, **kw))

    def invalid(name, changes, error, message, **kw):
        cases.append(Case(name, patch(base, changes), error=error, message=message, **kw))

    def invalid_protocol(name, protocol, error, message, raw_protocol=None):
        cases.append(Case(name, base, protocol=protocol, error=error, message=message,
                          raw_protocol=raw_protocol))

    # ---- gate: blockers (§4.4) ------------------------------------------------------
    case("blocker-contract-not-executed-draft", {"deal.contract_status": "draft"},
         blockers_are("contract.not_executed"))
    case("blocker-contract-status-absent", {"deal.contract_status": DEL},
         blockers_are("contract.not_executed"))
    case("blocker-contract-status-is-case-sensitive",
         {"deal.contract_status": "Fully_Executed"}, blockers_are("contract.not_executed"))
    case("blocker-payment-terms-missing", {"deal.payment.terms": DEL},
         blockers_are("payment.unconfirmed"))
    case("blocker-payment-no-payment-object", {"deal.payment": DEL},
         blockers_are("payment.unconfirmed"))
    case("blocker-payment-schedule-unknown", {"deal.payment.schedule": "monthly"},
         blockers_are("payment.unconfirmed"))
    case("blocker-payment-upfront-not-received",
         {"deal.payment.first_payment_received": False}, blockers_are("payment.unconfirmed"))
    case("blocker-payment-upfront-received-string-not-true",
         {"deal.payment.first_payment_received": "true"},
         blockers_are("payment.unconfirmed"))
    case("blocker-payment-installments-not-established",
         {"deal.payment.schedule": "installments"}, blockers_are("payment.unconfirmed"))
    case("payment-installments-established-ok",
         {"deal.payment.schedule": "installments", "deal.payment.schedule_established": True,
          "deal.payment.first_payment_received": False},
         all_of(blockers_are(), lambda r: r["gate"]["ready"] is True))
    case("blocker-systems-finance-record-false", {"readiness.finance_record": False},
         blockers_are("systems.not_updated"))
    case("blocker-systems-support-entitled-missing", {"readiness.support_entitled": DEL},
         blockers_are("systems.not_updated"))
    case("blocker-systems-crm-updated-string-not-true", {"readiness.crm_updated": "true"},
         blockers_are("systems.not_updated"))
    case("blocker-docs-incomplete-one-item", {"customer.industry": DEL},
         all_of(blockers_are("docs.incomplete"),
                lambda r: r["completeness"]["percent"] == 97.4
                and r["completeness"]["filled"] == 38))
    case("blocker-cs-not-assigned-no-name", {"team.csm.name": DEL},
         blockers_are("cs.not_assigned"))
    case("blocker-cs-not-assigned-na", {"team.csm.name": " n/a "},
         blockers_are("cs.not_assigned"))
    case("blocker-cs-over-capacity-equal", {"team.csm.accounts": 25},
         blockers_are("cs.over_capacity"))
    case("cs-capacity-one-below-ok", {"team.csm.accounts": 24}, blockers_are())
    case("cs-capacity-not-numbers-ignored",
         {"team.csm.accounts": "30", "team.csm.capacity": 25}, blockers_are())
    case("blocker-meeting-not-scheduled",
         {"meeting.scheduled_for": DEL, "meeting.held_at": DEL},
         blockers_are("meeting.not_scheduled"))
    case("meeting-held-without-schedule-ok", {"meeting.scheduled_for": DEL},
         all_of(blockers_are(), flags_are()))
    case("blocker-all-seven-in-order",
         {"deal.contract_status": "in_review", "deal.payment.schedule": DEL,
          "readiness.crm_updated": False, "customer.why_now": DEL, "team.csm.name": "",
          "team.csm.accounts": 30, "meeting.scheduled_for": None, "meeting.held_at": None},
         all_of(blockers_are("contract.not_executed", "payment.unconfirmed",
                             "systems.not_updated", "docs.incomplete", "cs.not_assigned",
                             "cs.over_capacity", "meeting.not_scheduled"),
                lambda r: r["gate"]["ready"] is False))

    # ---- gate: pending contract ------------------------------------------------------
    pre = patch(base, {"deal.segment": "strategic", "deal.trigger": "verbal_commit",
                       "deal.contract_status": "in_review", "deal.contract_signed_at": DEL,
                       "deal.verbal_commit_at": "2026-11-02T15:00:00Z",
                       "deal.pre_close_approved_by": "Dana Smith"})
    case("pending-contract-skips-payment-and-most-readiness", doc=pre,
         changes={"deal.payment": DEL, "readiness": {"crm_updated": True}},
         check=all_of(blockers_are(), lambda r: r["gate"]["pending_contract"] is True
                      and r["gate"]["ready"] is True))
    case("pending-contract-crm-not-updated", doc=pre,
         changes={"readiness": {"crm_updated": False, "finance_record": True}},
         check=all_of(blockers_are("systems.not_updated"),
                      lambda r: r["gate"]["pending_contract"] is True))
    case("pending-contract-needs-approval", doc=pre,
         changes={"deal.pre_close_approved_by": "  ", "deal.payment": DEL,
                  "readiness": {"crm_updated": True}},
         check=all_of(blockers_are("contract.not_executed", "payment.unconfirmed",
                                   "systems.not_updated"),
                      lambda r: r["gate"]["pending_contract"] is False))
    case("pending-contract-only-for-strategic", doc=pre,
         changes={"deal.segment": "enterprise"},
         check=all_of(blockers_are("contract.not_executed"),
                      lambda r: r["gate"]["pending_contract"] is False))
    case("pending-contract-only-for-verbal-commit", doc=pre,
         changes={"deal.trigger": "poc_conversion"},
         check=all_of(blockers_are("contract.not_executed"),
                      lambda r: r["gate"]["pending_contract"] is False))
    case("pending-contract-not-when-fully-executed", doc=pre,
         changes={"deal.contract_status": "fully_executed", "readiness.finance_record": False},
         check=all_of(blockers_are("systems.not_updated"),
                      lambda r: r["gate"]["pending_contract"] is False))

    # ---- flags (§4.5): each firing, and a near miss ---------------------------------
    case("flag-payment-extended-terms", {"deal.payment.terms_days": 31},
         flags_are("payment.extended_terms"))
    case("flag-payment-extended-terms-at-limit-not-fired",
         {"deal.payment.terms_days": 30, "deal.payment.delay_requested": False},
         flags_are())
    case("flag-payment-extended-terms-string-not-fired", {"deal.payment.terms_days": "60"},
         flags_are())
    case("flag-payment-delay-requested", {"deal.payment.delay_requested": True},
         flags_are("payment.delay_requested"))
    case("flag-payment-delay-requested-string-not-fired",
         {"deal.payment.delay_requested": "yes"}, flags_are())
    case("flag-payment-missing-po", {"deal.payment.po_received": DEL},
         flags_are("payment.missing_po"))
    case("flag-payment-missing-po-not-required-not-fired",
         {"deal.payment.po_required": False, "deal.payment.po_received": False}, flags_are())
    case("flag-finance-concerns", {"deal.payment.finance_concerns": "Budget freeze risk"},
         flags_are("finance.concerns"))
    case("flag-finance-concerns-na-not-fired", {"deal.payment.finance_concerns": "N/A"},
         flags_are())
    case("flag-commitments-unvalidated-verbal", {"commitments[2].validated_by_cs": False},
         all_of(flags_are("commitments.unvalidated"),
                lambda r: comp(r, "commitments") == 13.33))
    case("flag-commitments-unvalidated-not-in-contract",
         {"commitments[0].in_contract": False, "commitments[0].validated_by_cs": DEL},
         flags_are("commitments.unvalidated"))
    case("flag-commitments-unvalidated-in-contract-not-fired",
         {"commitments[0].validated_by_cs": False},
         all_of(flags_are(), lambda r: comp(r, "commitments") == 13.33))
    case("flag-expectations-timeline-gap", {"scope.timeline_weeks": 9},
         flags_are("expectations.timeline_gap"))
    case("flag-expectations-timeline-gap-equal-not-fired", {"scope.timeline_weeks": 10},
         flags_are())
    case("flag-expectations-timeline-gap-smb",
         {"deal.segment": "smb", "scope.timeline_weeks": 3.5},
         flags_are("expectations.timeline_gap"))
    case("flag-info-stale", {"updated_at": "2026-11-02T11:59:59Z"}, flags_are("info.stale"))
    case("flag-info-stale-exactly-seven-days-not-fired",
         {"updated_at": "2026-11-02T12:00:00Z"}, flags_are())
    case("flag-churn-high", {"churn_risk": "high"}, flags_are("churn.high"))
    case("flag-risks-unmitigated-high", {"risks[0].mitigation": DEL},
         all_of(flags_are("risks.unmitigated_high"), lambda r: comp(r, "risk_factors") == 7.5))
    case("flag-risks-unmitigated-high-na-mitigation", {"risks[0].mitigation": "N/A"},
         all_of(flags_are("risks.unmitigated_high"), lambda r: comp(r, "risk_factors") == 7.5))
    case("flag-risks-unmitigated-medium-not-fired", {"risks[1].mitigation": ""},
         all_of(flags_are(), lambda r: comp(r, "risk_factors") == 7.5))
    case("flag-agenda-late-sent-late", {"meeting.agenda_sent_at": "2026-11-02T14:00:01Z"},
         flags_are("agenda.late"))
    case("flag-agenda-late-sent-exactly-at-lead-not-fired",
         {"meeting.agenda_sent_at": "2026-11-02T14:00:00Z"}, flags_are())
    case("flag-agenda-late-not-sent-past-lead",
         {"meeting.agenda_sent_at": DEL, "meeting.held_at": DEL,
          "meeting.scheduled_for": "2026-11-10T11:59:59Z"},
         flags_are("agenda.late"))
    case("flag-agenda-late-not-sent-at-lead-point-not-fired",
         {"meeting.agenda_sent_at": DEL, "meeting.held_at": DEL,
          "meeting.scheduled_for": "2026-11-10T12:00:00Z"},
         flags_are())
    case("flag-agenda-late-not-sent-but-held-not-fired", {"meeting.agenda_sent_at": DEL},
         flags_are())
    case("flag-review-repeated-rejections",
         {"review.history": [
             {"decision": "rejected", "at": "2026-11-03T15:00:00Z", "reasons": ["info_gaps"]},
             {"decision": "rejected", "at": "2026-11-03T15:30:00Z", "reasons": ["other"]},
             {"decision": "accepted", "at": "2026-11-03T16:00:00Z"}]},
         all_of(flags_are("review.repeated_rejections"), lambda r: len(r["sla"]) == 8))
    case("flag-review-one-rejection-not-fired",
         {"review.history": [
             {"decision": "rejected", "at": "2026-11-03T15:00:00Z"},
             {"decision": "needs_revision", "at": "2026-11-03T15:30:00Z"},
             {"decision": "accepted", "at": "2026-11-03T16:00:00Z"}]},
         flags_are())
    case("flag-stakeholders-blocker-unaddressed", {"stakeholders[5].mitigation": DEL},
         flags_are("stakeholders.blocker_unaddressed"))
    case("flag-stakeholders-blocker-mitigation-na", {"stakeholders[5].mitigation": "n/a"},
         flags_are("stakeholders.blocker_unaddressed"))
    case("flag-stakeholders-no-blocker-not-fired",
         {"stakeholders[5].role": "influencer", "stakeholders[5].mitigation": DEL},
         flags_are())
    case("flags-all-in-order",
         {"deal.payment.terms_days": 60, "deal.payment.delay_requested": True,
          "deal.payment.po_received": False, "deal.payment.finance_concerns": "late invoices",
          "commitments[2].validated_by_cs": False, "scope.timeline_weeks": 4,
          "updated_at": "2026-10-01T00:00:00Z", "churn_risk": "high",
          "risks[0].mitigation": None, "meeting.agenda_sent_at": "2026-11-03T13:00:00Z",
          "review.history": [{"decision": "rejected", "at": "2026-11-03T15:00:00Z"},
                             {"decision": "rejected", "at": "2026-11-03T15:30:00Z"},
                             {"decision": "accepted", "at": "2026-11-03T16:00:00Z"}],
          "stakeholders[5].mitigation": None},
         flags_are("payment.extended_terms", "payment.delay_requested", "payment.missing_po",
                   "finance.concerns", "commitments.unvalidated",
                   "expectations.timeline_gap", "info.stale", "churn.high",
                   "risks.unmitigated_high", "agenda.late", "review.repeated_rejections",
                   "stakeholders.blocker_unaddressed"))

    # ---- SLA status and escalation (§4.6) ------------------------------------------
    case("sla-status-met-exactly-at-due",
         {"timeline.intro_sent_at": "2026-11-04T15:00:00Z"},
         all_of(sla_is("intro_sent", "2026-11-04T15:00:00Z", "2026-11-04T15:00:00Z", "met"),
                lambda r: comp(r, "intro_48h") == 5))
    case("sla-status-late-one-second",
         {"timeline.intro_sent_at": "2026-11-04T15:00:01Z"},
         all_of(sla_is("intro_sent", "2026-11-04T15:00:00Z", "2026-11-04T15:00:01Z", "late"),
                lambda r: comp(r, "intro_48h") == 0 and r["quality"]["total"] == 95))
    case("sla-status-pending-now-equals-due", {}, now="2026-11-09T15:00:00Z",
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "pending"))
    case("sla-escalation-level-1", {}, now="2026-11-09T15:00:01Z",
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "overdue", 1))
    case("sla-escalation-level-1-just-below-24h", {}, now="2026-11-10T14:59:59Z",
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "overdue", 1))
    case("sla-escalation-level-2", {}, now="2026-11-10T15:00:00Z",
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "overdue", 2))
    case("sla-escalation-level-2-just-below-72h", {}, now="2026-11-12T14:59:59Z",
         check=all_of(
             sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "overdue", 2),
             sla_is("kickoff_held", "2026-11-12T15:00:00Z", None, "pending")))
    case("sla-escalation-level-3", {}, now="2026-11-12T15:00:00Z",
         check=all_of(
             sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "overdue", 3),
             sla_is("kickoff_held", "2026-11-12T15:00:00Z", None, "pending")))
    case("sla-escalation-level-0-below-first-protocol-threshold", {},
         now="2026-11-09T15:30:00Z", protocol={"escalation_hours": [1, 24, 72]},
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "overdue", 0))
    case("sla-escalation-protocol-thresholds", {}, now="2026-11-09T23:00:00Z",
         protocol={"escalation_hours": [2, 8, 12]},
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "overdue", 2))
    case("sla-meeting-not-held-overdue-level-3",
         {"meeting.held_at": DEL},
         all_of(sla_is("meeting_held", "2026-11-04T15:00:00Z", None, "overdue", 3),
                lambda r: r["quality"]["meeting"] == 0 and comp(r, "handoff_sla") == 0))
    case("sla-done-at-reported-in-utc",
         {"timeline.first_cs_contact_at": "2026-11-04T06:30:00-03:00"},
         sla_is("first_cs_contact", "2026-11-04T15:00:00Z", "2026-11-04T09:30:00Z", "met"))
    case("sla-late-done-is-not-escalated",
         {"timeline.kickoff_scheduled_at": "2026-11-08T10:00:00Z"},
         sla_is("kickoff_scheduled", "2026-11-07T15:00:00Z", "2026-11-08T10:00:00Z", "late"))

    # ---- T0 ------------------------------------------------------------------------
    no_t0 = patch(base, {"deal.contract_signed_at": DEL})
    case("no-t0-not-started", doc=no_t0, check=all_of(
        lambda r: all(s["status"] == "not_started" and s["due"] is None
                      and s["escalation"] == 0 for s in r["sla"]),
        sla_is("handoff_started", None, "2026-11-02T16:00:00Z", "not_started"),
        sla_is("kickoff_held", None, None, "not_started"),
        lambda r: r["quality"]["timeliness"] == 0 and r["quality"]["total"] == 80
        and r["quality"]["band"] == "good"))
    case("t0-from-verbal-commit-at",
         {"deal.contract_signed_at": DEL, "deal.verbal_commit_at": "2026-11-02T09:00:00-06:00"},
         all_of(sla_is("handoff_started", "2026-11-03T15:00:00Z", "2026-11-02T16:00:00Z",
                       "met"),
                lambda r: r["quality"]["timeliness"] == 20))
    case("t0-contract-signed-preferred-over-verbal",
         {"deal.verbal_commit_at": "2026-10-20T15:00:00Z"},
         sla_is("handoff_started", "2026-11-03T15:00:00Z", "2026-11-02T16:00:00Z", "met"))
    case("handoff-sla-pre-close-meeting-before-t0",
         {"meeting.scheduled_for": "2026-10-30T14:00:00Z",
          "meeting.agenda_sent_at": "2026-10-29T09:00:00Z",
          "meeting.held_at": "2026-10-30T14:00:00Z"},
         all_of(lambda r: comp(r, "handoff_sla") == 15,
                sla_is("meeting_held", "2026-11-04T15:00:00Z", "2026-10-30T14:00:00Z", "met")))
    case("handoff-sla-meeting-late",
         {"meeting.held_at": "2026-11-04T15:00:01Z"},
         all_of(lambda r: comp(r, "handoff_sla") == 0 and r["quality"]["total"] == 85,
                sla_is("meeting_held", "2026-11-04T15:00:00Z", "2026-11-04T15:00:01Z", "late")))
    case("intro-48h-not-sent", {"timeline.intro_sent_at": DEL},
         all_of(lambda r: comp(r, "intro_48h") == 0,
                sla_is("intro_sent", "2026-11-04T15:00:00Z", None, "overdue", 3)))
    case("timeliness-zero-when-protocol-has-no-such-sla", {},
         protocol={"sla": [{"activity": "handoff_started", "hours": 24},
                           {"activity": "kickoff_held", "days": 10}]},
         check=lambda r: comp(r, "handoff_sla") == 0 and comp(r, "intro_48h") == 0
         and [s["activity"] for s in r["sla"]] == ["handoff_started", "kickoff_held"])

    # ---- SLA offsets ---------------------------------------------------------------
    case("sla-offsets-hours-days-in-protocol-order", {},
         protocol={"sla": [{"activity": "kickoff_held", "days": 1.5},
                           {"activity": "intro_sent", "hours": 0.25},
                           {"activity": "handoff_started", "hours": 0}]},
         check=lambda r: [(s["activity"], s["due"], s["status"]) for s in r["sla"]] == [
             ("kickoff_held", "2026-11-04T03:00:00Z", "overdue"),
             ("intro_sent", "2026-11-02T15:15:00Z", "late"),
             ("handoff_started", "2026-11-02T15:00:00Z", "late")]
         and comp(r, "intro_48h") == 0)
    sat = shift(base, 5 * D - 5 * H)  # T0 Saturday 2026-11-07 10:00 UTC
    case("sla-business-days-weekend-start", doc=sat, now="2026-11-08T12:00:00Z",
         protocol={"sla": [{"activity": "joint_meeting_held", "business_days": 1}]},
         check=sla_is("joint_meeting_held", "2026-11-09T10:00:00Z", None, "pending"))
    case("sla-business-days-default-five-from-saturday", doc=sat, now="2026-11-08T12:00:00Z",
         check=sla_is("joint_meeting_held", "2026-11-13T10:00:00Z", None, "pending"))
    case("sla-business-days-friday-start", doc=shift(base, 4 * D),
         now="2026-11-07T12:00:00Z",
         protocol={"sla": [{"activity": "joint_meeting_held", "business_days": 1}]},
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "pending"))
    case("sla-business-days-zero-is-t0", doc=sat, now="2026-11-08T10:00:00Z",
         protocol={"sla": [{"activity": "joint_meeting_held", "business_days": 0}]},
         check=sla_is("joint_meeting_held", "2026-11-07T10:00:00Z", None, "overdue", 2))
    case("sla-business-days-holiday", {}, protocol={"holidays": ["2026-11-04"]},
         check=sla_is("joint_meeting_held", "2026-11-10T15:00:00Z", None, "pending"))
    case("sla-business-days-holiday-on-weekend-no-effect", {},
         protocol={"holidays": ["2026-11-07", "2026-11-08"]},
         check=sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "pending"))
    case("sla-business-days-local-date-in-timezone",
         doc=shift(base, 3 * D + 11 * H),  # T0 2026-11-06T02:00Z = Thu 23:00 in Sao Paulo
         now="2026-11-06T12:00:00Z",
         protocol={"timezone": "America/Sao_Paulo",
                   "sla": [{"activity": "joint_meeting_held", "business_days": 1}]},
         check=sla_is("joint_meeting_held", "2026-11-07T02:00:00Z", None, "pending"))
    case("sla-business-days-holiday-is-local-date",
         doc=shift(base, 10 * H),  # T0 2026-11-03T01:00Z = Mon 22:00 in Sao Paulo
         protocol={"timezone": "America/Sao_Paulo", "holidays": ["2026-11-03"],
                   "sla": [{"activity": "joint_meeting_held", "business_days": 1}]},
         check=sla_is("joint_meeting_held", "2026-11-05T01:00:00Z", None, "overdue", 3))
    jlm = {"timezone": "Asia/Jerusalem",
           "sla": [{"activity": "joint_meeting_held", "business_days": 1}]}
    case("sla-business-days-dst-gap",  # Fri 2024-03-29 02:00 -> 03:00 in Jerusalem
         {"deal.contract_signed_at": "2024-03-28T02:30:00+02:00"}, protocol=jlm,
         now="2024-03-28T12:00:00Z",
         check=sla_is("joint_meeting_held", "2024-03-29T00:30:00Z", None, "pending"))
    case("sla-business-days-dst-wall-clock-kept",
         {"deal.contract_signed_at": "2024-03-28T10:00:00+02:00"}, protocol=jlm,
         now="2024-03-28T12:00:00Z",
         check=sla_is("joint_meeting_held", "2024-03-29T07:00:00Z", None, "pending"))
    case("sla-business-days-dst-overlap",  # Thu 2024-10-31 24:00 -> 23:00 in Cairo
         {"deal.contract_signed_at": "2024-10-30T23:30:00+03:00"},
         protocol={"timezone": "Africa/Cairo",
                   "sla": [{"activity": "joint_meeting_held", "business_days": 1}]},
         now="2024-10-31T12:00:00Z",
         check=sla_is("joint_meeting_held", "2024-10-31T20:30:00Z", None, "pending"))
    case("sla-days-are-elapsed-time-across-dst",
         {"deal.contract_signed_at": "2024-03-28T10:00:00+02:00"},
         protocol={"timezone": "Asia/Jerusalem",
                   "sla": [{"activity": "joint_meeting_held", "days": 1}]},
         now="2024-03-28T12:00:00Z",
         check=sla_is("joint_meeting_held", "2024-03-29T08:00:00Z", None, "pending"))

    # ---- revision line ---------------------------------------------------------------
    nr = {"review.history": [{"decision": "needs_revision", "at": "2026-11-07T10:00:00Z",
                              "by": "Dana Smith", "reasons": ["info_gaps"]}]}
    case("revision-line-needs-revision", nr,
         all_of(lambda r: len(r["sla"]) == 9 and r["sla"][-1]["activity"] == "revision",
                sla_is("revision", "2026-11-08T10:00:00Z", None, "overdue", 2)))
    case("revision-line-rejected-done", dict(nr, **{
        "review.history[0].decision": "rejected",
        "timeline.resubmitted_at": "2026-11-07T20:00:00Z"}),
        sla_is("revision", "2026-11-08T10:00:00Z", "2026-11-07T20:00:00Z", "met"))
    case("revision-line-resubmitted-late", dict(nr, **{
        "timeline.resubmitted_at": "2026-11-08T10:00:01Z"}),
        sla_is("revision", "2026-11-08T10:00:00Z", "2026-11-08T10:00:01Z", "late"))
    case("revision-line-resubmitted-at-decision-counts", dict(nr, **{
        "timeline.resubmitted_at": "2026-11-07T10:00:00Z"}),
        sla_is("revision", "2026-11-08T10:00:00Z", "2026-11-07T10:00:00Z", "met"))
    case("revision-line-resubmitted-before-decision-not-done", dict(nr, **{
        "timeline.resubmitted_at": "2026-11-07T09:59:59Z"}), now="2026-11-08T09:00:00Z",
        check=sla_is("revision", "2026-11-08T10:00:00Z", None, "pending"))
    case("revision-line-needs-no-t0", dict(nr, **{"deal.contract_signed_at": DEL}),
         all_of(sla_is("revision", "2026-11-08T10:00:00Z", None, "overdue", 2),
                sla_is("kickoff_held", None, None, "not_started")))
    case("revision-line-protocol-revision-hours", nr, protocol={"revision_hours": 12},
         check=sla_is("revision", "2026-11-07T22:00:00Z", None, "overdue", 2))
    case("revision-line-only-when-last-decision", {"review.history": [
        {"decision": "rejected", "at": "2026-11-03T12:00:00Z"},
        {"decision": "accepted", "at": "2026-11-03T16:00:00Z"}]},
        lambda r: len(r["sla"]) == 8 and "revision" not in [s["activity"] for s in r["sla"]])

    # ---- N/A (§4.1) ------------------------------------------------------------------
    case("na-text-any-case-with-blanks", {"customer.industry": "  n/A  "},
         lambda r: states(r, "customer.industry", na=True)
         and r["completeness"]["not_applicable"] == ["customer.industry",
                                                     "commercial.special_terms"]
         and r["completeness"]["percent"] == 100 and comp(r, "deal_summary") == 15)
    case("na-list-string", {"customer.competitors_evaluated": "N/A"},
         lambda r: states(r, "customer.competitors_evaluated", na=True))
    case("na-list-element-is-just-filled", {"customer.competitors_evaluated": ["N/A"]},
         lambda r: states(r, "customer.competitors_evaluated")
         and r["completeness"]["filled"] == 39)
    case("na-date", {"implementation.start_date": "N/A"},
         lambda r: states(r, "implementation.start_date", na=True)
         and comp(r, "deal_summary") == 15)
    case("na-milestones", {"implementation.milestones": "n/a"},
         lambda r: states(r, "implementation.milestones", na=True)
         and comp(r, "deal_summary") == 15)
    case("na-role-all-na", {"stakeholders[1].name": "N/A"},
         lambda r: states(r, "stakeholders.champion", na=True)
         and comp(r, "stakeholder_map") == 10 and r["completeness"]["filled"] == 39)
    case("na-role-one-real-stakeholder-wins",
         {"stakeholders[1].title": "N/A",
          "stakeholders[6]": {"role": "champion", "name": "Ann", "title": "VP Ops"}},
         lambda r: states(r, "stakeholders.champion"))
    case("na-role-end-users-user-count", {"stakeholders[4].user_count": "N/A"},
         lambda r: states(r, "stakeholders.end_users", na=True))
    case("na-commitments", {"commitments": "N/A"},
         lambda r: states(r, "commitments", na=True) and comp(r, "commitments") == 0
         and r["flags"] == [] and r["gate"]["blockers"] == [])
    case("na-risks", {"risks": " N/A"},
         lambda r: states(r, "risks", na=True) and comp(r, "risk_factors") == 2
         and r["flags"] == [])

    # ---- completeness kinds ------------------------------------------------------------
    case("date-invalid-calendar-date", {"implementation.start_date": "2026-02-30"},
         lambda r: states(r, "implementation.start_date", missing=True, invalid=True)
         and comp(r, "deal_summary") == 14.38 and r["completeness"]["filled"] == 38)
    case("date-invalid-free-text", {"implementation.go_live_target": "Q1 2027"},
         lambda r: states(r, "implementation.go_live_target", missing=True, invalid=True))
    case("date-invalid-number", {"implementation.go_live_target": 20270129},
         lambda r: states(r, "implementation.go_live_target", missing=True, invalid=True))
    case("date-rfc3339-timestamp-accepted",
         {"implementation.start_date": "2026-11-10T09:00:00-03:00"},
         lambda r: states(r, "implementation.start_date"))
    case("date-blank-is-missing-not-invalid", {"implementation.start_date": "   "},
         lambda r: states(r, "implementation.start_date", missing=True))
    case("milestones-invalid-dates",
         {"implementation.milestones": [{"name": "Kickoff", "date": "next week"},
                                        {"name": "Go-live", "date": "2027-02-30"}]},
         lambda r: states(r, "implementation.milestones", missing=True, invalid=True))
    case("milestones-one-valid-element-suffices",
         {"implementation.milestones": [{"name": "Kickoff", "date": "TBD"},
                                        {"name": "Go-live", "date": "2027-01-29"}]},
         lambda r: states(r, "implementation.milestones"))
    case("milestones-without-name-missing-not-invalid",
         {"implementation.milestones": [{"date": "2026-11-10"}, {"name": " ", "date": "x"}]},
         lambda r: states(r, "implementation.milestones", missing=True))
    case("milestones-empty-array-missing", {"implementation.milestones": []},
         lambda r: states(r, "implementation.milestones", missing=True))
    case("list-needs-a-filled-string",
         {"scope.features": [1, True, " "], "scope.integrations": "Okta only"},
         lambda r: states(r, "scope.features", missing=True)
         and states(r, "scope.integrations"))
    case("text-kinds-number-bool-filled-array-object-not",
         {"commercial.acv": 0, "objectives.roi_expectation": False,
          "customer.company_size": ["1,200 employees"], "customer.industry": {"x": "y"}},
         lambda r: states(r, "commercial.acv") and states(r, "objectives.roi_expectation")
         and states(r, "customer.company_size", missing=True)
         and states(r, "customer.industry", missing=True))
    case("role-person-needs-name-and-title", {"stakeholders[0].title": DEL},
         lambda r: states(r, "stakeholders.executive_sponsor", missing=True)
         and comp(r, "stakeholder_map") == 8)
    case("role-end-users-needs-department-and-user-count",
         {"stakeholders[4].department": None, "stakeholders[4].name": "Ops team",
          "stakeholders[4].title": "Users"},
         lambda r: states(r, "stakeholders.end_users", missing=True))
    case("role-end-users-user-count-zero-filled", {"stakeholders[4].user_count": 0},
         lambda r: states(r, "stakeholders.end_users"))
    case("stakeholder-map-counts-only-the-five-roles",
         {"stakeholders": [{"role": "blocker", "name": "A", "title": "B", "mitigation": "m"},
                           {"role": "influencer", "name": "C", "title": "D"},
                           {"role": "champion", "name": "E", "title": "F"}]},
         lambda r: comp(r, "stakeholder_map") == 2 and r["completeness"]["missing"] == [
             "stakeholders.executive_sponsor", "stakeholders.economic_buyer",
             "stakeholders.technical_lead", "stakeholders.end_users"])

    # ---- commitments and risk factors ----------------------------------------------------
    case("commitments-score-documented-and-validated",
         {"commitments[0].in_contract": "yes", "commitments[1].validated_by_cs": "true",
          "commitments[2].kind": DEL, "commitments[2].validated_by_cs": False},
         lambda r: comp(r, "commitments") == 5 and r["flags"] == ["commitments.unvalidated"])
    case("commitments-score-thirds",
         {"commitments[1].text": " ", "commitments[2].validated_by_cs": DEL},
         lambda r: comp(r, "commitments") == 10 and states(r, "commitments"))
    case("commitments-empty-array", {"commitments": []},
         lambda r: comp(r, "commitments") == 0 and states(r, "commitments", missing=True))
    case("risk-factors-no-churn-risk", {"churn_risk": None},
         lambda r: comp(r, "risk_factors") == 8 and states(r, "churn_risk", missing=True))
    case("risk-factors-partial-mitigation",
         {"risks[2]": {"category": "budget", "text": "Budget cut", "severity": "low"}},
         lambda r: comp(r, "risk_factors") == 8.33)
    case("risk-factors-empty-risks", {"risks": []},
         lambda r: comp(r, "risk_factors") == 2 and states(r, "risks", missing=True))
    case("risk-factors-text-optional-for-score",
         {"risks": [{"severity": "low", "mitigation": "Monitor"}]},
         lambda r: comp(r, "risk_factors") == 10 and states(r, "risks", missing=True))

    # ---- meeting execution -------------------------------------------------------------
    case("meeting-not-held-components-zero", {"meeting.held_at": ""},
         lambda r: [comp(r, k) for k in ("attendance", "agenda", "cs_questions",
                                         "handoff_sla")] == [0, 0, 0, 0]
         and r["gate"]["blockers"] == [])
    case("attendance-partial", {"meeting.attendees": [
        {"name": "Jane Park", "role": "account_executive"},
        {"name": "Jane Park", "role": "account_executive"},
        {"name": "Dana Smith", "role": "cs_manager"}]},
        lambda r: comp(r, "attendance") == 5)
    case("attendance-strategic-requires-cs-manager",
         {"deal.segment": "strategic", "meeting.attendees[2].role": "sales_manager"},
         lambda r: comp(r, "attendance") == 6.67)
    case("attendance-strategic-complete", {"deal.segment": "strategic"},
         lambda r: comp(r, "attendance") == 10)
    case("attendance-protocol-required-by-segment", {},
         protocol={"required_attendees": {"enterprise": ["account_executive", "csm",
                                                         "sales_engineer", "cs_manager"],
                                          "default": ["csm"]}},
         check=lambda r: comp(r, "attendance") == 7.5)
    case("attendance-protocol-default-when-segment-not-listed", {"deal.segment": "smb"},
         protocol={"required_attendees": {"enterprise": ["csm"],
                                          "default": ["account_executive", "finance"]}},
         check=lambda r: comp(r, "attendance") == 5)
    case("agenda-distinct-valid-segments", {"meeting.segments_covered": [
        "customer_overview", "customer_overview", "Risks", "lunch", "risks", 7]},
        lambda r: comp(r, "agenda") == 2.86)
    case("agenda-no-segments", {"meeting.segments_covered": DEL},
         lambda r: comp(r, "agenda") == 0)
    case("cs-questions-asked-absent", {"meeting.cs_questions": {"answered": 2}},
         lambda r: comp(r, "cs_questions") == 10)
    case("cs-questions-asked-zero", {"meeting.cs_questions": {"asked": 0, "answered": 0}},
         lambda r: comp(r, "cs_questions") == 10)
    case("cs-questions-asked-negative", {"meeting.cs_questions": {"asked": -3}},
         lambda r: comp(r, "cs_questions") == 10)
    case("cs-questions-answered-more-than-asked",
         {"meeting.cs_questions": {"asked": 4, "answered": 9}},
         lambda r: comp(r, "cs_questions") == 10)
    case("cs-questions-answered-absent", {"meeting.cs_questions": {"asked": 4}},
         lambda r: comp(r, "cs_questions") == 0 and r["quality"]["total"] == 90)
    case("cs-questions-partial", {"meeting.cs_questions": {"asked": 7, "answered": 3}},
         lambda r: comp(r, "cs_questions") == 4.29 and r["quality"]["meeting"] == 24.29)

    # ---- rounding and bands -------------------------------------------------------------
    # 21 of 24 deal-summary items: 15*21/24 = 13.125 -> 13.13 (half-even would give 13.12)
    three_gone = {"objectives.personal_wins": DEL, "scope.support_tier": DEL,
                  "commercial.discount": DEL}
    case("rounding-half-up-deal-summary", three_gone,
         lambda r: comp(r, "deal_summary") == 13.13 and r["completeness"]["percent"] == 92.3)
    case("rounding-half-up-total", {"meeting.cs_questions": {"asked": 4, "answered": 1}},
         lambda r: comp(r, "cs_questions") == 2.5 and r["quality"]["total"] == 93)
    # 13.125 + 10 + 15 + 2+3+5*2/3: components round to 13.13 and 6.67 (sum 44.80),
    # documentation rounds its exact sum 44.7916.. to 44.79
    case("rounding-subtotal-from-exact-sum", dict(three_gone, **{
        "risks[2]": {"category": "budget", "text": "Budget cut", "severity": "low"},
        "risks[1].mitigation": DEL}),
        lambda r: comp(r, "deal_summary") == 13.13 and comp(r, "risk_factors") == 6.67
        and r["quality"]["documentation"] == 44.79)
    # exact total 94.4996 -> 94, although the rounded components add up to 94.50
    case("rounding-total-from-exact-sum",
         {"meeting.cs_questions": {"asked": 10, "answered": 4.4996}},
         lambda r: comp(r, "cs_questions") == 4.5 and r["quality"]["meeting"] == 24.5
         and r["quality"]["total"] == 94
         and abs(sum(r["quality"]["components"].values()) - 94.5) < 1e-9)
    case("rounding-percent-one-decimal", {"customer.industry": "", "risks": None},
         lambda r: r["completeness"]["percent"] == 94.9 and r["completeness"]["filled"] == 37)
    case("band-excellent-at-90", {"meeting.cs_questions": {"asked": 5, "answered": 0}},
         lambda r: r["quality"]["total"] == 90 and r["quality"]["band"] == "excellent")
    case("band-good-at-89", {"meeting.cs_questions": {"asked": 10, "answered": 1},
                             "stakeholders[0].name": DEL},
         lambda r: r["quality"]["total"] == 89 and r["quality"]["band"] == "good")
    case("band-acceptable-at-70",
         {"meeting.cs_questions": {"asked": 5, "answered": 0}, "meeting.attendees": [],
          "meeting.segments_covered": []},
         lambda r: r["quality"]["total"] == 70 and r["quality"]["band"] == "acceptable")
    case("band-substandard-at-69",
         {"meeting.cs_questions": {"asked": 10, "answered": 1}, "meeting.attendees": [],
          "meeting.segments_covered": [], "stakeholders[0].name": DEL},
         lambda r: r["quality"]["total"] == 69 and r["quality"]["band"] == "substandard")
    case("bands-from-protocol", {"meeting.cs_questions": {"asked": 10, "answered": 2}},
         protocol={"version": "acme-bands", "bands": {"excellent": 95, "good": 92,
                                                      "acceptable": 75}},
         check=lambda r: r["quality"]["total"] == 92 and r["quality"]["band"] == "good"
         and r["protocol"] == "acme-bands")

    # ---- protocol thresholds -------------------------------------------------------------
    case("protocol-docs-min-percent-compares-rounded-percent",
         {"customer.industry": "", "risks": None}, protocol={"docs_min_percent": 94.9},
         check=lambda r: r["gate"]["blockers"] == [] and r["protocol"] == "2026.1")
    case("protocol-docs-min-percent-below",
         {"customer.industry": "", "risks": None}, protocol={"docs_min_percent": 95},
         check=blockers_are("docs.incomplete"))
    case("protocol-standard-payment-days", {"deal.payment.terms_days": 60},
         protocol={"standard_payment_days": 60}, check=flags_are())
    case("protocol-stale-after-days", {"updated_at": "2026-11-08T11:59:59Z"},
         protocol={"stale_after_days": 1}, check=flags_are("info.stale"))
    case("protocol-agenda-lead-hours", {}, protocol={"agenda_lead_hours": 25},
         check=flags_are("agenda.late"))
    case("protocol-implementation-weeks", {"scope.timeline_weeks": 12},
         protocol={"implementation_weeks": {"enterprise": 16}},
         check=flags_are("expectations.timeline_gap"))
    case("protocol-implementation-weeks-segment-not-listed", {"scope.timeline_weeks": 1},
         protocol={"implementation_weeks": {"smb": 16}}, check=flags_are())

    # ---- valid edge inputs (§3) ------------------------------------------------------------
    case("valid-null-and-empty-string-are-absent",
         {"deal.segment": None, "deal.trigger": "", "churn_risk": "",
          "meeting.agenda_sent_at": "", "timeline.joint_meeting_held_at": None,
          "review": None, "meeting.cs_questions": {"asked": None, "answered": ""},
          "customer": None},
         lambda r: r["completeness"]["missing"][:7] == [
             "customer.company_name", "customer.industry", "customer.company_size",
             "customer.business_challenges", "customer.purchase_context", "customer.why_now",
             "customer.competitors_evaluated"]
         and states(r, "churn_risk", missing=True) and comp(r, "cs_questions") == 10
         and comp(r, "attendance") == 10)
    case("valid-unknown-keys-ignored",
         {"x_custom": {"anything": [1, 2]}, "deal.x_stage": 7, "meeting.x_room": "B",
          "stakeholders[0].x_linkedin": "in/maria"},
         lambda r: r["quality"]["total"] == 100 and r["flags"] == [])
    case("timestamp-syntax-variants",
         {"deal.contract_signed_at": " 2026-11-02t15:00:00z ",
          "timeline.handoff_started_at": "2026-11-02 13:00:00-03:00",
          "timeline.intro_sent_at": "2026-11-04T00:30:00+05:30",
          "meeting.held_at": "2026-11-03T14:00:00.5Z"},
         all_of(sla_is("handoff_started", "2026-11-03T15:00:00Z", "2026-11-02T16:00:00Z",
                       "met"),
                sla_is("intro_sent", "2026-11-04T15:00:00Z", "2026-11-03T19:00:00Z", "met")))
    case("timestamp-fraction-dropped",
         {"deal.contract_signed_at": "2026-11-02T15:00:00.999Z",
          "timeline.first_cs_contact_at": "2026-11-04T09:00:00.999999999Z"},
         all_of(sla_is("first_cs_contact", "2026-11-04T15:00:00Z", "2026-11-04T09:00:00Z",
                       "met"),
                sla_is("joint_meeting_held", "2026-11-09T15:00:00Z", None, "pending")))
    case("timestamp-leap-day", {"updated_at": "2028-02-29T23:59:59+14:00"},
         flags_are())
    # fractions count in comparisons and are only dropped when printed
    case("timestamp-fraction-half-second-late",
         {"timeline.handoff_started_at": "2026-11-03T15:00:00.5Z"},
         sla_is("handoff_started", "2026-11-03T15:00:00Z", "2026-11-03T15:00:00Z", "late"))
    case("timestamp-fraction-t0-carries-into-due",
         {"deal.contract_signed_at": "2026-11-02T15:00:00.75Z",
          "timeline.handoff_started_at": "2026-11-03T15:00:00.5Z"},
         sla_is("handoff_started", "2026-11-03T15:00:00Z", "2026-11-03T15:00:00Z", "met"))
    case("null-elements-in-lists-are-absent",
         {"stakeholders[6]": None, "risks[2]": None, "commitments[3]": ""},
         flags_are())

    # ---- invalid documents (§3) -------------------------------------------------------------
    cases.append(Case("invalid-document-array", None, raw="[]\n", error="document",
                      message="expected a JSON object"))
    cases.append(Case("invalid-document-string", None, raw='"handoff"\n', error="document",
                      message="invalid JSON at line 1, column 9: "
                              "'[' or '{' expected near '\"handoff\"'"))
    cases.append(Case("invalid-document-null", None, raw="null\n", error="document",
                      message="invalid JSON at line 1, column 4: "
                              "'[' or '{' expected near 'null'"))
    invalid("invalid-deal-not-object", {"deal": "Acme"}, "deal",
            message=OBJECT)
    invalid("invalid-deal-owner-array", {"deal.owner": ["Jane Park"]}, "deal.owner",
            message=OBJECT)
    invalid("invalid-deal-payment-string", {"deal.payment": "Net 30"}, "deal.payment",
            message=OBJECT)
    invalid("invalid-customer-na-string", {"customer": "N/A"}, "customer",
            message=OBJECT)
    invalid("invalid-team-csm-string", {"team.csm": "Rui Costa"}, "team.csm",
            message=OBJECT)
    invalid("invalid-readiness-array", {"readiness": [True]}, "readiness",
            message=OBJECT)
    invalid("invalid-cs-questions-number", {"meeting.cs_questions": 6},
            "meeting.cs_questions",
            message=OBJECT)
    invalid("invalid-timeline-bool", {"timeline": True}, "timeline",
            message=OBJECT)
    invalid("invalid-stakeholders-object", {"stakeholders": {"role": "champion"}},
            "stakeholders",
            message=ARRAY)
    invalid("invalid-stakeholders-na", {"stakeholders": "N/A"}, "stakeholders",
            message=ARRAY)
    invalid("invalid-stakeholder-element-string", {"stakeholders[3]": "Ana Lima"},
            "stakeholders[3]",
            message=OBJECT)
    invalid("invalid-commitments-string-not-na", {"commitments": "none"}, "commitments",
            message=ARRAY_OR_NA)
    invalid("invalid-commitment-element-string", {"commitments": ["SAP integration"]},
            "commitments[0]",
            message=OBJECT)
    invalid("invalid-risk-element-array", {"risks[1]": ["Warehouse IT"]}, "risks[1]",
            message=OBJECT)
    invalid("invalid-attendees-element-number", {"meeting.attendees[1]": 3},
            "meeting.attendees[1]",
            message=OBJECT)
    invalid("invalid-segments-covered-string", {"meeting.segments_covered": "all"},
            "meeting.segments_covered",
            message=ARRAY)
    invalid("invalid-review-history-object", {"review.history": {"decision": "accepted"}},
            "review.history",
            message=ARRAY)
    invalid("invalid-cs-questions-asked-string", {"meeting.cs_questions.asked": "6"},
            "meeting.cs_questions.asked",
            message=NUMBER)
    invalid("invalid-cs-questions-answered-bool", {"meeting.cs_questions.answered": True},
            "meeting.cs_questions.answered",
            message=NUMBER)
    invalid("invalid-enum-segment-case-sensitive", {"deal.segment": "Enterprise"},
            "deal.segment",
            message="expected one of strategic, enterprise, mid_market, smb")
    invalid("invalid-enum-segment-number", {"deal.segment": 2}, "deal.segment",
            message="expected one of strategic, enterprise, mid_market, smb")
    invalid("invalid-enum-trigger", {"deal.trigger": "handshake"}, "deal.trigger",
            message="expected one of contract_signature, verbal_commit, poc_conversion")
    invalid("invalid-enum-churn-risk", {"churn_risk": "critical"}, "churn_risk",
            message="expected one of low, medium, high")
    invalid("invalid-enum-commitment-kind", {"commitments[1].kind": "Verbal"},
            "commitments[1].kind",
            message="expected one of scope, service, timeline, commercial, verbal")
    invalid("invalid-enum-risk-severity", {"risks[0].severity": "severe"},
            "risks[0].severity",
            message="expected one of low, medium, high")
    invalid("invalid-stakeholder-role-missing", {"stakeholders[2].role": DEL},
            "stakeholders[2].role",
            message="required: expected one of " + STAKEHOLDER_ROLES)
    invalid("invalid-stakeholder-role-empty", {"stakeholders[0].role": ""},
            "stakeholders[0].role",
            message="required: expected one of " + STAKEHOLDER_ROLES)
    invalid("invalid-stakeholder-role-unknown", {"stakeholders[5].role": "detractor"},
            "stakeholders[5].role",
            message="expected one of " + STAKEHOLDER_ROLES)
    invalid("invalid-attendee-role-missing", {"meeting.attendees[2].role": None},
            "meeting.attendees[2].role",
            message="required: expected one of " + ATTENDEE_ROLES)
    invalid("invalid-attendee-role-unknown", {"meeting.attendees[0].role": "ae"},
            "meeting.attendees[0].role",
            message="expected one of " + ATTENDEE_ROLES)
    invalid("invalid-review-decision-missing", {"review.history[0].decision": DEL},
            "review.history[0].decision",
            message="required: expected one of accepted, needs_revision, rejected")
    invalid("invalid-review-decision-unknown", {"review.history[0].decision": "approved"},
            "review.history[0].decision",
            message="expected one of accepted, needs_revision, rejected")
    invalid("invalid-review-at-missing", {"review.history[0].at": DEL},
            "review.history[0].at",
            message="required: " + TIMESTAMP)
    invalid("invalid-timestamp-no-offset", {"meeting.held_at": "2026-11-03T14:00:00"},
            "meeting.held_at",
            message=TIMESTAMP)
    invalid("invalid-timestamp-seconds-60",
            {"deal.contract_signed_at": "2026-11-02T15:00:60Z"}, "deal.contract_signed_at",
            message=TIMESTAMP)
    invalid("invalid-timestamp-bad-calendar-date",
            {"meeting.scheduled_for": "2026-02-29T14:00:00Z"}, "meeting.scheduled_for",
            message=TIMESTAMP)
    invalid("invalid-timestamp-hour-24", {"meeting.agenda_sent_at": "2026-11-02T24:00:00Z"},
            "meeting.agenda_sent_at",
            message=TIMESTAMP)
    invalid("invalid-timestamp-date-only", {"deal.verbal_commit_at": "2026-10-30"},
            "deal.verbal_commit_at",
            message=TIMESTAMP)
    invalid("invalid-timestamp-offset-without-colon",
            {"timeline.intro_sent_at": "2026-11-03T17:00:00+0300"}, "timeline.intro_sent_at",
            message=TIMESTAMP)
    invalid("invalid-timestamp-number", {"updated_at": 1762182000}, "updated_at",
            message=TIMESTAMP)
    invalid("invalid-timestamp-resubmitted-at",
            {"timeline.resubmitted_at": "yesterday"}, "timeline.resubmitted_at",
            message=TIMESTAMP)
    invalid("invalid-timestamp-review-at", {"review.history[0].at": "2026-11-03 16:00"},
            "review.history[0].at",
            message=TIMESTAMP)

    # ---- protocol errors (§5) -------------------------------------------------------------
    invalid_protocol("protocol-invalid-not-object", None, "protocol",
                     raw_protocol='["2026.1"]\n',
                     message="expected a JSON object")
    invalid_protocol("protocol-invalid-timezone", {"timezone": "Mars/Olympus_Mons"},
                     "timezone",
                     message='expected an IANA time zone name, not "Mars/Olympus_Mons"')
    invalid_protocol("protocol-invalid-timezone-not-string", {"timezone": -3}, "timezone",
                     message="expected an IANA time zone name")
    invalid_protocol("protocol-invalid-sla-unknown-activity",
                     {"sla": [{"activity": "handoff_started", "hours": 24},
                              {"activity": "go_live", "days": 90}]}, "sla[1]",
                     message=SLA_ACTIVITY)
    invalid_protocol("protocol-invalid-sla-two-offsets",
                     {"sla": [{"activity": "meeting_held", "hours": 48, "days": 2}]},
                     "sla[0]",
                     message=SLA_OFFSET)
    invalid_protocol("protocol-invalid-sla-no-offset",
                     {"sla": [{"activity": "meeting_held", "hours": 48},
                              {"activity": "intro_sent"}]}, "sla[1]",
                     message=SLA_OFFSET)
    invalid_protocol("protocol-invalid-sla-negative-offset",
                     {"sla": [{"activity": "kickoff_held", "business_days": -1}]}, "sla[0]",
                     message=SLA_OFFSET)
    invalid_protocol("protocol-invalid-sla-offset-string",
                     {"sla": [{"activity": "kickoff_held", "days": "10"}]}, "sla[0]",
                     message=SLA_OFFSET)
    invalid_protocol("protocol-invalid-holiday-format",
                     {"holidays": ["2026-12-25", "2026/12/31"]}, "holidays[1]",
                     message="expected a YYYY-MM-DD date")
    invalid_protocol("protocol-invalid-escalation-two-numbers",
                     {"escalation_hours": [0, 24]}, "escalation_hours",
                     message="expected 3 numbers")
    invalid_protocol("protocol-invalid-escalation-string-element",
                     {"escalation_hours": [0, "24", 72]}, "escalation_hours",
                     message="expected 3 numbers")
    return cases


# ---------------------------------------------------------------------------------------
# Writing

def dumps(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def render(case):
    """{filename: text} for one case, after checking it with the oracle."""
    files = {}
    doc_text = case.raw if case.raw is not None else dumps(case.doc)
    files[case.name + ".json"] = doc_text
    proto_text = case.raw_protocol
    if proto_text is None and case.protocol is not None:
        proto_text = dumps(case.protocol)
    if proto_text is not None:
        files[case.name + ".protocol.json"] = proto_text

    def parse(text):
        return json.loads(text, parse_float=Decimal, parse_constant=oracle.reject_constant)

    try:
        proto = oracle.load_protocol(parse(proto_text) if proto_text is not None else None)
        doc = parse(doc_text)
        oracle.validate(doc)
    except oracle.Invalid as e:
        if case.error is None:
            raise SystemExit("%s: unexpected error at %s" % (case.name, e.path))
        if e.path != case.error:
            raise SystemExit("%s: error at %s, expected %s" % (case.name, e.path, case.error))
        if not case.message:
            raise SystemExit("%s: an invalid case states its message" % case.name)
        files[case.name + ".error"] = case.error + "\n" + case.message + "\n"
        return files
    if case.error is not None:
        raise SystemExit("%s: expected an error at %s, got none" % (case.name, case.error))
    result = oracle.evaluate(doc, proto, oracle.parse_timestamp(case.now))
    if case.check is None or not case.check(result):
        raise SystemExit("%s: the result does not show what the case is named for:\n%s"
                         % (case.name, dumps(result)))
    files[case.name + ".expected.json"] = dumps(result)
    return files


def example_files(examples_dir, out_dir):
    """The shared examples: verified against the oracle, copied byte for byte."""
    files = {}
    for name in EXAMPLES:
        src = examples_dir if os.path.isfile(os.path.join(examples_dir, name + ".json")) \
            else out_dir
        texts = {}
        for suffix in (".json", ".expected.json", ".protocol.json"):
            path = os.path.join(src, name + suffix)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    texts[name + suffix] = f.read()
        expected = json.loads(texts[name + ".expected.json"])
        proto_text = texts.get(name + ".protocol.json")
        proto = oracle.load_protocol(json.loads(proto_text, parse_float=Decimal)
                                     if proto_text else None)
        doc = json.loads(texts[name + ".json"], parse_float=Decimal)
        oracle.validate(doc)
        got = oracle.evaluate(doc, proto, oracle.parse_timestamp(expected["now"]))
        if json.loads(json.dumps(got)) != expected:
            raise SystemExit("oracle does not reproduce the shared example %s" % name)
        files.update(texts)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", default=DEFAULT_EXAMPLES,
                    help="directory of the shared examples (default %(default)s; "
                         "falls back to the copies in --out)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true",
                    help="verify the files on disk instead of writing them")
    args = ap.parse_args()

    files = example_files(args.examples, args.out)
    base = json.loads(files["acme-complete.json"])
    cases = build_cases(base)
    names = [c.name for c in cases]
    dupes = {n for n in names if names.count(n) > 1} | (set(names) & set(EXAMPLES))
    if dupes:
        raise SystemExit("duplicate case names: %s" % ", ".join(sorted(dupes)))
    for c in cases:
        files.update(render(c))

    if args.check:
        bad = []
        for name, text in sorted(files.items()):
            path = os.path.join(args.out, name)
            if not os.path.isfile(path) or open(path, encoding="utf-8").read() != text:
                bad.append(name)
        on_disk = [n for n in os.listdir(args.out) if n.endswith((".json", ".error"))] \
            if os.path.isdir(args.out) else []
        stale = sorted(set(on_disk) - set(files))
        for name in bad:
            print("differs: " + name, file=sys.stderr)
        for name in stale:
            print("not generated: " + name, file=sys.stderr)
        if bad or stale:
            return 1
    else:
        os.makedirs(args.out, exist_ok=True)
        for name, text in files.items():
            with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
                f.write(text)
    print("%d cases (%d examples, %d invalid)" % (
        len(cases) + len(EXAMPLES), len(EXAMPLES), sum(1 for c in cases if c.error)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
