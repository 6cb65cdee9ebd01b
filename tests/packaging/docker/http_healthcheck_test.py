#!/usr/bin/env python3
"""packaging/docker/http-healthcheck, the images' HEALTHCHECK, against loopback servers that
answer 200, an error, garbage or nothing at all (tests/scripts/compose_test.sh also runs it
against a real genesys_exporter)."""

import os
import socket
import subprocess
import threading
import unittest

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "packaging", "docker",
                     "http-healthcheck")


class OneReplyServer:
    """Answers every connection with `reply` (None: reads the request and never answers)."""

    def __init__(self, reply):
        self.reply = reply
        self.requests = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                self.requests.append(data.decode("latin-1"))
                if self.reply is None:
                    self.stop.wait(10)
                else:
                    conn.sendall(self.reply)

    def close(self):
        # Wake the accept and wait for the thread before closing: a thread still about to accept on
        # this descriptor number would otherwise accept on the next server's socket, which reuses
        # the number, and answer that server's probe with this server's reply.
        self.stop.set()
        self.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=15)
        self.sock.close()


def probe(*args):
    return subprocess.run([PROBE, *args], capture_output=True, text=True, timeout=30)


class HttpHealthcheckTest(unittest.TestCase):
    def check(self, reply, *path):
        server = OneReplyServer(reply)
        try:
            return probe(f"127.0.0.1:{server.port}", *path), server.requests
        finally:
            server.close()

    def test_200_is_healthy_and_the_request_is_plain_http_get_of_the_path(self):
        result, requests = self.check(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nHealthy.\n")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue(requests[0].startswith("GET /-/healthy HTTP/1.0\r\n"), requests[0])
        result, requests = self.check(b"HTTP/1.0 200\r\n\r\n", "/sim/v1/scenario")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue(requests[0].startswith("GET /sim/v1/scenario HTTP/1.0\r\n"), requests[0])

    def test_other_statuses_and_garbage_are_unhealthy(self):
        for reply in (b"HTTP/1.1 503 Service Unavailable\r\n\r\n", b"HTTP/1.1 401 Unauthorized\r\n\r\n",
                      b"HTTP/1.1 2000 OK\r\n\r\n", b"SSH-2.0-OpenSSH\r\n", b""):
            result, _ = self.check(reply)
            self.assertEqual(result.returncode, 1, reply)

    def test_a_server_that_never_answers_is_unhealthy_within_the_read_bound(self):
        result, _ = self.check(None)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no answer", result.stdout)

    def test_a_closed_port_is_unhealthy(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        result = probe(f"127.0.0.1:{port}")
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot connect", result.stdout)
        self.assertEqual(result.stderr, "")

    def test_bad_arguments_are_unhealthy_not_docker_reserved_exit_2(self):
        for args in (["127.0.0.1:port"], ["127.0.0.1"], ["127.0.0.1:9786", "no-slash"]):
            self.assertEqual(probe(*args).returncode, 1, args)


if __name__ == "__main__":
    unittest.main()
