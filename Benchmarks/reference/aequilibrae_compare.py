"""Time to a TRUE relative gap: CityTwin (`citytwin assign`) against AequilibraE's bfw, same machine, same run.

For each network and each target gap, each tool is run and its final link flows are scored by this script's own,
independent code: link costs from the BPR function, one fresh shortest-path pass (scipy's Dijkstra) from every zone,
and the relative gap (TSTT - SPTT) / TSTT with TSTT = sum(x * c(x)) and SPTT = sum(q_od * pi_od). A tool whose own
stopping gap was met but whose true gap was not is re-run with a tighter internal target (/3 each time, at most 6
times); the time reported is that of the first run whose TRUE gap meets the target.

Timing: CityTwin is timed as the whole `citytwin assign` process (reading the TNTP files, assigning, writing the CSV);
AequilibraE only around `TrafficAssignment.execute()` (graph and matrix building excluded), which favours it.
Both use 2 threads; OMP_WAIT_POLICY=passive is set before AequilibraE is imported. Where GNU /usr/bin/time exists,
each citytwin run also reports its CPU seconds (user + system) and peak resident memory (summary columns).

Convergence curves: each tool's own relative gap against time (CityTwin's per-iteration progress lines, AequilibraE's
convergence report, both measured from the start of the assignment) for the run that met the target; `--curves FILE`
writes them as markdown tables, one per network and target.

Usage: python aequilibrae_compare.py --citytwin PATH/TO/citytwin --sioux DIR [--grid-side 30 --zones 400]
       [--gaps 1e-4 1e-6] [--algorithms bfw bush] [--networks sioux-falls berlin-center ...] [--tntp NAME=PREFIX ...]
       [--regional-side 100 --regional-zones 2000 --regional-scale 0.015] [--curves curves.md] [--skip-aequilibrae NAME ...]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OMP_WAIT_POLICY", "passive")
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402
from scipy.sparse.csgraph import dijkstra  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import city_network  # noqa: E402
import grid_network  # noqa: E402


# ---------------------------------------------------------------- TNTP reading (independent of the Swift reader)

def read_net(path):
    meta, links = {}, []
    with open(path) as f:
        body = False
        for line in f:
            s = line.strip()
            if not body:
                if s.startswith("<END OF METADATA>"):
                    body = True
                elif s.startswith("<"):
                    k, v = s[1:].split(">", 1)
                    meta[k.strip()] = v.strip()
                continue
            if not s or s.startswith("~"):
                continue
            f_ = s.rstrip(";").split()
            links.append([float(x) for x in f_[:10]])
    a = np.array(links)
    return {
        "zones": int(meta["NUMBER OF ZONES"]), "nodes": int(meta["NUMBER OF NODES"]),
        "first_thru": int(meta.get("FIRST THRU NODE", "1")),
        "from": a[:, 0].astype(np.int64), "to": a[:, 1].astype(np.int64), "capacity": a[:, 2], "length": a[:, 3],
        "fft": a[:, 4], "b": a[:, 5], "power": a[:, 6], "toll": a[:, 8],
    }


def read_trips(path, zones):
    q = np.zeros((zones, zones))
    origin = None
    with open(path) as f:
        body = False
        for line in f:
            s = line.strip()
            if not body:
                body = s.startswith("<END OF METADATA>")
                continue
            if not s or s.startswith("~"):
                continue
            if s.startswith("Origin"):
                origin = int(s.split()[1])
                continue
            for entry in s.split(";"):
                if ":" in entry:
                    d, v = entry.split(":")
                    q[origin - 1, int(d) - 1] = float(v)
    return q


# ---------------------------------------------------------------- the independent gap

def bpr(net, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(net["capacity"] > 0, x / np.where(net["capacity"] > 0, net["capacity"], 1), 0.0)
    return net["fft"] * (1 + net["b"] * np.power(ratio, net["power"]))


def true_gap(net, q, x):
    """(TSTT - SPTT) / TSTT from one fresh shortest-path pass at the costs of flows x.

    Zones below <FIRST THRU NODE> may start or end a path but not be passed through: each such zone is split into a
    source copy (its outgoing links) and a sink copy (its incoming links), so no path can pass through it."""
    c = bpr(net, x) + net.get("fixed", 0.0)
    n, z = net["nodes"], net["zones"]
    blocked = net["first_thru"] > 1
    tails = net["from"] - 1
    heads = net["to"] - 1
    if blocked:
        # sink copy of zone i (0-based, i < first_thru - 1) is node n + i
        heads = np.where(heads < net["first_thru"] - 1, n + heads, heads)
    size = n + (z if blocked else 0)
    # Parallel links: keep the cheapest (a sparse matrix would add them).
    best = {}
    for a, b, w in zip(tails, heads, c):
        if (a, b) not in best or w < best[(a, b)]:
            best[(a, b)] = w
    rows = np.array([k[0] for k in best]); cols = np.array([k[1] for k in best]); w = np.array(list(best.values()))
    w = np.maximum(w, 1e-300)  # an explicit zero would read as "no edge"
    g = csr_matrix((w, (rows, cols)), shape=(size, size))
    dist = dijkstra(g, directed=True, indices=np.arange(z))
    dist = dist[:, n:n + z] if blocked else dist[:, :z]
    off = ~np.eye(z, dtype=bool)
    sptt = float(np.sum(q[off] * dist[off]))
    tstt = float(np.dot(x, c))
    return (tstt - sptt) / tstt, tstt, sptt


# ---------------------------------------------------------------- the tools

LAST_RESOURCES = [float("nan"), float("nan")]  # CPU s and peak MB of the latest citytwin run


def run_citytwin(binary, net_path, trips_path, algorithm, gap, threads=2, factors=(0.0, 0.0)):
    out = tempfile.mktemp(suffix=".csv")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    # /usr/bin/time (GNU) adds CPU seconds (user + system) and peak resident memory to the wall time.
    timer = ["/usr/bin/time", "-f", "RESOURCES %U %S %M"] if os.path.exists("/usr/bin/time") else []
    t0 = time.perf_counter()
    p = subprocess.run(timer + [binary, "assign", "--net", net_path, "--trips", trips_path, "--algorithm", algorithm,
                        "--gap", repr(gap), "--max-iterations", "100000", "--threads", str(threads),
                        "--toll-factor", repr(factors[0]), "--distance-factor", repr(factors[1]),
                        "--out", out], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if p.returncode not in (0, 2):
        raise RuntimeError(p.stderr)
    x = np.loadtxt(out, delimiter=",", skiprows=1, usecols=2)
    os.remove(out)
    resources = re.search(r"^RESOURCES ([0-9.]+) ([0-9.]+) ([0-9]+)$", p.stderr, re.M)
    stderr = re.sub(r"^RESOURCES .*$", "", p.stderr, flags=re.M)
    if resources:
        cpu = float(resources.group(1)) + float(resources.group(2))
        peak = int(resources.group(3)) / 1024
        LAST_RESOURCES[:] = [cpu, peak]
    # Progress lines: "iteration K: gap G, AEC A, objective Z, T s" (T from the start of the assignment).
    curve = [(float(m.group(2)), float(m.group(1))) for m in
             re.finditer(r"^iteration \d+: gap ([0-9.eE+-]+),.*, ([0-9.]+) s$", stderr, re.M)]
    note = stderr.strip().splitlines()[-1]
    if resources:
        note += f" | CPU {cpu:.2f} s, peak {peak:.0f} MB"
    return x, elapsed, note, curve


def run_aequilibrae(net, q, gap, threads=2):
    import pandas as pd
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    m = len(net["from"])
    df = pd.DataFrame({
        "link_id": np.arange(1, m + 1), "a_node": net["from"], "b_node": net["to"], "direction": np.ones(m, np.int8),
        # AequilibraE refuses zero free-flow times (the Berlin networks' connectors): 1e-6 instead, its input only.
        "free_flow_time": np.maximum(net["fft"], 1e-6), "capacity": net["capacity"], "b": net["b"], "power": net["power"],
    })
    df["id"] = df["link_id"]
    g = Graph()
    g.network = df
    z = net["zones"]
    centroids = np.arange(1, z + 1).astype(np.int64)
    g.prepare_graph(centroids, remove_dead_ends=False)
    g.set_graph("free_flow_time")
    g.set_skimming(["free_flow_time"])
    g.set_blocked_centroid_flows(net["first_thru"] > 1)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=z, matrix_names=["demand"], memory_only=True)
    mat.index[:] = centroids
    mat.matrices[:, :, 0] = q
    mat.computational_view(["demand"])
    tc = TrafficClass("car", g, mat)
    ta = TrafficAssignment()
    ta.set_classes([tc])
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_algorithm("bfw")
    ta.max_iter = 100000
    ta.rgap_target = gap
    ta.set_cores(threads)
    import contextlib
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):  # its progress bars, not its work
        t0 = time.perf_counter()
        ta.execute()
        elapsed = time.perf_counter() - t0
    report = ta.report()
    curve = list(zip(report["time"].astype(float), report["rgap"].astype(float)))
    res = ta.results()
    col = [c for c in res.columns if c.lower().endswith("_ab") and "demand" in c.lower()]
    col = col[0] if col else "PCE_AB"
    x = res.loc[np.arange(1, m + 1), col].to_numpy(dtype=float)
    own = ta.assignment.rgap
    return x, elapsed, f"aequilibrae bfw: {ta.assignment.iter} iterations, own gap {own:.3e}", curve


def time_to_true_gap(label, runner, net, q, target):
    internal = target
    for attempt in range(7):
        x, elapsed, note, curve = runner(internal)
        gap, tstt, sptt = true_gap(net, q, x)
        ok = gap <= target
        print(f"    {label:<22} internal target {internal:.2e}: {elapsed:9.3f} s, true gap {gap:.3e}"
              f" {'OK' if ok else 'not met'} | {note}", flush=True)
        if ok:
            return elapsed, gap, x, curve
        internal /= 3
    return float("nan"), gap, x, curve


def curve_table(curves, points=12):
    """Markdown table: for each tool, (time s, own gap) at up to `points` iterations spread over its run."""
    def thin(c):
        if len(c) <= points:
            return c
        step = (len(c) - 1) / (points - 1)
        return [c[round(i * step)] for i in range(points)]
    cols = {name: thin(c) for name, c in curves.items() if c}
    rows = max((len(c) for c in cols.values()), default=0)
    head = "| " + " | ".join(f"{name} s | gap" for name in cols) + " |"
    rule = "|" + "---|---|" * len(cols)
    body = []
    for i in range(rows):
        cells = []
        for c in cols.values():
            cells += [f"{c[i][0]:.2f}", f"{c[i][1]:.2e}"] if i < len(c) else ["", ""]
        body.append("| " + " | ".join(cells) + " |")
    return "\n".join([head, rule] + body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--citytwin", required=True)
    ap.add_argument("--sioux", required=True, help="folder with SiouxFalls_net.tntp and SiouxFalls_trips.tntp")
    ap.add_argument("--grid-side", type=int, default=30)
    ap.add_argument("--zones", type=int, default=400)
    ap.add_argument("--gaps", type=float, nargs="+", default=[1e-4, 1e-6])
    ap.add_argument("--algorithms", nargs="+", default=["bfw", "bush"])
    ap.add_argument("--regional-side", type=int, default=100, help="'regional': SyntheticGrid side (side^2 nodes)")
    ap.add_argument("--regional-zones", type=int, default=2000)
    ap.add_argument("--regional-scale", type=float, default=0.015,
                    help="demand per OD pair = scale * ((31 o + 17 d) mod 11); 0.015 gives mean v/c near the grid's")
    ap.add_argument("--skip-aequilibrae", nargs="*", default=[], metavar="NAME",
                    help="networks on which AequilibraE is not run (e.g. regional: hours at 1e-6)")
    ap.add_argument("--curves", help="write the convergence curves as markdown tables to this file")
    ap.add_argument("--networks", nargs="+", default=["sioux-falls", "grid"],
                    help="sioux-falls, grid, city (SyntheticCity: tolls, distance, non-through centroids), regional "
                         "(SyntheticGrid, --regional-*), and any NAME "
                         "given with --tntp")
    ap.add_argument("--tntp", nargs="*", default=[], metavar="NAME=PREFIX",
                    help="more TNTP networks: PREFIX_net.tntp and PREFIX_trips.tntp, e.g. "
                         "berlin-center=/data/tntp/Berlin-Center/berlin-center")
    args = ap.parse_args()

    work = tempfile.mkdtemp()
    grid_network.write_tntp(os.path.join(work, "Grid"), args.grid_side, args.zones)
    city_network.write_tntp(os.path.join(work, "City"))
    if "regional" in args.networks:
        grid_network.write_tntp(os.path.join(work, "Regional"), args.regional_side, args.regional_zones,
                                args.regional_scale)
    networks = {
        "sioux-falls": (os.path.join(args.sioux, "SiouxFalls_net.tntp"), os.path.join(args.sioux, "SiouxFalls_trips.tntp")),
        "grid": (os.path.join(work, "Grid_net.tntp"), os.path.join(work, "Grid_trips.tntp")),
        "city": (os.path.join(work, "City_net.tntp"), os.path.join(work, "City_trips.tntp")),
        "regional": (os.path.join(work, "Regional_net.tntp"), os.path.join(work, "Regional_trips.tntp")),
    }
    for spec in args.tntp:
        name, prefix = spec.split("=", 1)
        networks[name] = (prefix + "_net.tntp", prefix + "_trips.tntp")
    factors = {"city": (0.02, 0.04)}
    print(f"machine: {os.cpu_count()} CPUs; threads 2; OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}")
    summary = []
    curve_sections = []
    for name in args.networks:
        net_path, trips_path = networks[name]
        net = read_net(net_path)
        toll_factor, distance_factor = factors.get(name, (0.0, 0.0))
        net["fixed"] = toll_factor * net["toll"] + distance_factor * net["length"]
        q = read_trips(trips_path, net["zones"])
        print(f"\n{name}: {net['nodes']} nodes, {len(net['from'])} links, {net['zones']} zones, demand {q.sum():.1f}")
        for target in args.gaps:
            print(f"  target true gap {target:.0e}")
            curves = {}
            if np.any(net["fixed"] != 0) or name in args.skip_aequilibrae:
                # AequilibraE's BPR has no fixed (toll, distance) part: CityTwin only.
                aeq_t, aeq_x = float("nan"), None
            else:
                aeq_t, aeq_gap, aeq_x, curves["AequilibraE bfw"] = time_to_true_gap(
                    "aequilibrae bfw", lambda g: run_aequilibrae(net, q, g), net, q, target)
            for alg in args.algorithms:
                ct_t, ct_gap, ct_x, curves[f"CityTwin {alg}"] = time_to_true_gap(
                    f"citytwin {alg}", lambda g: run_citytwin(args.citytwin, net_path, trips_path, alg, g, factors=factors.get(name, (0.0, 0.0))),
                    net, q, target)
                diff = np.linalg.norm(ct_x - aeq_x) / np.linalg.norm(aeq_x) if aeq_x is not None else float("nan")
                summary.append((name, target, alg, ct_t, aeq_t, ct_t / aeq_t, diff, *LAST_RESOURCES))
            curve_sections.append(f"#### {name}, target true gap {target:.0e}\n\n{curve_table(curves)}\n")
    if args.curves:
        with open(args.curves, "w") as f:
            f.write("\n".join(curve_sections))
    print("\nnetwork       target  citytwin-alg  citytwin s  CPU s  peak MB  aequilibrae s  ratio (citytwin/aequilibrae)"
          "  flow diff (rel L2)")
    for name, target, alg, ct, aq, r, d, cpu, peak in summary:
        print(f"{name:<13} {target:<7.0e} {alg:<13} {ct:10.3f} {cpu:6.2f} {peak:8.0f} {aq:14.3f} {r:12.3f}"
              f"                 {d:.2e}")


if __name__ == "__main__":
    main()
