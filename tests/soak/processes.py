"""The soak's processes: genesys_sim, the webhook receiver and the exporter's successive lives
(started, killed with SIGKILL, restarted on the same port and spool, stopped with SIGTERM).
Each waits for its port with a deadline; none sleeps for a fixed time to let a process settle.
Used from the soak's main thread, except Exporter.poll/ready/rss_kib, which the monitor thread
calls too: an Exporter's life changes under its lock.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "lib")


def wait_until(what, deadline_s, cond, interval=0.1):
    end = time.monotonic() + deadline_s
    while True:
        got = cond()
        if got:
            return got
        if time.monotonic() > end:
            raise RuntimeError(f"{what}: not ready after {deadline_s:.0f}s")
        time.sleep(interval)


def read_port(path):
    """The (first) port in a port file, or None while there is none."""
    try:
        with open(path) as f:
            text = f.readline().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None


def http(method, url, body=None, timeout=5):
    """(status, parsed JSON or text); status 0 when nothing answered."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read().decode()
            status = r.status
    except urllib.error.HTTPError as e:
        raw, status = e.read().decode(errors="replace"), e.code
    except OSError:
        return 0, None
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw


def stop_process(proc, deadline_s):
    """SIGTERM, then SIGKILL if it has not exited within the deadline."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(deadline_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def exit_text(rc):
    if rc is None:
        return "still running"
    if rc < 0:
        return f"killed by signal {-rc} ({signal.Signals(-rc).name})"
    return f"exit status {rc}"


class Simulator:
    def __init__(self, binary, scenario, workdir):
        self.port_file = os.path.join(workdir, "sim.port")
        self.log = open(os.path.join(workdir, "sim.log"), "w")
        self.proc = subprocess.Popen([binary, "--scenario", scenario, "--listen", "127.0.0.1:0",
                                      "--port-file", self.port_file], stdout=self.log, stderr=subprocess.STDOUT)
        port = wait_until("genesys_sim", 30, lambda: self.proc.poll() is None and read_port(self.port_file))
        self.url = f"http://127.0.0.1:{port}"
        wait_until("genesys_sim control API", 10, lambda: http("GET", self.url + "/sim/v1/scenario")[0] == 200)

    def get(self, path):
        status, body = http("GET", self.url + path)
        if status != 200:
            raise RuntimeError(f"genesys_sim GET {path}: {status} {body}")
        return body

    def post(self, path, body):
        return http("POST", self.url + path, body)

    def delete(self, path):
        return http("DELETE", self.url + path)

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        stop_process(self.proc, 20)
        self.log.close()


class Receiver:
    """tests/scripts/lib/webhook_receiver.py, stoppable and restartable on the same port."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.record = os.path.join(workdir, "webhooks.jsonl")
        self.port = 0
        self.proc = None
        self.starts = 0
        self.start()

    def start(self):
        # The port can still be held for a moment after an outage: a receiver that could not
        # bind exits at once, so try again until the deadline.
        end = time.monotonic() + 20
        while time.monotonic() < end:
            self.starts += 1
            port_file = os.path.join(self.workdir, f"receiver.{self.starts}.port")
            with open(os.path.join(self.workdir, "receiver.log"), "a") as log:
                self.proc = subprocess.Popen([sys.executable, os.path.join(LIB, "webhook_receiver.py"), port_file,
                                              self.record, "--port", str(self.port)],
                                             stdout=log, stderr=subprocess.STDOUT)
            while self.proc.poll() is None and time.monotonic() < end:
                port = read_port(port_file)
                if port:
                    self.port = port
                    self.url = f"http://127.0.0.1:{port}"
                    return
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"webhook receiver: could not listen on port {self.port} within 20s")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        stop_process(self.proc, 10)

    def fault(self, status, seconds, retry_after=None):
        body = {"status": status, "seconds": seconds}
        if retry_after is not None:
            body["retry_after"] = retry_after
        return http("POST", self.url + "/-/fault", body)[0] == 200

    def records(self):
        out = []
        with open(self.record, encoding="utf-8") as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass  # a line cut by the receiver's own outage
        return out


class Exporter:
    """The exporter's successive lives on one configuration, port and spool."""

    def __init__(self, binary, config, workdir, env):
        self.binary, self.config, self.workdir, self.env = binary, config, workdir, env
        self.port = 0
        self.lives = []
        self.proc = None
        self.lock = threading.Lock()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        with self.lock:
            return self._start()

    def _start(self):
        n = len(self.lives) + 1
        log_path = os.path.join(self.workdir, f"exporter.{n}.log")
        log = open(log_path, "w")
        port_file = os.path.join(self.workdir, f"exporter.{n}.port")
        self.proc = subprocess.Popen([*self.binary, f"--config.file={self.config}",
                                      f"--web.listen-address=127.0.0.1:{self.port}", f"--web.port-file={port_file}"],
                                     stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        life = {"n": n, "pid": self.proc.pid, "started": time.time(), "ready": None, "ended": None,
                "how": None, "rc": None, "rc_text": "", "log": log_path}
        self.lives.append(life)
        if not self.port:
            def port():
                if self.proc.poll() is not None:
                    raise RuntimeError(f"genesys_exporter exited at start: {exit_text(self.proc.poll())}; see {log_path}")
                return read_port(port_file)
            self.port = wait_until("genesys_exporter", 30, port)
        return life

    @property
    def life(self):
        return self.lives[-1] if self.lives else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _ended(self, how):
        life = self.life
        life.update(ended=time.time(), how=how, rc=self.proc.returncode, rc_text=exit_text(self.proc.returncode))
        return life

    def poll(self):
        """The current life if it has just ended on its own (a crash), else None."""
        with self.lock:
            if self.proc is not None and self.life["ended"] is None and self.proc.poll() is not None:
                return self._ended("crash")
        return None

    def kill9(self):
        with self.lock:
            if self.life["ended"] is not None:
                return None
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            return self._ended("kill9")

    def terminate(self, deadline_s=30):
        with self.lock:
            return self._terminate(deadline_s)

    def _terminate(self, deadline_s):
        if self.life["ended"] is not None:
            return self.life
        self.proc.terminate()
        try:
            self.proc.wait(deadline_s)
            return self._ended("sigterm")
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            life = self._ended("sigterm")
            life["rc_text"] = f"did not exit within {deadline_s}s of SIGTERM (killed)"
            life["rc"] = "hung"
            return life

    def ready(self):
        return http("GET", self.url + "/-/ready", timeout=2)[0] == 200

    def metrics_text(self):
        try:
            with urllib.request.urlopen(self.url + "/metrics", timeout=10) as r:
                return r.read().decode()
        except OSError:
            return None

    def rss_kib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except (OSError, AttributeError):
            pass
        return None
