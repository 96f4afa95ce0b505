#!/bin/sh
# Write a Salesforce Data Loader style export of N opportunities to standard output:
# every row closed-won (so each becomes a handoff), ten owners, four stages of amount.
#   bench/gen_deals.sh 1000000 > /tmp/deals.csv
n=${1:-1000}
awk -v n="$n" 'BEGIN {
    print "Id,Name,AccountId,StageName,Amount,CloseDate,OwnerId,IsWon,IsClosed,Type"
    for (i = 1; i <= n; i++) {
        printf "006B%011d,\"Deal %d, annual\",001B%011d,Closed Won,%d.00,2026-%02d-%02d,005B%011d,true,true,New Business\n",
            i, i, i % 50000, 5000 + (i * 7919) % 200000, 1 + i % 12, 1 + i % 28, i % 10
    }
}'
