// SPDX-License-Identifier: GPL-2.0
/*
 * Decoder of leo.ko's IMA records (uapi/linux/leo_measure.h). Offsets come
 * from the uapi structures themselves; integers are converted from little
 * endian field by field. No global state.
 */
#include "ima/leo_records.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include <linux/leo.h>
#include <linux/leo_measure.h>

#include "common/escape.h"

_Static_assert(sizeof(struct leo_measure_hdr) == 48, "header layout");
_Static_assert(sizeof(struct leo_measure_peer_rec) == 96, "peer layout");
_Static_assert(sizeof(struct leo_measure_subnet_rec) == 24, "subnet");
_Static_assert(sizeof(struct leo_measure_config_rec) == 24, "config");
_Static_assert(offsetof(struct leo_measure_config_rec, agent_mark) ==
	       LEO_MEASURE_CONFIG_V1_LEN, "config: first version");
_Static_assert(sizeof(struct leo_measure_device_rec) == 24, "device");
_Static_assert(sizeof(struct leo_measure_seal_rec) == 48, "seal layout");
_Static_assert(sizeof(struct leo_measure_load_rec) == 8, "load layout");
_Static_assert(sizeof(struct leo_measure_counters_rec) == 24, "counters");
_Static_assert(sizeof(struct leo_measure_netns_rec) == 8, "netns layout");
_Static_assert(sizeof(struct leo_measure_expired_rec) == 8, "expired");
_Static_assert(sizeof(struct leo_measure_expired_peer) == 88, "expired peer");

static const char *const op_names[] = {
	[LEO_MEASURE_OP_PEER_ADD] = "peer-add",
	[LEO_MEASURE_OP_PEER_SET] = "peer-set",
	[LEO_MEASURE_OP_PEER_DEL] = "peer-del",
	[LEO_MEASURE_OP_PEER_EXPIRED] = "peer-expired",
	[LEO_MEASURE_OP_PEER_FLUSH] = "peer-flush",
	[LEO_MEASURE_OP_SUBNET_ADD] = "subnet-add",
	[LEO_MEASURE_OP_SUBNET_DEL] = "subnet-del",
	[LEO_MEASURE_OP_CONFIG] = "config",
	[LEO_MEASURE_OP_SEAL] = "seal",
	[LEO_MEASURE_OP_MODULE_LOAD] = "load",
	[LEO_MEASURE_OP_MODULE_UNLOAD] = "unload",
	[LEO_MEASURE_OP_MEASURE_ON] = "measure-on",
	[LEO_MEASURE_OP_NETNS_EXIT] = "netns-exit",
	[LEO_MEASURE_OP_DEVICE_ADD] = "device-add",
	[LEO_MEASURE_OP_DEVICE_DEL] = "device-del",
	[LEO_MEASURE_OP_PEERS_EXPIRED] = "peers-expired",
};

static const char *const state_names[] = {
	[LEO_PEER_ATTESTED] = "attested",
	[LEO_PEER_QUARANTINED] = "quarantined",
};

static const char *const reason_names[] = {
	[LEO_REASON_UNSPEC] = "unspec",
	[LEO_REASON_ADMIN] = "admin",
	[LEO_REASON_ATTESTATION_FAILED] = "attestation-failed",
	[LEO_REASON_CONSENSUS] = "consensus",
	[LEO_REASON_EXPIRED] = "expired",
	[LEO_REASON_REATTESTED] = "reattested",
};

static const char *const mode_names[] = {
	[LEO_MODE_ENFORCE] = "enforce",
	[LEO_MODE_MONITOR] = "monitor",
};

#define NAME_OF(table, v) \
	((size_t)(v) < sizeof(table) / sizeof(table[0]) && table[v] ? \
	 table[v] : "?")

const char *leo_record_op_name(uint16_t op)
{
	return NAME_OF(op_names, op);
}

/*
 * Record that entry @e is not a valid leo record. The format must be a
 * string literal: it is appended to the "leo record: " prefix.
 */
#define bad(e, err, ...) \
	ima_log_error_set((err), (e)->index, (e)->offset, \
			  "leo record: " __VA_ARGS__)

bool leo_record_is_leo(const struct ima_entry *e)
{
	size_t n = strlen(LEO_RECORD_NAME_PREFIX);

	return e->path && e->path_len >= n &&
	       !memcmp(e->path, LEO_RECORD_NAME_PREFIX, n);
}

static size_t body_size(uint16_t op)
{
	switch (op) {
	case LEO_MEASURE_OP_PEER_ADD ... LEO_MEASURE_OP_PEER_FLUSH:
		return sizeof(struct leo_measure_peer_rec);
	case LEO_MEASURE_OP_SUBNET_ADD:
	case LEO_MEASURE_OP_SUBNET_DEL:
		return sizeof(struct leo_measure_subnet_rec);
	case LEO_MEASURE_OP_CONFIG:
		/* the first version; decode_config() checks the rest */
		return LEO_MEASURE_CONFIG_V1_LEN;
	case LEO_MEASURE_OP_SEAL:
		return sizeof(struct leo_measure_seal_rec);
	case LEO_MEASURE_OP_MODULE_LOAD:
		return sizeof(struct leo_measure_load_rec);
	case LEO_MEASURE_OP_MODULE_UNLOAD:
	case LEO_MEASURE_OP_MEASURE_ON:
		return sizeof(struct leo_measure_counters_rec);
	case LEO_MEASURE_OP_NETNS_EXIT:
		return sizeof(struct leo_measure_netns_rec);
	case LEO_MEASURE_OP_DEVICE_ADD:
	case LEO_MEASURE_OP_DEVICE_DEL:
		return sizeof(struct leo_measure_device_rec);
	case LEO_MEASURE_OP_PEERS_EXPIRED:
		return sizeof(struct leo_measure_expired_rec);
	default:
		return 0;
	}
}

/* d-ng must be the SHA-256 of the record (docs/measurements.md). */
static int check_digest(const struct ima_entry *e, struct ima_log_error *err)
{
	uint8_t md[32];

	if (e->digest_algo != IMA_HASH_SHA256)
		return bad(e, err, "d-ng algorithm is %s, not sha256",
			   ima_hash_algo_name(e->digest_algo));
	if (!EVP_Digest(e->buf, e->buf_len, md, NULL, EVP_sha256(), NULL))
		return bad(e, err, "sha256 failed");
	if (memcmp(md, e->digest, sizeof(md)))
		return bad(e, err, "d-ng is not the sha256 of the record");
	return 0;
}

static int decode_header(const struct ima_entry *e, struct leo_record *r,
			 struct ima_log_error *err)
{
	struct leo_measure_hdr h;
	size_t need;

	if (e->buf_len < sizeof(h))
		return bad(e, err, "%u bytes, shorter than the header",
			   e->buf_len);
	memcpy(&h, e->buf, sizeof(h));
	if (le32toh(h.magic) != LEO_MEASURE_MAGIC)
		return bad(e, err, "bad magic 0x%08x", le32toh(h.magic));
	r->version = le16toh(h.version);
	r->op = le16toh(h.op);
	r->length = le32toh(h.length);
	if (r->version != LEO_MEASURE_VERSION)
		return bad(e, err, "unsupported version %u", r->version);
	if (r->length != e->buf_len)
		return bad(e, err, "length %u but the buffer has %u bytes",
			   r->length, e->buf_len);
	need = body_size(r->op);
	if (!need)
		return bad(e, err, "unknown op %u", r->op);
	if (r->length < sizeof(h) + need)
		return bad(e, err, "%s record of %u bytes, needs %zu",
			   leo_record_op_name(r->op), r->length,
			   sizeof(h) + need);
	r->netns_ino = le32toh(h.netns_ino);
	r->netns_cookie = le64toh(h.netns_cookie);
	r->seq = le64toh(h.seq);
	r->instance = le64toh(h.instance);
	r->time_ns = le64toh(h.time_ns);
	return 0;
}

static bool valid_family(uint16_t family)
{
	return family == AF_INET || family == AF_INET6;
}

static int decode_peer(const struct ima_entry *e, const uint8_t *body,
		       struct leo_record *r, struct ima_log_error *err)
{
	struct leo_measure_peer_rec b;
	struct leo_record_peer *p = &r->u.peer;

	memcpy(&b, body, sizeof(b));
	p->family = le16toh(b.family);
	p->state = b.state;
	p->reason = b.reason;
	p->validity_ms = le32toh(b.validity_ms);
	memcpy(p->addr, b.addr, sizeof(p->addr));
	p->flags = le32toh(b.flags);
	memcpy(p->peer_id, b.peer_id, sizeof(p->peer_id));
	memcpy(p->evidence, b.evidence, sizeof(p->evidence));
	if (r->op == LEO_MEASURE_OP_PEER_FLUSH ? p->family != 0 :
	    !valid_family(p->family))
		return bad(e, err, "%s with address family %u",
			   leo_record_op_name(r->op), p->family);
	return 0;
}

static int decode_subnet(const struct ima_entry *e, const uint8_t *body,
			 struct leo_record *r, struct ima_log_error *err)
{
	struct leo_measure_subnet_rec b;
	struct leo_record_subnet *s = &r->u.subnet;

	memcpy(&b, body, sizeof(b));
	s->family = le16toh(b.family);
	s->prefixlen = b.prefixlen;
	memcpy(s->addr, b.addr, sizeof(s->addr));
	if (!valid_family(s->family))
		return bad(e, err, "subnet with address family %u", s->family);
	if (s->prefixlen > (s->family == AF_INET ? 32 : 128))
		return bad(e, err, "prefix length %u too long", s->prefixlen);
	return 0;
}

/*
 * The first version is 8 bytes; the current one appended the limits and
 * is 24. Nothing was ever logged in between, so such a length is an error.
 */
static int decode_config(const struct ima_entry *e, const uint8_t *body,
			 struct leo_record *r, struct ima_log_error *err)
{
	struct leo_measure_config_rec b = { 0 };
	struct leo_record_config *c = &r->u.config;
	size_t len = r->length - sizeof(struct leo_measure_hdr);

	if (len >= sizeof(b))
		memcpy(&b, body, sizeof(b));
	else if (len == LEO_MEASURE_CONFIG_V1_LEN)
		memcpy(&b, body, LEO_MEASURE_CONFIG_V1_LEN);
	else
		return bad(e, err, "config body of %zu bytes, neither %u (first version) nor at least %zu",
			   len, LEO_MEASURE_CONFIG_V1_LEN, sizeof(b));
	c->mode = b.mode;
	c->hs_port = le16toh(b.hs_port);
	c->default_validity_ms = le32toh(b.default_validity_ms);
	c->has_limits = len >= sizeof(b);
	c->agent_mark = le32toh(b.agent_mark);
	c->hs_rate = le32toh(b.hs_rate);
	c->hs_burst = le32toh(b.hs_burst);
	c->hs_total_rate = le32toh(b.hs_total_rate);
	return 0;
}

static int decode_device(const struct ima_entry *e, const uint8_t *body,
			 struct leo_record *r, struct ima_log_error *err)
{
	struct leo_measure_device_rec b;

	memcpy(&b, body, sizeof(b));
	if (!memchr(b.name, '\0', sizeof(b.name)))
		return bad(e, err, "%s: device name not NUL-terminated within %zu bytes",
			   leo_record_op_name(r->op), sizeof(b.name));
	r->u.device.ifindex = le32toh(b.ifindex);
	memcpy(r->u.device.name, b.name, sizeof(b.name));
	return 0;
}

static void decode_seal(const uint8_t *body, struct leo_record *r)
{
	struct leo_measure_seal_rec b;

	memcpy(&b, body, sizeof(b));
	memcpy(r->u.seal.exe_digest, b.exe_digest, 32);
	r->u.seal.pid = le32toh(b.pid);
	r->u.seal.uid = le32toh(b.uid);
	r->u.seal.hash_algo = le32toh(b.hash_algo);
}

static int decode_load(const struct ima_entry *e, const uint8_t *body,
		       struct leo_record *r, struct ima_log_error *err)
{
	struct leo_measure_load_rec b;
	size_t room = r->length - sizeof(struct leo_measure_hdr) - sizeof(b);

	memcpy(&b, body, sizeof(b));
	r->u.load.require_ima = b.require_ima;
	r->u.load.params_len = le32toh(b.params_len);
	if (r->u.load.params_len > room)
		return bad(e, err, "params_len %u exceeds the %zu bytes left",
			   r->u.load.params_len, room);
	r->u.load.params = (const char *)body + sizeof(b);
	return 0;
}

static void decode_counters(const uint8_t *body, struct leo_record *r)
{
	struct leo_measure_counters_rec b;

	memcpy(&b, body, sizeof(b));
	r->u.counters.measured = le64toh(b.measured);
	r->u.counters.failed = le64toh(b.failed);
	r->u.counters.sealed = b.sealed;
	r->u.counters.require_ima = b.require_ima;
}

static void decode_netns(const uint8_t *body, struct leo_record *r)
{
	struct leo_measure_netns_rec b;

	memcpy(&b, body, sizeof(b));
	r->u.netns.peers = le32toh(b.peers);
	r->u.netns.subnets = le32toh(b.subnets);
}

void leo_record_expired_peer(const struct leo_record *r, uint32_t i,
			     struct leo_record_peer *p)
{
	struct leo_measure_expired_peer b;

	memcpy(&b, r->u.expired.entries + (size_t)i * r->u.expired.entry_size,
	       sizeof(b));
	memset(p, 0, sizeof(*p));
	p->family = le16toh(b.family);
	p->state = b.state;
	p->reason = LEO_REASON_EXPIRED;
	memcpy(p->addr, b.addr, sizeof(p->addr));
	p->flags = le32toh(b.flags);
	memcpy(p->peer_id, b.peer_id, sizeof(p->peer_id));
	memcpy(p->evidence, b.evidence, sizeof(p->evidence));
}

/* count entries of entry_size bytes must fit; each a valid address. */
static int decode_expired(const struct ima_entry *e, const uint8_t *body,
			  struct leo_record *r, struct ima_log_error *err)
{
	struct leo_record_expired *x = &r->u.expired;
	struct leo_measure_expired_rec b;
	size_t room = r->length - sizeof(struct leo_measure_hdr) - sizeof(b);
	struct leo_record_peer p;

	memcpy(&b, body, sizeof(b));
	x->count = le32toh(b.count);
	x->entry_size = le32toh(b.entry_size);
	x->entries = body + sizeof(b);
	if (!x->count)
		return bad(e, err, "peers-expired with no peer");
	if (x->entry_size < sizeof(struct leo_measure_expired_peer))
		return bad(e, err, "peers-expired entries of %u bytes",
			   x->entry_size);
	if ((uint64_t)x->count * x->entry_size > room)
		return bad(e, err, "%u peers-expired entries exceed %zu bytes",
			   x->count, room);
	for (uint32_t i = 0; i < x->count; i++) {
		leo_record_expired_peer(r, i, &p);
		if (!valid_family(p.family))
			return bad(e, err, "peers-expired entry %u with family %u",
				   i, p.family);
	}
	return 0;
}

static int decode_body(const struct ima_entry *e, struct leo_record *r,
		       struct ima_log_error *err)
{
	const uint8_t *body = e->buf + sizeof(struct leo_measure_hdr);

	switch (r->op) {
	case LEO_MEASURE_OP_PEER_ADD ... LEO_MEASURE_OP_PEER_FLUSH:
		return decode_peer(e, body, r, err);
	case LEO_MEASURE_OP_SUBNET_ADD:
	case LEO_MEASURE_OP_SUBNET_DEL:
		return decode_subnet(e, body, r, err);
	case LEO_MEASURE_OP_CONFIG:
		return decode_config(e, body, r, err);
	case LEO_MEASURE_OP_DEVICE_ADD:
	case LEO_MEASURE_OP_DEVICE_DEL:
		return decode_device(e, body, r, err);
	case LEO_MEASURE_OP_SEAL:
		decode_seal(body, r);
		return 0;
	case LEO_MEASURE_OP_MODULE_LOAD:
		return decode_load(e, body, r, err);
	case LEO_MEASURE_OP_NETNS_EXIT:
		decode_netns(body, r);
		return 0;
	case LEO_MEASURE_OP_PEERS_EXPIRED:
		return decode_expired(e, body, r, err);
	default:
		decode_counters(body, r);
		return 0;
	}
}

int leo_record_decode(const struct ima_entry *e, struct leo_record *r,
		      struct ima_log_error *err)
{
	if (!leo_record_is_leo(e))
		return 0;
	memset(r, 0, sizeof(*r));
	r->event_name = e->path;
	if (e->template_id != IMA_TEMPLATE_IMA_BUF)
		return bad(e, err, "logged with template %s, not ima-buf",
			   ima_template_name(e->template_id));
	if (e->violation)
		return bad(e, err, "logged as a violation");
	if (check_digest(e, err) || decode_header(e, r, err) ||
	    decode_body(e, r, err))
		return -1;
	return 1;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static const char *addr_str(uint16_t family, const uint8_t *addr, char *out,
			    size_t size)
{
	if (!valid_family(family) || !inet_ntop(family, addr, out, size))
		snprintf(out, size, "-");
	return out;
}

/* A device name for the text line: "-" when empty, else escaped */
static const char *name_str(const char *name, char *out, size_t size)
{
	if (!*name)
		return "-";
	return leo_escape(name, strlen(name), out, size);
}

static int format_config(const struct leo_record_config *c, char *out,
			 size_t size)
{
	int n = snprintf(out, size, "mode=%s hs_port=%u default_validity_ms=%u",
			 NAME_OF(mode_names, c->mode), c->hs_port,
			 c->default_validity_ms);

	if (n < 0 || (size_t)n >= size || !c->has_limits)
		return n;
	return n + snprintf(out + n, size - n,
			    " agent_mark=0x%x hs_rate=%u hs_burst=%u hs_total_rate=%u",
			    c->agent_mark, c->hs_rate, c->hs_burst,
			    c->hs_total_rate);
}

/* "count=N peers=ADDR,ADDR,...": as many addresses as fit in @size. */
static int format_expired(const struct leo_record *r, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	struct leo_record_peer p;
	int n = snprintf(out, size, "count=%u peers=", r->u.expired.count);

	for (uint32_t i = 0; i < r->u.expired.count && n >= 0; i++) {
		size_t used = (size_t)n < size ? (size_t)n : size;

		leo_record_expired_peer(r, i, &p);
		n += snprintf(out + used, size - used, "%s%s", i ? "," : "",
			      addr_str(p.family, p.addr, a, sizeof(a)));
	}
	return n;
}

static int format_body(const struct leo_record *r, char *out, size_t size)
{
	char name[LEO_ESCAPED_SIZE(16)];
	char a[INET6_ADDRSTRLEN], id[65], ev[65];
	const struct leo_record_peer *p = &r->u.peer;

	switch (r->op) {
	case LEO_MEASURE_OP_PEER_ADD ... LEO_MEASURE_OP_PEER_FLUSH:
		hex(p->peer_id, 32, id);
		hex(p->evidence, 32, ev);
		return snprintf(out, size,
				"addr=%s state=%s reason=%s validity_ms=%u peer_id=%s evidence=%s",
				addr_str(p->family, p->addr, a, sizeof(a)),
				NAME_OF(state_names, p->state),
				NAME_OF(reason_names, p->reason),
				p->validity_ms,
				p->flags & LEO_MEASURE_F_PEER_ID ? id : "-",
				p->flags & LEO_MEASURE_F_EVIDENCE ? ev : "-");
	case LEO_MEASURE_OP_SUBNET_ADD:
	case LEO_MEASURE_OP_SUBNET_DEL:
		return snprintf(out, size, "subnet=%s/%u",
				addr_str(r->u.subnet.family, r->u.subnet.addr,
					 a, sizeof(a)), r->u.subnet.prefixlen);
	case LEO_MEASURE_OP_CONFIG:
		return format_config(&r->u.config, out, size);
	case LEO_MEASURE_OP_DEVICE_ADD:
	case LEO_MEASURE_OP_DEVICE_DEL:
		return snprintf(out, size, "ifindex=%u ifname=%s",
				r->u.device.ifindex,
				name_str(r->u.device.name, name, sizeof(name)));
	case LEO_MEASURE_OP_SEAL:
		hex(r->u.seal.exe_digest, 32, id);
		return snprintf(out, size,
				"exe_sha256=%s pid=%u uid=%u hash_algo=%u", id,
				r->u.seal.pid, r->u.seal.uid,
				r->u.seal.hash_algo);
	case LEO_MEASURE_OP_MODULE_LOAD:
		return snprintf(out, size, "require_ima=%u params_bytes=%u",
				r->u.load.require_ima, r->u.load.params_len);
	case LEO_MEASURE_OP_NETNS_EXIT:
		return snprintf(out, size, "peers=%u subnets=%u",
				r->u.netns.peers, r->u.netns.subnets);
	case LEO_MEASURE_OP_PEERS_EXPIRED:
		return format_expired(r, out, size);
	default:
		return snprintf(out, size,
				"measured=%llu failed=%llu sealed=%u require_ima=%u",
				(unsigned long long)r->u.counters.measured,
				(unsigned long long)r->u.counters.failed,
				r->u.counters.sealed, r->u.counters.require_ima);
	}
}

int leo_record_format(const struct leo_record *r, char *out, size_t size)
{
	int n = snprintf(out, size,
			 "instance=%016llx seq=%llu op=%s netns=%u time_ns=%llu ",
			 (unsigned long long)r->instance,
			 (unsigned long long)r->seq,
			 leo_record_op_name(r->op), r->netns_ino,
			 (unsigned long long)r->time_ns);

	if (n < 0 || (size_t)n >= size)
		return n;
	return n + format_body(r, out + n, size - n);
}

static void put_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void put_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void put_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void put_hex(struct json_object *o, const char *k, const uint8_t *p,
		    size_t n)
{
	char h[2 * 64 + 1];

	hex(p, n, h);
	put_str(o, k, h);
}

static void peer_to_json(struct json_object *o, const struct leo_record *r)
{
	const struct leo_record_peer *p = &r->u.peer;
	char a[INET6_ADDRSTRLEN];

	if (r->op != LEO_MEASURE_OP_PEER_FLUSH)
		put_str(o, "addr", addr_str(p->family, p->addr, a, sizeof(a)));
	put_str(o, "state", NAME_OF(state_names, p->state));
	put_str(o, "reason", NAME_OF(reason_names, p->reason));
	put_int(o, "validity_ms", p->validity_ms);
	if (p->flags & LEO_MEASURE_F_PEER_ID)
		put_hex(o, "peer_id", p->peer_id, 32);
	if (p->flags & LEO_MEASURE_F_EVIDENCE)
		put_hex(o, "evidence", p->evidence, 32);
}

/* The first version's record has no limits: their keys are absent. */
static void config_to_json(struct json_object *o,
			   const struct leo_record_config *c)
{
	put_str(o, "mode", NAME_OF(mode_names, c->mode));
	put_int(o, "hs_port", c->hs_port);
	put_int(o, "default_validity_ms", c->default_validity_ms);
	if (!c->has_limits)
		return;
	put_int(o, "agent_mark", c->agent_mark);
	put_int(o, "hs_rate", c->hs_rate);
	put_int(o, "hs_burst", c->hs_burst);
	put_int(o, "hs_total_rate", c->hs_total_rate);
}

static void expired_to_json(struct json_object *o, const struct leo_record *r)
{
	struct json_object *arr = json_object_new_array();
	char a[INET6_ADDRSTRLEN];
	struct leo_record_peer p;

	put_int(o, "count", r->u.expired.count);
	put_str(o, "reason", NAME_OF(reason_names, LEO_REASON_EXPIRED));
	for (uint32_t i = 0; arr && i < r->u.expired.count; i++) {
		struct json_object *e = json_object_new_object();

		if (!e)
			break;
		leo_record_expired_peer(r, i, &p);
		put_str(e, "addr", addr_str(p.family, p.addr, a, sizeof(a)));
		put_str(e, "state", NAME_OF(state_names, p.state));
		if (p.flags & LEO_MEASURE_F_PEER_ID)
			put_hex(e, "peer_id", p.peer_id, 32);
		if (p.flags & LEO_MEASURE_F_EVIDENCE)
			put_hex(e, "evidence", p.evidence, 32);
		json_object_array_add(arr, e);
	}
	if (arr)
		json_object_object_add(o, "peers", arr);
}

static void body_to_json(struct json_object *o, const struct leo_record *r)
{
	char a[INET6_ADDRSTRLEN];

	switch (r->op) {
	case LEO_MEASURE_OP_PEER_ADD ... LEO_MEASURE_OP_PEER_FLUSH:
		peer_to_json(o, r);
		break;
	case LEO_MEASURE_OP_SUBNET_ADD:
	case LEO_MEASURE_OP_SUBNET_DEL:
		put_str(o, "addr", addr_str(r->u.subnet.family,
					    r->u.subnet.addr, a, sizeof(a)));
		put_int(o, "prefixlen", r->u.subnet.prefixlen);
		break;
	case LEO_MEASURE_OP_CONFIG:
		config_to_json(o, &r->u.config);
		break;
	case LEO_MEASURE_OP_DEVICE_ADD:
	case LEO_MEASURE_OP_DEVICE_DEL:
		put_int(o, "ifindex", r->u.device.ifindex);
		if (r->u.device.name[0])
			put_str(o, "ifname", r->u.device.name);
		break;
	case LEO_MEASURE_OP_SEAL:
		put_hex(o, "exe_sha256", r->u.seal.exe_digest, 32);
		put_int(o, "pid", r->u.seal.pid);
		put_int(o, "uid", r->u.seal.uid);
		put_int(o, "hash_algo", r->u.seal.hash_algo);
		break;
	case LEO_MEASURE_OP_MODULE_LOAD:
		put_int(o, "require_ima", r->u.load.require_ima);
		json_object_object_add(o, "params",
			json_object_new_string_len(r->u.load.params,
						   (int)r->u.load.params_len));
		break;
	case LEO_MEASURE_OP_NETNS_EXIT:
		put_int(o, "peers", r->u.netns.peers);
		put_int(o, "subnets", r->u.netns.subnets);
		break;
	case LEO_MEASURE_OP_PEERS_EXPIRED:
		expired_to_json(o, r);
		break;
	default:
		put_u64(o, "measured", r->u.counters.measured);
		put_u64(o, "failed", r->u.counters.failed);
		put_int(o, "sealed", r->u.counters.sealed);
		put_int(o, "require_ima", r->u.counters.require_ima);
		break;
	}
}

struct json_object *leo_record_to_json(const struct leo_record *r)
{
	struct json_object *o = json_object_new_object();
	char inst[17];

	if (!o)
		return NULL;
	snprintf(inst, sizeof(inst), "%016llx",
		 (unsigned long long)r->instance);
	put_str(o, "op", leo_record_op_name(r->op));
	put_str(o, "event", r->event_name);
	put_str(o, "instance", inst);
	put_u64(o, "seq", r->seq);
	put_int(o, "netns_ino", r->netns_ino);
	put_u64(o, "netns_cookie", r->netns_cookie);
	put_u64(o, "time_ns", r->time_ns);
	body_to_json(o, r);
	return o;
}

uint64_t leo_seq_track(struct leo_seq_tracker *t, const struct leo_record *r,
		       bool *new_instance)
{
	bool fresh = !t->started || r->instance != t->instance;
	uint64_t missing;

	if (new_instance)
		*new_instance = fresh;
	if (fresh)
		missing = r->seq;
	else if (r->seq < t->next_seq)
		missing = UINT64_MAX;	/* repeated or out of order */
	else
		missing = r->seq - t->next_seq;
	t->started = true;
	t->instance = r->instance;
	t->next_seq = r->seq + 1;
	return missing;
}
