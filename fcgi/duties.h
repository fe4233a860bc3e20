/* duties.h: segregation of duties — nobody decides about a penalty that names them. */
#ifndef KESU_DUTIES_H
#define KESU_DUTIES_H

#include "kesu.h"

/*
 * 1 when a penalty against target_kind ("person" or "department") target_uid / target_dep
 * names the person uid (of department, holding roles): they are the penalised person, or
 * the penalised department is theirs and they head it. Such a person may appeal it and do
 * nothing else with it — not propose, sign, execute or decide its appeal. 0 otherwise, also
 * for NULL or empty values.
 */
int duties_names(const char *target_kind, const char *target_uid, const char *target_dep,
    const char *uid, const char *department, unsigned roles);

/*
 * The signer roles req[0..n) of a penalty that names the GM: the deputy GM signs in the
 * GM's place (once, in the GM's position). Returns the new count. Pure.
 */
int duties_substitute_gm(enum role *req, int n);

#endif
