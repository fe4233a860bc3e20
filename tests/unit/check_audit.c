/* check_audit.c: the audit trail's canonical form and hash chain (expected hashes computed with sha256sum). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "conf.h"
#include "db.h"
#include "kesu.h"
#include "check_run.h"

#define ZERO64 "0000000000000000000000000000000000000000000000000000000000000000"

static struct arena *a;

static void setup(void) { a = arena_new(); }
static void teardown(void) { arena_free(a); }

/* A known event: no "before", Chinese in a name, ':' and ',' inside the JSON. */
static struct audit_event
known(void)
{
	struct audit_event e = {
		.seq = 1,
		.at = "2026-01-02 03:04:05.123456",
		.actor_uid = "agent",
		.actor_name = "王丽",
		.actor_role = "agent",
		.entity = "complaint",
		.entity_id = "260102001",
		.action = "register",
		.before_json = NULL,
		.after_json = "{\"note\":\"a:b,c\"}",
		.request_id = "req-1",
		.client_addr = "192.0.2.1",
	};
	return e;
}

/*
 * printf '%s' "$C" | wc -c                     -> 138
 * printf '%s%s' "$ZERO64" "$C" | sha256sum     -> KNOWN_HASH
 */
#define KNOWN_CANON \
	"1:1,26:2026-01-02 03:04:05.123456,5:agent,6:王丽,5:agent,9:complaint,9:260102001," \
	"8:register,-1:,16:{\"note\":\"a:b,c\"},5:req-1,9:192.0.2.1,"
#define KNOWN_HASH "c3cc2d388dd50602233fb8b6d12e8d80466e3bf35c53d8a9ccdef5009f883cf1"
/* The next link (115 bytes), hashed after KNOWN_HASH: seq 2 by gm, before = the first's after,
 * no after, empty request id and address. */
#define NEXT_CANON \
	"1:2,26:2026-01-02 03:04:06.000001,2:gm,6:刘强,2:gm,9:complaint,9:260102001," \
	"5:close,16:{\"note\":\"a:b,c\"},-1:,0:,0:,"
#define NEXT_HASH "ced013f38e387c24919c604be0c47daff502e53a82e8c4ba93878988c7c4d43b"

START_TEST(canonical_form_is_netstrings_in_field_order)
{
	struct audit_event e = known();
	size_t len = 0;
	char *c = audit_canonical(a, &e, &len);

	ck_assert_uint_eq(len, 138);
	ck_assert_uint_eq(len, strlen(KNOWN_CANON));
	ck_assert_mem_eq(c, KNOWN_CANON, len);
	ck_assert_int_eq(c[len], '\0');
}
END_TEST

START_TEST(null_and_empty_values_are_distinct)
{
	struct audit_event e = known();
	size_t l1, l2;
	char *with_null, *with_empty;

	e.before_json = NULL;
	with_null = audit_canonical(a, &e, &l1);
	e.before_json = "";
	with_empty = audit_canonical(a, &e, &l2);
	ck_assert_ptr_nonnull(strstr(with_null, "8:register,-1:,"));
	ck_assert_ptr_nonnull(strstr(with_empty, "8:register,0:,"));
	ck_assert(l1 != l2 || memcmp(with_null, with_empty, l1) != 0);
}
END_TEST

START_TEST(separators_inside_values_do_not_shift_fields)
{
	/* Without length prefixes, "a," + "b" and "a" + ",b" would serialise alike. */
	struct audit_event e1 = known(), e2 = known();
	size_t l1, l2;
	char *c1, *c2;

	e1.request_id = "a,";
	e1.client_addr = "b";
	e2.request_id = "a";
	e2.client_addr = ",b";
	c1 = audit_canonical(a, &e1, &l1);
	c2 = audit_canonical(a, &e2, &l2);
	ck_assert(l1 != l2 || memcmp(c1, c2, l1) != 0);
}
END_TEST

START_TEST(hash_of_known_event_matches_sha256sum)
{
	struct audit_event e = known();
	size_t len;
	char *c = audit_canonical(a, &e, &len);
	char h[65];

	audit_hash(ZERO64, c, len, h);
	ck_assert_str_eq(h, KNOWN_HASH);
}
END_TEST

START_TEST(genesis_prev_is_64_zeros)
{
	struct audit_event e = known();
	size_t len;
	char *c = audit_canonical(a, &e, &len);
	char h1[65], h2[65];

	audit_hash(ZERO64, c, len, h1);
	audit_hash(NULL, c, len, h2);
	ck_assert_str_eq(h1, h2);
	ck_assert_uint_eq(strlen(ZERO64), 64);
}
END_TEST

START_TEST(second_link_hashes_the_first_links_hash)
{
	struct audit_event e = known();
	size_t len;
	char *c = audit_canonical(a, &e, &len);
	char h1[65], h2[65];

	audit_hash(ZERO64, c, len, h1);
	e.seq = 2;
	e.at = "2026-01-02 03:04:06.000001";
	e.actor_uid = "gm";
	e.actor_name = "刘强";
	e.actor_role = "gm";
	e.action = "close";
	e.before_json = "{\"note\":\"a:b,c\"}";
	e.after_json = NULL;
	e.request_id = "";
	e.client_addr = "";
	c = audit_canonical(a, &e, &len);
	ck_assert_uint_eq(len, strlen(NEXT_CANON));
	ck_assert_mem_eq(c, NEXT_CANON, len);
	audit_hash(h1, c, len, h2);
	ck_assert_str_eq(h2, NEXT_HASH);
}
END_TEST

/* Each field in turn changed by one byte (or set to NULL) changes the hash. */
START_TEST(changing_any_field_changes_the_hash)
{
	struct audit_event base = known();
	size_t len;
	char *c = audit_canonical(a, &base, &len);
	char ref[65], h[65];

	audit_hash(ZERO64, c, len, ref);
	for (int f = 0; f < 12; f++) {
		struct audit_event e = known();
		const char **p[12] = { NULL, &e.at, &e.actor_uid, &e.actor_name, &e.actor_role,
			&e.entity, &e.entity_id, &e.action, &e.before_json, &e.after_json,
			&e.request_id, &e.client_addr };

		if (f == 0) {
			e.seq = 2;
		} else if (*p[f] == NULL) {
			*p[f] = "null";
		} else {
			char *m = arena_strdup(a, *p[f]);
			m[strlen(m) - 1] ^= 1;
			*p[f] = m;
		}
		c = audit_canonical(a, &e, &len);
		audit_hash(ZERO64, c, len, h);
		ck_assert_msg(strcmp(h, ref) != 0, "field %d changed but the hash did not", f);
	}
	/* And so does a different previous hash. */
	c = audit_canonical(a, &base, &len);
	audit_hash("1000000000000000000000000000000000000000000000000000000000000000", c, len, h);
	ck_assert_str_ne(h, ref);
}
END_TEST

START_TEST(audit_write_refuses_outside_a_transaction)
{
	struct conf *c = conf_new();
	struct db *db = NULL;

	/* No password file: db_open fails at once, without any network, but gives a handle. */
	conf_set(c, "db.socket", "/nonexistent/kesu-test.sock");
	conf_set(c, "db.password_file", "/nonexistent/kesu-test.password");
	ck_assert_int_eq(db_open(&db, c), KESU_EDB);
	ck_assert_ptr_nonnull(db);
	ck_assert_int_eq(db_in_tx(db), 0);
	ck_assert_int_eq(audit_write(db, a, NULL, "complaint", "1", "register", NULL, NULL),
	    KESU_EINTERNAL);
	db_close(db);
	conf_free(c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	kesu_log_level(-1);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, canonical_form_is_netstrings_in_field_order);
	tcase_add_test(tc, null_and_empty_values_are_distinct);
	tcase_add_test(tc, separators_inside_values_do_not_shift_fields);
	tcase_add_test(tc, hash_of_known_event_matches_sha256sum);
	tcase_add_test(tc, genesis_prev_is_64_zeros);
	tcase_add_test(tc, second_link_hashes_the_first_links_hash);
	tcase_add_test(tc, changing_any_field_changes_the_hash);
	tcase_add_test(tc, audit_write_refuses_outside_a_transaction);
	suite_add_tcase(s, tc);
	return check_run(s);
}
