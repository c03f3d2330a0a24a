// SPDX-License-Identifier: GPL-2.0
/* Reading a measurement log file to its end (see ima_log.h). Stateless. */
#include "ima/ima_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define READ_CHUNK	(64U << 10)

int ima_log_read_file(const char *path, uint8_t **log, size_t *len)
{
	size_t cap = 0, used = 0;
	uint8_t *buf = NULL, *bigger;
	int fd, err = 0;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (cap - used < READ_CHUNK) {
			if (cap >= IMA_LOG_FILE_MAX) {
				err = -EFBIG;
				break;
			}
			cap = cap ? 2 * cap : 4 * READ_CHUNK;
			bigger = realloc(buf, cap);
			if (!bigger) {
				err = -ENOMEM;
				break;
			}
			buf = bigger;
		}
		n = read(fd, buf + used, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (!err && used > IMA_LOG_FILE_MAX)
		err = -EFBIG;
	if (err) {
		free(buf);
		return err;
	}
	*log = buf;
	*len = used;
	return 0;
}
