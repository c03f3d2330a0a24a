# SPDX-License-Identifier: GPL-2.0
#
# The markdown table of the packet-path bench, from the lines bench.sh
# collects:
#   result phase=P peers=N run=R label=L ns_per_pkt= pps= ratio= ... diff_ns= ...
#   pair phase=P peers=N run=R a=A b=B rate_ratio= ...
# Each (phase, peers, receiver) was measured in one or more runs; a cell
# shows the median over runs and, in brackets, the lowest and highest run.
# Written for busybox awk too (no asort, no gawk extensions).

function field(name,   i, kv) {
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == name)
			return kv[2]
	}
	return ""
}

function add(key, v) {
	if (key in vals)
		vals[key] = vals[key] " " v
	else
		vals[key] = v
}

# Sorts the numbers of string s into array a; returns how many.
function sorted(s, a,   n, i, j, t) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	return n
}

function med(s,   a, n) {
	n = sorted(s, a)
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function lowest(s,   a) {
	sorted(s, a)
	return a[1]
}

function highest(s,   a, n) {
	n = sorted(s, a)
	return a[n]
}

function nruns(s,   a) {
	return split(s, a, " ")
}

function cell(key, fmt, sep) {
	if (nruns(vals[key]) == 1)
		return sprintf(fmt, med(vals[key]))
	return sprintf(fmt " [" fmt sep fmt "]", med(vals[key]),
		lowest(vals[key]), highest(vals[key]))
}

function verdict(key, goal) {
	if (med(vals[key]) < goal)
		return "NOT met"
	if (lowest(vals[key]) >= goal)
		return "met in every run"
	return "met by the median, not in every run"
}

BEGIN {
	name["base"] = "none, receiver A"
	name["control"] = "none, receiver B (rate: B / A, the noise)"
	name["leoidle"] = "leo.ko, sender outside its subnet"
	name["leo"] = "leo.ko"
	name["leodev"] = "leo.ko, device mode"
	name["nft"] = "nftables set"
	name["nftnop"] = "nftables input chain without rules"
}

$1 == "result" {
	row = field("phase") SUBSEP field("peers") SUBSEP field("label")
	if (!(row in seen)) {
		seen[row] = 1
		rows[++nrows] = row
	}
	add(row SUBSEP "ns", field("ns_per_pkt"))
	add(row SUBSEP "pps", field("pps"))
	add(row SUBSEP "ratio", field("ratio"))
	add(row SUBSEP "diff", field("diff_ns"))
	if (field("label") == "leo")
		leo_row[field("peers")] = row
	if (field("label") == "leodev")
		dev_row[field("peers")] = row
	if (field("label") == "control")
		controls = controls " " sprintf("%.3f", field("ratio"))
}

$1 == "pair" && field("a") == "leo" && field("b") == "nft" {
	p = field("peers")
	if (!(p in vs_seen)) {
		vs_seen[p] = 1
		vs_order[++nvs] = p
	}
	add("vs" SUBSEP p, field("rate_ratio"))
	last = p
}

$1 == "pair" && field("a") == "leodev" && field("b") == "nft" {
	add("dvs" SUBSEP field("peers"), field("rate_ratio"))
	has_dev = 1
}

END {
	print "| Phase | Receiver filter | Peers | Runs | pkt/s | ns/pkt | Rate vs reference | Added ns/pkt |"
	print "|---|---|---:|---:|---:|---:|---|---|"
	for (i = 1; i <= nrows; i++) {
		split(rows[i], k, SUBSEP)
		r = rows[i]
		printf "| %s | %s | %s | %d | %.0f | %.0f | %s | %s |\n",
			k[1], name[k[3]], k[2], nruns(vals[r SUBSEP "ratio"]),
			med(vals[r SUBSEP "pps"]), med(vals[r SUBSEP "ns"]),
			k[3] == "base" ? "1" : cell(r SUBSEP "ratio", "%.3f", "–"),
			k[3] == "base" ? "0" : cell(r SUBSEP "diff", "%+.0f", " to ")
	}
	if (nvs) {
		print ""
		if (has_dev) {
			print "| Peers | leo.ko rate / nftables rate (paired rounds) | leo.ko, device mode rate / nftables rate |"
			print "|---:|---|---|"
		} else {
			print "| Peers | leo.ko rate / nftables rate (paired rounds) |"
			print "|---:|---|"
		}
		for (i = 1; i <= nvs; i++) {
			printf "| %s | %s |", vs_order[i],
				cell("vs" SUBSEP vs_order[i], "%.3f", "–")
			if (has_dev && (("dvs" SUBSEP vs_order[i]) in vals))
				printf " %s |", cell("dvs" SUBSEP vs_order[i], "%.3f", "–")
			else if (has_dev)
				printf " – |"
			printf "\n"
		}
		print ""
		printf "Goal at %s peers, leo.ko at least 0.95x the reference: %.3f, %s.\n",
			last, med(vals[leo_row[last] SUBSEP "ratio"]),
			verdict(leo_row[last] SUBSEP "ratio", 0.95)
		printf "Goal at %s peers, leo.ko no slower than nftables: %.3f, %s.\n",
			last, med(vals["vs" SUBSEP last]),
			verdict("vs" SUBSEP last, 1.0)
		if (last in dev_row) {
			printf "Goal at %s peers, leo.ko device mode at least 0.95x the reference: %.3f, %s.\n",
				last, med(vals[dev_row[last] SUBSEP "ratio"]),
				verdict(dev_row[last] SUBSEP "ratio", 0.95)
			printf "Goal at %s peers, leo.ko device mode no slower than nftables: %.3f, %s.\n",
				last, med(vals["dvs" SUBSEP last]),
				verdict("dvs" SUBSEP last, 1.0)
		}
	}
	print ""
	print "Rates of filtered receivers are relative to the mean time of A and B in the same round."
	printf "B / A in every run (two identical receivers: the noise of the method, ideal 1.000):%s\n",
		controls
}
