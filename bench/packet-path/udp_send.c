// SPDX-License-Identifier: GPL-2.0
/*
 * udp-send: the paired packet-path measurement.
 *
 * Sends small UDP datagrams from one source address to several receivers
 * (one per network namespace, each with a different filter) and times
 * every batch. Batches alternate between the receivers inside each round,
 * with the starting receiver rotated from round to round, so that the
 * slow drifts of a shared machine hit every receiver alike. The first
 * --refs receivers (default 1) have no filter; the reference time of a
 * round is their mean, which halves whatever bias one receiver instance
 * has of its own (an emulated CPU shows a few per cent). For each filtered
 * receiver the result is the median over rounds of the per-round ratio and
 * difference against the reference of the same round; the unfiltered
 * receivers after the first are compared with the first, which shows the
 * noise of the method.
 *
 * Why the sender's clock measures the receive path: veth hands each skb
 * to netif_rx() on the sending CPU, and the softirq that runs the
 * receiver's netfilter hooks and UDP delivery executes when sendmmsg()
 * re-enables bottom halves, on that same CPU. So the wall time per
 * datagram here is send + veth + receive, filter included.
 *
 * Usage: udp-send --src ADDR --port PORT --dst LABEL=ADDR [--dst ...]
 *                 [--batch N | --batch-us US] [--rounds N] [--warmup N]
 *                 [--payload BYTES] [--cpu N] [--print-rounds 0|1] [--refs K]
 *                 [--spread-base ADDR --spread-count N]
 * --spread-* sends datagram i from source ADDR + (i mod N) instead of
 * --src (IPv6; see spread.h), so that source lookups touch N entries.
 * --batch-us sizes the batches so that one takes about US microseconds
 * on the reference receiver (the fastest of a few probes before the
 * warm-up), which keeps the run length the same on the host and in a slow
 * emulated guest. On a loaded machine, batches much shorter than a
 * scheduler time slice are best: most of them run uninterrupted, and the
 * median over rounds then ignores the ones that were not.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "bench_util.h"
#include "spread.h"

#define MAX_DST		8
#define SEND_VLEN	64
#define MAX_PAYLOAD	1400

struct receiver {
	const char *label;
	const char *addr;
	int fd;
	unsigned long long sent;	/* including warm-up */
	unsigned long long errors;
};

struct options {
	const char *src;
	unsigned int port;
	unsigned int batch;
	unsigned int rounds;
	unsigned int warmup;
	unsigned int payload;
	unsigned int batch_us;		/* 0: use batch as given */
	int print_rounds;
	int cpu;
	unsigned int ndst;
	unsigned int refs;		/* leading unfiltered receivers */
	const char *spread_base;	/* NULL: every datagram from --src */
	unsigned int spread_count;
	struct spread spread;
	struct receiver dst[MAX_DST];
};

static void usage(void)
{
	fprintf(stderr,
		"usage: udp-send --src ADDR --port PORT --dst LABEL=ADDR [--dst ...]\n"
		"                [--batch N | --batch-us US] [--rounds N] [--warmup N]\n"
		"                [--payload BYTES] [--cpu N] [--print-rounds 0|1] [--refs K]\n"
		"                [--spread-base ADDR --spread-count N]\n"
		"The first K (default 1) --dst receivers have no filter: the reference.\n");
	exit(2);
}

static void add_receiver(struct options *o, char *spec)
{
	char *eq = strchr(spec, '=');

	if (!eq || eq == spec || o->ndst == MAX_DST) {
		fprintf(stderr, "udp-send: bad --dst '%s' (LABEL=ADDR, at most %d)\n",
			spec, MAX_DST);
		exit(2);
	}
	*eq = '\0';
	o->dst[o->ndst].label = spec;
	o->dst[o->ndst].addr = eq + 1;
	o->ndst++;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->batch = 2000;
	o->rounds = 31;
	o->warmup = 2;
	o->payload = 64;
	o->cpu = -1;
	o->refs = 1;
	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "--src"))
			o->src = v;
		else if (!strcmp(k, "--port"))
			o->port = bench_parse_uint(v, 1, 65535, k);
		else if (!strcmp(k, "--dst"))
			add_receiver(o, argv[i + 1]);
		else if (!strcmp(k, "--batch"))
			o->batch = bench_parse_uint(v, 1, 100000000, k);
		else if (!strcmp(k, "--rounds"))
			o->rounds = bench_parse_uint(v, 1, 100000, k);
		else if (!strcmp(k, "--warmup"))
			o->warmup = bench_parse_uint(v, 0, 100000, k);
		else if (!strcmp(k, "--payload"))
			o->payload = bench_parse_uint(v, 1, MAX_PAYLOAD, k);
		else if (!strcmp(k, "--batch-us"))
			o->batch_us = bench_parse_uint(v, 10, 60000000, k);
		else if (!strcmp(k, "--spread-base"))
			o->spread_base = v;
		else if (!strcmp(k, "--spread-count"))
			o->spread_count = bench_parse_uint(v, 1, 1u << 24, k);
		else if (!strcmp(k, "--refs"))
			o->refs = bench_parse_uint(v, 1, MAX_DST, k);
		else if (!strcmp(k, "--print-rounds"))
			o->print_rounds = bench_parse_uint(v, 0, 1, k);
		else if (!strcmp(k, "--cpu"))
			o->cpu = bench_parse_uint(v, 0, 1023, k);
		else
			usage();
	}
	if (i != argc || !o->src || !o->port || !o->ndst || o->refs > o->ndst ||
	    !o->spread_base != !o->spread_count)
		usage();
}

/* A socket bound to the source address and connected to one receiver. */
static int open_flow(const char *src, const char *dst, unsigned int port)
{
	struct sockaddr_storage s, d;
	socklen_t slen, dlen;
	int size = 4 << 20;
	int fd;

	if (bench_sockaddr(src, 0, &s, &slen) < 0 ||
	    bench_sockaddr(dst, port, &d, &dlen) < 0 ||
	    s.ss_family != d.ss_family) {
		fprintf(stderr, "udp-send: bad or mixed addresses %s -> %s\n",
			src, dst);
		return -1;
	}
	fd = socket(s.ss_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udp-send: socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&s, slen) < 0 ||
	    connect(fd, (struct sockaddr *)&d, dlen) < 0) {
		fprintf(stderr, "udp-send: %s -> %s port %u: %s\n", src, dst,
			port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Send @count datagrams; returns how many the kernel accepted. A failed
 * datagram (a queued ICMP error, a full device queue) is counted in
 * r->errors and skipped, so one bad receiver cannot stall the run.
 */
static struct spread *spread;	/* set when sources are spread */

static unsigned int send_batch(struct receiver *r, struct mmsghdr *msgs,
			       unsigned int count)
{
	unsigned int done = 0;
	int n;

	while (done < count) {
		unsigned int want = count - done;

		if (want > SEND_VLEN)
			want = SEND_VLEN;
		if (spread)
			spread_fill(spread, msgs, want);
		n = sendmmsg(r->fd, msgs, want, 0);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		r->errors++;
		count--;
	}
	r->sent += done;
	return done;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile @q of @v (sorted in place), nearest rank. */
static double quantile(double *v, unsigned int n, double q)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(unsigned int)(q * (n - 1) + 0.5)];
}

/*
 * 95% confidence interval of the median of @n values (sorted in place):
 * the order statistics n/2 -+ 0.98 sqrt(n), from the binomial law of the
 * number of values below the true median.
 */
static void median_ci(double *v, unsigned int n, double *lo, double *hi)
{
	double half = 0.98 * sqrt((double)n);
	long l = (long)floor(n / 2.0 - half), h = (long)ceil(n / 2.0 + half);

	qsort(v, n, sizeof(*v), cmp_double);
	if (l < 0)
		l = 0;
	if (h > (long)n - 1)
		h = (long)n - 1;
	*lo = v[l];
	*hi = v[h];
}

/*
 * Runs warm-up and measured rounds; ns[r * ndst + d] is the wall time per
 * datagram of receiver d in measured round r (0 if nothing was sent).
 */
static void run_rounds(struct options *o, struct mmsghdr *msgs, double *ns)
{
	unsigned int total = o->warmup + o->rounds;
	unsigned int r, k;

	for (r = 0; r < total; r++) {
		for (k = 0; k < o->ndst; k++) {
			unsigned int d = (r + k) % o->ndst;
			uint64_t t0 = bench_now_ns();
			unsigned int sent = send_batch(&o->dst[d], msgs,
							o->batch);
			uint64_t t1 = bench_now_ns();

			if (r >= o->warmup)
				ns[(r - o->warmup) * o->ndst + d] =
					sent ? (double)(t1 - t0) / sent : 0;
		}
	}
}

/*
 * Batch size for about @us microseconds per batch on the reference: the
 * fastest of five probes of about 10 ms each, so that a probe that was
 * preempted does not inflate it.
 */
static unsigned int calibrate_batch(struct options *o, struct mmsghdr *msgs,
				    unsigned int us)
{
	unsigned int probe = 64, sent, i;
	double best = 0, per;
	uint64_t t0, t1;

	for (;;) {
		t0 = bench_now_ns();
		sent = send_batch(&o->dst[0], msgs, probe);
		t1 = bench_now_ns();
		if (!sent)
			return 100;
		if (t1 - t0 >= 10000000ull || probe >= (1u << 24))
			break;
		probe *= 2;
	}
	for (i = 0; i < 5; i++) {
		t0 = bench_now_ns();
		sent = send_batch(&o->dst[0], msgs, probe);
		t1 = bench_now_ns();
		per = sent ? (double)(t1 - t0) / sent : 0;
		if (per > 0 && (best == 0 || per < best))
			best = per;
	}
	if (best <= 0)
		return 100;
	sent = (unsigned int)(us * 1e3 / best);
	return sent < 8 ? 8 : sent;
}

/*
 * For every two filtered receivers a and b: the median over rounds of
 * b's time / a's time, i.e. a's packet rate relative to b's, from batches
 * of the same round.
 */
static void print_pairs(const struct options *o, const double *ns)
{
	double *v = calloc(o->rounds, sizeof(*v));
	unsigned int a, b, r;
	double lo, hi;

	if (!v) {
		fprintf(stderr, "udp-send: out of memory\n");
		exit(1);
	}
	for (a = 1; a < o->ndst; a++) {
		for (b = a + 1; b < o->ndst; b++) {
			for (r = 0; r < o->rounds; r++) {
				double na = ns[r * o->ndst + a];

				v[r] = na > 0 ? ns[r * o->ndst + b] / na : 0;
			}
			printf("pair a=%s b=%s rate_ratio=%.4f",
			       o->dst[a].label, o->dst[b].label,
			       quantile(v, o->rounds, 0.5));
			printf(" p25=%.4f p75=%.4f",
			       quantile(v, o->rounds, 0.25),
			       quantile(v, o->rounds, 0.75));
			median_ci(v, o->rounds, &lo, &hi);
			printf(" ci_lo=%.4f ci_hi=%.4f\n", lo, hi);
		}
	}
	free(v);
}

static void print_rounds(const struct options *o, const double *ns)
{
	unsigned int r, d;

	for (r = 0; r < o->rounds; r++) {
		printf("round %u", r + 1);
		for (d = 0; d < o->ndst; d++)
			printf(" %s=%.1f", o->dst[d].label, ns[r * o->ndst + d]);
		printf("\n");
	}
}

/* Reference time of round @r for receiver @d (see the top comment). */
static double reference_ns(const struct options *o, const double *ns,
			   unsigned int r, unsigned int d)
{
	double sum = 0;
	unsigned int k;

	if (d < o->refs)
		return ns[r * o->ndst];
	for (k = 0; k < o->refs; k++)
		sum += ns[r * o->ndst + k];
	return sum / o->refs;
}

/*
 * One "result" line per receiver: median ns per datagram and rate and,
 * for every receiver but the first, the median paired ratio (reference time / this
 * time, i.e. relative packet rate; with its 95% confidence interval and
 * quartiles) and the median paired difference in ns.
 */
static void print_results(const struct options *o, const double *ns)
{
	double *v = calloc(o->rounds, sizeof(*v));
	double *w = calloc(o->rounds, sizeof(*w));
	unsigned int r, d;

	if (!v || !w) {
		fprintf(stderr, "udp-send: out of memory\n");
		exit(1);
	}
	for (d = 0; d < o->ndst; d++) {
		double med, ratio = 1, p25 = 1, p75 = 1, diff = 0;
		double lo = 1, hi = 1, dlo = 0, dhi = 0;

		for (r = 0; r < o->rounds; r++)
			v[r] = ns[r * o->ndst + d];
		med = quantile(v, o->rounds, 0.5);
		if (d > 0) {
			for (r = 0; r < o->rounds; r++) {
				double ref = reference_ns(o, ns, r, d);
				double me = ns[r * o->ndst + d];

				v[r] = me > 0 ? ref / me : 0;
				w[r] = me - ref;
			}
			ratio = quantile(v, o->rounds, 0.5);
			p25 = quantile(v, o->rounds, 0.25);
			p75 = quantile(v, o->rounds, 0.75);
			diff = quantile(w, o->rounds, 0.5);
			median_ci(v, o->rounds, &lo, &hi);
			median_ci(w, o->rounds, &dlo, &dhi);
		}
		printf("result label=%s ns_per_pkt=%.1f pps=%.0f ratio=%.4f ratio_ci_lo=%.4f ratio_ci_hi=%.4f ratio_p25=%.4f ratio_p75=%.4f",
		       o->dst[d].label, med, med > 0 ? 1e9 / med : 0, ratio,
		       lo, hi, p25, p75);
		printf(" diff_ns=%.1f diff_ci_lo=%.1f diff_ci_hi=%.1f sent=%llu errors=%llu\n",
		       diff, dlo, dhi, o->dst[d].sent, o->dst[d].errors);
	}
	free(v);
	free(w);
}

int main(int argc, char **argv)
{
	static char payload[MAX_PAYLOAD];
	struct mmsghdr msgs[SEND_VLEN];
	struct iovec iov;
	struct options o;
	unsigned int d, i;
	double *ns;
	int failed = 0;

	parse_args(argc, argv, &o);
	if (o.cpu >= 0 && bench_pin_cpu(o.cpu) < 0)
		return 1;
	if (o.spread_base) {
		if (spread_init(&o.spread, o.spread_base, o.spread_count) < 0)
			return 1;
		spread = &o.spread;
	}
	for (d = 0; d < o.ndst; d++) {
		o.dst[d].fd = open_flow(o.src, o.dst[d].addr, o.port);
		if (o.dst[d].fd < 0 || (spread && spread_socket(o.dst[d].fd) < 0))
			return 1;
	}
	memset(payload, 0x6c, sizeof(payload));
	iov.iov_base = payload;
	iov.iov_len = o.payload;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < SEND_VLEN; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	ns = calloc((size_t)o.rounds * o.ndst, sizeof(*ns));
	if (!ns) {
		fprintf(stderr, "udp-send: out of memory\n");
		return 1;
	}
	if (o.batch_us)
		o.batch = calibrate_batch(&o, msgs, o.batch_us);
	printf("# udp-send src=%s spread=%u payload=%u batch=%u rounds=%u warmup=%u references=%u\n",
	       o.src, o.spread_count, o.payload, o.batch, o.rounds, o.warmup,
	       o.refs);
	run_rounds(&o, msgs, ns);
	if (o.print_rounds)
		print_rounds(&o, ns);
	print_results(&o, ns);
	print_pairs(&o, ns);
	for (d = 0; d < o.ndst; d++) {
		if (!o.dst[d].sent)
			failed = 1;
		close(o.dst[d].fd);
	}
	free(ns);
	spread_free(&o.spread);
	return failed;
}
