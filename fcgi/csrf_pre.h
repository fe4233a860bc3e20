/* csrf_pre.h: the CSRF token before sign-in — server-issued, never whatever the client offers. */
#ifndef KESU_CSRF_PRE_H
#define KESU_CSRF_PRE_H

struct app;
struct arena;

/*
 * Load (creating it the first time, from the OS CSPRNG) the per-install secret that
 * pre-login tokens are derived from; kept for the worker's life. Cheap once loaded.
 * KESU_OK or a DB error.
 */
int csrf_pre_init(struct app *app, struct arena *a);

/* For unit tests: use secret (64 hex digits) as the install's secret. */
void csrf_pre_set_secret(const char *secret);

/* 1 when nonce is what the server issues as the kesu_csrf cookie: 64 lower-case hex digits. */
int csrf_pre_nonce_ok(const char *nonce);

/*
 * The form's token for cookie value nonce: hex HMAC-SHA256 of it under the install's secret
 * into out[65]. 0 on success; -1 when nonce is not one the server issues or no secret is
 * loaded (out is then "").
 */
int csrf_pre_token(const char *nonce, char out[65]);

/* 1 when got is the token of cookie value nonce (constant-time comparison); 0 otherwise. */
int csrf_pre_ok(const char *nonce, const char *got);

#endif
