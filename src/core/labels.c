/* The English labels (catalog msgids) a person reads for the machine ids of the
 * evaluation: blockers, flags, SLA activities and statuses. Every transport translates
 * them with hf_tr(); they live here so that the CLI, the pages and the service's messages
 * say the same thing. */
#include "handoff/evaluate.h"
#include "handoff/i18n.h"

#include <string.h>

const char *const hf_blocker_labels[HF_BLOCK_COUNT] = {
    N_("the contract is not fully executed"),
    N_("payment is not confirmed (terms, schedule, first payment or installment plan)"),
    N_("CRM, finance, CS platform and support are not all updated"),
    N_("the handoff document is not complete enough"),
    N_("no CSM is assigned"),
    N_("the CSM is at or over capacity"),
    N_("the handoff meeting is not scheduled")};

const char *const hf_flag_labels[HF_FLAG_COUNT] = {
    N_("payment terms are longer than standard"),
    N_("the customer asked to delay payment"),
    N_("a purchase order is required but not received"),
    N_("finance has concerns"),
    N_("a verbal or off-contract commitment is not validated by CS"),
    N_("sales promised a faster timeline than CS delivers for this segment"),
    N_("the document has not been updated recently"),
    N_("the rep rates churn risk high"),
    N_("a high-severity risk has no mitigation"),
    N_("the meeting agenda was not sent in time"),
    N_("the handoff was rejected twice or more"),
    N_("a blocker stakeholder is not addressed")};

const char *const hf_activity_labels[HF_ACT_COUNT] = {
    N_("Handoff started"),    N_("Handoff meeting held"), N_("Customer intro sent"),
    N_("First CS contact"),   N_("CS preparation done"),  N_("Kickoff scheduled"),
    N_("Joint meeting held"), N_("Kickoff held"),         N_("Revision resubmitted")};

const char *const hf_sla_status_labels[HF_SLA_STATUS_COUNT] = {N_("met"), N_("late"), N_("pending"),
                                                               N_("overdue"), N_("not started")};

int hf_band_parse(const char *name)
{
    for (int i = 0; name && i < HF_BAND_COUNT; i++)
        if (strcmp(name, hf_band_names[i]) == 0)
            return i;
    return -1;
}
