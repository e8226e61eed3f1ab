#!/usr/bin/env python3
"""Start a command under socket activation, as systemd does: the listening socket is
opened here with the system's full connection queue (SOMAXCONN) and handed to the
command as file descriptor 3 (LISTEN_FDS=1, LISTEN_PID=its pid: this process, which
execs it).

Odoo uses such a socket when it is given one (its documented systemd socket
activation) instead of opening its own, whose queue holds 8 connections per worker:
with 2 workers, the 17th connection arriving at once is dropped by the kernel and
retried by the client's TCP a second later. A phone system posting 20 ringing calls at
once is such a client (docs/telephony.md). A systemd ``.socket`` unit does the same
in production; ``systemd-socket-activate -l PORT`` too, where systemd is installed.

    python3 scripts/socket_activate.py 127.0.0.1:8069 odoo -c odoo.conf --workers=2
"""

import os
import socket
import sys

SD_LISTEN_FDS_START = 3


def main(argv):
    if len(argv) < 3 or ":" not in argv[1]:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    host, port = argv[1].rsplit(":", 1)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), int(port)))
    sock.listen(socket.SOMAXCONN)
    # non-blocking, as Odoo's own socket: its workers wait in select() and take the
    # connection with accept(), which must not block the worker that lost the race
    sock.setblocking(False)
    fd = sock.detach()
    if fd != SD_LISTEN_FDS_START:
        os.dup2(fd, SD_LISTEN_FDS_START)
        os.close(fd)
    os.set_inheritable(SD_LISTEN_FDS_START, True)
    os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
    os.execvp(argv[2], argv[2:])


if __name__ == "__main__":
    main(sys.argv)
