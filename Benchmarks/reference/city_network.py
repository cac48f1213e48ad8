"""The generated city (Swift: `SyntheticCity.make` in Sources/Traffic/SyntheticGrid.swift), written as TNTP files.

A side x side grid with the features of real networks that make assignment hard: zones 1..Z are non-through
centroids (<FIRST THRU NODE> Z + 1) joined to the grid by zero-time connectors (some parallel), tolls and lengths
that enter the generalized cost (toll factor 0.02, distance factor 0.04: pass them to `citytwin assign`), dead-end
nodes and parallel express links. Both implementations build the identical network; see the Swift doc comment for
the formulas.

Usage: python city_network.py PREFIX [side zones scale]   (defaults 30 387 0.12)
"""
import sys


def city(side=30, zones=387, scale=0.12):
    cells = side * side
    node = lambda r, c: zones + 1 + r * side + c
    links = []  # (from, to, capacity, length, fft, b, power, toll)
    extra = zones + cells
    for r in range(side):
        for c in range(side):
            for k, (dr, dc) in enumerate([(0, 1), (1, 0), (0, -1), (-1, 0)]):
                rr, cc = r + dr, c + dc
                if 0 <= rr < side and 0 <= cc < side:
                    t = float(1 + (7 * r + 13 * c + 3 * k) % 5)
                    cap = float(400 + 150 * ((r + 2 * c + k) % 4))
                    toll = 50.0 if (r + c + k) % 6 == 0 else 0.0
                    links.append((node(r, c), node(rr, cc), cap, t / 2, t, 0.15, 4.0, toll))
                    if (3 * r + c + k) % 7 == 0:
                        links.append((node(r, c), node(rr, cc), 300.0, t / 2, 0.6 * t, 0.15, 4.0, 100.0))
            p = r * side + c
            if p % 9 == 4:
                extra += 1
                links.append((node(r, c), extra, 300.0, 1.0, 1.0, 0.15, 4.0, 0.0))
                links.append((extra, node(r, c), 300.0, 1.0, 1.0, 0.15, 4.0, 0.0))
            if p % 13 == 6:
                extra += 1
                links.append((node(r, c), extra, 300.0, 1.0, 1.0, 0.15, 4.0, 0.0))
    for z in range(1, zones + 1):
        for j in range(3):
            p = ((z - 1) * 7919 + j * 104729) % cells
            length = 0.0 if j == 0 else 0.5
            g = node(p // side, p % side)
            links.append((z, g, 999999.0, length, 0.0, 0.0, 4.0, 0.0))
            links.append((g, z, 999999.0, length, 0.0, 0.0, 4.0, 0.0))
    demand = {}
    for o in range(1, zones + 1):
        for d in range(1, zones + 1):
            if o != d:
                v = scale * ((31 * o + 17 * d) % 11)
                if v > 0:
                    demand[(o, d)] = v
    return extra, zones, links, demand


def write_tntp(prefix, side=30, zones=387, scale=0.12):
    n, z, links, demand = city(side, zones, scale)
    with open(prefix + "_net.tntp", "w") as f:
        f.write(f"<NUMBER OF ZONES> {z}\n<NUMBER OF NODES> {n}\n<FIRST THRU NODE> {z + 1}\n"
                f"<NUMBER OF LINKS> {len(links)}\n<END OF METADATA>\n\n"
                "~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;\n")
        for a, b, cap, length, t, bb, p, toll in links:
            f.write(f"\t{a}\t{b}\t{cap!r}\t{length!r}\t{t!r}\t{bb}\t{p}\t0\t{toll}\t1\t;\n")
    total = sum(demand.values())
    with open(prefix + "_trips.tntp", "w") as f:
        f.write(f"<NUMBER OF ZONES> {z}\n<TOTAL OD FLOW> {total}\n<END OF METADATA>\n\n")
        for o in range(1, z + 1):
            f.write(f"Origin {o}\n")
            row = [(d, demand[(o, d)]) for d in range(1, z + 1) if (o, d) in demand]
            for i in range(0, len(row), 5):
                f.write("".join(f"{d:5d} : {v!r}; " for d, v in row[i:i + 5]) + "\n")
            f.write("\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    write_tntp(args[0] if args else "City", *(int(a) for a in args[1:3]), *(float(a) for a in args[3:4]))
