"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temporary data folder, a free port.

Started once per test session; each test gets a database of its own. Nothing is mocked: the store talks to
a real server over TCP on 127.0.0.1.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise FileNotFoundError("PostgreSQL server binaries not found (scripts/ensure_postgres.sh installs them)")
        self.bin = Path(binaries[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="geo-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._user = "postgres" if os.geteuid() == 0 else None  # initdb refuses to run as root
        if self._user:
            uid, gid = pwd.getpwnam(self._user).pw_uid, pwd.getpwnam(self._user).pw_gid
            os.chown(self.folder, uid, gid)
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self._user:
            command = ["runuser", "-u", self._user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> "PostgresServer":
        self._run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-w", "-t", "30", "-l", self.folder / "log", "start")
        return self

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = f"geo_test_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
