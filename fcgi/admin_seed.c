/* admin_seed.c: demo data and benchmark data, registered through the same path as the form's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_seed.h"
#include "audit.h"
#include "complaint.h"
#include "search_sync.h"
#include "stats_fold.h"

static const char *const names[] = { "张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄晓明",
	"周杰", "吴磊", "徐静蕾", "孙丽", "马超", "朱婷", "胡军", "郭晶晶" };
static const char *const companies[] = { "", "华东机电有限公司", "深圳市鑫达电子", "北京恒通贸易",
	"成都蓉城家电商行", "", "苏州工业园区精密制造", "广州南方物流" };
static const char *const products[] = { "KS-200 空气净化器", "KS-310 加湿器", "KM-45 电机总成",
	"KP-8 控制面板", "KB-12 包装套件", "KS-500 商用净化机" };
static const char *const parts[] = { "KS200-A01", "KS310-B07", "KM45-C12", "KP8-D03", "KB12-E01", "KS500-F22" };
static const char *const stories[] = {
	"客户反映收到的产品开机后异响，使用两天后无法启动。",
	"客服人员电话回复不及时，客户等待超过三天未获答复。",
	"合同约定的交货期延误两周，客户要求按合同赔偿。",
	"外包装破损，产品外壳有明显划痕，疑为运输途中损坏。",
	"客户建议在说明书中增加滤网更换周期的说明。",
	"客户对退换货政策理解有误，认为超过七天也可无理由退货。",
	"客户反映发票信息与订单不符，需要重开。",
};
static const char *const demands_for_cat[] = { "replacement", "apology", "compensation", "return",
	"explanation", "explanation", "explanation" };

struct seed_ctx {
	struct arena *a;
	struct complaint_in in;
	const struct audit_actor *who;
	const char *owner_uid, *owner_name;
	char number[16];
	long i, n, per_tx;
	long offset_min;
	long days;
};

/* Fill in complaint i of n, received (days * (n - i) / n) days ago. */
static void
make(struct seed_ctx *c, long i)
{
	struct complaint_in *in = &c->in;
	char local[32], utc[32];
	struct tm tm;
	/* Spread evenly, newest last, at office hours. */
	time_t now = time(NULL);
	time_t t = now - (time_t)((double)c->days * 86400.0 * (double)(c->n - i) / (double)c->n);
	time_t lt = t + c->offset_min * 60;
	int cat = (int)(i % 7), ch = (int)(i % 10);

	gmtime_r(&lt, &tm);
	tm.tm_hour = 8 + (int)(i % 10);
	tm.tm_min = (int)((i * 7) % 60);
	lt = timegm(&tm);
	if (lt - c->offset_min * 60 > now)
		lt -= 86400;
	gmtime_r(&lt, &tm);
	strftime(local, sizeof(local), "%Y-%m-%d %H:%M", &tm);
	t = lt - c->offset_min * 60;
	gmtime_r(&t, &tm);
	strftime(utc, sizeof(utc), "%Y-%m-%d %H:%M:00", &tm);

	memset(in, 0, sizeof(*in));
	in->v[CF_RECEIVED_AT] = arena_strdup(c->a, local);
	in->received_utc = arena_strdup(c->a, utc);
	in->v[CF_CHANNEL] = complaint_channels[ch];
	in->v[CF_CUSTOMER_NAME] = names[i % 16];
	in->v[CF_CUSTOMER_COMPANY] = companies[i % 8];
	in->v[CF_CUSTOMER_TYPE] = complaint_customer_types[i % 3];
	in->v[CF_CUSTOMER_VIP] = i % 9 == 0 ? "1" : "0";
	in->v[CF_CUSTOMER_PHONE] = arena_printf(c->a, "13%d%08ld", (int)(i % 10), 10000000L + (i * 7919) % 89999999);
	in->v[CF_CUSTOMER_EMAIL] = i % 3 == 0 ? arena_printf(c->a, "customer%ld@example.com", i) : "";
	in->v[CF_CUSTOMER_ADDRESS] = i % 2 == 0 ? "上海市浦东新区张江路 88 号" : "";
	in->v[CF_PRODUCT] = cat == 1 ? "" : products[i % 6];
	in->v[CF_PART_NO] = cat == 1 ? "" : parts[i % 6];
	in->v[CF_ORDER_NO] = arena_printf(c->a, "SO%06ld", 100000 + i);
	in->v[CF_LOT] = cat == 0 ? arena_printf(c->a, "L2026%04ld", 1000 + i % 37) : "";
	in->v[CF_QUANTITY] = cat == 0 || cat == 3 ? arena_printf(c->a, "%ld", 10 + i % 90) : NULL;
	in->v[CF_DEFECTIVE_QUANTITY] = cat == 0 || cat == 3 ? arena_printf(c->a, "%ld", 1 + i % 9) : NULL;
	in->v[CF_DELIVERY_DATE] = NULL;
	in->v[CF_SUBJECT_PERSON] = cat == 1 ? "客服中心" : "";
	in->v[CF_DESCRIPTION] = stories[cat];
	in->v[CF_DEMAND] = demands_for_cat[cat];
	in->v[CF_URGENCY] = complaint_urgencies[i % 3];
	in->v[CF_CATEGORY] = complaint_categories[cat];
	in->v[CF_SEVERITY] = complaint_severities[i % 4];
	/* External channels are level 2 at least, as the form enforces. */
	if ((ch == 7 || ch == 8 || ch == 9) && i % 4 >= 2)
		in->v[CF_SEVERITY] = "2";
}

static int
seed_tx(struct db *db, void *arg)
{
	struct seed_ctx *c = arg;
	int rc = KESU_OK;

	for (long k = 0; k < c->per_tx && c->i + k < c->n; k++) {
		make(c, c->i + k);
		c->owner_uid = (c->i + k) % 2 ? "agent2" : "agent";
		c->owner_name = (c->i + k) % 2 ? "张伟" : "王丽";
		if ((rc = complaint_register(db, c->a, c->who, c->owner_uid, c->owner_name, &c->in,
		    c->number)) != KESU_OK)
			break;
	}
	return rc;
}

static int
load(struct db *db, long n, long per_tx, long days, long offset_min, int progress)
{
	static const struct audit_actor who = { "kesu-admin", "kesu-admin", "admin", "seed", "127.0.0.1" };
	struct seed_ctx c;
	struct timespec t0, t1, t;
	int rc = KESU_OK;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	t1 = t0;
	memset(&c, 0, sizeof(c));
	c.a = arena_new();
	c.who = &who;
	c.n = n;
	c.per_tx = per_tx;
	c.days = days;
	c.offset_min = offset_min;
	for (c.i = 0; c.i < n; c.i += per_tx) {
		if ((rc = db_tx(db, seed_tx, &c)) != KESU_OK)
			break;
		/* their words into the search, as a registration's request does after COMMIT */
		if ((rc = search_catch_up(db, c.a, SEARCH_SYNC_BATCH, (int)(per_tx / SEARCH_SYNC_BATCH) + 2, NULL,
		    NULL)) != KESU_OK)
			break;
		/* and their statistics, folded from the journal as after a registration (sql/037) */
		if ((rc = stats_fold(db, c.a, STATS_FOLD_BATCH, (int)(per_tx / STATS_FOLD_BATCH) + 2, NULL,
		    NULL)) != KESU_OK)
			break;
		arena_reset(c.a);
		/* Every 10,000: the rate of the last 10,000 and of the whole load (issue 10: is it flat?). */
		if (progress && (c.i / per_tx) % 10 == 9) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			double last = (double)(t.tv_sec - t1.tv_sec) + (double)(t.tv_nsec - t1.tv_nsec) / 1e9,
			    all = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
			fprintf(stderr, "  %ld of %ld: %.0f/s over the last %ld, %.0f/s since the start (%.0f s)\n",
			    c.i + per_tx, n, (double)(10 * per_tx) / (last > 0 ? last : 1e-9), 10 * per_tx,
			    (double)(c.i + per_tx) / (all > 0 ? all : 1e-9), all);
			t1 = t;
		}
	}
	arena_free(c.a);
	return rc;
}

int
admin_seed_demo(struct db *db, long utc_offset_min)
{
	struct arena *a = arena_new();
	struct db_res res;
	int rc;

	rc = db_exec(db, a, STMT_COMPLAINT_COUNT, &res, "");
	if (rc == KESU_OK && res.nrows == 1 && atol(res.rows[0][0]) > 0) {
		printf("demo data: %s complaints exist already; nothing added\n", res.rows[0][0]);
		arena_free(a);
		return KESU_OK;
	}
	arena_free(a);
	if (rc != KESU_OK)
		return rc;
	if ((rc = load(db, 45, 1, 90, utc_offset_min, 0)) == KESU_OK)
		printf("demo data: 45 complaints registered over the last 90 days\n");
	return rc;
}

int
admin_bench_load(struct db *db, long n, long utc_offset_min)
{
	int rc = load(db, n, 1000, 365, utc_offset_min, 1);

	if (rc == KESU_OK)
		printf("bench data: %ld complaints registered\n", n);
	return rc;
}
