"""Where the Sweep page's runs go: Dask clients and the sweeps a server keeps.

Each is made on first use and kept per server process by ``st.cache_resource`` (shared by every
session, so a sweep keeps running while its page is closed, and a reload finds it):

* ``local_client()``: a ``LocalCluster`` of one single-threaded worker process per core
  (processes: bench/sweep.py measured them against threads, docs/benchmarks.md), closed at exit;
* ``remote_client(address)``: a client of an existing cluster's scheduler
  (``NEUROPLAY_DASK_SCHEDULER=tcp://host:8786``, or ``dask_scheduler`` in
  ``.streamlit/secrets.toml``, or the page's box);
* ``sweep_store()``: the last ``KEPT_SWEEPS`` sweeps, keyed by their plan.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass
from typing import Any

import streamlit as st

from playground.sweep import SweepStore, local_cluster, warm_up

SCHEDULER_ENV = "NEUROPLAY_DASK_SCHEDULER"
SCHEDULER_SECRET = "dask_scheduler"
CONNECT_SECONDS = 5  # an unreachable scheduler is reported after this long
KEPT_SWEEPS = 8  # at ≤ 400 runs of ~3.5 KB (thumbnail and numbers): ≤ 12 MB


def configured_scheduler() -> str:
    """The scheduler address the server was given (environment first, then secrets); "" for
    the local cluster."""
    address = os.environ.get(SCHEDULER_ENV, "").strip()
    if address:
        return address
    try:
        return str(st.secrets.get(SCHEDULER_SECRET, "")).strip()
    except Exception:  # no secrets file, or one that does not parse: none given
        return ""


def worker_count() -> int:
    """Cores this process may use: one worker each."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Connection:
    """A Dask client (in a holder: a client is awaitable, which ``st.cache_resource`` refuses
    to keep), and the cluster it started, if any."""

    client: Any
    cluster: Any = None

    def usable(self) -> bool:
        """Still connected (a scheduler that went away gets a new connection next time)."""
        return self.client.status == "running"

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@st.cache_resource(
    show_spinner="Starting the local Dask cluster…",
    validate=Connection.usable,
    on_release=Connection.close,
)
def local_client() -> Connection:
    """This server's own cluster, started on first use, closed when the server exits."""
    from distributed import Client

    cluster = local_cluster(worker_count())
    client = Client(cluster)
    warm_up(client)
    connection = Connection(client, cluster)
    atexit.register(connection.close)
    return connection


@st.cache_resource(
    show_spinner="Connecting to the Dask scheduler…",
    validate=Connection.usable,
    on_release=Connection.close,
)
def remote_client(address: str) -> Connection:
    """A client of the scheduler at ``address``; raises ``OSError`` / ``TimeoutError`` /
    ``ValueError`` when it cannot be reached (not cached: the next try connects again)."""
    from distributed import Client

    connection = Connection(Client(address, timeout=CONNECT_SECONDS))
    atexit.register(connection.close)
    return connection


def client_for(address: str):
    """The client for a scheduler address ("" : the local cluster)."""
    return (remote_client(address) if address else local_client()).client


@st.cache_resource
def sweep_store() -> SweepStore:
    return SweepStore(KEPT_SWEEPS)
