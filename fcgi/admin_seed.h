/* admin_seed.h: demo data and benchmark data for kesu-admin. */
#ifndef KESU_ADMIN_SEED_H
#define KESU_ADMIN_SEED_H

#include "db.h"

/*
 * Register the demo complaints (45, over the last 90 days, every channel,
 * category and level) through the normal registration path, each with its audit
 * event. Does nothing when complaints exist already. Returns KESU_OK or an error.
 */
int admin_seed_demo(struct db *db, long utc_offset_min);

/*
 * Register n synthetic complaints spread over the last 365 days, 1,000 per
 * transaction, through the normal registration path (audited). Prints progress.
 */
int admin_bench_load(struct db *db, long n, long utc_offset_min);

#endif
