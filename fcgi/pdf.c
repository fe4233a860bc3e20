/* pdf.c: a PDF from HTML Kesu rendered itself, printed by headless Chromium in a private directory with no network. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "crypto.h"
#include "pdf.h"

/* Write n bytes to path (0600); 0 or -1. */
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
	close(fd);
	return n == 0 ? 0 : -1;
}

/*
 * Chromium prints html (a file in a private directory) to pdf. It runs in its own process
 * group with no network (every host name resolves to nothing and there is no proxy to reach),
 * a profile in the same private directory, and a time limit after which the whole group is
 * killed. As root, Chromium refuses to start without --no-sandbox (its sandbox needs an
 * unprivileged user): the flag is added only then, and only for this local file of our own
 * HTML. 0 when the PDF was written.
 */
static int
run_chromium(const char *chromium, const char *dir, const char *html, const char *pdf, long timeout)
{
	char profile[700], out[800], url[700];
	pid_t pid;
	int status = 0;
	time_t end = time(NULL) + timeout;

	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	snprintf(out, sizeof(out), "--print-to-pdf=%s", pdf);
	snprintf(url, sizeof(url), "file://%s", html);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		const char *argv[16];
		int n = 0, devnull = open("/dev/null", O_RDWR);
		setpgid(0, 0);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
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
		argv[n++] = profile;
		argv[n++] = out;
		argv[n++] = url;
		argv[n] = NULL;
		setenv("HOME", dir, 1);
		execv(chromium, (char *const *)argv);
		_exit(127);
	}
	setpgid(pid, pid);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (time(NULL) >= end) {
			LOG_ERR("chromium did not print within %ld s: killed", timeout);
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(50000);
	}
	/* Its helpers may outlive it: the group goes with it. */
	kill(-pid, SIGKILL);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
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
pdf_request(struct app *app, struct arena *a, const char *html, size_t hlen, unsigned char **data, size_t *len)
{
	char key[65], pdf[512], queued[512], failed[512], tmp[600];
	const char *dir = pdf_dir(app);
	struct stat st;

	*data = NULL;
	*len = 0;
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
	snprintf(tmp, sizeof(tmp), "%s/queue/.%s.%ld", dir, key, (long)getpid());
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		goto fail;
	snprintf(pdf, sizeof(pdf), "%s/queue", dir);
	if (mkdir(pdf, 0700) != 0 && errno != EEXIST)
		goto fail;
	unlink(tmp);
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

/* Print one queued file name (KEY.html) into KEY.pdf, or leave KEY.failed. */
static void
render_one(struct app *app, const char *dir, const char *name)
{
	char key[65], html[600], pdf[600], out[700], work[600], failed[600];
	size_t kl = strlen(name) - strlen(".html");

	if (kl != 64)
		return;
	memcpy(key, name, 64);
	key[64] = '\0';
	snprintf(html, sizeof(html), "%s/queue/%s", dir, name);
	snprintf(pdf, sizeof(pdf), "%s/%s.pdf", dir, key);
	snprintf(failed, sizeof(failed), "%s/%s.failed", dir, key);
	snprintf(work, sizeof(work), "%s/work-XXXXXX", conf_str(app->conf, "pdf.tmpdir", "/tmp"));
	if (mkdtemp(work) == NULL) {
		LOG_ERR("mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(out, sizeof(out), "%s/out.pdf", work);
	if (run_chromium(conf_str(app->conf, "pdf.chromium", "/usr/bin/chromium"), work, html, out,
	    conf_int(app->conf, "pdf.timeout", 30)) == 0 && rename(out, pdf) == 0) {
		LOG_INFO("PDF %s rendered", key);
	} else {
		int fd = open(failed, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
		LOG_ERR("PDF %s: chromium printed nothing", key);
	}
	unlink(html);
	remove_tree(work);
}

void
pdf_renderer(struct app *app)
{
	struct sigaction sa;
	const char *dir = pdf_dir(app);
	char queue[512];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = renderer_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
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
	while (!renderer_stop) {
		DIR *d = opendir(queue);
		struct dirent *e;
		struct timespec ts = { 0, 200 * 1000000L };
		while (d != NULL && !renderer_stop && (e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);
			if (e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".html") == 0)
				render_one(app, dir, e->d_name);
		}
		if (d != NULL)
			closedir(d);
		nanosleep(&ts, NULL);
	}
	LOG_INFO("PDF renderer stopping");
	exit(0);
}

int
pdf_answer(struct app *app, struct req *r, struct resp *rs, const char *html, size_t hlen, const char *filename)
{
	unsigned char *data;
	size_t len;
	int rc = pdf_request(app, r->a, html, hlen, &data, &len);

	if (rc == PDF_QUEUED) {
		/* Being printed by the renderer: ask again in a moment; a browser does by itself. */
		struct json_object *p = view_new(app, r);
		resp_header(rs, "Retry-After", "2");
		resp_header(rs, "Refresh", "2");
		json_object_object_add(p, "status", jstr("pending"));
		json_object_object_add(p, "retry_after", json_object_new_int(2));
		resp_page(app, r, rs, 202, "pdf_pending", p);
		return KESU_OK;
	}
	if (rc != KESU_OK)
		return rc;
	resp_download(r, rs, "application/pdf", filename, data, len);
	resp_header(rs, "Cache-Control", "no-store");
	return KESU_OK;
}
