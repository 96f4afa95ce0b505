/* Internals shared by the files of the demo-data generator (src/demo/); not part of the
 * public API (that is handoff/demo.h).
 *
 * Design. Generation runs in three passes so that it is deterministic, fast and true to
 * the rules:
 *
 * 1. Plan (plan.c: pure, no store). Each deal gets its own PRNG stream (random.c:
 *    xoshiro256** seeded by splitmix64 from the run seed and the deal's number), a final
 *    status from a quota, a target quality band, a review path (accepted at once, or sent
 *    back and corrected, or rejected twice), and a T0. Its story is a set of *defects* — a
 *    missing economic buyer, a verbal promise nobody validated, a meeting held after the
 *    48-hour SLA, a high risk without mitigation — chosen by evaluating the document it
 *    would end with (hf_evaluate, the real scoring) and adding defects until the score
 *    falls in the target band. Every event (documentation, submission, meeting, review,
 *    kickoff...) gets a time derived from T0 in the customer's local working hours
 *    (world.c), and T0 is moved back by whole weeks until every event the status needs
 *    lies before `now`.
 * 2. Order (plan.c). Plans are sorted by T0, so handoff ids follow time, and CSMs are
 *    assigned in that order from their load at the time (one CSM drifts over capacity).
 * 3. Write (writer.c), in batches of deals. A deal's document at any instant is a pure
 *    function of its plan, its texts (texts.c) and that instant (document.c), so each
 *    stored version is simply the document "as of" the event that wrote it. Writes that
 *    are not status changes are grouped in one transaction per batch round; a status
 *    change runs in its own.
 *
 * Floating point is limited to + - * / and sqrt (all exactly rounded), so the output does
 * not depend on the libm of the machine.
 *
 * Functions and tables shared between the files are named hf__demo_*; the types and
 * constants below have no linkage and keep the short names the generator reads best with.
 * docs/internals/demo.md tells the longer story. */
#ifndef HANDOFF_DEMO_INT_H
#define HANDOFF_DEMO_INT_H

#include "handoff/demo.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MINUTE ((hf_time)60)
#define HOUR ((hf_time)3600)
#define DAY ((hf_time)86400)
#define FOREVER INT64_MAX
#define VENDOR_DOMAIN "vendor.example"

/* ---- random.c: the PRNG streams and the draws ---- */

typedef struct rng {
    uint64_t s[4];
} rng;

/* Seed a stream: its four words come from splitmix64 starting at `seed`. */
void hf__demo_rng_seed(rng *r, uint64_t seed);
/* The next 64 bits of the stream. */
uint64_t hf__demo_rng_next(rng *r);
/* Uniform in [0, 1), from the top 53 bits of the next draw. */
double hf__demo_rng_unit(rng *r);
/* Uniform integer in [lo, hi]. */
int hf__demo_rng_int(rng *r, int lo, int hi);
/* Uniform index in [0, n). */
size_t hf__demo_rng_index(rng *r, size_t n);
/* True with probability `p`. */
bool hf__demo_rng_chance(rng *r, double p);
/* Index drawn with the given (non-negative) weights; 0 when they are all zero. */
int hf__demo_rng_weighted(rng *r, const double *w, int n);
/* A seed for stream `k` of the run seeded with `seed`; `salt` tells the uses apart. */
uint64_t hf__demo_stream_seed(uint64_t seed, uint64_t k, uint64_t salt);

/* An element of array `a` (a true array, not a pointer) drawn uniformly from stream `r`. */
#define PICK(r, a) ((a)[hf__demo_rng_index((r), COUNT_OF(a))])

/* ---- world.c: the customers' zones, countries and industries, the vendor's people ---- */

typedef enum zone {
    ZONE_NEW_YORK,
    ZONE_SAO_PAULO,
    ZONE_MEXICO_CITY,
    ZONE_BOGOTA,
    ZONE_MADRID,
    ZONE_JAKARTA
} zone;

enum lang { L_EN, L_PT, L_ES, L_ID };

typedef struct country {
    const char *name;
    enum lang lang;
    zone zone;
    int region; /* sales team: 0 North America, 1 LATAM, 2 EMEA & APAC */
    const char *language;
    const char *exchange;
    const char *security;
    const char *const *first;
    size_t nfirst;
    const char *const *last;
    size_t nlast;
    const char *const *stems;
    size_t nstems;
    const char *const *cities;
    size_t ncities;
    const char *const *systems; /* [0..1] ERPs, then others */
    size_t nsystems;
} country;

enum { C_US, C_BR, C_MX, C_ES, C_ID, C_CO, C_COUNT };

typedef struct risk_line {
    const char *category;
    const char *text;
    const char *severity;
    const char *mitigation;
} risk_line;

typedef struct industry {
    const char *name;
    const char *suffix[4][3]; /* company-name words by language: en, pt, es, id */
    const char *site;         /* "warehouses", for company_size */
    const char *users;        /* department of the end users */
    const char *champion;     /* the champion's usual title */
    const char *module;       /* the industry's product module */
    const char *object;       /* what the integration syncs */
    const char *saving;       /* where the ROI comes from */
    const char *challenge[3];
    const char *objective[3];
    const char *criteria[4];
    const char *customization[2];
    risk_line risk;
    const char *why_now; /* one %s: a month */
} industry;

typedef struct person {
    char name[64];
    char email[96];
} person;

typedef struct sales_rep {
    person who;
    int team;
    int diligence; /* 0 sloppy, 1 steady, 2 meticulous */
    bool enterprise;
} sales_rep;

typedef struct csm_profile {
    const char *focus;
    unsigned segments;  /* bits of hf_segment */
    unsigned countries; /* bits of C_* */
    int capacity;
    int base;   /* accounts a year before `now` */
    int growth; /* accounts added over the year */
    int name_country;
} csm_profile;

#define SEG_BIT(s) (1u << (unsigned)(s))
#define COUNTRY_BIT(c) (1u << (unsigned)(c))

typedef struct csm_rec {
    person who;
    const csm_profile *profile;
} csm_rec;

typedef struct org {
    person sales_managers[3];
    sales_rep reps[12];
    int nreps;
    csm_rec csms[7];
    int ncsms;
    person cs_managers[2]; /* 0: enterprise and strategic, 1: mid-market and SMB */
    person sales_engineers[3];
    person implementation[2];
    person revops;
} org;

extern const country hf__demo_countries[C_COUNT];
/* How often a customer comes from each country. */
extern const double hf__demo_country_weights[C_COUNT];
extern const industry hf__demo_industries[];
extern const int hf__demo_industry_count;

/* UTC offset of zone `z` at `t`, in minutes. */
int hf__demo_zone_offset(zone z, hf_time t);
/* RFC 3339 with the zone's offset (2026-03-10T10:00:00-03:00), written into `buf`, which
 * is returned. */
const char *hf__demo_local_time(hf_time t, zone z, char buf[HF_TIME_BUFSZ]);
/* Local day number of `t`. */
int64_t hf__demo_local_day(hf_time t, zone z);
/* The first instant at or after `t` within [from_h, to_h) local time on a weekday; when
 * `t` had to move, `jitter` minutes are added. */
hf_time hf__demo_working_time(hf_time t, zone z, int from_h, int to_h, int jitter);
/* The next half hour at or after `t` between 09:00 and 17:00 on a weekday. */
hf_time hf__demo_meeting_slot(hf_time t, zone z);
/* The English name of the month `ahead` months after the month of `t` (static storage). */
const char *hf__demo_month_after(hf_time t, int ahead);
/* Draw the vendor's organisation: managers, reps, CSMs, sales engineers, RevOps. */
void hf__demo_make_org(rng *r, org *o);

/* ---- a deal's plan: what happens to it and when (plan.c) ---- */

enum role { R_EXEC, R_CHAMPION, R_ECON, R_TECH, R_USERS, R_BLOCKER, R_INFLUENCER, R_COUNT };

/* The deal-summary items a rep may leave empty (SPEC §4.3), customer name, industry and ACV
 * aside: those come from the CRM. */
enum summary_item {
    S_SIZE,
    S_CHALLENGES,
    S_CONTEXT,
    S_PRIMARY,
    S_CRITERIA,
    S_ROI,
    S_WINS,
    S_FEATURES,
    S_INTEGRATIONS,
    S_CUSTOM,
    S_SERVICES,
    S_SUPPORT,
    S_TIMELINE,
    S_START,
    S_GO_LIVE,
    S_MILESTONES,
    S_RESOURCES,
    S_DEPENDENCIES,
    S_PAYMENT_TERMS,
    S_DISCOUNT,
    S_SPECIAL,
    S_COUNT
};

enum tech_item { T_ENVIRONMENT, T_SPECS, T_MIGRATION, T_SECURITY, T_VALIDATION, T_COUNT };

/* What a CS review found; the rep's correction fixes it. */
enum {
    RD_STAKEHOLDERS = 1u,
    RD_COMMITMENT = 2u,
    RD_TECHNICAL = 4u,
    RD_INFO = 8u,
};

/* The story of a handoff's quality: what is missing or late in its final document. */
typedef struct defects {
    uint32_t summary; /* bits of summary_item left empty */
    unsigned roles;   /* bits of R_EXEC..R_USERS not filled */
    bool verbal_unvalidated;
    int commit_unvalidated;  /* contract commitments CS has not validated */
    int commit_undocumented; /* commitments nobody marked in or out of the contract */
    bool no_commitments;
    int risks_unmitigated;
    bool no_risks;
    bool no_churn;
    bool csm_absent;
    bool cs_manager_absent;
    unsigned skipped; /* agenda segments not covered */
    int unanswered;
    bool meeting_late;
    bool intro_late;
    /* not scored: they cost completeness, raise flags or block the gate */
    unsigned tech; /* bits of tech_item left empty */
    bool why_now_missing;
    bool competitors_missing;
    bool timeline_gap;
    bool blocker_unaddressed;
} defects;

/* Events of a handoff's life; each has a time (FOREVER when it does not happen). */
enum event {
    EV_CREATE,
    EV_CSM,
    EV_DOCS_PARTIAL,
    EV_DOCS,
    EV_APPROVE,
    EV_SUBMIT,
    EV_SCHEDULE,
    EV_AGENDA,
    EV_MEETING, /* the meeting's start: a value, written by EV_SCHEDULE and EV_RECORD */
    EV_RECORD,  /* the meeting's results recorded */
    EV_INTRO,
    EV_READINESS,
    EV_REVIEW0, /* review k, fix k, resubmission k at EV_REVIEW0 + 3k, +1, +2 */
    EV_FIX0,
    EV_RESUBMIT0,
    EV_REVIEW1,
    EV_FIX1,
    EV_RESUBMIT1,
    EV_REVIEW2,
    EV_FIRST_CONTACT,
    EV_PREP,
    EV_KICKOFF_SCHEDULED,
    EV_SIGNED,
    EV_JOINT,
    EV_KICKOFF,
    EV_COMPLETE,
    EV_PAYMENT,
    EV_CANCEL,
    EV_COUNT
};
#define EV_REVIEW(k) (EV_REVIEW0 + 3 * (k))
#define EV_FIX(k) (EV_FIX0 + 3 * (k))
#define EV_RESUBMIT(k) (EV_RESUBMIT0 + 3 * (k))
#define MAX_DECISIONS 3

/* The uniform draws a plan's times are made of, one slot each, drawn once. */
enum draw {
    U_CREATE,
    U_CSM,
    U_PARTIAL,
    U_DOCS,
    U_APPROVE,
    U_SUBMIT,
    U_SCHEDULE,
    U_MEETING,
    U_MEETING_START,
    U_AGENDA,
    U_RECORD,
    U_INTRO,
    U_READINESS,
    U_REVIEW0,
    U_FIX0 = U_REVIEW0 + MAX_DECISIONS,
    U_RESUBMIT0 = U_FIX0 + MAX_DECISIONS,
    U_CONTACT = U_RESUBMIT0 + MAX_DECISIONS,
    U_PREP,
    U_KICKOFF_SCHEDULED,
    U_JOINT,
    U_KICKOFF,
    U_SIGNED,
    U_PAYMENT,
    U_COMPLETE,
    U_CANCEL,
    U_JITTER,
    U_COUNT = U_JITTER + 8
};

enum trigger { TRIGGER_CONTRACT, TRIGGER_VERBAL, TRIGGER_POC };

enum actor { ACT_CRM, ACT_REP, ACT_CSM, ACT_CS_MANAGER, ACT_REVOPS };
enum action_kind {
    A_CREATE,
    A_PUT,
    A_EDIT_TEAM,
    A_EDIT_APPROVAL,
    A_EDIT_PAYMENT,
    A_DEAL,
    A_TRANSITION
};

typedef struct action {
    hf_time at;
    uint8_t kind;     /* action_kind */
    uint8_t actor;    /* actor */
    uint8_t to;       /* A_TRANSITION: the status; A_DEAL: cancelled for a lost deal */
    uint8_t review;   /* A_TRANSITION to a decision or a resubmission: review number */
    uint8_t event;    /* the event it writes */
    uint8_t seq;      /* insertion order, for ties */
    bool is_required; /* part of reaching the status, not a trailing update */
} action;
#define MAX_ACTIONS 40

typedef struct plan {
    int number; /* generation order, before sorting by T0 */
    uint64_t seed;
    int country, industry, rep, csm, cs_manager;
    hf_segment segment;
    enum trigger trigger;
    bool hubspot;
    int employees, sites, years;
    long long acv; /* in `currency` */
    long long acv_usd;
    const char *currency;
    char company[96];
    char deal_name[160];
    char crm_id[24];

    hf_status status; /* the final status */
    hf_status
        path_status; /* whose path is walked: `status`, or the stage a cancelled one reached */
    hf_band band;    /* the band aimed at */
    hf_status decisions[MAX_DECISIONS];
    int ndecisions;
    unsigned review_mask[MAX_DECISIONS]; /* what is still wrong until fix k */
    int review_role;                     /* the role RD_STAKEHOLDERS leaves out */
    bool docs_partial, docs_late, contact_late, kickoff_late;
    int agenda_mode;            /* 0 sent the day before, 1 sent late, 2 never sent */
    unsigned readiness_missing; /* bits 1-3: finance record, CS platform, support */
    int churn;                  /* 0 low, 1 medium, 2 high */
    int duration;
    defects d;

    double u[U_COUNT];
    hf_time t0; /* contract_signed_at, or verbal_commit_at for a pre-close handoff */
    hf_time ev[EV_COUNT];
    action actions[MAX_ACTIONS];
    int nactions;
    hf_time last_required;
    hf_time final_at;
    int csm_accounts;
    int csm_capacity;
} plan;

/* ---- texts.c: everything in a document that depends neither on time nor on defects ---- */

typedef struct person_text {
    char name[64];
    const char *title;
    char objectives[160];
    const char *influence;
    const char *enthusiasm;
    const char *relationship;
    const char *communication;
    const char *concerns;
    const char *mitigation;
} person_text;

typedef struct commitment_text {
    const char *kind;
    char text[200];
    const char *owner;
    int64_t due_day;
} commitment_text;

typedef struct risk_text {
    const char *category;
    char text[200];
    const char *severity;
    const char *mitigation;
} risk_text;

typedef struct texts {
    char company_size[200];
    const char *challenge;
    char purchase_context[240];
    char why_now[240];
    const char *competitors[2];
    int ncompetitors;
    person_text people[R_COUNT];
    int user_count;
    bool has_blocker, has_influencer;
    const char *objective;
    const char *criteria[3];
    int ncriteria;
    char roi[200];
    char personal_wins[240];
    const char *features[5];
    int nfeatures;
    const char *erp;
    const char *idp;
    const char *integrations[3];
    int nintegrations;
    const char *customization;
    const char *services;
    const char *support_tier;
    int timeline_weeks;
    int standard_weeks;
    char timeline_promised[160];
    commitment_text commitments[5];
    int ncommitments;
    int verbal; /* index of the verbal commitment, or -1 */
    char environment[200];
    char specs[200];
    char migration[160];
    char validation[160];
    int64_t start_day, go_live_day;
    char milestone_names[4][96];
    int64_t milestone_days[4];
    char resources[200];
    char dependencies[3][160];
    int ndependencies;
    const char *payment_terms;
    int terms_days;
    bool installments;
    bool po_required, po_missing, delay_requested;
    const char *finance_concerns;
    const char *discount;
    const char *special_terms;
    risk_text risks[3];
    int nrisks;
    unsigned
        extra_attendees; /* 1 sales engineer, 2 implementation, 4 sales manager, 8 CS manager */
    int sales_engineer, implementer;
    int questions_asked;
    unsigned recording;
    const char *note_opening;
    const char *slip_reason;
    const char *open_topic;
    char cancel_reason[240];
    const char *accept_comment;
} texts;

/* snprintf that ignores truncation: every buffer here is sized for its longest text. */
void hf__demo_fmt(char *buf, size_t cap, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* The first word of `full`, truncated to `cap` - 1 bytes. */
void hf__demo_first_name(const char *full, char *out, size_t cap);
/* Draw a deal's texts. Pure: the same plan (seed, T0, country, industry, segment...) gives
 * the same texts, so they need not be stored. */
void hf__demo_draw_texts(const plan *p, texts *x);

/* ---- document.c: the document as of an instant ---- */

/* The document of plan `p` as it stood at `t`. The caller owns the returned reference. */
json_t *hf__demo_build_document(const plan *p, const texts *x, const org *o, hf_time t);

/* ---- plan.c: planning every deal, then ordering them ---- */

/* The final statuses of `deals` deals: a quota of each status (largest remainder; each at
 * least once from HF_STATUS_COUNT deals), shuffled with `r`. */
void hf__demo_draw_statuses(rng *r, int deals, hf_status *statuses);
/* Plan deal `number`: everything about it but its CSM, which depends on the order of all.
 * `x` is scratch space for its texts. Returns 0 or the error of hf_evaluate. */
int hf__demo_plan_deal(plan *p, int number, hf_status status, uint64_t seed, int64_t crm_base,
                       const org *o, const hf_protocol *proto, hf_time now, texts *x,
                       hf_error *err);
/* qsort comparator of plan pointers: by T0, then by number. */
int hf__demo_compare_plans(const void *va, const void *vb);
/* Assign the CSMs of `v` (sorted by T0) in order, from their load at each T0. */
void hf__demo_assign_csms(plan **v, int n, const org *o, hf_time now, uint64_t seed);

#endif
