/* crypto.h: random tokens, SHA-256, HMAC-SHA256 and constant-time comparison (Nettle and getrandom: crypto.c). */
#ifndef KESU_CRYPTO_H
#define KESU_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

/* n random bytes from the OS CSPRNG; aborts when none can be had. */
void crypto_random(void *buf, size_t n);
/* 2*nbytes hex digits of randomness into out (out must hold 2*nbytes+1). */
void crypto_random_hex(char *out, size_t nbytes);
/* SHA-256 in steps: init, update as often as needed, final (which wipes the context). */
struct crypto_sha256 {
	struct sha256_ctx ctx;
};
void crypto_sha256_init(struct crypto_sha256 *c);
void crypto_sha256_update(struct crypto_sha256 *c, const void *data, size_t n);
void crypto_sha256_final(struct crypto_sha256 *c, unsigned char md[32]);
/* HMAC-SHA256 (RFC 2104) of msg under key into mac[32]. */
void crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n, unsigned char mac[32]);
/* hex SHA-256 of data into out[65]. */
void crypto_sha256_hex(const void *data, size_t n, char out[65]);
/* 1 when a and b are equal strings, in time independent of where they differ. */
int crypto_streq(const char *a, const char *b);

#endif
