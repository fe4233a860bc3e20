/* authority.c: resolves the authority matrix into an ordered list of approvers and hashes what a signature covers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "authority.h"
#include "crypto.h"
#include "kesu.h"

#define YUAN(y) ((int64_t)(y) * 100)
#define CANON_DEPTH_MAX 512

/*
 * The domain's defaults. Each band names the whole chain up to its top signer,
 * so a 50,000-yuan plan is signed by the department head, then a deputy GM,
 * then the GM: nobody senior signs what the person closer to the case has not
 * seen yet.
 */
const struct auth_rule authority_defaults[] = {
	{ "handling_plan", -1, YUAN(1000), 0, { ROLE_DEPT_HEAD }, 1 },
	{ "handling_plan", YUAN(1000), YUAN(10000), 0, { ROLE_DEPT_HEAD, ROLE_DEPUTY_GM }, 2 },
	{ "handling_plan", YUAN(10000), -1, 0, { ROLE_DEPT_HEAD, ROLE_DEPUTY_GM, ROLE_GM }, 3 },
	{ "handling_plan", -1, -1, 1, { ROLE_GM }, 1 },
	{ "investigation_signoff", -1, -1, 0, { ROLE_DEPT_HEAD }, 1 },
	{ "penalty", -1, -1, 0, { ROLE_GM }, 1 },
	{ "8d_report", -1, -1, 0, { ROLE_QA_DIRECTOR }, 1 },
};
const size_t authority_ndefaults = sizeof(authority_defaults) / sizeof(authority_defaults[0]);

/*
 * Seniority, junior to senior; it orders a resolved list so that a band's chain
 * and a level rule's extra signer interleave correctly. 0 = may not approve:
 * the auditor changes nothing, and the administrator who edits this matrix
 * must not also be able to name themselves in it.
 */
static const int rank[ROLE__MAX] = {
	[ROLE_AGENT] = 1,
	[ROLE_DEPT_MEMBER] = 1,
	[ROLE_SUPERVISOR] = 2,
	[ROLE_QUALITY_ENGINEER] = 2,
	[ROLE_DEPT_HEAD] = 3,
	[ROLE_FINANCE] = 3,
	[ROLE_HR] = 3,
	[ROLE_QA_DIRECTOR] = 4,
	[ROLE_DEPUTY_GM] = 5,
	[ROLE_GM] = 6,
	[ROLE_AUDITOR] = 0,
	[ROLE_ADMIN] = 0,
};

static int
may_approve(enum role r)
{
	return (unsigned)r < ROLE__MAX && rank[r] > 0;
}

int
authority_rule_valid(const struct auth_rule *r)
{
	unsigned seen = 0;

	if (r == NULL || r->action == NULL || r->action[0] == '\0')
		return 0;
	if (r->nroles < 1 || r->nroles > AUTH_RULE_ROLES)
		return 0;
	if (r->severity < 0 || r->severity > 4)
		return 0;
	/* A bounded band must hold at least one amount. */
	if (r->max_amount_fen >= 0 && r->max_amount_fen <= r->min_amount_fen)
		return 0;
	for (int i = 0; i < r->nroles; i++) {
		if (!may_approve(r->roles[i]) || (seen & ROLE_BIT(r->roles[i])))
			return 0;
		if (i > 0 && rank[r->roles[i]] < rank[r->roles[i - 1]])
			return 0;
		seen |= ROLE_BIT(r->roles[i]);
	}
	return 1;
}

int
authority_rule_matches(const struct auth_rule *r, const char *action, int64_t amount, int severity)
{
	if (r->action == NULL || strcmp(r->action, action) != 0)
		return 0;
	if (r->severity != 0 && r->severity != severity)
		return 0;
	if (r->min_amount_fen >= 0 && amount <= r->min_amount_fen)
		return 0;
	if (r->max_amount_fen >= 0 && amount > r->max_amount_fen)
		return 0;
	return 1;
}

int
authority_resolve(const struct auth_rule *rules, size_t n, const char *action,
    int64_t amount_fen, int severity, enum role out[], int max)
{
	enum role list[AUTH_MAX_SIGNERS];
	unsigned seen = 0;
	int count = 0, matched = 0;

	if (rules == NULL || action == NULL || amount_fen < 0 || out == NULL)
		return -1;
	/* Two passes: the amount bands (any level) first, then the level rules. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct auth_rule *r = &rules[i];

			if ((pass == 0) != (r->severity == 0))
				continue;
			if (!authority_rule_matches(r, action, amount_fen, severity))
				continue;
			/* A row the loader should have refused covers nothing: refuse the case. */
			if (!authority_rule_valid(r)) {
				LOG_ERR("invalid authority rule for action %s: refusing", action);
				return -1;
			}
			matched = 1;
			for (int k = 0; k < r->nroles; k++) {
				if (seen & ROLE_BIT(r->roles[k]))
					continue;
				seen |= ROLE_BIT(r->roles[k]);
				list[count++] = r->roles[k];
			}
		}
	}
	if (!matched || count > max)
		return -1;
	/* Stable insertion sort by seniority: ties keep the order first named. */
	for (int i = 1; i < count; i++) {
		enum role v = list[i];
		int j = i;

		while (j > 0 && rank[list[j - 1]] > rank[v]) {
			list[j] = list[j - 1];
			j--;
		}
		list[j] = v;
	}
	memcpy(out, list, (size_t)count * sizeof(out[0]));
	return count;
}

int
authority_may_sign(const char *signer_uid, unsigned signer_roles, const char *proposer_uid,
    enum role required)
{
	if (signer_uid == NULL || signer_uid[0] == '\0' || proposer_uid == NULL ||
	    proposer_uid[0] == '\0')
		return 0;
	if (!may_approve(required) || !(signer_roles & ROLE_BIT(required)))
		return 0;
	/* Directory uids match case-insensitively: "Wang" proposing and "wang" signing is one person. */
	return strcasecmp(signer_uid, proposer_uid) != 0;
}

enum role
authority_next_signer(const enum role required[], int n, unsigned signed_roles)
{
	for (int i = 0; i < n; i++)
		if ((unsigned)required[i] < ROLE__MAX && !(signed_roles & ROLE_BIT(required[i])))
			return required[i];
	return ROLE__MAX;
}

/* A growing byte buffer for the canonical form; out of memory aborts. */
struct buf {
	char *p;
	size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? 2 * b->cap : 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
put_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			put(b, e, 2);
		} else if (c < 0x20) {
			/* One escape form for every control character, so there is one spelling. */
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			put(b, e, 6);
		} else {
			put(b, (const char *)&s[i], 1);
		}
	}
	put(b, "\"", 1);
}

static int
cmp_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void
canon(struct buf *b, struct json_object *o, int depth)
{
	char num[64];

	if (depth > CANON_DEPTH_MAX) {
		/* Only a cycle gets here; hashing part of it would sign something unseen. */
		LOG_ERR("signed content nested deeper than %d levels", CANON_DEPTH_MAX);
		abort();
	}
	switch (json_object_get_type(o)) {
	case json_type_null:
		puts_(b, "null");
		break;
	case json_type_boolean:
		puts_(b, json_object_get_boolean(o) ? "true" : "false");
		break;
	case json_type_int: {
		/* Decimal by hand: a serializer set on the object must not change the hash. */
		int64_t v = json_object_get_int64(o);

		/* get_int64 saturates; only then can the value be a uint64 above INT64_MAX. */
		if (v == INT64_MAX)
			snprintf(num, sizeof(num), "%" PRIu64, json_object_get_uint64(o));
		else
			snprintf(num, sizeof(num), "%" PRId64, v);
		puts_(b, num);
		break;
	}
	case json_type_double:
		/* %.17g round-trips every double; json-c's own format is a setting we do not control. */
		snprintf(num, sizeof(num), "%.17g", json_object_get_double(o));
		puts_(b, num);
		break;
	case json_type_string:
		put_string(b, json_object_get_string(o), (size_t)json_object_get_string_len(o));
		break;
	case json_type_array: {
		size_t n = json_object_array_length(o);

		put(b, "[", 1);
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				put(b, ",", 1);
			canon(b, json_object_array_get_idx(o, i), depth + 1);
		}
		put(b, "]", 1);
		break;
	}
	case json_type_object: {
		size_t n = (size_t)json_object_object_length(o), i = 0;
		const char **keys = xcalloc(n, sizeof(*keys));

		json_object_object_foreach(o, k, v) {
			(void)v;
			keys[i++] = k;
		}
		qsort(keys, i, sizeof(*keys), cmp_key);
		put(b, "{", 1);
		for (size_t j = 0; j < i; j++) {
			if (j > 0)
				put(b, ",", 1);
			put_string(b, keys[j], strlen(keys[j]));
			put(b, ":", 1);
			canon(b, json_object_object_get(o, keys[j]), depth + 1);
		}
		put(b, "}", 1);
		free(keys);
		break;
	}
	}
}

void
authority_content_hash(struct json_object *signed_content, char out[65])
{
	struct buf b = { NULL, 0, 0 };

	canon(&b, signed_content, 0);
	crypto_sha256_hex(b.p, b.len, out);
	free(b.p);
}
