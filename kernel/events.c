// SPDX-License-Identifier: GPL-2.0
/*
 * Events on the "events" multicast group: drops and monitor passes
 * (sampled, at most LEO_EVENT_DROP_RATE per second per namespace), peer
 * expiries and configuration changes.
 *
 * Locking: the packet path may not allocate or sleep, so it only claims
 * a slot of a small preallocated ring (cmpxchg on the slot's busy word)
 * after taking a token from the namespace's event bucket; anything that
 * finds no token or no free slot is counted as suppressed. The tick work
 * (process context) drains ready slots and sends them. Peer and config
 * events are built and sent directly from process context.
 */
#include <net/genetlink.h>
#include "leo.h"

enum { LEO_SLOT_FREE, LEO_SLOT_FILLING, LEO_SLOT_READY };

void leo_event_packet(struct leo_net *ln, enum leo_event event,
		      enum leo_drop_reason reason, enum leo_direction dir,
		      const struct leo_addr *addr)
{
	struct leo_events *ev = &ln->events;
	struct leo_event_slot *s;

	if (!leo_bucket_take(&ev->limit, LEO_EVENT_DROP_RATE,
			     LEO_EVENT_DROP_RATE, 1))
		goto suppressed;
	s = &ev->slot[(u32)atomic_inc_return(&ev->next) % LEO_EVENT_SLOTS];
	if (atomic_cmpxchg(&s->busy, LEO_SLOT_FREE, LEO_SLOT_FILLING) !=
	    LEO_SLOT_FREE)
		goto suppressed;
	s->event = event;
	s->reason = reason;
	s->dir = dir;
	s->addr = *addr;
	atomic_set_release(&s->busy, LEO_SLOT_READY);
	return;

suppressed:
	leo_stat_inc(ln, LEO_STAT_EVENTS_SUPPRESSED);
}

static struct sk_buff *leo_event_new(u8 event, void **hdr)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &leo_genl_family, 0, LEO_CMD_EVENT);
	if (!*hdr || nla_put_u8(skb, LEO_A_EVENT, event)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void leo_event_finish(struct leo_net *ln, struct sk_buff *skb,
			     void *hdr, int err)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	leo_genl_send_event(ln->net, skb);
}

static void leo_event_send_slot(struct leo_net *ln,
				const struct leo_event_slot *s)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = leo_event_new(s->event, &hdr);
	if (!skb)
		return;
	err = leo_put_addr(skb, &s->addr) ?:
	      nla_put_u8(skb, LEO_A_DROP_REASON, s->reason) ?:
	      nla_put_u8(skb, LEO_A_DIRECTION, s->dir);
	leo_event_finish(ln, skb, hdr, err);
}

/* Process context: send the drop and monitor events queued since. */
void leo_events_flush(struct leo_net *ln)
{
	struct leo_event_slot copy;
	unsigned int i;

	for (i = 0; i < LEO_EVENT_SLOTS; i++) {
		struct leo_event_slot *s = &ln->events.slot[i];

		if (atomic_read_acquire(&s->busy) != LEO_SLOT_READY)
			continue;
		copy = *s;
		atomic_set_release(&s->busy, LEO_SLOT_FREE);
		leo_event_send_slot(ln, &copy);
	}
}

void leo_event_peer_expired(struct leo_net *ln, const struct leo_addr *addr)
{
	struct sk_buff *skb;
	void *hdr;

	skb = leo_event_new(LEO_EVENT_PEER_EXPIRED, &hdr);
	if (skb)
		leo_event_finish(ln, skb, hdr, leo_put_addr(skb, addr));
}

void leo_event_config_changed(struct leo_net *ln)
{
	struct sk_buff *skb;
	void *hdr;

	skb = leo_event_new(LEO_EVENT_CONFIG_CHANGED, &hdr);
	if (skb)
		leo_event_finish(ln, skb, hdr, leo_put_config(skb, &ln->cfg));
}
