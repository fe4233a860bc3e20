/* audit_proof.h: the whole audit chain verified at once by kesu-admin, in key ranges read in parallel from one snapshot. */
#ifndef KESU_AUDIT_PROOF_H
#define KESU_AUDIT_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "audit_verify.h"
#include "conf.h"

/* What a whole-chain verification found. */
struct chain_proof {
	uint64_t n;              /* events checked and intact (the head's seq when intact) */
	char last[65];           /* the hash of event n */
	uint64_t bad;            /* seq of the first broken link; 0: intact */
	char reason[200];
	size_t ncps;             /* checkpoints checked (stored and from paper) */
	size_t passed;           /* checkpoints passed through */
	unsigned parts;          /* key ranges read in parallel */
};

/*
 * Verify every event from 1 to the head, through every checkpoint stored in audit_checkpoint
 * and the npaper given (from paper), as kesu-admin audit verify does. The head, the
 * checkpoints and the first range are read in one consistent snapshot; the chain is cut into
 * audit.verify_parallel key ranges (default: the number of CPUs, at most 8), each streamed
 * by its own connection and thread in a snapshot taken just after (events are only ever
 * appended, so each sees events 1..head as they stood). A range checks its own links from
 * its first event's stored prev_hash; where two ranges meet, the earlier one's last hash
 * must be the later one's first prev_hash. KESU_OK (p->bad says whether a link is broken)
 * or KESU_EDB.
 */
int chain_prove(const struct conf *c, const struct chain_checkpoint *paper, size_t npaper, struct chain_proof *p);

#endif
