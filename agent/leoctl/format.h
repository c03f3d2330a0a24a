/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leoctl's output: each object as JSON (for --json) and as aligned text
 * for people. The *_json() functions return a new reference.
 */
#ifndef LEOCTL_FORMAT_H
#define LEOCTL_FORMAT_H

#include <stdio.h>
#include <time.h>

#include <json-c/json.h>

#include "nl/leo_nl.h"

json_object *peer_json(const struct leo_peer *peer);
json_object *subnet_json(const struct leo_prefix *subnet);
json_object *config_json(const struct leo_config *cfg);
json_object *stats_json(const struct leo_stats *stats);
json_object *device_json(const struct leo_device *dev);
json_object *event_json(const struct leo_nl_event *ev,
			const struct timespec *when);

/* One peer in full, in the style of `wg show`. */
void print_peer(FILE *f, const struct leo_peer *peer);
/* Many peers, one aligned row each. */
void print_peer_table(FILE *f, const struct leo_peer *peers, size_t n);
void print_subnets(FILE *f, const struct leo_prefix *subnets, size_t n);
/* Protected devices, one line each, in the order given. */
void print_devices(FILE *f, const struct leo_device *devs, size_t n);
void print_config(FILE *f, const struct leo_config *cfg);
void print_stats(FILE *f, const struct leo_stats *stats);
/* One line per event, prefixed by its UTC time. */
void print_event(FILE *f, const struct leo_nl_event *ev,
		 const struct timespec *when);

/* Writes @obj (pretty unless @compact) and a newline; drops the ref. */
void print_json(FILE *f, json_object *obj, int compact);

#endif /* LEOCTL_FORMAT_H */
