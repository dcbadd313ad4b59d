#!/usr/bin/env python3
"""netdelay.py — a delaying link for tests/hosts.sh on kernels without sch_netem.

    netdelay.py HOST_NETNS TAP BRIDGE_NETNS PORT DELAY_MS

Moves Ethernet frames between the TAP device TAP (in the host's network namespace, holding the
host's address) and the veth PORT (in the bridge's namespace, whose peer is a port of the
bridge), each frame DELAY_MS late, in order, both ways: a link with that latency, as netem's
`delay` would make it. It runs until killed."""
import collections
import ctypes
import fcntl
import os
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
TUNSETOFFLOAD = 0x400454D0
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x0002, 0x1000, 0x4000
TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6 = 0x01, 0x02, 0x04
ETH_P_ALL = 0x0003
SOL_PACKET, PACKET_VNET_HDR = 263, 15
PACKET_OUTGOING = 4
BUF = 70000

libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        sys.exit("netdelay: setns %s: %s" % (ns, os.strerror(ctypes.get_errno())))
    os.close(fd)


def main():
    host_ns, tap_name, br_ns, port, delay_ms = sys.argv[1:6]
    delay = float(delay_ms) / 1000.0
    enter(host_ns)
    tap = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    # Both ends speak virtio-net headers, so checksums left to offload and TSO frames pass
    # through as they are, as they would through a wire.
    fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", tap_name.encode(), IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
    fcntl.ioctl(tap, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)
    enter(br_ns)
    pk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    pk.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    pk.bind((port, 0))
    pk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    pk.setblocking(False)
    to_bridge, to_host = collections.deque(), collections.deque()
    while True:
        now = time.monotonic()
        while to_bridge and to_bridge[0][0] <= now:
            try:
                pk.send(to_bridge.popleft()[1])
            except OSError:
                pass
        while to_host and to_host[0][0] <= now:
            try:
                os.write(tap, to_host.popleft()[1])
            except OSError:
                pass
        due = min([q[0][0] for q in (to_bridge, to_host) if q], default=None)
        timeout = None if due is None else max(0.0, due - time.monotonic())
        r, _, _ = select.select([tap, pk], [], [], timeout)
        now = time.monotonic()
        if tap in r:
            for _ in range(256):
                try:
                    to_bridge.append((now + delay, os.read(tap, BUF)))
                except BlockingIOError:
                    break
        if pk in r:
            for _ in range(256):
                try:
                    data, addr = pk.recvfrom(BUF)
                except BlockingIOError:
                    break
                if addr[2] != PACKET_OUTGOING:
                    to_host.append((now + delay, data))


if __name__ == "__main__":
    main()
