// SPDX-License-Identifier: GPL-2.0
/* Saving and loading a peer's verifier state; see verify.h. Stateless. */
#include <string.h>

#include "attest/verify.h"

#define PEER_MAGIC "LEOP"
#define PEER_VERSION 1

static uint8_t *put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		*p++ = v >> (8 * i);
	return p;
}

static uint64_t get(const uint8_t **p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | (*p)[i];
	*p += n;
	return v;
}

void attest_peer_save(const struct attest_peer *peer,
		      uint8_t out[ATTEST_PEER_SAVE_LEN])
{
	uint8_t *p = out;

	memcpy(p, PEER_MAGIC, 4);
	p = put(p + 4, PEER_VERSION, 2);
	p = put(p, 0, 2);
	memcpy(p, peer->ak_name, sizeof(peer->ak_name));
	p += sizeof(peer->ak_name);
	p = put(p, peer->ak_known, 1);
	p = put(p, peer->clock, 8);
	p = put(p, peer->reset_count, 4);
	p = put(p, peer->restart_count, 4);
	p = put(p, peer->firmware, 8);
	p = put(p, peer->seen, 1);
	p = put(p, peer->leo_seq.started, 1);
	p = put(p, peer->leo_seq.instance, 8);
	p = put(p, peer->leo_seq.next_seq, 8);
	p = put(p, peer->leo_sealed, 1);
	ima_replay_save(&peer->replay, p);
}

int attest_peer_load(struct attest_peer *peer, const uint8_t *in, size_t len)
{
	struct attest_peer s;
	const uint8_t *p = in + 8;
	uint64_t ak_known, seen, started, sealed;

	if (len != ATTEST_PEER_SAVE_LEN || memcmp(in, PEER_MAGIC, 4) ||
	    in[4] != PEER_VERSION || in[5] || in[6] || in[7])
		return -1;
	memset(&s, 0, sizeof(s));
	memcpy(s.ak_name, p, sizeof(s.ak_name));
	p += sizeof(s.ak_name);
	ak_known = get(&p, 1);
	s.clock = get(&p, 8);
	s.reset_count = get(&p, 4);
	s.restart_count = get(&p, 4);
	s.firmware = get(&p, 8);
	seen = get(&p, 1);
	started = get(&p, 1);
	s.leo_seq.instance = get(&p, 8);
	s.leo_seq.next_seq = get(&p, 8);
	sealed = get(&p, 1);
	if (ak_known > 1 || seen > 1 || started > 1 || sealed > 1 ||
	    ima_replay_load(&s.replay, p, IMA_REPLAY_SAVE_LEN))
		return -1;
	s.ak_known = ak_known;
	s.seen = seen;
	s.leo_seq.started = started;
	s.leo_sealed = sealed;
	*peer = s;
	return 0;
}
