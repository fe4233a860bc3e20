/* crypto.h: random tokens, SHA-256 and constant-time comparison (OpenSSL libcrypto). */
#ifndef KESU_CRYPTO_H
#define KESU_CRYPTO_H

#include <stddef.h>

/* n random bytes from the OS CSPRNG; aborts when none can be had. */
void crypto_random(void *buf, size_t n);
/* 2*nbytes hex digits of randomness into out (out must hold 2*nbytes+1). */
void crypto_random_hex(char *out, size_t nbytes);
/* hex SHA-256 of data into out[65]. */
void crypto_sha256_hex(const void *data, size_t n, char out[65]);
/* 1 when a and b are equal strings, in time independent of where they differ. */
int crypto_streq(const char *a, const char *b);

#endif
