/* bench_triggers_gen: the requests of make bench-triggers, one a line, written ahead so
 * that the load generator (wrk) only sends bytes. Each line is a new deal, numbered from
 * START.
 *
 *   bench_triggers_gen hubspot SECRET URI N START   ->  TIMESTAMP_MS \t SIGNATURE \t BODY
 *   bench_triggers_gen generic SECRET N START       ->  ID \t TIMESTAMP \t SIGNATURE \t BODY
 *   bench_triggers_gen api N START                  ->  BODY (a handoff/1 document)
 *
 * A HubSpot line is one closed-won event signed with signature v3 for URI at the current
 * time (the receiver accepts it for 5 minutes); a generic line one Standard Webhooks
 * deal.won message whose body says everything (no CRM to ask). */
#include "handoff/hooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "hubspot") == 0) {
        long n = strtol(argv[4], NULL, 10), start = strtol(argv[5], NULL, 10);
        long long ts = (long long)time(NULL) * 1000;
        for (long i = 0; i < n; i++) {
            char body[512], sig[HF_HOOK_SIG_B64_MAX];
            int len = snprintf(body, sizeof(body),
                               "[{\"objectId\":%ld,\"propertyName\":\"dealstage\","
                               "\"propertyValue\":\"closedwon\",\"changeSource\":\"CRM_UI\","
                               "\"eventId\":%ld,\"subscriptionId\":1,\"portalId\":1,\"appId\":1,"
                               "\"occurredAt\":%lld,\"subscriptionType\":\"deal.propertyChange\","
                               "\"attemptNumber\":0}]",
                               start + i, start + i, ts);
            hf_error err;
            if (hf_hook_hubspot_sign_v3(argv[2], "POST", argv[3], body, (size_t)len, ts, sig,
                                        &err) != 0) {
                fprintf(stderr, "bench_triggers_gen: %s\n", err.msg);
                return 1;
            }
            printf("%lld\t%s\t%s\n", ts, sig, body);
        }
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "generic") == 0) {
        long n = strtol(argv[3], NULL, 10), start = strtol(argv[4], NULL, 10);
        hf_time ts = (hf_time)time(NULL);
        for (long i = 0; i < n; i++) {
            char body[512], id[64], sig[HF_HOOK_STANDARD_SIG_MAX];
            snprintf(id, sizeof(id), "msg_%ld", start + i);
            int len = snprintf(body, sizeof(body),
                               "{\"type\":\"deal.won\",\"timestamp\":\"2026-11-02T15:00:00Z\","
                               "\"data\":{\"crm_id\":\"%ld\",\"name\":\"Deal %ld\",\"amount\":"
                               "24000.5,\"currency\":\"USD\",\"owner_email\":\"rita@vendor."
                               "example\"}}",
                               start + i, start + i);
            hf_error err;
            if (hf_hook_standard_sign(argv[2], id, ts, body, (size_t)len, sig, &err) != 0) {
                fprintf(stderr, "bench_triggers_gen: %s\n", err.msg);
                return 1;
            }
            printf("%s\t%lld\t%s\t%s\n", id, (long long)ts, sig, body);
        }
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "api") == 0) {
        long n = strtol(argv[2], NULL, 10), start = strtol(argv[3], NULL, 10);
        for (long i = 0; i < n; i++)
            printf("{\"schema\":\"handoff/1\",\"deal\":{\"crm_id\":\"%ld\",\"name\":\"Deal %ld\","
                   "\"owner\":{\"email\":\"rita@vendor.example\"},\"trigger\":"
                   "\"contract_signature\",\"contract_status\":\"fully_executed\","
                   "\"contract_signed_at\":\"2026-11-02T15:00:00Z\"},\"commercial\":{\"acv\":24000."
                   "5,\"currency\":\"USD\"},\"timeline\":{\"handoff_started_at\":\"2026-11-02T15:"
                   "00:00Z\"}}\n",
                   start + i, start + i);
        return 0;
    }
    fprintf(stderr, "usage: bench_triggers_gen hubspot SECRET URI N START | generic SECRET N "
                    "START | api N START\n");
    return 64;
}
