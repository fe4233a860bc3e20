/* mail.h: a small SMTP client (RFC 5321) and the formatting of a UTF-8 text message (RFC 5322, 2047). */
#ifndef KESU_MAIL_H
#define KESU_MAIL_H

#include <stddef.h>

#include "arena.h"

/*
 * 1 when addr is a plain address local@domain that can go between < > in an SMTP command
 * and in a header: printable ASCII only, no space, no < > ( ) , ; : " \ [ ], one @, at most
 * 254 bytes. Everything the mail code sends is checked with it: no header injection.
 */
int mail_addr_valid(const char *addr);

/*
 * The subject as RFC 2047 encoded words (=?UTF-8?B?...?=), folded so that no line of the
 * header exceeds 78 bytes, never splitting a UTF-8 character; control characters (CR, LF,
 * TAB...) become spaces first. Plain printable ASCII is returned as it is. In the arena.
 */
char *mail_encode_subject(struct arena *a, const char *subject);

/*
 * A whole message: Date, From, To, Subject, Message-ID, MIME-Version, Content-Type
 * text/plain; charset=UTF-8, Content-Transfer-Encoding: base64, then the body in base64
 * lines of 76 characters; every line ends in CRLF. date is an RFC 5322 date
 * ("Mon, 30 Nov 2026 06:00:00 +0000"), msgid without brackets. NULL when an address is
 * invalid (mail_addr_valid) or msgid holds anything but [A-Za-z0-9.@_-]. In the arena.
 */
char *mail_format(struct arena *a, const char *from, const char *to, const char *subject,
    const char *body, const char *date, const char *msgid);

/* The DATA payload of msg: a '.' that starts a line is doubled, bare LF becomes CRLF, and
 * the final "CRLF.CRLF" is appended. In the arena. */
char *mail_dot_stuff(struct arena *a, const char *msg);

/* Where mail goes (the smtp.* keys). */
struct mail_relay {
	const char *host;
	int port;
	const char *helo;      /* the name this host gives in EHLO */
	int timeout;           /* seconds for the whole dialogue, connect included */
};

/*
 * Deliver msg (from mail_format) to the relay: connect, EHLO (HELO when refused), MAIL FROM,
 * one RCPT TO per address, DATA, the dot-stuffed message, QUIT. The whole dialogue is bounded
 * by relay->timeout. Returns 0 when the relay accepted the message (250 after the final dot);
 * 1 on a temporary failure (connection, timeout, 4xx) worth retrying; -1 on a permanent one
 * (5xx, an invalid address). err (size errlen) says what happened, for the log.
 */
int mail_send(const struct mail_relay *relay, const char *from, const char *const *rcpt,
    size_t nrcpt, const char *msg, char *err, size_t errlen);

#endif
