"""The verification report: run every claim, write report.md, report.html, results.json.

``proofs-check report [--out DIR] [--quick] [--claims ids]`` (see
:mod:`proofs_check.commands.report`) calls :func:`collect` then :func:`write`.
``--from-pytest PATH`` skips the runs and renders the JSON that
``pytest verify --claims-json PATH`` wrote (:func:`from_pytest`).

Outputs (in DIR):

- ``results.json``: machine-readable; one entry per claim with its metrics (each
  with the command that reproduces it), tables, figure data, verdict, error
  text, certificate; the environment; run-to-run varying values (seconds, the
  date) only under the top-level ``"timing"`` key, so that the same command
  gives the same file apart from ``"timing"``.
- ``report.md``: the same for people, figures linked from ``figures/``.
- ``report.html``: self-contained (inline CSS, figures as base64 PNG).

Figure-spec convention (what a claim puts in ``Result.figures``)
-----------------------------------------------------------------
``Result.figures`` maps a name to a plain-JSON dict that the report draws
without knowing the claim::

    res.figures["loss_vs_r"] = {
        "kind": "line",            # line | loglog | semilogx | semilogy | scatter | bar | panels
        "title": "L(r) on the line a = (b, b + r u, b - r u)",
        "xlabel": "r", "ylabel": "L",
        "series": [                # one curve (or point set) each
            {"label": "d = 1", "x": [0, 0.1, ...], "y": ["0", "1.2e-3", ...]},
            {"label": "fit", "x": [...], "y": [...], "style": "dashed"},
        ],
        "vlines": [{"x": 1.37, "label": "r*"}],   # optional; plain numbers also work
        "hlines": [0.0],                          # optional
        "caption": "One sentence shown under the figure.",   # optional
        "xlim": [0, 5], "ylim": [1e-12, 1],       # optional
    }

- numbers: int, float or decimal string (e.g. ``"1.5e-40"``); plotted in
  float64. ``None``/``"nan"`` (and values <= 0 on a log axis) leave a gap.
- ``series[i]["style"]``: ``"line"`` (default), ``"points"`` (default for
  ``scatter``), ``"both"`` (line with markers), ``"dashed"``. ``"x"`` may be
  omitted (then 0, 1, 2, ...).
- ``kind = "bar"``: ``x`` are category labels (strings), ``y`` the heights.
- ``kind = "panels"``: a grid of sub-figures, e.g. the four panels of Figure 1:
  ``{"kind": "panels", "title": ..., "ncols": 2, "panels": [spec, spec, spec, spec]}``
  where each panel is a spec as above (not itself "panels").
- shorthand: ``{"x": [...], "y": [...], ...}`` without ``"series"`` is one series.
- fallback for bare data such as ``{"r": [...], "L": [...], "r_star": 2.55}``: the first
  list is x, every later list of the same length a y series (axis labels = their keys;
  lists of other lengths are not drawn) and numeric scalars inside the x range become
  labelled vertical lines. Prefer the explicit form above.

A spec the renderer cannot draw does not stop the report: the section says
"figure not drawn" with the reason, and the data is still in results.json.
Tables of numbers (tightness tables, sweeps) belong in ``Result.tables``
(``{title: {"columns": [...], "rows": [[...], ...]}}``), rendered as tables.

Certificates: if :mod:`proofs_check.certify` exists and exposes
``certifiers() -> {claim_id: callable}``, each callable is run for its claim
(keyword arguments ``scale``/``seed``/``result`` are passed when the callable
accepts them) and must return an object or dict with ``ok: bool`` and
``summary: str``; ``ok`` shows as CERTIFIED next to the verdict.
"""
from __future__ import annotations

import base64
import datetime as _dt
import html
import importlib
import importlib.util
import inspect
import json
import functools
import math
import platform
import re
import subprocess
import sys
import time
import traceback
from fractions import Fraction
from importlib import metadata
from pathlib import Path

from . import claims
from .numbers import InputError

SCHEMA = "proofs-check-report/1"
PACKAGES = ("mpmath", "sympy", "numpy", "scipy", "gmpy2", "python-flint", "hypothesis", "matplotlib", "tqdm")
VERDICT_ORDER = (claims.PASS, claims.FAIL, claims.INCONCLUSIVE, claims.MEASURED, claims.NOT_CHECKED)
KEY_METRICS = 2   # metrics shown in the summary table


# ----------------------------------------------------------------------------- environment

def _git(*args) -> str | None:
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def environment(scale: str | None = None, seed: int | None = None) -> dict:
    """Versions, precision settings, seed and git revision (no timestamps)."""
    from . import numbers
    import mpmath

    versions = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    try:
        versions["proofs-check"] = metadata.version("proofs-check")
    except metadata.PackageNotFoundError:
        versions["proofs-check"] = "not installed (run from the source tree)"
    rev = _git("rev-parse", "HEAD")
    # the report's own output files (reports/) do not change what the claims compute: a report updated in
    # place (--update) would otherwise always read 'dirty'
    status = _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)reports")
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.machine()}",
        "packages": versions,
        "precision": {
            "default_dps": numbers.DEFAULT_DPS,
            "guard_dps": numbers.GUARD_DPS,
            "dps_range": [numbers.MIN_DPS, numbers.MAX_DPS],
            "mpmath_backend": getattr(mpmath.libmp, "BACKEND", "unknown"),
            "note": "numbers.working(dps) sets mpmath and gmpy2/MPFR to dps + guard_dps digits; "
                    "each claim chooses its dps (see its method); QMC in dimension >= 3 is float64",
        },
        "scale": scale,
        "seed": seed,
        "git": {"revision": rev or "unknown",
                "dirty": None if status is None else bool(status),
                "note": "dirty = tracked files outside reports/ differ from the revision"},
    }


# ----------------------------------------------------------------------------- JSON hygiene

def plain(obj):
    """Anything a claim returned as plain JSON (mpf, Fraction, numpy -> str/float/int)."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else str(obj)
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, Fraction):
        return str(obj)
    mod = type(obj).__module__ or ""
    if mod.startswith("numpy"):
        try:
            return plain(obj.tolist())
        except AttributeError:
            pass
    if hasattr(obj, "__dataclass_fields__"):
        from dataclasses import asdict
        return plain(asdict(obj))
    return str(obj)


# ----------------------------------------------------------------------------- certificates

@functools.lru_cache(maxsize=None)
def _certifiers_cached():
    return load_certifiers()


def load_certifiers() -> tuple[dict, str | None]:
    """(claim id -> certifier, error text) from proofs_check.certify if it exists."""
    name = f"{__package__}.certify"
    try:
        if importlib.util.find_spec(name) is None:
            return {}, None
        mod = importlib.import_module(name)
        fn = getattr(mod, "certifiers", None)
        if fn is None:
            return {}, "proofs_check.certify has no certifiers()"
        return dict(fn()), None
    except Exception as e:  # a broken certify module must not stop the report
        return {}, f"proofs_check.certify could not be loaded: {type(e).__name__}: {e}"


def run_certifier(fn, scale, seed, result) -> dict:
    """Run one certifier; never raises."""
    kwargs = {}
    try:
        params = inspect.signature(fn).parameters
        for key, val in (("scale", scale), ("seed", seed), ("result", result)):
            if key in params:
                kwargs[key] = val
    except (TypeError, ValueError):
        pass
    t0 = time.perf_counter()
    try:
        out = fn(**kwargs)
        get = out.get if isinstance(out, dict) else (lambda k, d=None: getattr(out, k, d))
        cert = {"ok": bool(get("ok", False)), "summary": str(get("summary", ""))}
        for extra in ("checks", "enclosures"):   # optional detail (proofs_check.certify.Certificate)
            val = get(extra, None)
            if isinstance(val, dict) and val:
                cert[extra] = plain(val)
    except Exception as e:
        cert = {"ok": False, "summary": f"certifier raised {type(e).__name__}: {e}"}
    cert["seconds"] = round(time.perf_counter() - t0, 2)
    return cert


# ----------------------------------------------------------------------------- running

def _entry(c: claims.Claim) -> dict:
    return {"id": c.id, "paper": c.paper, "status": c.status, "statement": c.statement,
            "method": c.method, "role": c.role}


def run_one(cid: str, scale: str, seed: int, certify: bool = True) -> dict:
    """One claim as a report entry (a plain dict); exceptions become INCONCLUSIVE."""
    c = claims.registry()[cid]
    certifier = _certifiers_cached()[0].get(cid) if certify else None
    e = _entry(c)
    t0 = time.perf_counter()
    try:
        res = claims.run(cid, scale, seed)
        d = plain(res.to_json())
        e["error"] = None
    except Exception as exc:
        tb = traceback.format_exc().strip().splitlines()
        d = {"verdict": claims.INCONCLUSIVE,
             "summary": f"the check raised {type(exc).__name__}: {exc}",
             "metrics": [], "tables": {}, "figures": {}, "certified": None,
             "command": f"proofs-check claim {cid}" + (" --full" if scale == "full" else "") + f" --seed {seed}",
             "scale": scale, "seed": seed}
        e["error"] = "\n".join(tb[-25:])
        res = None
    seconds = round(time.perf_counter() - t0, 2)
    d.pop("seconds", None)
    d.pop("claim_id", None)
    e.update(d)
    e["seconds"] = seconds          # moved to "timing" by write()
    if certifier is not None and c.check is not None:
        cert = run_certifier(certifier, scale, seed, res)
        e["certificate_seconds"] = cert.pop("seconds")
        e["certificate"] = cert
    else:
        e["certificate"] = None
    return e


def _failed(cid: str, scale: str, seed: int, summary: str, seconds: float) -> dict:
    e = _entry(claims.registry()[cid])
    e.update({"verdict": claims.INCONCLUSIVE, "summary": summary, "metrics": [], "tables": {}, "figures": {},
              "certified": None, "scale": scale, "seed": seed, "error": summary, "seconds": round(seconds, 2),
              "certificate": None,
              "command": f"proofs-check claim {cid}" + (" --full" if scale == "full" else "") + f" --seed {seed}"})
    return e


def _child(send, cid, scale, seed):
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)   # the parent stops a timed-out claim with SIGTERM
    try:
        e = run_one(cid, scale, seed)
    except BaseException as exc:   # run_one catches Exception; this is the last resort
        e = _failed(cid, scale, seed, f"the claim's process failed: {type(exc).__name__}: {exc}", 0.0)
    send.send(e)
    send.close()


def _run_isolated(order, scale, seed, jobs, timeout, entries, bar):
    """Each claim in a forked process, at most ``jobs`` at once, stopped after ``timeout`` s."""
    import multiprocessing
    from multiprocessing.connection import wait

    import signal
    import threading

    ctx = multiprocessing.get_context("fork")
    pending, running = list(order), {}

    def _stop(signum, frame):   # a terminated report must not leave claim processes behind
        raise KeyboardInterrupt(f"signal {signum}")
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if main else None
    try:
        while pending or running:
            while pending and len(running) < max(jobs, 1):
                cid = pending.pop(0)
                recv, send = ctx.Pipe(duplex=False)
                # not a daemon: claims may start their own process pools
                proc = ctx.Process(target=_child, args=(send, cid, scale, seed))
                proc.start()
                send.close()
                running[recv] = (cid, proc, time.perf_counter())
                bar.set_description("running " + ", ".join(v[0] for v in running.values()))
            for conn in wait(list(running), timeout=1.0):
                cid, proc, t0 = running.pop(conn)
                try:
                    entries[cid] = conn.recv()
                except (EOFError, OSError):
                    proc.join(5)
                    entries[cid] = _failed(cid, scale, seed, f"the claim's process died (exit code {proc.exitcode})",
                                           time.perf_counter() - t0)
                conn.close()
                proc.join()
                bar.update(1)
                bar.set_description(("running " + ", ".join(v[0] for v in running.values())) if running
                                    else f"done {cid}")
            if timeout:
                now = time.perf_counter()
                for conn, (cid, proc, t0) in list(running.items()):
                    if now - t0 > timeout:
                        proc.terminate()
                        proc.join()
                        conn.close()
                        del running[conn]
                        entries[cid] = _failed(cid, scale, seed, f"stopped after the {timeout:g} s timeout "
                                               "(--timeout): not decided", now - t0)
                        bar.update(1)
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
        for conn, (cid, proc, t0) in running.items():
            proc.terminate()
            proc.join()


def _select(ids) -> list[str]:
    reg = claims.registry()
    if ids is None:
        return list(reg)
    unknown = [i for i in ids if i not in reg]
    if unknown:
        raise InputError(f"unknown claim(s) {', '.join(unknown)}; known: {', '.join(reg)}")
    return [i for i in reg if i in set(ids)]   # registry order


def collect(ids=None, scale: str = "full", seed: int = 0, progress: bool = True, jobs: int = 1,
            command: str = "proofs-check report", timeout: float | None = None) -> dict:
    """Run the claims (all, or ``ids``) and return the report data (see :func:`write`).

    ``jobs > 1`` or a per-claim ``timeout`` (seconds) runs each claim in its own
    process; a claim over the timeout is stopped and reported INCONCLUSIVE.
    """
    if scale not in claims.SCALES:
        raise InputError(f"unknown scale {scale!r}; choose from {claims.SCALES}")
    order = _select(ids)
    certs, cert_error = _certifiers_cached()
    env = environment(scale, seed)   # the revision the claims run at, not the one at the end
    t0 = time.perf_counter()
    entries: dict[str, dict] = {}
    from tqdm import tqdm
    bar = tqdm(total=len(order), file=sys.stderr, disable=not progress, unit="claim",
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]")
    try:
        if jobs <= 1 and not timeout:
            for cid in order:
                bar.set_description(f"running {cid}")
                entries[cid] = run_one(cid, scale, seed)
                bar.update(1)
        else:
            _run_isolated(order, scale, seed, jobs, timeout, entries, bar)
    finally:
        bar.close()
    total = round(time.perf_counter() - t0, 2)
    return {
        "source": "proofs-check report",
        "command": command,
        "scale": scale,
        "seed": seed,
        "environment": env,
        "certify": cert_error or (("proofs_check.certify: certifiers for " + ", ".join(sorted(certs)))
                                  if certs else "no certifiers available (proofs_check.certify absent or empty)"),
        "claims": [entries[c] for c in order],
        "total_seconds": total,
    }


def from_pytest(path) -> dict:
    """Report data from ``pytest verify --claims-json PATH`` (no claim is re-run)."""
    try:
        with open(path) as f:
            raw = json.load(f)
    except FileNotFoundError:
        raise InputError(f"--from-pytest: no such file {path}") from None
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"--from-pytest: {path} is not readable JSON ({e})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("results"), list):
        raise InputError(f"--from-pytest: {path} has no 'results' list (write it with pytest verify --claims-json)")
    reg = claims.registry()
    got = {}
    for r in raw["results"]:
        if not isinstance(r, dict) or "claim_id" not in r or "verdict" not in r:
            raise InputError(f"--from-pytest: {path}: a result without claim_id/verdict")
        cid = r["claim_id"]
        c = reg.get(cid)
        e = _entry(c) if c else {"id": cid, "paper": r.get("paper", ""), "status": r.get("status", ""),
                                 "statement": r.get("statement", ""), "method": r.get("method", ""), "role": ""}
        for k in ("paper", "status", "statement", "method"):
            if r.get(k):
                e[k] = r[k]
        d = plain({k: v for k, v in r.items() if k not in ("claim_id", "paper", "status", "statement", "method")})
        e.update({"metrics": [], "tables": {}, "figures": {}, "certified": None, "command": "", "error": None})
        e.update(d)
        e.setdefault("seconds", 0.0)
        e["certificate"] = None
        got[cid] = e
    scales = sorted({e.get("scale") for e in got.values() if e.get("scale")})
    scale = scales[0] if len(scales) == 1 else ("/".join(scales) or None)
    ordered = []
    for cid, c in reg.items():
        if cid in got:
            ordered.append(got.pop(cid))
        else:
            e = _entry(c)
            e.update({"verdict": claims.NOT_CHECKED,
                      "summary": (f"LOST: {c.role}" if c.check is None else "not run in this pytest session"),
                      "metrics": [], "tables": {}, "figures": {}, "certified": None, "command": "",
                      "scale": scale, "seed": None, "error": None, "seconds": 0.0, "certificate": None})
            ordered.append(e)
    ordered += list(got.values())   # results of claims no longer registered
    env = raw.get("environment")
    note = None
    if not isinstance(env, dict):
        env = environment(scale, 0)
        note = "environment of the rendering machine; the pytest JSON did not record one"
    return {
        "source": f"pytest verify ({path})",
        "command": f"python -m pytest verify --claim-scale {scale or 'quick'} --claims-json {path}",
        "scale": scale, "seed": 0,
        "environment": env, "environment_note": note,
        "certify": "not run (rendered from a pytest run)",
        "claims": ordered,
        "total_seconds": round(sum(float(e.get("seconds") or 0) for e in ordered), 2),
    }


def load_results(path) -> dict:
    """Report data back from a results.json this module wrote (to re-render or update it)."""
    try:
        with open(path) as f:
            raw = json.load(f)
    except FileNotFoundError:
        raise InputError(f"no report to update: {path} does not exist") from None
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"{path} is not readable JSON ({e})") from None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA or not isinstance(raw.get("claims"), list):
        raise InputError(f"{path} is not a proofs-check results.json ({SCHEMA})")
    timing = (raw.get("timing") or {}).get("claims") or {}
    entries = []
    for d in raw["claims"]:
        e = {k: v for k, v in d.items() if k != "figure_files"}
        e["metrics"] = [{k: v for k, v in m.items() if k != "command"} for m in d.get("metrics") or []]
        t = timing.get(d.get("id"), {})
        e["seconds"] = t.get("seconds", 0.0)
        if "certificate_seconds" in t:
            e["certificate_seconds"] = t["certificate_seconds"]
        entries.append(e)
    return {k: raw.get(k) for k in ("source", "command", "scale", "seed", "environment", "environment_note",
                                    "certify", "updates")} | {
        "claims": entries, "total_seconds": (raw.get("timing") or {}).get("total_seconds")}


def missing_claims(old: dict) -> list[str]:
    """Registered, checkable claims that a report does not have (what --update runs by default)."""
    have = {e["id"] for e in old["claims"] if e.get("verdict") != claims.NOT_CHECKED}
    return [cid for cid, c in claims.registry().items() if cid not in have and c.check is not None]


def merge(old: dict, new: dict) -> dict:
    """``old`` with the claims of ``new`` replacing or adding theirs; each claim keeps its git revision."""
    rev = lambda d: ((d.get("environment") or {}).get("git") or {}).get("revision")  # noqa: E731
    by = {}
    for e in old["claims"]:
        by[e["id"]] = dict(e, revision=e.get("revision") or rev(old))
    for e in new["claims"]:
        by[e["id"]] = dict(e, revision=rev(new))
    reg = claims.registry()
    ordered = []
    for cid, c in reg.items():
        if cid in by:
            ordered.append(by[cid])
        elif c.check is None:
            ordered.append(run_one(cid, new.get("scale") or "quick", new.get("seed") or 0, certify=False))
        else:
            e = _entry(c)
            e.update({"verdict": claims.NOT_CHECKED, "summary": "not run for this report",
                      "metrics": [], "tables": {}, "figures": {}, "certified": None, "command": "",
                      "scale": None, "seed": None, "error": None, "seconds": 0.0, "certificate": None})
            ordered.append(e)
    scales = {e.get("scale") for e in ordered if e.get("scale")}
    updates = list(old.get("updates") or []) + [{"command": new["command"], "revision": rev(new),
                                                  "claims": [e["id"] for e in new["claims"]]}]
    out = dict(new)
    out.update({"claims": ordered, "updates": updates,
                "source": old.get("source") or new.get("source"),
                "command": old.get("command") or new.get("command"),
                "scale": scales.pop() if len(scales) == 1 else ("/".join(sorted(scales)) or new.get("scale")),
                "total_seconds": round(sum(float(e.get("seconds") or 0) for e in ordered), 2)})
    return out


# ----------------------------------------------------------------------------- figures

def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", s).strip("-") or "fig"


def draw_figures(data: dict, out: Path) -> None:
    """Render every figure to out/figures/*.png; store file name or error in the entry."""
    from .figures import render_png
    figdir = out / "figures"
    for e in data["claims"]:
        e["_figures"] = []
        for name, spec in (e.get("figures") or {}).items():
            fname = f"{_slug(e['id'])}--{_slug(name)}.png"
            if isinstance(spec, dict) and not spec.get("title"):
                spec = dict(spec, title=name)   # an untitled figure shows its name
            try:
                png = render_png(spec)
                figdir.mkdir(parents=True, exist_ok=True)
                (figdir / fname).write_bytes(png)
                e["_figures"].append({"name": name, "file": f"figures/{fname}", "png": png, "error": None,
                                      "title": (spec or {}).get("title", name) if isinstance(spec, dict) else name,
                                      "caption": (spec or {}).get("caption", "") if isinstance(spec, dict) else ""})
            except Exception as exc:
                e["_figures"].append({"name": name, "file": None, "png": None, "title": name, "caption": "",
                                      "error": f"{type(exc).__name__}: {exc}"})


# ----------------------------------------------------------------------------- results.json

def results_json(data: dict) -> dict:
    """The machine-readable report; run-dependent values only under "timing"."""
    out_claims, timing = [], {}
    for e in data["claims"]:
        d = {k: v for k, v in e.items() if not k.startswith("_") and k not in ("seconds", "certificate_seconds")}
        cmd = e.get("command", "")
        d["metrics"] = [dict(m, command=cmd) for m in e.get("metrics") or []]
        d["figure_files"] = {f["name"]: f["file"] for f in e.get("_figures", []) if f["file"]}
        out_claims.append(d)
        timing[e["id"]] = {"seconds": e.get("seconds", 0.0)}
        if e.get("certificate_seconds") is not None:
            timing[e["id"]]["certificate_seconds"] = e["certificate_seconds"]
    return {
        "schema": SCHEMA,
        "source": data["source"],
        "command": data["command"],
        "scale": data["scale"],
        "seed": data["seed"],
        "environment": data["environment"],
        "environment_note": data.get("environment_note"),
        "certify": data.get("certify"),
        "updates": data.get("updates"),
        "counts": counts(data),
        "claims": out_claims,
        "timing": {"generated_at": data.get("generated_at"), "total_seconds": data.get("total_seconds"),
                   "claims": timing},
    }


def counts(data: dict) -> dict:
    c = {v: 0 for v in VERDICT_ORDER}
    for e in data["claims"]:
        c[e["verdict"]] = c.get(e["verdict"], 0) + 1
    c["CERTIFIED"] = sum(1 for e in data["claims"] if (e.get("certificate") or {}).get("ok"))
    return c


# ----------------------------------------------------------------------------- text helpers

def _paragraphs(text: str) -> list[str]:
    """Docstring-ish text as paragraphs with the source line breaks removed."""
    paras = re.split(r"\n\s*\n", (text or "").strip())
    return [" ".join(p.split()) for p in paras if p.strip()]


def _metric_text(m: dict) -> str:
    dg = f" ({m['digits']} digits)" if m.get("digits") is not None else ""
    return f"{m['name']} = {m['value']}{dg}"


def key_numbers(e: dict) -> list[str]:
    ms = e.get("metrics") or []
    out = [_metric_text(m) for m in ms[:KEY_METRICS]]
    if e["verdict"] in (claims.FAIL, claims.INCONCLUSIVE, claims.MEASURED):   # say why, in the summary table
        why = " ".join(str(e.get("summary") or "").split())
        out.insert(0, why if len(why) <= 160 else why[:157] + "...")
    if len(ms) > KEY_METRICS:
        out.append(f"(+{len(ms) - KEY_METRICS} more)")
    return out


def _time(e: dict) -> str:
    return "—" if e["status"] == "LOST" or e["verdict"] == claims.NOT_CHECKED else f"{e.get('seconds', 0)} s"


def _cert_rows(cert: dict) -> list:
    rows = [[k, "proved" if v is True else ("NOT proved" if v is False else v)]
            for k, v in (cert.get("checks") or {}).items()]
    rows += [[k, v if isinstance(v, str) else json.dumps(v)] for k, v in (cert.get("enclosures") or {}).items()]
    return rows


def _verdict_label(e: dict) -> str:
    v = e["verdict"]
    if (e.get("certificate") or {}).get("ok"):
        v += " + CERTIFIED"
    return v


def _scale_text(data: dict) -> str:
    s = data.get("scale")
    if s == "quick":
        return "quick (each claim's fast scale, as in the default pytest run; `--full` or no `--quick` runs the full sweeps)"
    if s == "full":
        return "full (each claim's complete sweeps)"
    return str(s)


def _env_rows(env: dict) -> list[tuple[str, str]]:
    rows = [("Python", f"{env.get('python', '?')} ({env.get('implementation', '')}, {env.get('platform', '')})")]
    for k, v in (env.get("packages") or {}).items():
        rows.append((k, str(v)))
    p = env.get("precision") or {}
    if p:
        rows.append(("precision", f"default {p.get('default_dps')} digits + {p.get('guard_dps')} guard digits; "
                                  f"allowed {p.get('dps_range')}; mpmath backend {p.get('mpmath_backend')}"))
    rows.append(("scale / seed", f"{env.get('scale')} / {env.get('seed')}"))
    g = env.get("git") or {}
    dirty = g.get("dirty")
    rows.append(("git revision", f"{g.get('revision')}" + ("" if dirty is None else
                                                           (" (working tree dirty)" if dirty else " (clean)"))))
    return rows


# ----------------------------------------------------------------------------- markdown

def _md_cell(v) -> str:
    s = " ".join(str("" if v is None else v).split())
    return s.replace("|", "\\|")


def _md_table(columns, rows) -> list[str]:
    out = ["| " + " | ".join(_md_cell(c) for c in columns) + " |",
           "|" + "|".join("---" for _ in columns) + "|"]
    for r in rows:
        r = list(r) + [""] * (len(columns) - len(r))
        out.append("| " + " | ".join(_md_cell(c) for c in r) + " |")
    return out


def render_markdown(data: dict) -> str:
    L = ["# Verification report: Convergence Dynamics of Over-Parameterized Score Matching for a Single Gaussian", ""]
    L.append(f"- **Source**: {data['source']}")
    L.append(f"- **Reproduce**: `{data['command']}`")
    L.append(f"- **Scale**: {_scale_text(data)}")
    L.append(f"- **Seed**: {data.get('seed')}")
    g = data["environment"].get("git") or {}
    L.append(f"- **Git revision**: `{g.get('revision')}`" + (" (working tree dirty)" if g.get("dirty") else ""))
    L.append(f"- **Certificates**: {data.get('certify')}")
    if data.get("generated_at"):
        L.append(f"- **Generated**: {data['generated_at']} in {data.get('total_seconds')} s")
    for u in data.get("updates") or []:
        L.append(f"- **Updated**: {', '.join(u['claims']) or '(no claim)'} by `{u['command']}` at `{u['revision']}`")
    c = counts(data)
    L.append("- **Verdicts**: " + ", ".join(f"{k} {v}" for k, v in c.items()))
    L += ["", "Statuses (MATH.md 5): EXACT = the statement is fully known; RECONSTRUCTED = the qualitative "
          "statement is known, its constants were lost and are measured, not invented; LOST = only the "
          "role of the statement is known. Verdicts: PASS, FAIL, INCONCLUSIVE (precision or time not "
          "enough to decide; never PASS), MEASURED (nothing could have made the check FAIL: numbers, not a "
          "confirmation; never counted as PASS), NOT CHECKED (LOST statements).", "", "## Summary", ""]
    rows = [[f"[{e['id']}](#{_anchor(e['id'])})", e["paper"], e["status"], _verdict_label(e),
             "; ".join(key_numbers(e)), _time(e)] for e in data["claims"]]
    L += _md_table(["claim", "paper", "status", "verdict", "key numbers", "time"], rows)
    for e in data["claims"]:
        if e["status"] == "LOST":
            continue
        L += ["", f"<a id=\"{_anchor(e['id'])}\"></a>", f"## {e['id']}: {e['paper']}", ""]
        meta = f"**Status** {e['status']} · **Verdict** {_verdict_label(e)}"
        meta += f" · scale {e.get('scale')} · seed {e.get('seed')} · {e.get('seconds', 0)} s"
        if e.get("revision") and e["revision"] != g.get("revision"):
            meta += f" · run at `{e['revision'][:12]}`"
        L += [meta, ""]
        L += ["**Statement (reconstructed).** " + " ".join((e.get("statement") or "").split()), ""]
        for i, p in enumerate(_paragraphs(e.get("method"))):
            L += [("**Method.** " if i == 0 else "") + p, ""]
        L += [f"**Result.** {e.get('summary', '')}", ""]
        if e.get("error"):
            L += ["**Error** (the check raised; verdict INCONCLUSIVE):", "", "```", e["error"], "```", ""]
        cert = e.get("certificate")
        if cert:
            L += [f"**Certificate.** {'CERTIFIED' if cert['ok'] else 'not certified'}: {cert['summary']}", ""]
            if cert.get("checks") or cert.get("enclosures"):
                L += _md_table(["certificate", "proved / enclosure"], _cert_rows(cert))
                L.append("")
        if e.get("certified"):
            L += [f"**Certified (by the check).** {e['certified']}", ""]
        if e.get("metrics"):
            L += ["**Numbers**", ""]
            L += _md_table(["metric", "value", "agreed digits", "note"],
                           [[m["name"], m["value"], "" if m.get("digits") is None else m["digits"], m.get("note", "")]
                            for m in e["metrics"]])
            L.append("")
        for title, tb in (e.get("tables") or {}).items():
            L += [f"**{title}**", ""]
            L += _md_table(tb.get("columns", []), tb.get("rows", []))
            L.append("")
        for f in e.get("_figures", []):
            if f["file"]:
                L += [f"![{f['title']}]({f['file']})", ""]
                if f["caption"]:
                    L += [f"_{f['caption']}_", ""]
            else:
                L += [f"_Figure {f['name']} not drawn: {f['error']} (its data is in results.json)._", ""]
        if e.get("command"):
            L += [f"Reproduce: `{e['command']}`"]
    lost = [e for e in data["claims"] if e["status"] == "LOST"]
    if lost:
        L += ["", "## LOST statements", "",
              "Their text did not survive extraction (MATH.md 5); only their role in the paper is known, "
              "so nothing is checked.", ""]
        for e in lost:
            L += [f"- <a id=\"{_anchor(e['id'])}\"></a>**{e['id']}** ({e['paper']}): {e.get('role') or '(role unknown)'}"]
    L += ["", "## Environment", ""]
    if data.get("environment_note"):
        L += [f"_{data['environment_note']}_", ""]
    L += _md_table(["item", "value"], _env_rows(data["environment"]))
    L.append("")
    return "\n".join(L)


def _anchor(cid: str) -> str:
    return "claim-" + re.sub(r"[^A-Za-z0-9_-]+", "-", cid)


# ----------------------------------------------------------------------------- HTML

CSS = """
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#ffffff; --soft:#f6f8fa; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; line-height: 1.5; font-size: 15px; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.4em; }
h2 { font-size: 1.25em; margin: 0; }
h3 { font-size: 1em; margin: 1.1em 0 0.4em; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, pre, .num { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow-x: auto;
      white-space: pre-wrap; }
.meta { color: var(--muted); margin: 0 0 1em; }
.meta li { margin: 2px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
tr:nth-child(even) td { background: #fbfcfd; }
td.num { white-space: nowrap; }
.summary { width: 100%; }
.summary td:nth-child(5) { font-size: 0.92em; }
dl.lost dt { font-weight: 600; margin-top: 10px; }
dl.lost dd { margin: 2px 0 6px 18px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.8em; font-weight: 600;
         white-space: nowrap; border: 1px solid transparent; }
.PASS { background: #dafbe1; color: #116329; border-color: #aceebb; }
.FAIL { background: #ffebe9; color: #a40e26; border-color: #ffcecb; }
.INCONCLUSIVE { background: #fff8c5; color: #7d4e00; border-color: #f5e08a; }
.MEASURED { background: #fbefff; color: #6e40c9; border-color: #e1c7ff; }
.NOT-CHECKED { background: #eaeef2; color: #424a53; border-color: #d1d9e0; }
.CERTIFIED { background: #ddf4ff; color: #0a3069; border-color: #a8d8ff; }
.EXACT { background: #f6f8fa; color: #1f2328; border-color: #d1d9e0; }
.RECONSTRUCTED { background: #fbefff; color: #6e2d91; border-color: #ecd8f7; }
.LOST { background: #eaeef2; color: #59636e; border-color: #d1d9e0; }
section.claim { border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 22px 0; }
section.claim header { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; margin-bottom: 8px; }
section.claim header .paper { color: var(--muted); }
section.claim header .right { margin-left: auto; color: var(--muted); font-size: 0.9em; }
blockquote { margin: 0.4em 0 0.8em; padding: 6px 14px; border-left: 4px solid #8c959f; background: var(--soft); }
.result { font-weight: 500; }
figure { margin: 10px 0 16px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 0.9em; }
.error { color: #a40e26; }
.counts .badge { margin-right: 6px; }
a { color: #0969da; text-decoration: none; }
"""


def _e(s) -> str:
    return html.escape("" if s is None else str(s))


def _badge(text: str, cls: str | None = None) -> str:
    return f'<span class="badge {_e(cls or text.replace(" ", "-"))}">{_e(text)}</span>'


def _verdict_html(e: dict) -> str:
    out = _badge(e["verdict"])
    cert = e.get("certificate")
    if cert and cert.get("ok"):
        out += " " + _badge("CERTIFIED")
    return out


def _looks_numeric(v) -> bool:
    return isinstance(v, (int, float)) or bool(re.fullmatch(r"[-+]?[\d.]+(e[-+]?\d+)?%?", str(v).strip(), re.I))


def _html_table(columns, rows, cls="") -> str:
    h = [f'<div class="scroll"><table class="{cls}"><thead><tr>']
    h += [f"<th>{_e(c)}</th>" for c in columns]
    h.append("</tr></thead><tbody>")
    for r in rows:
        r = list(r) + [""] * (len(columns) - len(r))
        h.append("<tr>" + "".join(
            f'<td class="num">{_e(c)}</td>' if _looks_numeric(c) else f"<td>{_e(c)}</td>" for c in r) + "</tr>")
    h.append("</tbody></table></div>")
    return "".join(h)


def render_html(data: dict) -> str:
    env = data["environment"]
    g = env.get("git") or {}
    c = counts(data)
    H = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         "<title>proofs-check verification report</title>", f"<style>{CSS}</style></head><body><main>",
         "<h1>Verification report</h1>",
         "<p>Convergence Dynamics of Over-Parameterized Score Matching for a Single Gaussian (ICLR 2026): "
         "every claim of the paper, checked numerically at high precision.</p>",
         '<ul class="meta">',
         f"<li><b>Source</b>: {_e(data['source'])}</li>",
         f"<li><b>Reproduce</b>: <code>{_e(data['command'])}</code></li>",
         f"<li><b>Scale</b>: {_e(_scale_text(data)).replace('`', '')}</li>",
         f"<li><b>Seed</b>: {_e(data.get('seed'))} &nbsp; <b>Git</b>: <code>{_e(g.get('revision'))}</code>"
         + (" (working tree dirty)" if g.get("dirty") else "") + "</li>",
         f"<li><b>Certificates</b>: {_e(data.get('certify'))}</li>"]
    for u in data.get("updates") or []:
        H.append(f"<li><b>Updated</b>: {_e(', '.join(u['claims']) or '(no claim)')} by <code>{_e(u['command'])}</code>"
                 f" at <code>{_e(u['revision'])}</code></li>")
    if data.get("generated_at"):
        H.append(f"<li><b>Generated</b>: {_e(data['generated_at'])} in {_e(data.get('total_seconds'))} s</li>")
    H.append("</ul>")
    H.append('<p class="counts">' + "".join(
        _badge(f"{k} {v}", k.replace(" ", "-")) for k, v in c.items() if v or k in (claims.PASS, claims.FAIL)) + "</p>")
    H.append('<p class="meta">EXACT: the statement is fully known. RECONSTRUCTED: the qualitative statement is '
             "known; its lost constants are measured, not invented. LOST: only the statement's role is known. "
             "INCONCLUSIVE: precision or time did not decide (never counted as PASS). MEASURED: nothing could have "
             "made the check FAIL, so it reports numbers, not a confirmation (never counted as PASS).</p>")
    H.append("<h2>Summary</h2>")
    H.append('<div class="scroll"><table class="summary"><thead><tr><th>claim</th><th>paper</th><th>status</th>'
             "<th>verdict</th><th>key numbers (agreed digits)</th><th>time</th></tr></thead><tbody>")
    for e in data["claims"]:
        kn = "<br>".join(_e(k) for k in key_numbers(e))
        H.append(f'<tr><td><a href="#{_anchor(e["id"])}"><b>{_e(e["id"])}</b></a></td><td>{_e(e["paper"])}</td>'
                 f"<td>{_badge(e['status'])}</td><td>{_verdict_html(e)}</td><td>{kn}</td>"
                 f'<td class="num">{_time(e)}</td></tr>')
    H.append("</tbody></table></div>")
    for e in data["claims"]:
        if e["status"] == "LOST":
            continue
        H.append(f'<section class="claim" id="{_anchor(e["id"])}"><header><h2>{_e(e["id"])}</h2>'
                 f'<span class="paper">{_e(e["paper"])}</span>{_badge(e["status"])}{_verdict_html(e)}')
        runat = (f' · run at <code>{_e(e["revision"][:12])}</code>'
                 if e.get("revision") and e["revision"] != g.get("revision") else "")
        H.append(f'<span class="right">scale {_e(e.get("scale"))} · seed {_e(e.get("seed"))} · '
                 f'{_e(e.get("seconds", 0))} s{runat}</span>')
        H.append("</header>")
        H.append(f"<h3>Statement (reconstructed)</h3><blockquote>{_e(' '.join((e.get('statement') or '').split()))}"
                 "</blockquote>")
        paras = _paragraphs(e.get("method"))
        if paras:
            H.append("<h3>Method</h3>" + "".join(f"<p>{_e(p)}</p>" for p in paras))
        H.append(f'<h3>Result</h3><p class="result">{_e(e.get("summary"))}</p>')
        if e.get("error"):
            H.append(f'<p class="error">The check raised; verdict INCONCLUSIVE.</p><pre>{_e(e["error"])}</pre>')
        cert = e.get("certificate")
        if cert:
            H.append(f"<p><b>Certificate</b>: {'CERTIFIED' if cert['ok'] else 'not certified'}: {_e(cert['summary'])}</p>")
            if cert.get("checks") or cert.get("enclosures"):
                H.append(_html_table(["certificate", "proved / enclosure"], _cert_rows(cert)))
        if e.get("certified"):
            H.append(f"<p><b>Certified (by the check)</b>: {_e(e['certified'])}</p>")
        if e.get("metrics"):
            H.append("<h3>Numbers</h3>" + _html_table(
                ["metric", "value", "agreed digits", "note"],
                [[m["name"], m["value"], "" if m.get("digits") is None else m["digits"], m.get("note", "")]
                 for m in e["metrics"]]))
        for title, tb in (e.get("tables") or {}).items():
            H.append(f"<h3>{_e(title)}</h3>" + _html_table(tb.get("columns", []), tb.get("rows", [])))
        figs = e.get("_figures", [])
        if figs:
            H.append("<h3>Figures</h3>")
        for f in figs:
            if f["png"]:
                b64 = base64.b64encode(f["png"]).decode("ascii")
                cap = f"<figcaption>{_e(f['caption'])}</figcaption>" if f["caption"] else ""
                H.append(f'<figure><img alt="{_e(f["title"])}" src="data:image/png;base64,{b64}">{cap}</figure>')
            else:
                H.append(f'<p class="error">Figure {_e(f["name"])} not drawn: {_e(f["error"])} '
                         "(its data is in results.json).</p>")
        if e.get("command"):
            H.append(f"<p class=\"meta\">Reproduce: <code>{_e(e['command'])}</code></p>")
        H.append("</section>")
    lost = [e for e in data["claims"] if e["status"] == "LOST"]
    if lost:
        H.append('<section class="claim" id="lost"><header><h2>LOST statements</h2>' + _badge("LOST") + "</header>"
                 "<p>Their text did not survive extraction (MATH.md 5); only their role in the paper is known, "
                 'so nothing is checked.</p><dl class="lost">')
        for e in lost:
            H.append(f'<dt id="{_anchor(e["id"])}">{_e(e["id"])} <span class="paper">({_e(e["paper"])})</span></dt>'
                     f"<dd>{_e(e.get('role') or '(role unknown)')}</dd>")
        H.append("</dl></section>")
    H.append("<h2>Environment</h2>")
    if data.get("environment_note"):
        H.append(f"<p class=\"meta\">{_e(data['environment_note'])}</p>")
    H.append(_html_table(["item", "value"], _env_rows(env)))
    H.append("</main></body></html>")
    return "\n".join(H)


# ----------------------------------------------------------------------------- write

def write(data: dict, out) -> dict:
    """Draw the figures and write report.md, report.html, results.json into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    figdir = out / "figures"
    if figdir.is_dir():   # stale figures of an earlier run would mislead
        for p in figdir.glob("*.png"):
            p.unlink()
    data.setdefault("generated_at", _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    draw_figures(data, out)
    (out / "results.json").write_text(json.dumps(results_json(data), indent=2, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(render_markdown(data))
    (out / "report.html").write_text(render_html(data))
    return {"report.md": out / "report.md", "report.html": out / "report.html", "results.json": out / "results.json"}
