#!/usr/bin/python3
"""The attacks of issue 11 as measurements, against one running parley (loopback only).

  slow-uploads URL PID N   N connections each send all but one byte of a 1 MiB body and stall;
                           prints the server's RSS before and while they hold, and how many were
                           refused (503) or cut by the server.
  sub-amplify URL          one `sub` frame naming one room (200 stored messages) 2,500 times with
                           since 0; prints the bytes the frame took in and the bytes the server
                           sent back within 8 s.
Prints one JSON object per run on stdout. Standard library only.
"""
import base64
import json
import os
import socket
import sys
import time
import urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def host_port(url):
    hp = url.split("://", 1)[1].split("/", 1)[0]
    host, port = hp.rsplit(":", 1)
    return host, int(port)


def slow_uploads(url, pid, n):
    host, port = host_port(url)
    body_size = 1 << 20
    before = rss_kib(pid)
    socks = []
    for i in range(n):
        s = socket.create_connection((host, port))
        s.sendall((f"POST /v1/auth/login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {body_size}\r\n\r\n").encode())
        socks.append(s)
    chunk = b"x" * 65536
    for s in socks:
        left = body_size - 1
        s.setblocking(False)
        while left > 0:
            try:
                sent = s.send(chunk[:min(left, len(chunk))])
                left -= sent
            except BlockingIOError:
                break  # the server stopped reading this one (refused or paused)
            except OSError:
                break
    time.sleep(2.0)
    held = rss_kib(pid)
    refused = cut = 0
    for s in socks:
        try:
            data = s.recv(4096)
            if data.startswith(b"HTTP/1.1 503"):
                refused += 1
            elif data == b"" or data.startswith(b"HTTP/1.1 408"):
                cut += 1
        except BlockingIOError:
            pass
        except OSError:
            cut += 1
    for s in socks:
        s.close()
    print(json.dumps({"probe": "slow-uploads", "connections": n, "rss_before_kib": before,
                      "rss_held_kib": held, "refused_503": refused, "cut": cut}))


def api(url, method, path, body=None, token=None):
    req = urllib.request.Request(url + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def ws_connect(url, token):
    host, port = host_port(url)
    s = socket.create_connection((host, port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /v1/ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Authorization: Bearer {token}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(4096)
    assert head.startswith(b"HTTP/1.1 101"), head
    return s, head.split(b"\r\n\r\n", 1)[1]


def ws_frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = bytes([0x81, 0x80 | n])
    elif n < 65536:
        header = bytes([0x81, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        header = bytes([0x81, 0x80 | 127]) + n.to_bytes(8, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def sub_amplify(url):
    tag = str(int(time.time() * 1000))
    user = api(url, "POST", "/v1/auth/signup",
               {"email": f"amp{tag}@example.com", "password": "correct horse 1", "username": f"amp{tag}"})
    token = user["access_token"]
    room = api(url, "POST", "/v1/rooms", {"kind": "group", "name": "amplified"}, token)["id"]
    for i in range(200):
        api(url, "POST", f"/v1/rooms/{room}/messages", {"client_id": f"c{i}", "body": "m" * 100}, token)
    s, rest = ws_connect(url, token)
    frame = json.dumps({"op": "sub", "rooms": [{"room": room, "since": 0}] * 2500})
    data = ws_frame(frame)
    s.sendall(data)
    received = len(rest)
    s.settimeout(0.5)
    end = time.time() + 8
    while time.time() < end:
        try:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            received += len(chunk)
        except socket.timeout:
            continue
    s.close()
    print(json.dumps({"probe": "sub-amplify", "bytes_in": len(data), "bytes_out": received,
                      "ratio": round(received / len(data), 1)}))


if __name__ == "__main__":
    if sys.argv[1] == "slow-uploads":
        slow_uploads(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "sub-amplify":
        sub_amplify(sys.argv[2])
    else:
        sys.exit(__doc__)
