/* mail.c: a small SMTP client and the formatting of Kesu's UTF-8 text mails (see mail.h). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kesu.h"
#include "mail.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Append the base64 of n bytes of s to b. */
static void
base64(struct buf *b, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		buf_putc(b, b64[s[i] >> 2]);
		buf_putc(b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		buf_putc(b, b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		buf_putc(b, b64[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		buf_putc(b, b64[s[i] >> 2]);
		buf_putc(b, b64[(s[i] & 3) << 4]);
		buf_puts(b, "==");
	} else if (n - i == 2) {
		buf_putc(b, b64[s[i] >> 2]);
		buf_putc(b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		buf_putc(b, b64[(s[i + 1] & 15) << 2]);
		buf_putc(b, '=');
	}
}

static char *
buf_to_arena(struct arena *a, struct buf *b)
{
	char *s = arena_strndup(a, b->len ? b->p : "", b->len);

	buf_free(b);
	return s;
}

int
mail_addr_valid(const char *addr)
{
	const char *at = NULL, *p;

	if (addr == NULL || *addr == '\0' || strlen(addr) > 254)
		return 0;
	for (p = addr; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7f || strchr("<>(),;:\"\\[]", c) != NULL)
			return 0;
		if (c == '@') {
			if (at != NULL)
				return 0;
			at = p;
		}
	}
	return at != NULL && at != addr && at[1] != '\0';
}

/* Bytes of the UTF-8 sequence that starts with c (1 for anything unexpected). */
static size_t
utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

char *
mail_encode_subject(struct arena *a, const char *subject)
{
	/* "Subject: " is 9 bytes and "=?UTF-8?B?" + "?=" 12: 39 bytes of text make 52 of base64,
	 * so every line stays within 73 of the 78 that RFC 5322 recommends. */
	enum { CHUNK = 39 };
	char *clean = arena_strdup(a, subject != NULL ? subject : "");
	struct buf b;
	size_t n, i, start;
	int ascii = 1;

	for (char *p = clean; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
	}
	n = strlen(clean);
	/* Plain ASCII that cannot be mistaken for an encoded word goes as it is (short enough). */
	if (ascii && n <= 60 && strstr(clean, "=?") == NULL)
		return clean;
	buf_init(&b);
	for (start = 0; start < n; start = i) {
		for (i = start; i < n;) {
			size_t l = utf8_len((unsigned char)clean[i]);
			if (i + l > n)
				l = n - i;
			if (i + l - start > CHUNK && i > start)
				break;
			i += l;
		}
		if (start > 0)
			buf_puts(&b, "\r\n ");
		buf_puts(&b, "=?UTF-8?B?");
		base64(&b, (const unsigned char *)clean + start, i - start);
		buf_puts(&b, "?=");
	}
	return buf_to_arena(a, &b);
}

static int
msgid_valid(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 200)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr(".@_-", *s) != NULL))
			return 0;
	return 1;
}

char *
mail_format(struct arena *a, const char *from, const char *to, const char *subject,
    const char *body, const char *date, const char *msgid)
{
	struct buf b, text;
	size_t i;

	if (!mail_addr_valid(from) || !mail_addr_valid(to) || !msgid_valid(msgid) || date == NULL ||
	    strpbrk(date, "\r\n") != NULL)
		return NULL;
	/* The body's lines end in CRLF before encoding, as RFC 2045 wants for text. */
	buf_init(&text);
	for (const char *p = body != NULL ? body : ""; *p != '\0'; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			buf_putc(&text, '\r');
		buf_putc(&text, *p);
	}
	buf_init(&b);
	buf_printf(&b, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: %s\r\nMessage-ID: <%s>\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n",
	    date, from, to, mail_encode_subject(a, subject), msgid);
	/* 57 bytes make one 76-character line. */
	for (i = 0; i < text.len; i += 57) {
		base64(&b, (const unsigned char *)text.p + i, text.len - i < 57 ? text.len - i : 57);
		buf_puts(&b, "\r\n");
	}
	buf_free(&text);
	return buf_to_arena(a, &b);
}

char *
mail_dot_stuff(struct arena *a, const char *msg)
{
	struct buf b;
	int bol = 1;

	buf_init(&b);
	for (const char *p = msg; *p != '\0'; p++) {
		if (bol && *p == '.')
			buf_putc(&b, '.');
		if (*p == '\n' && (p == msg || p[-1] != '\r'))
			buf_putc(&b, '\r');
		buf_putc(&b, *p);
		bol = *p == '\n';
	}
	if (!bol)
		buf_puts(&b, "\r\n");
	buf_puts(&b, ".\r\n");
	return buf_to_arena(a, &b);
}

/* ---- the dialogue ---- */

struct smtp {
	int fd;
	struct timespec deadline;
	char in[1024];
	size_t inlen;
	char *err;
	size_t errlen;
};

/* Milliseconds left before the deadline (0 when passed). */
static int
left_ms(const struct smtp *s)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (s->deadline.tv_sec - now.tv_sec) * 1000 + (s->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

static int
wait_fd(struct smtp *s, short ev)
{
	struct pollfd p = { .fd = s->fd, .events = ev };
	int ms, rc;

	do {
		if ((ms = left_ms(s)) == 0)
			return -1;
		rc = poll(&p, 1, ms);
	} while (rc < 0 && errno == EINTR);
	return rc == 1 ? 0 : -1;
}

static int
send_all(struct smtp *s, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w;
		if (wait_fd(s, POLLOUT) != 0) {
			snprintf(s->err, s->errlen, "timeout while sending");
			return 1;
		}
		w = send(s->fd, data, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0) {
			snprintf(s->err, s->errlen, "send: %s", strerror(errno));
			return 1;
		}
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Read one reply (all its lines: "250-..." continue, "250 ..." ends it). Returns the code,
 * or -1 on timeout or a broken connection (s->err says which).
 */
static int
reply(struct smtp *s)
{
	for (;;) {
		char *nl = memchr(s->in, '\n', s->inlen);
		if (nl != NULL) {
			size_t l = (size_t)(nl - s->in) + 1;
			int code = -1, last = 0;
			if (l >= 4 && s->in[0] >= '2' && s->in[0] <= '5') {
				code = (s->in[0] - '0') * 100 + (s->in[1] - '0') * 10 + (s->in[2] - '0');
				last = s->in[3] != '-';
			}
			if (code < 0) {
				snprintf(s->err, s->errlen, "malformed reply");
				return -1;
			}
			if (last) {
				snprintf(s->err, s->errlen, "%.*s", (int)(l > 200 ? 200 : l - 1), s->in);
				s->err[strcspn(s->err, "\r\n")] = '\0';
			}
			memmove(s->in, s->in + l, s->inlen - l);
			s->inlen -= l;
			if (last)
				return code;
			continue;
		}
		if (s->inlen == sizeof(s->in)) {
			snprintf(s->err, s->errlen, "reply line too long");
			return -1;
		}
		if (wait_fd(s, POLLIN) != 0) {
			snprintf(s->err, s->errlen, "timeout waiting for the relay");
			return -1;
		}
		ssize_t r = recv(s->fd, s->in + s->inlen, sizeof(s->in) - s->inlen, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			snprintf(s->err, s->errlen, "connection closed by the relay");
			return -1;
		}
		s->inlen += (size_t)r;
	}
}

/* Send a command and read its reply: 0 when the code is want, else 1 (4xx, I/O) or -1 (5xx). */
static int
command(struct smtp *s, const char *line, int want)
{
	int code;

	if (line != NULL && send_all(s, line, strlen(line)) != 0)
		return 1;
	if ((code = reply(s)) == want)
		return 0;
	return code >= 500 ? -1 : 1;
}

static int
connect_relay(struct smtp *s, const struct mail_relay *relay)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *ai;
	char port[16];
	int rc;

	snprintf(port, sizeof(port), "%d", relay->port);
	if ((rc = getaddrinfo(relay->host, port, &hints, &res)) != 0) {
		snprintf(s->err, s->errlen, "resolving %s: %s", relay->host, gai_strerror(rc));
		return 1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		int soerr = 0;
		socklen_t sl = sizeof(soerr);
		if ((s->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol)) < 0)
			continue;
		if (connect(s->fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && wait_fd(s, POLLOUT) == 0 &&
		    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0))
			break;
		close(s->fd);
		s->fd = -1;
	}
	freeaddrinfo(res);
	if (s->fd < 0) {
		snprintf(s->err, s->errlen, "cannot connect to %s:%d", relay->host, relay->port);
		return 1;
	}
	return 0;
}

int
mail_send(const struct mail_relay *relay, const char *from, const char *const *rcpt,
    size_t nrcpt, const char *msg, char *err, size_t errlen)
{
	struct smtp s = { .fd = -1, .err = err, .errlen = errlen };
	struct arena *a = arena_new();
	size_t i, accepted = 0;
	int rc;

	snprintf(err, errlen, "ok");
	/* Addresses are checked before anything is sent: nothing can add a command. */
	if (!mail_addr_valid(from) || nrcpt == 0) {
		snprintf(err, errlen, "invalid sender or no recipient");
		rc = -1;
		goto out;
	}
	for (i = 0; i < nrcpt; i++)
		if (!mail_addr_valid(rcpt[i])) {
			snprintf(err, errlen, "invalid recipient address");
			rc = -1;
			goto out;
		}
	clock_gettime(CLOCK_MONOTONIC, &s.deadline);
	s.deadline.tv_sec += relay->timeout > 0 ? relay->timeout : 10;
	if ((rc = connect_relay(&s, relay)) != 0)
		goto out;
	if ((rc = command(&s, NULL, 220)) != 0)
		goto out;
	if (command(&s, arena_printf(a, "EHLO %s\r\n", relay->helo), 250) != 0 &&
	    (rc = command(&s, arena_printf(a, "HELO %s\r\n", relay->helo), 250)) != 0)
		goto out;
	if ((rc = command(&s, arena_printf(a, "MAIL FROM:<%s>\r\n", from), 250)) != 0)
		goto out;
	for (i = 0; i < nrcpt; i++) {
		int r = command(&s, arena_printf(a, "RCPT TO:<%s>\r\n", rcpt[i]), 250);
		if (r == 0)
			accepted++;
		else if (r > 0 && s.inlen == 0 && strncmp(err, "timeout", 7) == 0) {
			rc = 1;
			goto out;
		}
	}
	if (accepted == 0) {
		rc = -1;
		goto out;
	}
	if ((rc = command(&s, "DATA\r\n", 354)) != 0)
		goto out;
	if ((rc = command(&s, mail_dot_stuff(a, msg), 250)) != 0)
		goto out;
	(void)command(&s, "QUIT\r\n", 221);
	snprintf(err, errlen, "accepted for %zu of %zu recipients", accepted, nrcpt);
	rc = 0;
out:
	if (s.fd >= 0)
		close(s.fd);
	arena_free(a);
	return rc;
}
