"""The fork server's in-sandbox side: imports NumPy (and torch) once, then forks one sandbox per request.

Runs as root inside bubblewrap on the sandbox image (its own mount, network, IPC and UTS
namespaces; the host's PID namespace, so the host can put each child in its control group).
It never runs candidate code. For each request it forks a child that, before reading any
job, becomes a sandbox of its own, exactly as the bubblewrap backend makes one:

1. waits until the host has moved it into the sandbox's control group (the "go" pipe);
2. unshares mount, PID, network, IPC and UTS namespaces and forks the sandbox's pid 1;
3. there: a fresh ``/proc``, a fresh ``/tmp`` (size and inode caps), loopback up, the
   hostname; the capability bounding set emptied, the sandbox's uid and gid, no groups,
   ``no_new_privs``, the seccomp filter; then the runner's own init and limits, and the
   runner serves its one job on the pipes the host passed.

The child in between waits for pid 1 and writes its exit status on a status pipe. Both die
with their parent (``PR_SET_PDEATHSIG``), so nothing outlives the zygote.

Protocol on the control socket (its fd number is the third argument): a request is one datagram of JSON with five file
descriptors attached (stdin, stdout, stderr, status, go); the answer is the child's pid as
JSON. This file imports only the standard library and the runner.
"""

from __future__ import annotations

import array
import ctypes
import fcntl
import json
import os
import signal
import socket
import struct
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # python -I leaves the script's folder out of the path
import runner  # noqa: E402 - found through the line above

sys.path.remove(HERE)  # nothing of this folder on the path a candidate's code sees

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000
MNT_DETACH = 0x2
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 1, 24, 38, 22
SECCOMP_MODE_FILTER = 2
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
FDS = 5

_libc = ctypes.CDLL(None, use_errno=True)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                       ctypes.c_ulong(flags), data.encode() if data else None), f"mount {target}")


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _filesystems(tmp_mib: int, tmp_inodes: int) -> None:
    """This sandbox's own /proc and /tmp; nothing of the zygote's is left mounted there."""
    _mount("none", "/", None, MS_REC | MS_PRIVATE)
    for target in ("/proc", "/tmp"):
        _check(_libc.umount2(target.encode(), MNT_DETACH), f"umount {target}")
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mib}m,nr_inodes={tmp_inodes},mode=1777")


def _drop_privileges(uid: int, program: bytes) -> None:
    """Empty the bounding set, become ``uid``, no new privileges, then the seccomp filter."""
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:  # EINVAL: past the last
            break
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to an ordinary uid: every capability goes too
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    buffer = ctypes.create_string_buffer(program)
    prog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0), "seccomp")


def _become_sandbox(request: dict[str, Any]) -> None:
    """In pid 1 of the new namespaces: files, network, identity, filter, environment."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _filesystems(int(request["tmp_mib"]), int(request["tmp_inodes"]))
    socket.sethostname("sandbox")
    _loopback_up()
    os.chdir("/tmp")
    os.environ.clear()
    os.environ.update(request["env"])
    _drop_privileges(int(request["uid"]), bytes.fromhex(request["seccomp"]))


def _sandbox_main(request: dict[str, Any], info: dict[str, Any], device: str) -> None:
    """pid 1 of a fresh sandbox: set it up, then the runner's init, limits and one job."""
    try:
        _become_sandbox(request)
        runner.become_init()
        limits = [int(x) for x in request["limits"]]  # MEMORY_MIB CPU_S NPROC NOFILE FSIZE
        runner.apply_limits(*limits)
        channel, stdin = runner.take_streams()
        code = runner.serve(channel, stdin, info, device, limits[1:])
    except BaseException as exc:  # noqa: BLE001 - report on stderr, the host reads it as diagnostics
        os.write(2, f"the sandbox could not be set up: {type(exc).__name__}: {exc}\n".encode())
        code = 70
    os._exit(code)


def _child(request: dict[str, Any], fds: list[int], info: dict[str, Any], device: str) -> None:
    """Between the zygote and the sandbox: wait for the host, make the namespaces, report pid 1's end."""
    stdin, stdout, stderr, status, go = fds
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    for target, fd in ((0, stdin), (1, stdout), (2, stderr)):
        os.dup2(fd, target)
    _close_all_but({0, 1, 2, status, go})
    if os.read(go, 1) != b"1":  # the host moves us into the control group first, or gives up
        os._exit(71)
    os.close(go)
    sys.modules["__main__"] = runner  # what candidate code sees as __main__: the runner, as without the zygote
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    pid1 = os.fork()
    if pid1 == 0:
        os.close(status)
        _sandbox_main(request, info, device)
    for fd in (0, 1, 2):
        os.close(fd)
    _, wait_status = os.waitpid(pid1, 0)
    os.write(status, struct.pack("i", os.waitstatus_to_exitcode(wait_status)))
    os._exit(0)


def _close_all_but(keep: set[int]) -> None:
    low = 0
    for fd in sorted(keep):
        if fd > low:  # closerange(n, n) would close every descriptor from n on (close_range(n, n - 1))
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)


def _receive(control: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    fds = array.array("i")
    data, ancillary, _, _ = control.recvmsg(65536, socket.CMSG_SPACE(FDS * fds.itemsize))
    if not data:
        return None
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    return json.loads(data), list(fds)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(argv: list[str]) -> int:
    """``zygote.py TORCH(0|1) DEVICE(cpu|gpu) CONTROL_FD``: preload, say ready, then fork a sandbox per request."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    info, device = runner.preload(argv[0] == "1", argv[1] == "gpu")
    control = socket.socket(fileno=int(argv[2]))
    control.sendall(json.dumps({"ready": info}).encode())
    while True:
        received = _receive(control)
        if received is None:
            return 0
        request, fds = received
        _reap()
        if len(fds) != FDS:
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"error": f"expected {FDS} descriptors, got {len(fds)}"}).encode())
            continue
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                _child(request, fds, info, device)
            except BaseException as exc:  # noqa: BLE001 - never back into the zygote's loop
                os.write(2, f"the sandbox could not be made: {type(exc).__name__}: {exc}\n".encode())
            os._exit(70)
        for fd in fds:
            os.close(fd)
        control.sendall(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
