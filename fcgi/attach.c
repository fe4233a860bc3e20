/* attach.c: attachments — sniffing, names, storage by SHA-256. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "crypto.h"
#include "kesu.h"

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

const char *
attach_sniff(const unsigned char *d, size_t len, const char *filename)
{
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return "image/jpeg";
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (len >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return "image/gif";
	if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return "application/pdf";
	if (len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0 && filename != NULL) {
		if (ends_with(filename, ".docx"))
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		if (ends_with(filename, ".xlsx"))
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	return NULL;
}

const char *
attach_clean_name(struct arena *a, const char *filename)
{
	size_t n = strlen(filename), o = 0;
	char *out = arena_alloc(a, n + 5);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)filename[i];
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '"' || c == '\'')
			continue;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (o > 120) {
		o = 120;
		/* back to the start of a UTF-8 sequence */
		while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80)
			o--;
		out[o] = '\0';
	}
	/* A name of only dots or blanks is no name. */
	if (strspn(out, ". ") == o)
		return "file";
	return out;
}

const char *
attach_disposition(struct arena *a, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name);
	char *ascii = arena_alloc(a, n + 1), *pct = arena_alloc(a, 3 * n + 1);
	size_t o = 0, p = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		ascii[o++] = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' ? (char)c : '_';
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("!#$&+-.^_`|~", c) != NULL) {
			pct[p++] = (char)c;
		} else {
			pct[p++] = '%';
			pct[p++] = hex[c >> 4];
			pct[p++] = hex[c & 15];
		}
	}
	ascii[o] = '\0';
	pct[p] = '\0';
	return arena_printf(a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, pct);
}

static int
valid_hex(const char *hex)
{
	return hex != NULL && strlen(hex) == 64 && strspn(hex, "0123456789abcdef") == 64;
}

/* Make the directory entry of a rename durable (a crash or an NFS server restart keeps it). */
static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Whether path is a regular file of len bytes (a complete copy: names are content hashes). */
static int
complete(const char *path, size_t len)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
}

int
attach_store(const char *dir, const unsigned char *data, size_t len, char hex[65])
{
	char sub[4096], path[4200], tmp[4400], host[64], rnd[17];
	size_t off = 0;
	int fd, err;

	crypto_sha256_hex(data, len, hex);
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, hex);
	snprintf(path, sizeof(path), "%s/%s", sub, hex);
	if (complete(path, len))
		return 0;
	if ((mkdir(dir, 0750) != 0 && errno != EEXIST) || (mkdir(sub, 0750) != 0 && errno != EEXIST)) {
		LOG_ERR("attachments: cannot create %s: %s", sub, strerror(errno));
		return -1;
	}
	/*
	 * The directory may be shared by several hosts (NFS): the temporary name is this
	 * host's, this process's and random, created exclusively, so two uploads of the same
	 * file never write into one temporary file; whichever rename comes last leaves the
	 * same bytes under the same name.
	 */
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "host");
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, "/")] = '\0';
	crypto_random_hex(rnd, 8);
	snprintf(tmp, sizeof(tmp), "%s/.%s.%s.%ld.%s", sub, hex, host, (long)getpid(), rnd);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0) {
		LOG_ERR("attachments: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : ENOSPC;
			LOG_ERR("attachments: writing %s: %s", tmp, strerror(err));
			close(fd);
			unlink(tmp);
			errno = err;
			return -1;
		}
		off += (size_t)w;
	}
	/* close() is where NFS reports a write that did not reach the server. */
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		err = errno;
		unlink(tmp);
		if (complete(path, len))
			return 0;
		LOG_ERR("attachments: storing %s: %s", path, strerror(err));
		errno = err;
		return -1;
	}
	sync_dir(sub);
	return 0;
}

unsigned char *
attach_load(struct arena *a, const char *dir, const char *hex, size_t *len)
{
	char path[4200];
	struct stat st;
	unsigned char *buf;
	size_t off = 0;
	int fd;

	if (!valid_hex(hex))
		return NULL;
	snprintf(path, sizeof(path), "%s/%.2s/%s", dir, hex, hex);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	buf = arena_alloc(a, (size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	if (off != (size_t)st.st_size)
		return NULL;
	/* Never serve bytes that are not the file named (a damaged copy on the shared storage). */
	{
		char got[65];
		crypto_sha256_hex(buf, off, got);
		if (strcmp(got, hex) != 0) {
			LOG_ERR("attachments: %s does not hold the bytes of its name", path);
			return NULL;
		}
	}
	*len = off;
	return buf;
}
