/* pdf.c: a PDF from HTML Kesu rendered itself, printed by headless Chromium in a private directory with no network. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "app.h"
#include "crypto.h"
#include "pdf.h"

/* Write n bytes to a new file path (0600), synced (paths.pdf may be shared storage: NFS); 0 or -1. */
static int
write_file(const char *path, const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ssize_t w = 0;

	if (fd < 0)
		return -1;
	while (n > 0 && (w = write(fd, p, n)) > 0) {
		p += w;
		n -= (size_t)w;
	}
	if (fsync(fd) != 0)
		n = n > 0 ? n : 1;
	if (close(fd) != 0)
		n = n > 0 ? n : 1;
	return n == 0 ? 0 : -1;
}

/*
 * A temporary name in dir for key, unique across the hosts that share dir and the processes
 * of each (the host name, the pid and random digits), so that two writers never share one.
 */
static void
tmp_name(char *out, size_t n, const char *dir, const char *key, const char *ext)
{
	char host[64], rnd[17];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "host");
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, "/")] = '\0';
	crypto_random_hex(rnd, 8);
	snprintf(out, n, "%s/.%s.%s.%ld.%s%s", dir, key, host, (long)getpid(), rnd, ext);
}

/* Remove the private directory and what Chromium left in it. */
static void
remove_tree(const char *dir)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/rm", "rm", "-rf", "--", dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* ---- rendered once, outside the request workers ---- */

/*
 * Why a renderer of its own: Chromium takes 1-1.5 s a page, so sixteen PDF requests from one
 * reader held every worker and everyone else waited up to 15 s (issue 10). The workers only
 * queue the HTML (named by its SHA-256, so the same document is rendered once and never
 * again: an approved 8D version never changes) and answer "being prepared"; one renderer,
 * a child of the master like the workers, prints the queue one at a time into paths.pdf.
 */

static const char *
pdf_dir(const struct app *app)
{
	return conf_str(app->conf, "paths.pdf", "/var/lib/kesu/pdf");
}

/* Read path into the arena; 0, or -1. */
static int
read_file(struct arena *a, const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	int rc = -1;

	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 4 && fseek(f, 0, SEEK_SET) == 0) {
		*data = arena_alloc(a, (size_t)n);
		if (fread(*data, 1, (size_t)n, f) == (size_t)n) {
			*len = (size_t)n;
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

int
pdf_request(struct app *app, struct arena *a, const char *html, size_t hlen, const char *keysrc,
    size_t keylen, unsigned char **data, size_t *len)
{
	char key[65], pdf[512], queued[512], failed[512], tmp[800];
	const char *dir = pdf_dir(app);
	struct stat st;

	*data = NULL;
	*len = 0;
	if (keysrc != NULL)
		crypto_sha256_hex(keysrc, keylen, key);
	else
		crypto_sha256_hex(html, hlen, key);
	snprintf(pdf, sizeof(pdf), "%s/%s.pdf", dir, key);
	snprintf(queued, sizeof(queued), "%s/queue/%s.html", dir, key);
	snprintf(failed, sizeof(failed), "%s/%s.failed", dir, key);
	if (read_file(a, pdf, data, len) == 0 && *len >= 5 && memcmp(*data, "%PDF-", 5) == 0)
		return KESU_OK;
	/* The renderer gave up on it: say so once, and let the next request queue it anew. */
	if (stat(failed, &st) == 0) {
		unlink(failed);
		LOG_ERR("the PDF %s could not be rendered", key);
		return KESU_EINTERNAL;
	}
	if (stat(queued, &st) == 0)
		return PDF_QUEUED;
	/* Written whole, then renamed: the renderer never sees half a file. */
	snprintf(pdf, sizeof(pdf), "%s/queue", dir);
	tmp_name(tmp, sizeof(tmp), pdf, key, "");
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		goto fail;
	snprintf(pdf, sizeof(pdf), "%s/queue", dir);
	if (mkdir(pdf, 0700) != 0 && errno != EEXIST)
		goto fail;
	if (write_file(tmp, html, hlen) != 0 || rename(tmp, queued) != 0)
		goto fail;
	return PDF_QUEUED;
fail:
	LOG_ERR("cannot queue a PDF under %s: %s", dir, strerror(errno));
	unlink(tmp);
	return KESU_EINTERNAL;
}

static volatile sig_atomic_t renderer_stop;

static void
renderer_term(int sig)
{
	(void)sig;
	renderer_stop = 1;
}

/*
 * One headless Chromium kept warm in the renderer (issue 8: a dossier took 8-17 s, most of
 * it Chromium starting for every file). It is driven over --remote-debugging-pipe: the
 * DevTools protocol as NUL-terminated JSON messages, commands written to its fd 3 and
 * replies and events read from its fd 4. One page (a target), attached in flat
 * mode (the session id travels in each message), kept from file to file; for each file
 * Page.navigate to its file:// URL, wait for Page.loadEventFired, Page.printToPDF (base64
 * in the reply).
 *
 * It runs as the one-shot Chromium did: its own process group, no network (every host
 * name resolves to nothing and the proxy is a closed port), its profile and HOME in a
 * private 0700 directory under pdf.tmpdir (removed with it), --no-sandbox only as root.
 * Each file has pdf.timeout seconds; a Chromium that dies, hangs or answers nonsense is
 * killed with its group, and the file is tried once more in a fresh one.
 */
struct chrome {
	pid_t pid;               /* 0: not running */
	int to;                  /* its fd 3: our commands */
	int from;                /* its fd 4: its replies and events */
	char dir[512];           /* the private directory: profile, HOME */
	char *buf;               /* read, not yet taken as messages */
	size_t len, cap, scan;   /* scan: no NUL before it */
	int id;                  /* the last command's id */
	int loaded;              /* Page.loadEventFired seen for the current session */
	char target[128];        /* the page files are printed in ("" until created) */
	char session[128];       /* its session id (flat mode) */
	int soft;                /* the last failure was the page's (an error reply, a renderer gone) */
	time_t started;
	long load_ms, print_ms;  /* the last file's: navigation to load event, then the print */
};

static long
ms_left(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(end->tv_sec - now.tv_sec) * 1000 + (end->tv_nsec - now.tv_nsec) / 1000000;
}

/* Kill the whole group, reap it, remove its directory. */
static void
chrome_stop(struct chrome *ch)
{
	if (ch->pid > 0) {
		kill(-ch->pid, SIGKILL);
		waitpid(ch->pid, NULL, 0);
	}
	if (ch->to >= 0)
		close(ch->to);
	if (ch->from >= 0)
		close(ch->from);
	if (ch->dir[0] != '\0')
		remove_tree(ch->dir);
	free(ch->buf);
	memset(ch, 0, sizeof(*ch));
	ch->to = ch->from = -1;
}

/* Start Chromium with the pipe on fds 3 and 4; 0, or -1 (nothing left running). */
static int
chrome_start(struct app *app, struct chrome *ch)
{
	const char *chromium = conf_str(app->conf, "pdf.chromium", "/usr/bin/chromium");
	char profile[600];
	int cmd[2] = { -1, -1 }, rep[2] = { -1, -1 };

	chrome_stop(ch);
	ch->started = time(NULL);
	snprintf(ch->dir, sizeof(ch->dir), "%s/chromium-XXXXXX", conf_str(app->conf, "pdf.tmpdir", "/tmp"));
	if (mkdtemp(ch->dir) == NULL) {
		LOG_ERR("mkdtemp %s: %s", ch->dir, strerror(errno));
		ch->dir[0] = '\0';
		return -1;
	}
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", ch->dir);
	if (pipe2(cmd, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0) {
		LOG_ERR("pipe: %s", strerror(errno));
		goto fail;
	}
	if ((ch->pid = fork()) < 0) {
		ch->pid = 0;
		goto fail;
	}
	if (ch->pid == 0) {
		const char *argv[20];
		int n = 0, devnull = open("/dev/null", O_RDWR);
		/* Above 4 first, so that moving them onto 3 and 4 cannot overwrite one another. */
		int in = fcntl(cmd[0], F_DUPFD, 10), out = fcntl(rep[1], F_DUPFD, 10);

		setpgid(0, 0);
		/* If the renderer dies without a word, Chromium goes too. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		if (in < 0 || out < 0 || dup2(in, 3) != 3 || dup2(out, 4) != 4)
			_exit(127);
		close(in);
		close(out);
		argv[n++] = chromium;
		argv[n++] = "--headless";
		if (geteuid() == 0)
			argv[n++] = "--no-sandbox";
		argv[n++] = "--disable-gpu";
		argv[n++] = "--no-pdf-header-footer";
		argv[n++] = "--host-resolver-rules=MAP * ~NOTFOUND";
		argv[n++] = "--proxy-server=127.0.0.1:9";
		argv[n++] = "--disable-extensions";
		argv[n++] = "--no-first-run";
		argv[n++] = "--remote-debugging-pipe";
		argv[n++] = profile;
		argv[n++] = "about:blank";
		argv[n] = NULL;
		setenv("HOME", ch->dir, 1);
		execv(chromium, (char *const *)argv);
		_exit(127);
	}
	setpgid(ch->pid, ch->pid);
	close(cmd[0]);
	close(rep[1]);
	ch->to = cmd[1];
	ch->from = rep[0];
	fcntl(ch->to, F_SETFL, O_NONBLOCK);
	fcntl(ch->from, F_SETFL, O_NONBLOCK);
	LOG_INFO("chromium %ld started for PDFs", (long)ch->pid);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (cmd[i] >= 0)
			close(cmd[i]);
		if (rep[i] >= 0)
			close(rep[i]);
	}
	chrome_stop(ch);
	return -1;
}

/* Send one command (params is consumed; NULL: none); its id, or -1. */
static int
cdp_send(struct chrome *ch, const char *method, struct json_object *params, int in_session,
    const struct timespec *end)
{
	struct json_object *m = json_object_new_object();
	const char *text;
	size_t n, off = 0;
	int id = ++ch->id, rc = -1;

	json_object_object_add(m, "id", json_object_new_int(id));
	json_object_object_add(m, "method", json_object_new_string(method));
	json_object_object_add(m, "params", params != NULL ? params : json_object_new_object());
	if (in_session)
		json_object_object_add(m, "sessionId", json_object_new_string(ch->session));
	text = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN);
	n = strlen(text) + 1;   /* the NUL ends the message */
	while (off < n) {
		struct pollfd pfd = { ch->to, POLLOUT, 0 };
		long left = ms_left(end);
		ssize_t w;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			goto out;
		if ((w = write(ch->to, text + off, n - off)) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			goto out;   /* EPIPE: Chromium is gone */
		}
		off += (size_t)w;
	}
	rc = id;
out:
	json_object_put(m);
	return rc;
}

/* The next whole message, parsed (the caller puts it); NULL on timeout, EOF or garbage. */
static struct json_object *
cdp_next(struct chrome *ch, const struct timespec *end)
{
	for (;;) {
		char *nul = ch->len > ch->scan ? memchr(ch->buf + ch->scan, '\0', ch->len - ch->scan) : NULL;

		if (nul != NULL) {
			size_t mlen = (size_t)(nul - ch->buf);
			struct json_object *m = json_tokener_parse(ch->buf);

			memmove(ch->buf, nul + 1, ch->len - mlen - 1);
			ch->len -= mlen + 1;
			ch->scan = 0;
			if (m == NULL || !json_object_is_type(m, json_type_object)) {
				LOG_ERR("chromium sent a message that is not a JSON object");
				json_object_put(m);
				return NULL;
			}
			return m;
		}
		ch->scan = ch->len;
		if (ch->cap - ch->len < 65536) {
			ch->cap = ch->cap < 131072 ? 131072 : ch->cap * 2;
			if ((ch->buf = realloc(ch->buf, ch->cap)) == NULL)
				abort();
		}
		{
			struct pollfd pfd = { ch->from, POLLIN, 0 };
			long left = ms_left(end);
			ssize_t r;

			if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
				return NULL;
			if ((r = read(ch->from, ch->buf + ch->len, ch->cap - ch->len - 1)) <= 0) {
				if (r < 0 && (errno == EAGAIN || errno == EINTR))
					continue;
				return NULL;   /* EOF: Chromium is gone */
			}
			ch->len += (size_t)r;
		}
	}
}

/*
 * Read until the reply to command id (its "result" object, which the caller puts), taking
 * note of events on the way; id 0: until the page's load event. NULL on an error reply,
 * a crashed or detached target, a timeout or a dead Chromium.
 */
static struct json_object *
cdp_wait(struct chrome *ch, int id, const struct timespec *end)
{
	while (id != 0 || !ch->loaded) {
		struct json_object *m = cdp_next(ch, end), *v, *res;
		const char *method, *sid;

		if (m == NULL)
			return NULL;
		if (json_object_object_get_ex(m, "id", &v) && json_object_get_int(v) == id && id != 0) {
			if (!json_object_object_get_ex(m, "result", &res)) {
				struct json_object *err = NULL;

				json_object_object_get_ex(m, "error", &err);
				LOG_WARN("chromium: %s", err != NULL ? json_object_to_json_string(err) : "no result");
				ch->soft = 1;   /* it answered: the page failed, not Chromium */
				json_object_put(m);
				return NULL;
			}
			json_object_get(res);
			json_object_put(m);
			return res;
		}
		/*
		 * Events of the current page only (flat mode: its session id): a late one from a
		 * page given up on must neither count as loaded nor fail the next.
		 */
		method = json_object_object_get_ex(m, "method", &v) ? json_object_get_string(v) : "";
		sid = json_object_object_get_ex(m, "sessionId", &v) ? json_object_get_string(v) : NULL;
		if (sid != NULL && ch->session[0] != '\0' && strcmp(sid, ch->session) == 0) {
			if (strcmp(method, "Page.loadEventFired") == 0)
				ch->loaded = 1;
			else if (strcmp(method, "Inspector.targetCrashed") == 0 || strcmp(method, "Inspector.detached") == 0) {
				struct json_object *params = NULL;

				json_object_object_get_ex(m, "params", &params);
				LOG_WARN("chromium: %s %s", method, params != NULL ? json_object_to_json_string(params) : "");
				ch->soft = 1;
				json_object_put(m);
				return NULL;
			}
		}
		json_object_put(m);
	}
	return json_object_new_object();
}

/* Send and wait for the reply; 0 with *res (NULL: not wanted), or -1. */
static int
cdp_call(struct chrome *ch, const char *method, struct json_object *params, int in_session,
    const struct timespec *end, struct json_object **res)
{
	int id = cdp_send(ch, method, params, in_session, end);
	struct json_object *r;

	if (id < 0 || (r = cdp_wait(ch, id, end)) == NULL)
		return -1;
	if (res != NULL)
		*res = r;
	else
		json_object_put(r);
	return 0;
}

/* A string member of o (NULL when absent). */
static const char *
str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

/* Decode base64 b64 and write it to path as a PDF (0600); 0, or -1. */
static int
write_b64_pdf(const char *path, const char *b64)
{
	size_t n = strlen(b64), pad = 0;
	unsigned char *bin;
	int len, rc = -1;

	if (n < 8 || n % 4 != 0 || n > (size_t)INT32_MAX)
		return -1;
	pad = (b64[n - 1] == '=') + (b64[n - 2] == '=');
	if ((bin = malloc(n / 4 * 3 + 1)) == NULL)
		abort();
	len = EVP_DecodeBlock(bin, (const unsigned char *)b64, (int)n);
	if (len >= 5 && (size_t)len > pad && memcmp(bin, "%PDF-", 5) == 0) {
		unlink(path);
		rc = write_file(path, (const char *)bin, (size_t)len - pad);
	}
	free(bin);
	return rc;
}

static int chrome_ready(struct app *app, struct chrome *ch);

/*
 * Print url into pdf (NULL: print and throw away) through the warm Chromium, started first
 * if need be. 0; PRINT_SOFT when the page or the print failed but Chromium answered (its
 * first prints after a start may fail like this: "Render process gone", "Printing failed");
 * PRINT_HARD when Chromium died, hung or answered nonsense — then it has been killed.
 */
#define PRINT_SOFT (-2)
#define PRINT_HARD (-1)
static int
chrome_print(struct app *app, struct chrome *ch, const char *url, const char *pdf, long timeout)
{
	struct json_object *p, *res = NULL;
	struct timespec end;
	const char *s;
	int rc = PRINT_HARD;

	if (ch->pid == 0 && chrome_ready(app, ch) != 0)
		return PRINT_HARD;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout;
	ch->soft = 0;
	/*
	 * One page (target) kept open from file to file: each file is a navigation in it, so its
	 * renderer process (every file:// page shares one) is not started again for each file.
	 */
	if (ch->target[0] == '\0') {
		p = json_object_new_object();
		json_object_object_add(p, "url", json_object_new_string("about:blank"));
		if (cdp_call(ch, "Target.createTarget", p, 0, &end, &res) != 0 || (s = str_of(res, "targetId")) == NULL)
			goto out;
		snprintf(ch->target, sizeof(ch->target), "%s", s);
		json_object_put(res);
		res = NULL;
		p = json_object_new_object();
		json_object_object_add(p, "targetId", json_object_new_string(ch->target));
		json_object_object_add(p, "flatten", json_object_new_boolean(1));
		if (cdp_call(ch, "Target.attachToTarget", p, 0, &end, &res) != 0 || (s = str_of(res, "sessionId")) == NULL)
			goto out;
		snprintf(ch->session, sizeof(ch->session), "%s", s);
		json_object_put(res);
		res = NULL;
		if (cdp_call(ch, "Page.enable", NULL, 1, &end, NULL) != 0)
			goto out;
	}
	ch->loaded = 0;
	p = json_object_new_object();
	json_object_object_add(p, "url", json_object_new_string(url));
	if (cdp_call(ch, "Page.navigate", p, 1, &end, &res) != 0)
		goto out;
	if ((s = str_of(res, "errorText")) != NULL && s[0] != '\0') {
		LOG_WARN("chromium could not open the file: %s", s);
		ch->soft = 1;
		goto out;
	}
	json_object_put(res);
	res = NULL;
	if ((res = cdp_wait(ch, 0, &end)) == NULL)
		goto out;
	json_object_put(res);
	res = NULL;
	ch->load_ms = timeout * 1000 - ms_left(&end);
	/* As --print-to-pdf --no-pdf-header-footer printed: backgrounds, the page's own @page size. */
	p = json_object_new_object();
	json_object_object_add(p, "printBackground", json_object_new_boolean(1));
	json_object_object_add(p, "preferCSSPageSize", json_object_new_boolean(1));
	json_object_object_add(p, "displayHeaderFooter", json_object_new_boolean(0));
	if (cdp_call(ch, "Page.printToPDF", p, 1, &end, &res) != 0 || (s = str_of(res, "data")) == NULL ||
	    (pdf != NULL && write_b64_pdf(pdf, s) != 0))
		goto out;
	ch->print_ms = timeout * 1000 - ms_left(&end) - ch->load_ms;
	rc = 0;
out:
	json_object_put(res);
	if (rc != 0 && ch->soft && ms_left(&end) > 0) {
		/* Chromium answered: only the page goes (a new one for the next try). */
		rc = PRINT_SOFT;
		ch->session[0] = '\0';
		if (ch->target[0] != '\0') {
			p = json_object_new_object();
			json_object_object_add(p, "targetId", json_object_new_string(ch->target));
			ch->target[0] = '\0';
			if (cdp_call(ch, "Target.closeTarget", p, 0, &end, NULL) != 0 && !ch->soft)
				rc = PRINT_HARD;
		}
	}
	if (rc == PRINT_HARD) {
		/* Dead, hung or confused: none of its state can be trusted for the next file. */
		LOG_ERR("chromium %ld failed a print%s: killed", (long)ch->pid, ms_left(&end) <= 0 ? " in time" : "");
		chrome_stop(ch);
	} else if (rc == PRINT_SOFT)
		LOG_WARN("chromium %ld could not print %s this time", (long)ch->pid, pdf != NULL ? "a file" : "its warm-up page");
	return rc;
}

/*
 * Start Chromium and print one small page of our own, thrown away: the first prints of a
 * fresh Chromium fail now and then (measured here under load), and a file should not be
 * the one that finds out. 0 when it runs (whether or not the warm-up page printed), or -1.
 */
static int
chrome_ready(struct app *app, struct chrome *ch)
{
	static const char warm[] = "<!doctype html><meta charset=utf-8><title>-</title><p>-</p>";
	char page[600], url[700];

	if (chrome_start(app, ch) != 0)
		return -1;
	snprintf(page, sizeof(page), "%s/warm-up.html", ch->dir);
	snprintf(url, sizeof(url), "file://%s", page);
	if (write_file(page, warm, sizeof(warm) - 1) != 0)
		return 0;
	for (int i = 0; i < 3 && chrome_print(app, ch, url, NULL, 15) == PRINT_SOFT; i++)
		;
	return ch->pid != 0 ? 0 : -1;
}

/* Print one queued file name (KEY.html) into KEY.pdf, or leave KEY.failed. */
static void
render_one(struct app *app, struct chrome *ch, const char *dir, const char *name)
{
	char key[65], html[600], pdf[600], tmp[600], url[700], failed[600];
	long timeout = conf_int(app->conf, "pdf.timeout", 30);
	size_t kl = strlen(name) - strlen(".html");
	int printed = 0;
	struct timespec t0;

	if (kl != 64)
		return;
	memcpy(key, name, 64);
	key[64] = '\0';
	snprintf(html, sizeof(html), "%s/queue/%s", dir, name);
	snprintf(pdf, sizeof(pdf), "%s/%s.pdf", dir, key);
	tmp_name(tmp, sizeof(tmp), dir, key, ".pdf");
	snprintf(failed, sizeof(failed), "%s/%s.failed", dir, key);
	snprintf(url, sizeof(url), "file://%s", html);
	/*
	 * Tried again in the same Chromium when the page failed but Chromium answered, and once
	 * in a fresh one when Chromium died or hung (it may have done so before this file).
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int tries = 0, fresh = 0; tries < 4; tries++) {
		int rc = chrome_print(app, ch, url, tmp, timeout);

		if (rc == 0) {
			printed = 1;
			break;
		}
		if (rc == PRINT_HARD && fresh++ == 1)
			break;
	}
	if (printed && rename(tmp, pdf) == 0) {
		LOG_INFO("PDF %s rendered in %ld ms (load %ld ms, print %ld ms)", key, -ms_left(&t0),
		    ch->load_ms, ch->print_ms);
	} else {
		int fd = open(failed, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		LOG_ERR("PDF %s: chromium printed nothing", key);
	}
	unlink(html);
}

void
pdf_renderer(struct app *app)
{
	struct sigaction sa;
	struct chrome ch;
	const char *dir = pdf_dir(app);
	char queue[512];

	memset(&ch, 0, sizeof(ch));
	ch.to = ch.from = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = renderer_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	/* A write to a Chromium that died is an error to handle, not a reason to die. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/*
	 * Below the request workers: Chromium is the heaviest thing on the machine, and a flood of
	 * PDF requests must not slow everyone else's pages down (tests/faults: others' p99 went
	 * from 157 ms to 1,136 ms during 50 concurrent dossier requests at the same priority).
	 * Chromium and its children inherit it.
	 */
	if (setpriority(PRIO_PROCESS, 0, (int)conf_int(app->conf, "pdf.nice", 15)) != 0)
		LOG_WARN("setpriority: %s", strerror(errno));
	snprintf(queue, sizeof(queue), "%s/queue", dir);
	(void)mkdir(dir, 0700);
	(void)mkdir(queue, 0700);
	LOG_INFO("PDF renderer watching %s", queue);
	/* Warm before the first file, so that it too is printed without the start-up. */
	(void)chrome_ready(app, &ch);
	while (!renderer_stop) {
		DIR *d = opendir(queue);
		struct dirent *e;
		struct timespec ts = { 0, 200 * 1000000L };

		while (d != NULL && !renderer_stop && (e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);
			if (e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".html") == 0)
				render_one(app, &ch, dir, e->d_name);
		}
		if (d != NULL)
			closedir(d);
		/*
		 * Chromium gone while idle (killed, crashed): reap it and start another at once,
		 * but not more than once in 10 s (a Chromium that cannot start at all would
		 * otherwise be forked five times a second; the next file starts it anyway).
		 */
		if (ch.pid > 0 && waitpid(ch.pid, NULL, WNOHANG) == ch.pid) {
			time_t started = ch.started;

			LOG_WARN("chromium %ld exited while idle", (long)ch.pid);
			kill(-ch.pid, SIGKILL);   /* its helpers, if any outlived it */
			ch.pid = 0;               /* reaped already */
			chrome_stop(&ch);
			if (time(NULL) - started >= 10)
				(void)chrome_ready(app, &ch);
		}
		nanosleep(&ts, NULL);
	}
	LOG_INFO("PDF renderer stopping");
	chrome_stop(&ch);
	exit(0);
}

int
pdf_answer(struct app *app, struct req *r, struct resp *rs, const char *html, size_t hlen,
    const char *keysrc, size_t keylen, const char *filename)
{
	unsigned char *data;
	size_t len;
	int rc = pdf_request(app, r->a, html, hlen, keysrc, keylen, &data, &len);

	if (rc == PDF_QUEUED) {
		/*
		 * Being printed by the renderer: ask again in a moment; a browser does by itself.
		 * One second: the warm Chromium prints a 200-event dossier in well under that.
		 */
		struct json_object *p = view_new(app, r);
		resp_header(rs, "Retry-After", "1");
		resp_header(rs, "Refresh", "1");
		json_object_object_add(p, "status", jstr("pending"));
		json_object_object_add(p, "retry_after", json_object_new_int(1));
		resp_page(app, r, rs, 202, "pdf_pending", p);
		return KESU_OK;
	}
	if (rc != KESU_OK)
		return rc;
	resp_download(r, rs, "application/pdf", filename, data, len);
	resp_header(rs, "Cache-Control", "no-store");
	return KESU_OK;
}
