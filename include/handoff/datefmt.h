/* Dates and times as people read them: an instant in a time zone and a language's usual
 * format, and how far a deadline is ("due in 5 h", "overdue by 2 d").
 *
 * Pure functions: the zone, the language and, for relative times, `now` are parameters;
 * nothing reads the clock, the environment or the C locale, so a server formats each
 * request in its reader's zone and language. */
#ifndef HANDOFF_DATEFMT_H
#define HANDOFF_DATEFMT_H

#include "handoff/i18n.h"
#include "handoff/time.h"
#include "handoff/tz.h"

#define HF_DATEFMT_BUFSZ 64

/* The date and time of `t` in zone `tz` (NULL: UTC) as `lang` writes it:
 * en `Nov 28, 2026, 2:00 PM`; pt-BR, es and id `28/11/2026 14:00`. HF_TIME_NONE gives "".
 * Returns buf. */
char *hf_datefmt_datetime(hf_time t, const hf_tz *tz, hf_lang lang, char buf[HF_DATEFMT_BUFSZ]);

/* The date alone: en `Nov 28, 2026`; pt-BR, es and id `28/11/2026`. Returns buf. */
char *hf_datefmt_date(hf_time t, const hf_tz *tz, hf_lang lang, char buf[HF_DATEFMT_BUFSZ]);

/* How `due` stands against `now`, in `lang`, in the largest whole unit that fits (rounded
 * down): under a minute either way "due now"; then minutes below an hour, hours below two
 * days, days beyond: en "due in 45 min", "due in 5 h", "due in 3 d", "overdue by 20 min",
 * "overdue by 7 h", "overdue by 2 d" (pt-BR "vence em 5 h", "atrasado há 2 d"; es "vence en
 * 5 h", "vencido hace 2 d"; id "jatuh tempo dalam 5 jam", "terlambat 2 hari").
 * HF_TIME_NONE gives "". Returns buf. */
char *hf_datefmt_relative(hf_time due, hf_time now, hf_lang lang, char buf[HF_DATEFMT_BUFSZ]);

#endif
