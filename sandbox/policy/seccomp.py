"""The system-call policy of every sandbox, written once and compiled for both backends.

An allow-list after Docker's default profile: what Python, NumPy and torch need, and
nothing that reaches kernel state shared beyond the sandbox or that could rebuild a
sandbox inside the sandbox. Refused (``EPERM`` unless said otherwise):

- new namespaces: ``unshare``, ``setns``, ``clone`` with any ``CLONE_NEW*`` flag,
  ``clone3`` (``ENOSYS``, so the C library falls back to ``clone``, whose flags a
  filter can read);
- kernel keyrings (``keyctl``, ``add_key``, ``request_key``): they are not namespaced,
  so a key would outlive the sandbox;
- ``io_uring_*``, ``bpf``, ``perf_event_open``, ``userfaultfd``: large kernel surfaces;
- ``ptrace``, ``process_vm_readv``/``writev``, ``kcmp``, ``pidfd_getfd``: no looking into
  other processes;
- the mount family (``mount``, ``umount2``, ``pivot_root``, ``fsopen``, ``open_tree``...),
  ``chroot``, ``kexec_*``, module loading, ``reboot``, clock setting, ``acct``,
  ``swapon``, ``quotactl``, ``syslog``;
- ``personality`` other than the harmless values Docker allows.

:func:`bpf_program` gives the classic-BPF program bubblewrap loads (``--seccomp FD``);
:func:`docker_profile` gives the same policy as a Docker seccomp profile (``security_opt``).
"""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
PERSONALITIES = (0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF)  # Linux, +UNAME26 and READ_IMPLIES_EXEC off, query
AF_VSOCK = 40

ALLOWED = """
accept accept4 access alarm arch_prctl bind brk capget capset chdir chmod chown clock_getres
clock_gettime clock_nanosleep close close_range connect copy_file_range creat dup dup2 dup3
epoll_create epoll_create1 epoll_ctl epoll_pwait epoll_pwait2 epoll_wait eventfd eventfd2 execve
execveat exit exit_group faccessat faccessat2 fadvise64 fallocate fchdir fchmod fchmodat fchown
fchownat fcntl fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstatfs fsync
ftruncate futex futex_waitv futimesat get_robust_list get_thread_area getcpu getcwd getdents
getdents64 getegid geteuid getgid getgroups getitimer getpeername getpgid getpgrp getpid getppid
getpriority getrandom getresgid getresuid getrlimit getrusage getsid getsockname getsockopt gettid
gettimeofday getuid getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch
io_cancel io_destroy io_getevents io_pgetevents io_setup io_submit ioctl ioprio_get ioprio_set
kill lchown lgetxattr link linkat listen listxattr llistxattr lremovexattr lseek lsetxattr lstat
madvise membarrier memfd_create mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap
mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedsend mq_unlink mremap msgctl
msgget msgrcv msgsnd msync munlock munlockall munmap nanosleep newfstatat open openat openat2
pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll prctl
pread64 preadv preadv2 prlimit64 pselect6 pwrite64 pwritev pwritev2 read readahead readlink
readlinkat readv recvfrom recvmmsg recvmsg remap_file_pages removexattr rename renameat renameat2
restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_get_priority_max sched_get_priority_min
sched_getaffinity sched_getattr sched_getparam sched_getscheduler sched_rr_get_interval
sched_setaffinity sched_setattr sched_setparam sched_setscheduler sched_yield seccomp select
semctl semget semop semtimedop sendfile sendmmsg sendmsg sendto set_robust_list set_thread_area
set_tid_address setfsgid setfsuid setgid setgroups setitimer setpgid setpriority setregid
setresgid setresuid setreuid setrlimit setsid setsockopt setuid setxattr shmat shmctl shmdt shmget
shutdown sigaltstack signalfd signalfd4 socketpair splice stat statfs statx symlink symlinkat
sync sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete timer_getoverrun
timer_gettime timer_settime timerfd_create timerfd_gettime timerfd_settime times tkill truncate
umask uname unlink unlinkat utime utimensat utimes vfork vmsplice wait4 waitid write writev
""".split()


@dataclass(frozen=True)
class ArgRule:
    """Allow ``name`` only when argument ``index`` satisfies ``op`` (``eq``, ``ne``, ``masked_eq``)."""

    name: str
    index: int
    op: str
    value: int
    value_two: int = 0


CONDITIONAL = (
    ArgRule("clone", 0, "masked_eq", NAMESPACE_FLAGS, 0),  # threads and forks, never new namespaces
    ArgRule("socket", 0, "ne", AF_VSOCK),
    *(ArgRule("personality", 0, "eq", value) for value in PERSONALITIES),
)
ENOSYS_CALLS = ("clone3",)  # the C library then falls back to clone, which the filter can read

# What a test tries inside the sandbox, and what it must get back: refused, never done.
REFUSED = (
    "unshare", "setns", "keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "bpf", "perf_event_open", "userfaultfd", "ptrace", "process_vm_readv",
    "process_vm_writev", "mount", "umount2", "pivot_root", "chroot", "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module", "reboot", "fsopen", "open_tree", "move_mount",
    "swapon", "acct", "syslog", "quotactl", "settimeofday", "clock_settime", "kcmp", "pidfd_getfd",
)


def _libseccomp() -> Any:
    try:
        import pyseccomp
    except (ImportError, OSError) as exc:  # the Python package, or libseccomp.so.2 itself
        raise RuntimeError(f"libseccomp is not available: {exc}") from exc
    return pyseccomp


@lru_cache(maxsize=1)
def bpf_program() -> bytes:
    """The policy as a classic-BPF program for this machine's architecture."""
    sc = _libseccomp()
    ops = {"eq": sc.EQ, "ne": sc.NE, "masked_eq": sc.MASKED_EQ}
    policy = sc.SyscallFilter(defaction=sc.ERRNO(errno.EPERM))
    for name in ALLOWED:
        if sc.resolve_syscall(sc.Arch.NATIVE, name) >= 0:  # negative: not a syscall of this architecture
            policy.add_rule(sc.ALLOW, name)
    for rule in CONDITIONAL:
        arg = sc.Arg(rule.index, ops[rule.op], rule.value, rule.value_two) if rule.op == "masked_eq" else \
            sc.Arg(rule.index, ops[rule.op], rule.value)
        policy.add_rule(sc.ALLOW, rule.name, arg)
    for name in ENOSYS_CALLS:
        policy.add_rule(sc.ERRNO(errno.ENOSYS), name)
    with tempfile.TemporaryFile() as out:
        policy.export_bpf(out)
        out.seek(0)
        return out.read()


def bpf_fd() -> int:
    """A readable file descriptor holding :func:`bpf_program` (for ``bwrap --seccomp FD``); the caller closes it."""
    read, write = os.pipe()
    program = bpf_program()
    if len(program) > 65536:  # a pipe's buffer: writing more would block before anyone reads
        os.close(read)
        os.close(write)
        raise RuntimeError("the seccomp program is larger than a pipe can hold")
    os.write(write, program)
    os.close(write)
    return read


@lru_cache(maxsize=1)
def docker_profile() -> dict[str, Any]:
    """The same policy in Docker's seccomp profile format (``security_opt=["seccomp=<json>"]``)."""
    ops = {"eq": "SCMP_CMP_EQ", "ne": "SCMP_CMP_NE", "masked_eq": "SCMP_CMP_MASKED_EQ"}
    syscalls: list[dict[str, Any]] = [{"names": sorted(ALLOWED), "action": "SCMP_ACT_ALLOW"}]
    for rule in CONDITIONAL:
        arg = {"index": rule.index, "value": rule.value, "valueTwo": rule.value_two, "op": ops[rule.op]}
        syscalls.append({"names": [rule.name], "action": "SCMP_ACT_ALLOW", "args": [arg]})
    syscalls.append({"names": list(ENOSYS_CALLS), "action": "SCMP_ACT_ERRNO", "errnoRet": errno.ENOSYS})
    return {
        "defaultAction": "SCMP_ACT_ERRNO",
        "defaultErrnoRet": errno.EPERM,
        "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": []},
                    {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": []}],
        "syscalls": syscalls,
    }
