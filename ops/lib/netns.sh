# Test hosts on one machine: network namespaces joined by veth links to a bridge that lives in a namespace of
# its own, so every address (and the bridge) exists only inside namespaces this script created; the machine's own
# network is never touched. Sourced by ops/cluster (netns-create / netns-destroy).
#
# Layout for --hosts N with prefix P (default "pxh"):
#   P-sw               the switch namespace: bridge "br0", no addresses
#   P-0 .. P-(N-1)     the hosts: "eth0" with 10.77.0.(i+1)/24, and "lo" up
#   P-client           one more host for clients and campaigns: 10.77.0.200/24
# Every namespace created is listed in DIR/netns.list so netns-destroy removes exactly those.

PAXLOG_NETNS_SUBNET="10.77.0"

# paxlog_netns_require: root, and the tools test hosts and the campaign's nemesis use (installed if missing).
paxlog_netns_require() {
  [ "$(id -u)" = "0" ] || paxlog_die "ops/cluster: network namespaces need root"
  local missing=()
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  command -v nft >/dev/null 2>&1 || missing+=(nftables)
  command -v faketime >/dev/null 2>&1 || missing+=(faketime)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ops/cluster: installing ${missing[*]} ..." >&2
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; }; } >/dev/null 2>&1 || true
  fi
  command -v ip >/dev/null 2>&1 || paxlog_die "ops/cluster: 'ip' (iproute2) is missing and could not be installed"
  command -v iptables >/dev/null 2>&1 || echo "ops/cluster: warning: iptables is missing: campaigns cannot partition" >&2
}

# paxlog_netns_host NS ADDR: a namespace with eth0=ADDR/24 linked to the switch's bridge.
paxlog_netns_host() {
  local ns="$1" addr="$2" sw="$3" idx="$4"
  ip netns add "$ns" || return 1
  ip link add "pxv${idx}a" type veth peer name "pxv${idx}b" || return 1
  ip link set "pxv${idx}a" netns "$ns" || return 1
  ip link set "pxv${idx}b" netns "$sw" || return 1
  ip -n "$ns" link set "pxv${idx}a" name eth0 || return 1
  ip -n "$ns" addr add "$addr/24" dev eth0 || return 1
  ip -n "$ns" link set eth0 up || return 1
  ip -n "$ns" link set lo up || return 1
  ip -n "$sw" link set "pxv${idx}b" master br0 || return 1
  ip -n "$sw" link set "pxv${idx}b" up || return 1
}

# paxlog_netns_create N PREFIX LISTFILE: builds the switch and N+1 hosts; on any failure removes what it made.
paxlog_netns_create() {
  local n="$1" prefix="$2" list="$3" i
  paxlog_netns_require
  for i in $(seq 0 $((n - 1))) client sw; do
    if ip netns list | grep -qw "^$prefix-$i"; then
      paxlog_die "ops/cluster: namespace $prefix-$i already exists (run ops/cluster netns-destroy first)"
    fi
  done
  : > "$list"
  ip netns add "$prefix-sw" && echo "$prefix-sw" >> "$list" || { paxlog_netns_destroy "$list"; return 1; }
  ip -n "$prefix-sw" link add br0 type bridge && ip -n "$prefix-sw" link set br0 up \
    || { paxlog_netns_destroy "$list"; return 1; }
  for i in $(seq 0 $((n - 1))); do
    echo "$prefix-$i" >> "$list"
    paxlog_netns_host "$prefix-$i" "$PAXLOG_NETNS_SUBNET.$((i + 1))" "$prefix-sw" "$i" \
      || { echo "ops/cluster: could not build host $prefix-$i" >&2; paxlog_netns_destroy "$list"; return 1; }
  done
  echo "$prefix-client" >> "$list"
  paxlog_netns_host "$prefix-client" "$PAXLOG_NETNS_SUBNET.200" "$prefix-sw" "c" \
    || { echo "ops/cluster: could not build host $prefix-client" >&2; paxlog_netns_destroy "$list"; return 1; }
}

# paxlog_netns_destroy LISTFILE: deletes the namespaces listed (their veth ends go with them); idempotent.
paxlog_netns_destroy() {
  local list="$1" ns
  [ -f "$list" ] || return 0
  while read -r ns; do
    [ -n "$ns" ] || continue
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done < "$list"
  rm -f "$list"
}
