"""A TCP relay between a terminal and the host that can lose what the host answers.

The TLS stream passes through untouched (the terminal still sees the host's own certificate).
:meth:`Relay.lose_next_answer`: on the connections open now (kept alive by the terminal), the
next request reaches the host but its answer is dropped and the connection cut (one answer) — an
acknowledgement lost on the way back, the case that makes a terminal send an entry the host
already has. :meth:`Relay.cut` drops every open connection.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading


class Relay:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self._open: list[socket.socket] = []
        self._armed: dict[socket.socket, list[int | None]] = {}    # client socket → [bytes sent, armed at]
        self._lock = threading.Lock()
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
                self._armed[client] = [0, None]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def lose_next_answer(self) -> None:
        with self._lock:
            for state in self._armed.values():
                state[1] = state[0]

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        sel = selectors.DefaultSelector()
        sel.register(client, selectors.EVENT_READ, upstream)
        sel.register(upstream, selectors.EVENT_READ, client)
        state = self._armed[client]
        try:
            while True:
                for key, _ in sel.select(timeout=0.2):
                    src: socket.socket = key.fileobj  # type: ignore[assignment]
                    data = src.recv(65536)
                    if not data:
                        return
                    with self._lock:
                        if src is client:
                            state[0] = int(state[0] or 0) + len(data)
                        elif state[1] is not None and int(state[0] or 0) > state[1]:
                            for other in self._armed.values():    # one answer is lost, not more
                                other[1] = None
                            return                   # the answer to the request is lost, the connection cut
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            sel.close()
            for s in (client, upstream):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
            self._open.clear()

    def close(self) -> None:
        self._stop = True
        self.cut()
        self.listener.close()
