/* waiting.h: the header's count of what waits for the signed-in person, once per request. */
#ifndef KESU_WAITING_H
#define KESU_WAITING_H

#include "app.h"

/* The header's "My work" count for the signed-in reader (STMT_WORK_COUNT), once per request;
 * -1 (no badge) when unknown or when the query fails, so a page never fails for it. */
int64_t work_count(struct app *app, struct req *r);

#endif
