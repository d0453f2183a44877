"""A throwaway PostgreSQL cluster under bench/work/pg for BENCH_DB=postgres.

initdb as the `postgres` user (when we are root), trust auth, loopback TCP on
a free port, durability off (it is deleted afterwards; reads are what we
measure). Always stopped and removed by `__exit__`.
"""

import os
import shutil
import subprocess
from pathlib import Path

from .common import WORK, free_port

PG_ROOT = WORK / "pg"


def _bindir():
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    if versions:
        return versions[-1]
    initdb = shutil.which("initdb")
    if not initdb:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    return Path(initdb).parent


class Cluster:
    def __init__(self, log=print):
        self.log = log
        self.port = free_port()
        self.bindir = _bindir()
        self.data = PG_ROOT / "data"
        self.socket_dir = PG_ROOT / "socket"
        self.started = False
        as_root = os.geteuid() == 0
        self.prefix = ["runuser", "-u", "postgres", "--"] if as_root else []

    def _run(self, *argv):
        return subprocess.run(  # noqa: S603
            [*self.prefix, *map(str, argv)], check=True, capture_output=True, text=True
        )

    def __enter__(self):
        shutil.rmtree(PG_ROOT, ignore_errors=True)
        self.socket_dir.mkdir(parents=True)
        if self.prefix:
            shutil.chown(PG_ROOT, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")
        self._run(self.bindir / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB"
        )
        self._run(self.bindir / "pg_ctl", "-D", self.data, "-o", options, "-l", PG_ROOT / "server.log", "-w", "start")
        self.started = True
        self.log(f"  postgres: throwaway cluster ({self.bindir.parent.name}) on 127.0.0.1:{self.port}")
        return self

    def create_database(self, name):
        self._run(self.bindir / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name)
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def version(self):
        done = self._run(self.bindir / "postgres", "--version")
        return done.stdout.strip()

    def __exit__(self, *exc_info):
        if self.started:
            try:
                self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
            except subprocess.CalledProcessError as error:
                self.log(f"  postgres: stop failed: {error.stderr.strip()}")
        shutil.rmtree(PG_ROOT, ignore_errors=True)
