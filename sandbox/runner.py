"""The in-sandbox runner: loads the candidate's module, calls it, streams back data.

This file runs inside the sandbox, as an unprivileged user, beside untrusted code.
It imports only the standard library, NumPy and (when asked) torch; never anything
from ``grader``. It never decides a verdict: it reports what happened in each case
and the values returned, and the trusted host compares them.

Protocol (one sandbox, one submission):

1. Started ahead of time: set hard resource limits, load NumPy (and torch), write a
   ``ready`` frame, then wait on stdin.
2. Line 1 on stdin: the job (candidate source, probe source, forbidden names,
   limits, visible calls with their inputs). The runner imports the candidate's
   module (``load`` frame) and runs each visible call (``case`` frames), then writes
   a ``phase`` frame and waits.
3. Line 2 on stdin: the hidden calls with their inputs, sent only after the host has
   sealed everything the visible phase produced. The runner runs them (``case``
   frames), writes ``done`` and exits.

Frames go to the original stdout as ``\\0GRADER1 KIND JSON_LEN NPZ_LEN\\n`` followed by
the JSON and the ``.npz`` bytes. The candidate's own fds 1 and 2 point at per-case
files in ``/tmp``, read back with a cap. Values are encoded as a JSON tree whose
arrays live in the ``.npz`` (``{"$array": key}``, ``{"$tensor": key, "device": d}``,
``{"$tuple": [...]}``, ``{"$dict": {...}}``, ``{"$float": "nan"}``); no pickle anywhere.
"""

from __future__ import annotations

import base64
import builtins
import inspect
import io
import json
import linecache
import math
import os
import resource
import signal
import sys
import time
import traceback
import types
from typing import Any

MAX_DEPTH = 32
MAX_NODES = 100_000
MAX_MESSAGE = 4096
ARRAY_KINDS = "biufc"


class Timeout(BaseException):
    """Raised in candidate code when the run's time is used up."""


class ForbiddenCall(BaseException):
    """Raised when candidate code reaches a forbidden name."""


class BadOutput(Exception):
    """The returned value cannot be encoded (unknown type, object array, too deep)."""


# --- encoding ---------------------------------------------------------------------


def encode_value(value: Any, arrays: dict[str, Any], devices: list[str] | None = None) -> Any:
    """Encode ``value`` as a JSON tree, putting arrays into ``arrays`` (name -> ndarray)."""
    import numpy as np

    count = [0]

    def enc(v: Any, depth: int) -> Any:
        count[0] += 1
        if depth > MAX_DEPTH or count[0] > MAX_NODES:
            raise BadOutput("the returned value is nested too deeply or is too large")
        if v is None or isinstance(v, (bool, str)):
            return bool(v) if isinstance(v, bool) else (None if v is None else str.__str__(v))
        if isinstance(v, int):
            return int.__index__(v)
        if isinstance(v, float):
            f = float.__float__(v)
            return f if math.isfinite(f) else {"$float": repr(f)}
        if isinstance(v, (tuple, list)):
            items = [enc(x, depth + 1) for x in (tuple.__iter__(v) if isinstance(v, tuple) else list.__iter__(v))]
            return {"$tuple": items} if isinstance(v, tuple) else items
        if isinstance(v, dict):
            out = {}
            for k in dict.keys(v):
                if not isinstance(k, str):
                    raise BadOutput(f"dict keys must be strings, got {type(k).__name__}")
                out[str.__str__(k)] = enc(dict.__getitem__(v, k), depth + 1)
            return {"$dict": out}
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(v, torch.Tensor):
            return enc_tensor(v)
        if isinstance(v, (np.ndarray, np.generic)):
            return {"$array": put(np.ndarray.view(np.asarray(v), np.ndarray).copy())}
        raise BadOutput(f"returned a value of type {type(v).__name__}, which the grader cannot read")

    def put(arr: Any) -> str:
        if arr.dtype.kind not in ARRAY_KINDS or arr.dtype.hasobject:
            raise BadOutput(f"arrays of dtype {arr.dtype} are not accepted; return numbers")
        key = f"a{len(arrays)}"
        arrays[key] = arr
        return key

    def enc_tensor(t: Any) -> Any:
        import torch

        t = torch.Tensor.detach(t)
        device = str(t.device)
        if devices is not None:
            devices.append(device)
        if t.dtype == torch.bfloat16 or t.dtype == torch.float16:
            t = t.float()
        arr = t.cpu().resolve_conj().resolve_neg().numpy().copy()
        return {"$tensor": put(arr), "device": device}

    return enc(value, 0)


def decode_value(tree: Any, arrays: Any, device: str = "cpu") -> Any:
    """Inverse of :func:`encode_value` for trusted input (the host's case arguments)."""
    if isinstance(tree, list):
        return [decode_value(x, arrays, device) for x in tree]
    if not isinstance(tree, dict):
        return tree
    if "$array" in tree:
        return arrays[tree["$array"]].copy()
    if "$tensor" in tree:
        import torch

        return torch.from_numpy(arrays[tree["$tensor"]].copy()).to(device)
    if "$tuple" in tree:
        return tuple(decode_value(x, arrays, device) for x in tree["$tuple"])
    if "$dict" in tree:
        return {k: decode_value(v, arrays, device) for k, v in tree["$dict"].items()}
    if "$float" in tree:
        return float(tree["$float"])
    raise ValueError(f"unknown node {sorted(tree)}")


def save_npz(arrays: dict[str, Any]) -> bytes:
    """The arrays as uncompressed ``.npz`` bytes (empty bytes for no arrays)."""
    if not arrays:
        return b""
    import numpy as np

    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def load_npz(data: bytes) -> dict[str, Any]:
    import numpy as np

    if not data:
        return {}
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


# --- the channel back to the host --------------------------------------------------


class Channel:
    """Frames written to the host on a private copy of the original stdout."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, kind: str, payload: dict[str, Any], npz: bytes = b"") -> None:
        body = json.dumps(payload, allow_nan=False).encode()
        data = b"\0GRADER1 %s %d %d\n" % (kind.encode(), len(body), len(npz)) + body + npz
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]


# --- limits, forbidden names ---------------------------------------------------------


def set_limit(which: int, value: int) -> None:
    """Lower both soft and hard limit to ``value`` (never raise them)."""
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def address_space() -> int:
    """This process's mapped memory now (VmSize), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def apply_limits(memory_mib: int, cpu_s: int, nproc: int, nofile: int, fsize: int) -> None:
    set_limit(resource.RLIMIT_DATA, memory_mib * 1024 * 1024)
    # RLIMIT_DATA misses shared mappings (mmap(-1, n) with MAP_SHARED, SysV segments):
    # the address space may grow by the same budget beyond what the libraries took.
    set_limit(resource.RLIMIT_AS, address_space() + memory_mib * 1024 * 1024)
    set_limit(resource.RLIMIT_CPU, cpu_s)
    set_limit(resource.RLIMIT_NPROC, nproc)
    set_limit(resource.RLIMIT_NOFILE, nofile)
    set_limit(resource.RLIMIT_FSIZE, fsize)
    set_limit(resource.RLIMIT_CORE, 0)


CANDIDATE_FILE = "solution.py"


def candidate_line(frame: Any) -> int | None:
    """The line when ``frame`` runs the candidate's own code (compiled as ``solution.py``)."""
    if frame is not None and frame.f_code.co_filename == CANDIDATE_FILE:
        return int(frame.f_lineno)
    return None


def importer(frame: Any) -> Any:
    """The frame that asked for an import: the first outside the import system and this file."""
    while frame is not None and (frame.f_code.co_filename.startswith("<frozen importlib")
                                 or frame.f_code.co_filename == __file__
                                 or "/importlib/" in frame.f_code.co_filename):
        frame = frame.f_back
    return frame


def twins(owner: Any, attr: str) -> list[str]:
    """``owner``'s names for the same op up to case and underscores (``tanh``, ``tanh_``)."""
    stem = attr.replace("_", "").lower()
    try:
        return [n for n in dir(owner) if n.replace("_", "").lower() == stem]
    except Exception:  # noqa: BLE001 - a library object with a broken __dir__
        return [attr]


class Forbidder:
    """Blocks forbidden names for the candidate's own code at run time; remembers which it reached.

    A second line behind the trusted side's static check. Only the candidate's frames
    count: an import or call a library makes internally (``scipy.linalg`` importing
    ``numpy.fft``) gets the real thing, and a hit names the candidate's line. Stubs are
    (re)placed after every import that loaded a module, so a library imported late (torch)
    is covered too.
    """

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.hits: list[str] = []
        self.stubs: dict[tuple[int, str], Any] = {}  # (id(owner), attribute) -> stub placed there
        self.importing = 0  # nested imports in progress
        self.placed_for: tuple[int, str, int] = (0, "", 0)  # the module table when stubs were last placed

    def hit(self, name: str, line: int) -> None:
        where = f"{name} on line {line}"
        self.hits.append(where)
        raise ForbiddenCall(f"{where} is not allowed in this question")

    def check(self, name: str, frame: Any) -> None:
        line = candidate_line(frame)
        if line is not None:
            self.hit(name, line)

    def install(self) -> None:
        sys.meta_path.insert(0, self)
        original = builtins.__import__
        forbidder = self

        def guarded_import(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (),
                           level: int = 0) -> Any:
            caller = sys._getframe(1)
            if not level and candidate_line(caller) is not None:  # only the candidate's imports can hit
                wanted = [name] + [f"{name}.{item}" for item in fromlist or () if isinstance(item, str)]
                forbidder.check_names(wanted, caller)
            forbidder.importing += 1
            try:
                return original(name, globals, locals, fromlist, level)
            finally:
                forbidder.importing -= 1
                if not forbidder.importing:  # a library half imported must see its own names
                    forbidder.restub_if_loaded()

        builtins.__import__ = guarded_import
        self.place_stubs()

    def restub_if_loaded(self) -> None:
        """Place stubs again when the module table changed since they were last placed.

        Most imports at run time find their module loaded already (NumPy's functions import
        ``zipfile`` or ``ast`` inside their bodies), and walking every forbidden name for
        each of them cost more than a small case itself. A module removed and imported
        again changes the table's size or its last entry, so it is covered too.
        """
        state = self.module_table()
        if state != self.placed_for:
            self.place_stubs()

    @staticmethod
    def module_table() -> tuple[int, str, int]:
        """The module table's size and its newest entry (a new import is appended last)."""
        modules = sys.modules
        last = next(reversed(modules), "")
        return len(modules), last, id(modules.get(last))

    def check_names(self, wanted: list[str], frame: Any) -> None:
        for name in self.names:
            if any(w == name or w.startswith(name + ".") for w in wanted):
                self.check(name, frame)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        self.check_names([fullname], importer(sys._getframe(1)))
        return None

    def place_stubs(self) -> None:
        """Stub each forbidden name (and its twins) whose owner is loaded, where not stubbed yet."""
        self.placed_for = self.module_table()
        replaced: dict[int, tuple[Any, Any]] = {}
        for name in self.names:
            owner = self.owner(name)
            if owner is None:
                continue
            attr = name.rsplit(".", 1)[1]
            for twin in twins(owner, attr) if not isinstance(owner, types.ModuleType) else [attr]:
                original, stub = self.stub(owner, twin, name)
                if stub is not None and original is not None and callable(original):
                    replaced[id(original)] = (original, stub)
        self.replace_everywhere(replaced)

    @staticmethod
    def owner(name: str) -> Any:
        """What holds ``name``'s last part, when loaded (never imports anything)."""
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            owner: Any = sys.modules.get(".".join(parts[:cut]))
            if owner is None:
                continue
            for part in parts[cut:-1]:
                owner = inspect.getattr_static(owner, part, None)
            return owner
        return None

    def stub(self, owner: Any, attr: str, name: str) -> tuple[Any, Any]:
        """Put a stub at ``owner.attr``; return what was there and the stub (``None, None`` if in place)."""
        current = inspect.getattr_static(owner, attr, None)  # no module __getattr__: numpy.fft would load
        placed = self.stubs.get((id(owner), attr))
        if placed is not None and current is placed:
            return None, None
        if isinstance(current, _Blocked):
            return None, None
        forbidder = self
        if isinstance(owner, type):
            if current is None:
                return None, None

            def blocked(*args: Any, **kwargs: Any) -> Any:
                forbidder.check(name, sys._getframe(1))
                return current(*args, **kwargs)

            stub: Any = blocked
        elif current is None and not hasattr(owner, "__path__"):
            return None, None  # not there, and not a submodule still to be loaded
        else:
            stub = _Blocked(self, name, current)
        try:
            setattr(owner, attr, stub)
        except (AttributeError, TypeError):
            return None, None
        self.stubs[(id(owner), attr)] = stub
        return current, stub

    @staticmethod
    def replace_everywhere(replaced: dict[int, tuple[Any, Any]]) -> None:
        """The same function lives on under other names (numpy._core.numeric.convolve):
        replace every module-level reference to it as well."""
        if not replaced:
            return
        for module in list(sys.modules.values()):
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            for key, value in list(namespace.items()):
                found = replaced.get(id(value))
                if found is not None and found[0] is value:
                    try:
                        setattr(module, key, found[1])
                    except (AttributeError, TypeError):
                        pass


class _Blocked:
    """Stands where a forbidden function or module was: the candidate's use is a hit, a library's
    passes through to the original (imported on first use if it was not loaded)."""

    def __init__(self, forbidder: Forbidder, name: str, original: Any) -> None:
        object.__setattr__(self, "_f", forbidder)
        object.__setattr__(self, "_n", name)
        object.__setattr__(self, "_o", original)

    def _real(self) -> Any:
        original = object.__getattribute__(self, "_o")
        if original is None:
            name = object.__getattribute__(self, "_n")
            __import__(name)  # the guarded import: it puts this stub back after loading the module
            original = sys.modules[name]
            object.__setattr__(self, "_o", original)
        return original

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        object.__getattribute__(self, "_f").check(object.__getattribute__(self, "_n"), sys._getframe(1))
        return object.__getattribute__(self, "_real")()(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        object.__getattribute__(self, "_f").check(object.__getattribute__(self, "_n"), sys._getframe(1))
        return getattr(object.__getattribute__(self, "_real")(), attr)


# --- running candidate code ----------------------------------------------------------


class Capture:
    """Points fds 1 and 2 at fresh files for one case and reads them back, capped."""

    def __init__(self, directory: str, cap: int) -> None:
        self.directory = directory
        self.cap = cap
        self.count = 0

    def start(self) -> tuple[str, str]:
        self.count += 1
        paths = (f"{self.directory}/{self.count}.out", f"{self.directory}/{self.count}.err")
        for fd, path in zip((1, 2), paths, strict=False):
            new = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(new, fd)
            os.close(new)
        return paths

    def stop(self, paths: tuple[str, str]) -> tuple[str, str, int, int]:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001 - candidate code may have broken the streams
                pass
        texts, sizes = [], []
        for path in paths:
            try:
                with open(path, "rb") as fh:
                    data = fh.read(self.cap + 1)
                    sizes.append(os.fstat(fh.fileno()).st_size)
                os.unlink(path)
            except OSError:
                data, sizes = b"", sizes + [0]
            texts.append(data[: self.cap].decode("utf-8", "replace"))
        return texts[0], texts[1], sizes[0], sizes[1]


class Runner:
    """Runs one job's calls against the candidate's module, within one time budget."""

    def __init__(self, channel: Channel, job: dict[str, Any], device: str) -> None:
        self.channel = channel
        self.job = job
        self.device = device
        limits = job["limits"]
        self.deadline = time.monotonic() + float(limits["time_s"])
        self.output_cap = int(limits["output_kib"]) * 1024
        self.capture = Capture("/tmp/.grader-capture", self.output_cap)
        self.forbidder = Forbidder(list(job["forbidden"]))
        self.module: Any = None
        self.probe: Any = None

    def run_guarded(self, fn: Any) -> tuple[dict[str, Any], Any]:
        """Call ``fn()`` with output captured and the time budget armed."""
        remaining = self.deadline - time.monotonic()
        outcome: dict[str, Any] = {"status": "ok", "message": ""}
        if remaining <= 0:
            return {"status": "not_run", "message": "not run: the time limit was used up"}, None
        paths = self.capture.start()
        hits = len(self.forbidder.hits)
        t0 = time.monotonic()
        value = None
        try:
            signal.setitimer(signal.ITIMER_REAL, remaining)
            value = fn()
        except BaseException as exc:  # noqa: BLE001 - candidate code may raise anything
            outcome = classify(exc)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        outcome["duration_s"] = time.monotonic() - t0
        out, err, nout, nerr = self.capture.stop(paths)
        outcome.update(stdout=out, stderr=err, stdout_bytes=nout, stderr_bytes=nerr)
        if len(self.forbidder.hits) > hits:
            outcome["status"] = "forbidden"
            outcome["message"] = f"used {self.forbidder.hits[hits]}, which this question forbids"
        elif max(nout, nerr) > self.output_cap:
            outcome["status"] = "output_limit"
            outcome["message"] = f"printed more than {self.output_cap // 1024} KiB"
        return outcome, value

    def load(self) -> bool:
        """Import the probe and the candidate's module; send the ``load`` frame."""
        os.makedirs(self.capture.directory, mode=0o700, exist_ok=True)
        if self.job.get("probe"):
            self.probe = make_module("probe", self.job["probe"])
        self.forbidder.install()
        self.module = types.ModuleType("solution")
        self.module.__file__ = "solution.py"
        sys.modules["solution"] = self.module
        source = self.job["candidate"]

        def load() -> None:
            linecache.cache["solution.py"] = (len(source), None, source.splitlines(True), "solution.py")
            exec(compile(source, "solution.py", "exec"), self.module.__dict__)

        outcome, _ = self.run_guarded(load)
        self.channel.send("load", {"id": "load", **outcome})
        return outcome["status"] == "ok"

    def run_calls(self, calls: list[dict[str, Any]], npz: bytes) -> None:
        """Run each call and send one ``case`` frame per call, in order."""
        arrays = load_npz(npz)
        for call in calls:
            args = decode_value(call["args"], arrays, self.device)
            kwargs = decode_value(call["kwargs"], arrays, self.device)
            fn = self.resolve(call["call"])
            input_devices: list[str] = []
            encode_value((args, kwargs), {}, input_devices)
            out_arrays: dict[str, Any] = {}
            devices: list[str] = []

            def invoke(
                fn: Any = fn, args: Any = args, kwargs: Any = kwargs, out: Any = out_arrays, devs: Any = devices
            ) -> Any:
                return encode_value(fn(*args, **kwargs), out, devs)

            outcome, tree = self.run_guarded(invoke)
            outcome.update(id=call["id"], value=tree, devices=devices, input_devices=input_devices)
            self.channel.send("case", outcome, save_npz(out_arrays) if outcome["status"] == "ok" else b"")

    def resolve(self, name: str) -> Any:
        if self.probe is not None:
            probe_fn = getattr(self.probe, name)
            return lambda *a, **k: probe_fn(self.module, *a, **k)
        return lambda *a, **k: getattr(self.module, name)(*a, **k)


def make_module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = f"{name}.py"
    linecache.cache[f"{name}.py"] = (len(source), None, source.splitlines(True), f"{name}.py")
    exec(compile(source, f"{name}.py", "exec"), module.__dict__)
    return module


def classify(exc: BaseException) -> dict[str, Any]:
    """Turn an exception from candidate code into a case status and message."""
    types_ = [t.__name__ for t in type(exc).__mro__][:64]
    if isinstance(exc, Timeout):
        return {"status": "timeout", "message": "the time limit was used up during this call"}
    if isinstance(exc, ForbiddenCall):
        return {"status": "forbidden", "message": str(exc)}
    if isinstance(exc, BadOutput):
        return {"status": "bad_output", "message": str(exc)}
    text = str(exc)
    out_of_memory = isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == 12)  # ENOMEM
    if out_of_memory or "can't allocate memory" in text or "Unable to allocate" in text:
        return {"status": "memory", "message": "ran out of memory", "exception_types": types_}
    if isinstance(exc, OSError) and exc.errno == 27:  # EFBIG: the file size limit
        return {"status": "output_limit", "message": "wrote more than the output limit"}
    return {"status": "exception", "message": format_exception(exc), "exception_types": types_}


def format_exception(exc: BaseException) -> str:
    """The traceback without the runner's own frames, capped."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(exc), exc)
    text = "Traceback (most recent call last):\n" + "".join(lines)
    return text[-MAX_MESSAGE:]


def on_alarm(signum: int, frame: Any) -> None:
    raise Timeout()


def read_line(stream: Any) -> dict[str, Any] | None:
    line = stream.readline()
    return json.loads(line) if line else None


def preload(with_torch: bool, gpu: bool) -> tuple[dict[str, Any], str]:
    """Import the heavy libraries before the job arrives; say what was loaded."""
    import numpy

    info: dict[str, Any] = {
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "torch": None,
        "device": "cpu",
    }
    sample: Any = numpy.zeros(1)
    if with_torch:
        import torch

        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True)
        info["torch"] = torch.__version__
        if gpu and torch.cuda.is_available():
            info["device"] = "cuda:0"
        sample = (sample, torch.zeros(1))
    warm_wire(sample)
    return info, info["device"]


def warm_wire(sample: Any) -> None:
    """Encode and decode ``sample`` once, so that the modules the wire format imports inside its
    functions (``zipfile``, NumPy's format readers, ``ast``) are loaded before any job: after
    the fork, every case would otherwise pay for their first import."""
    arrays: dict[str, Any] = {}
    tree = encode_value(sample, arrays, [])
    decode_value(tree, load_npz(save_npz(arrays)))


def become_init() -> None:
    """As pid 1 of the sandbox, split in two: this process stays a minimal init, the child runs.

    The init holds no pipe, installs no signal handler (so the kernel drops every signal a
    process of the sandbox sends it), is not dumpable (so its memory and files under
    ``/proc/1`` are out of reach), reaps orphans, and exits as the runner did; when it
    exits, the kernel kills whatever is left in the sandbox.
    """
    child = os.fork()
    if child == 0:
        return
    import ctypes

    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    for sig in (signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, 1024)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(1)
        if pid == child:
            code = os.waitstatus_to_exitcode(status)
            os._exit(128 - code if code < 0 else code)


def take_streams() -> tuple[Channel, Any]:
    """The result channel on a private copy of stdout, the job reader on a private copy of stdin;
    the candidate's fds 0 and 1 then point at /dev/null (its output goes to per-case files)."""
    channel = Channel(os.dup(1))
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    stdin = os.fdopen(os.dup(0), "r", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    return channel, stdin


def serve(channel: Channel, stdin: Any, info: dict[str, Any], device: str, limits: list[int]) -> int:
    """Say ``ready``, then run the one job: the visible phase, then the hidden one.

    ``limits`` are the process limits after the load (``CPU_S NPROC NOFILE FSIZE``); the
    job's own memory limit replaces the load's ceiling.
    """
    cpu_s, nproc, nofile, fsize = limits
    channel.send("ready", info)
    job = read_line(stdin)
    if job is None:
        return 0
    apply_limits(int(job["limits"]["memory_mib"]), cpu_s, nproc, nofile, fsize)
    signal.signal(signal.SIGALRM, on_alarm)
    os.makedirs("/tmp/work", mode=0o700, exist_ok=True)
    os.chdir("/tmp/work")
    runner = Runner(channel, job, device)
    if not runner.load():
        return 0
    runner.run_calls(job["calls"], base64.b64decode(job["arrays"]))
    channel.send("phase", {"phase": "visible"})
    hidden = read_line(stdin)
    if hidden is not None:
        runner.run_calls(hidden["calls"], base64.b64decode(hidden["arrays"]))
    channel.send("done", {})
    return 0


def main(argv: list[str]) -> int:
    """``runner.py MEMORY_MIB CPU_S NPROC NOFILE FSIZE TORCH(0|1) DEVICE(cpu|gpu)``."""
    if os.getpid() == 1:
        become_init()
    memory_mib, cpu_s, nproc, nofile, fsize = (int(x) for x in argv[:5])
    apply_limits(memory_mib, cpu_s, nproc, nofile, fsize)
    channel, stdin = take_streams()
    info, device = preload(argv[5] == "1", argv[6] == "gpu")
    return serve(channel, stdin, info, device, [cpu_s, nproc, nofile, fsize])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
