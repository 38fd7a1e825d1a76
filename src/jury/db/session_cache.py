"""The sessions a serving process read, kept until any process changes them (issue 18).

Every request of a signed-in tablet used to read its session from PostgreSQL: a round trip and a query
per sheet saved, a tenth of the server's work on the tablets' busiest route. The process now keeps what
it read, and forgets an entry when PostgreSQL says it changed: a trigger on `kv_store` (migration 0036)
notifies `jury_sessions` at the commit of any update or delete of a session, whichever process or tool
made it, and this process listens on a connection of its own.

Kept only while that connection is up: when it is down (not yet connected, lost, reconnecting) nothing
is served from memory and everything kept is forgotten, since notifications may have been missed. The
connection is asked a `select 1` every second, so one that hangs without closing (a network cut) is found
within seconds; and an entry is read again after `KEPT_FOR` whatever happens, which bounds what a missed
notification could cost. An entry is also dropped at its deadline. A read that raced with a change never
fills the cache with the value from before it: a fill is refused when a notification arrived since the read
began (`epoch`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import OrderedDict

import asyncpg
import structlog

CHANNEL = "jury_sessions"
ENTRIES_KEPT = 20_000
RECONNECT_SECONDS = 1.0
PING_TIMEOUT_SECONDS = 2.0
KEPT_FOR = dt.timedelta(seconds=60)
"""An entry is read from the database again after this long, notification or not."""

log = structlog.get_logger(__name__)


class SessionCache:
    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, str], tuple[bytes, dt.datetime | None, dt.datetime]] = (
            OrderedDict()
        )
        self.epoch = 0
        """Counts the notifications heard and the losses of the connection: a read that began at another
        epoch may have read a value changed since, and does not fill the cache."""
        self.listening = False
        self._task: asyncio.Task[None] | None = None
        self._connection: asyncpg.Connection | None = None
        self._stopping = False

    # ------------------------------------------------------------------------------------ the entries

    def get(self, namespace: str, key: str, *, now: dt.datetime) -> bytes | None:
        if not self.listening:
            return None
        entry = self._entries.get((namespace, key))
        if entry is None:
            return None
        value, expires_at, kept_at = entry
        if (expires_at is not None and expires_at <= now) or now - kept_at >= KEPT_FOR:
            del self._entries[(namespace, key)]
            return None
        return value

    def fill(
        self,
        namespace: str,
        key: str,
        *,
        value: bytes,
        expires_at: dt.datetime | None,
        read_at_epoch: int,
        now: dt.datetime,
    ) -> None:
        """Keep what a read found, unless something changed since that read began or nobody listens."""
        if not self.listening or read_at_epoch != self.epoch:
            return
        self._entries[(namespace, key)] = (value, expires_at, now)
        self._entries.move_to_end((namespace, key))
        while len(self._entries) > ENTRIES_KEPT:
            self._entries.popitem(last=False)

    def forget(self, namespace: str, key: str) -> None:
        self.epoch += 1
        self._entries.pop((namespace, key), None)

    def forget_all(self) -> None:
        self.epoch += 1
        self._entries.clear()

    # ------------------------------------------------------------------------------ the notifications

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        namespace, _, key = payload.partition(" ")
        self.forget(namespace, key)

    def _lost(self, _connection: object) -> None:
        self.listening = False
        self.forget_all()

    async def start(self, database_url: str) -> None:
        """Listen from now on (the first connection is made before this returns, so the first requests
        already use the cache), and again after every loss of the connection."""
        self._stopping = False
        await self._connect(database_url)
        self._task = asyncio.create_task(self._stay_connected(database_url))

    async def _connect(self, database_url: str) -> None:
        try:
            connection = await asyncpg.connect(database_url)
            connection.add_termination_listener(self._lost)
            await connection.add_listener(CHANNEL, self._heard)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("session change feed unavailable: sessions read from the database", error=str(exc))
            return
        self._connection = connection
        self.forget_all()  # what was kept before may have changed unheard
        self.listening = True

    async def _stay_connected(self, database_url: str) -> None:
        while not self._stopping:
            await asyncio.sleep(RECONNECT_SECONDS)
            connection = self._connection
            if connection is not None and not connection.is_closed():
                try:
                    await connection.fetchval("select 1", timeout=PING_TIMEOUT_SECONDS)
                except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                    connection.terminate()  # hung or broken: whatever it would still say is not trusted
            if connection is not None and connection.is_closed():
                self._lost(connection)
                self._connection = None
            if self._connection is None and not self._stopping:
                await self._connect(database_url)

    async def stop(self) -> None:
        self._stopping = True
        self.listening = False
        self.forget_all()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
