// SPDX-License-Identifier: GPL-2.0
/* swtpm instances for the tests; see swtpm.h. */
#define _XOPEN_SOURCE 700
#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attest/provision.h"
#include "attest/test/swtpm.h"

#define MAX_INSTANCES 8
#define START_TRIES 5
#define WAIT_STEPS 100		/* x 50 ms: at most 5 s for swtpm to listen */

static struct swtpm *live[MAX_INSTANCES];

static void kill_all(void)
{
	for (int i = 0; i < MAX_INSTANCES; i++)
		if (live[i])
			swtpm_stop(live[i]);
}

static void track(struct swtpm *t, bool add)
{
	static bool registered;

	if (!registered) {
		atexit(kill_all);
		registered = true;
	}
	for (int i = 0; i < MAX_INSTANCES; i++) {
		if (add && !live[i]) {
			live[i] = t;
			return;
		}
		if (!add && live[i] == t)
			live[i] = NULL;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* fork+exec with output discarded; returns the exit status or -1 */
static int run(char *const argv[], bool wait_for_it, pid_t *pid_out)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (!wait_for_it) {
		*pid_out = pid;
		return 0;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int bind_port(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int got = -1;

	if (fd < 0)
		return -1;
	if (!bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		got = ntohs(a.sin_port);
	close(fd);
	return got;
}

/* a port P such that P and P + 1 are free right now */
static int free_port_pair(void)
{
	for (int i = 0; i < 50; i++) {
		int p = bind_port(0);

		if (p > 0 && p < 65535 && bind_port(p + 1) == p + 1)
			return p;
	}
	return -1;
}

static bool listening(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok = fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof(a));

	if (fd >= 0)
		close(fd);
	return ok;
}

const char *swtpm_ca_file(const char *name)
{
	static char paths[4][512];
	static int next;
	const char *dir = getenv("LEO_TEST_CA_DIR");
	char *p = paths[next++ % 4];

	if (!dir || !*dir) {
		printf("Bail out! LEO_TEST_CA_DIR is not set: run the tests with "
		       "make check-host, which makes the test CA "
		       "(scripts/test-ca.sh)\n");
		exit(1);
	}
	snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
	return p;
}

static int manufacture(struct swtpm *t, bool ek_certs)
{
	char *argv[] = { "swtpm_setup", "--tpm2", "--tpmstate", t->dir,
			 "--config", NULL, "--create-ek-cert",
			 "--create-platform-cert", "--overwrite", NULL };

	if (!ek_certs)
		return 0;	/* a fresh TPM with random seeds */
	argv[5] = (char *)swtpm_ca_file("swtpm_setup.conf");
	return run(argv, true, NULL);
}

static int spawn(struct swtpm *t)
{
	char server[64], ctrl[64], state[96];
	char *argv[] = { "swtpm", "socket", "--tpm2", "--server", server,
			 "--ctrl", ctrl, "--flags", "startup-clear,not-need-init",
			 "--tpmstate", state, NULL };
	int status;

	snprintf(server, sizeof(server), "type=tcp,port=%d", t->port);
	snprintf(ctrl, sizeof(ctrl), "type=tcp,port=%d", t->port + 1);
	snprintf(state, sizeof(state), "dir=%s", t->dir);
	if (run(argv, false, &t->pid))
		return -1;
	for (int i = 0; i < WAIT_STEPS; i++) {
		if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
			t->pid = 0;
			return -1;	/* exited: port taken meanwhile? */
		}
		if (listening(t->port))
			return 0;
		sleep_ms(50);
	}
	return -1;
}

int swtpm_start(struct swtpm *t, bool ek_certs)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/leo-swtpm-XXXXXX");
	if (!mkdtemp(t->dir) || manufacture(t, ek_certs))
		return -1;
	track(t, true);
	for (int i = 0; i < START_TRIES; i++) {
		t->port = free_port_pair();
		if (t->port > 0 && !spawn(t)) {
			snprintf(t->tcti, sizeof(t->tcti),
				 "swtpm:host=127.0.0.1,port=%d", t->port);
			return 0;
		}
		if (t->pid > 0) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, NULL, 0);
			t->pid = 0;
		}
	}
	return -1;
}

static int unlink_cb(const char *path, const struct stat *sb, int flag,
		     struct FTW *ftw)
{
	return remove(path);
}

void swtpm_stop(struct swtpm *t)
{
	swtpm_disconnect(t);
	if (t->pid > 0) {
		kill(t->pid, SIGTERM);
		waitpid(t->pid, NULL, 0);
		t->pid = 0;
	}
	if (t->dir[0])
		nftw(t->dir, unlink_cb, 8, FTW_DEPTH | FTW_PHYS);
	t->dir[0] = 0;
	track(t, false);
}

int swtpm_connect(struct swtpm *t)
{
	if (Tss2_TctiLdr_Initialize(t->tcti, &t->tcti_ctx))
		return -1;
	if (Esys_Initialize(&t->esys, t->tcti_ctx, NULL)) {
		Tss2_TctiLdr_Finalize(&t->tcti_ctx);
		return -1;
	}
	return 0;
}

void swtpm_disconnect(struct swtpm *t)
{
	if (t->esys)
		Esys_Finalize(&t->esys);
	if (t->tcti_ctx)
		Tss2_TctiLdr_Finalize(&t->tcti_ctx);
	t->esys = NULL;
	t->tcti_ctx = NULL;
}

int swtpm_reboot(struct swtpm *t)
{
	char ctrl[32];
	char *argv[] = { "swtpm_ioctl", "--tcp", ctrl, "-i", NULL };
	TSS2_RC rc;

	/* an orderly shutdown first, as an OS does: the TPM saves its state */
	if (t->esys)
		Esys_Shutdown(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
			      ESYS_TR_NONE, TPM2_SU_CLEAR);
	swtpm_disconnect(t);
	snprintf(ctrl, sizeof(ctrl), "127.0.0.1:%d", t->port + 1);
	if (run(argv, true, NULL) || swtpm_connect(t))
		return -1;
	rc = Esys_Startup(t->esys, TPM2_SU_CLEAR);
	return rc == TSS2_RC_SUCCESS || rc == TPM2_RC_INITIALIZE ? 0 : -1;
}

int swtpm_ek_publics(struct swtpm *t, TPM2B_PUBLIC *rsa, TPM2B_PUBLIC *ecc)
{
	ESYS_TR h;

	if (attest_ek_create(t->esys, ATTEST_KEY_RSA, &h, rsa))
		return -1;
	Esys_FlushContext(t->esys, h);
	if (attest_ek_create(t->esys, ATTEST_KEY_ECC, &h, ecc))
		return -1;
	Esys_FlushContext(t->esys, h);
	return 0;
}
