"""The generated Chicago-sketch-sized grid, written as TNTP files.

A side x side grid (default 30 x 30 = 900 nodes) with two-way links between neighbours (3,480 links) and 400 zones
spread over the grid. The same formulas are in Benchmarks/Benchmarks/TrafficBenchmarks/Grid.swift; both write or
build the identical network:

* grid position p = r * side + c has node id ((p * 7919) mod N) + 1, so zones (node ids 1..Z) are scattered;
* the link from position (r, c) in direction k (0 east, 1 south, 2 west, 3 north) has
  free-flow time 1 + ((7 r + 13 c + 3 k) mod 5), length equal to that time, capacity 400 + 150 ((r + 2 c + k) mod 4),
  b = 0.15, power = 4;
* demand from zone o to zone d (o != d) is 0.1 * ((31 o + 17 d) mod 11) (o, d 1-based).
"""
import sys


def grid(side=30, zones=400, scale=0.1):
    n = side * side
    node = lambda r, c: ((r * side + c) * 7919) % n + 1
    links = []
    for r in range(side):
        for c in range(side):
            for k, (dr, dc) in enumerate([(0, 1), (1, 0), (0, -1), (-1, 0)]):
                rr, cc = r + dr, c + dc
                if 0 <= rr < side and 0 <= cc < side:
                    t = 1 + (7 * r + 13 * c + 3 * k) % 5
                    cap = 400 + 150 * ((r + 2 * c + k) % 4)
                    links.append((node(r, c), node(rr, cc), float(cap), float(t), float(t), 0.15, 4.0))
    demand = {}
    for o in range(1, zones + 1):
        for d in range(1, zones + 1):
            if o != d:
                v = scale * ((31 * o + 17 * d) % 11)
                if v > 0:
                    demand[(o, d)] = v
    return n, zones, links, demand


def write_tntp(prefix, side=30, zones=400, scale=0.1):
    n, z, links, demand = grid(side, zones, scale)
    with open(prefix + "_net.tntp", "w") as f:
        f.write(f"<NUMBER OF ZONES> {z}\n<NUMBER OF NODES> {n}\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> {len(links)}\n")
        f.write("<END OF METADATA>\n\n~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;\n")
        for a, b, cap, length, t, bb, p in links:
            f.write(f"\t{a}\t{b}\t{cap}\t{length}\t{t}\t{bb}\t{p}\t0\t0\t1\t;\n")
    total = sum(demand.values())
    with open(prefix + "_trips.tntp", "w") as f:
        f.write(f"<NUMBER OF ZONES> {z}\n<TOTAL OD FLOW> {total}\n<END OF METADATA>\n\n")
        for o in range(1, z + 1):
            f.write(f"Origin {o}\n")
            row = [(d, demand[(o, d)]) for d in range(1, z + 1) if (o, d) in demand]
            for i in range(0, len(row), 5):
                f.write("".join(f"{d:5d} : {v:10.4f}; " for d, v in row[i:i + 5]) + "\n")
            f.write("\n")


if __name__ == "__main__":
    write_tntp(sys.argv[1] if len(sys.argv) > 1 else "Grid")
