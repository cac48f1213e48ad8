#!/usr/bin/env python3
"""Fuzzing harness for CityTwin's inputs: mutate the sample scenarios, model files and TNTP files, run the
built `citytwin` on each mutant, and fail on any crash, hang or non-finite forecast.

Each case copies the sample city into a scratch folder, applies one mutation to one file (numbers to
NaN/inf/huge/negative, lines deleted, duplicated or swapped, files truncated, non-UTF-8 bytes, YAML alias
bombs, deeply nested or very long expressions, huge selector ranges), then runs `citytwin validate` and,
when the input is accepted, `citytwin run` on it. Outcomes:

  clear error   exit 1 with an `error:` message (a refusal; `located` when it names file:line)
  ok            exit 0 and every value in forecast.csv is finite
  crash         killed by a signal, a Swift trap, or any exit status other than 0 and 1
  hang          still running after the time limit
  wrong         exit 0 but forecast.csv holds NaN or infinite values

The harness exits non-zero when any case crashes, hangs or is wrong, printing the mutation that did it
(the mutated file is kept under --keep). Deterministic for a seed.

Usage: python3 scripts/fuzz.py --binary .build/release/citytwin --budget 60 [--seed 1]
"""

import argparse
import csv
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(REPOSITORY, "models", "sioux-falls")

# Scenarios to mutate: short horizons so that each accepted mutant also runs in about a second.
SCENARIOS = {
    "deterministic": """name: fuzz
model: city
start: 2020
end: 2023
tick: 1 year
seed: 5
interventions:
  - name: charge
    at: 2021
    set: traffic.toll[link 10-15] = 2
  - name: restrict
    when: water.reserve_days < 400 and traffic.vc[link 10-15] > 0.1
    until: water.reserve_days > 900
    set: water.per_capita_demand *= 0.9
alerts:
  - name: deficit
    when: water.deficit > 0
    within: 2 years
    probability_at_least: 0.1
""",
    "ensemble": """name: fuzz
model: city
start: 2020
end: 2023
tick: 1 year
seed: 11
without: [traffic]
ensemble:
  members: 4
  uncertain:
    population.fertility_scale: normal(1.0, 0.05)
    economy.final_demand_growth: uniform(0.01, 0.04)
    water.inflow_scale: lognormal(0, 0.2)
record: [population.total, water.reserve_days, economy.output, emissions.co2]
alerts:
  - name: low reserve
    when: water.reserve_days < 200
    within: 3 years
    probability_at_least: 0.2
    by_zone: false
""",
}

REPLACEMENTS = ["nan", "inf", "-inf", "1e308", "-1e308", "-1", "0", "9223372036854775807", "-9223372036854775808",
                "1e-308", "-5000000", "100000", "abc", ""]


def numbers_in(line):
    return [m for m in re.finditer(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", line)]


def mutate(rng, text, kind):
    """One mutation of a text file; returns (new bytes, description)."""
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith(("#", "~"))]
    choice = rng.choice(["number", "number", "number", "delete", "duplicate", "swap", "truncate", "utf8"]
                        + (["alias", "nesting", "longsum", "range", "member"] if kind == "scenario" else [])
                        + (["alias"] if kind == "yaml" else [])
                        + (["header"] if kind == "tntp" else []))
    if choice == "number":
        candidates = [i for i in content if numbers_in(lines[i])]
        if candidates:
            i = rng.choice(candidates)
            m = rng.choice(numbers_in(lines[i]))
            replacement = rng.choice(REPLACEMENTS)
            lines[i] = lines[i][:m.start()] + replacement + lines[i][m.end():]
            return "\n".join(lines).encode(), f"line {i + 1}: number {m.group()} -> {replacement!r}"
        choice = "delete"
    if choice == "delete" and content:
        i = rng.choice(content)
        del lines[i]
        return "\n".join(lines).encode(), f"deleted line {i + 1}"
    if choice == "duplicate" and content:
        i = rng.choice(content)
        lines.insert(i + 1, lines[i])
        return "\n".join(lines).encode(), f"duplicated line {i + 1}"
    if choice == "swap" and len(content) > 1:
        i, j = rng.sample(content, 2)
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines).encode(), f"swapped lines {i + 1} and {j + 1}"
    if choice == "truncate":
        cut = rng.randrange(0, max(1, len(text)))
        return text[:cut].encode(), f"truncated at character {cut}"
    if choice == "utf8":
        data = bytearray(text.encode())
        at = rng.randrange(0, max(1, len(data)))
        data[at:at] = b"\xff\xfe"
        return bytes(data), f"non-UTF-8 bytes at offset {at}"
    if choice == "alias":
        bomb = "x0: &a0 [q, q, q, q, q, q, q, q, q]\n" + "".join(
            f"x{k}: &a{k} [*a{k - 1}, *a{k - 1}, *a{k - 1}, *a{k - 1}, *a{k - 1}, *a{k - 1}, *a{k - 1}, *a{k - 1}, *a{k - 1}]\n"
            for k in range(1, 9))
        return (bomb + text).encode(), "YAML alias bomb"
    if choice == "nesting":
        depth = rng.choice([60, 1000, 10000])
        condition = "(" * depth + "1" + ")" * depth + " > 0"
        item = f"  - name: deep\n    when: {condition}\n    set: population.fertility_scale = 1.1\n"
        if "interventions:\n" in text:
            return text.replace("interventions:\n", "interventions:\n" + item, 1).encode(), f"nesting depth {depth}"
        return text.replace("alerts:", "interventions:\n" + item + "alerts:", 1).encode(), f"nesting depth {depth}"
    if choice == "longsum":
        terms = rng.choice([500, 30000])
        condition = " + ".join(["population.total"] * terms) + " > 0"
        return text.replace("alerts:", f"alerts:\n  - name: long\n    when: {condition}\n    within: 2 years\n"
                            "    probability_at_least: 0.5", 1).encode(), f"sum of {terms} terms"
    if choice == "range":
        hi = rng.choice(["2147483648", "9223372036854775807", "25", "100000000"])
        return text.replace("alerts:", "alerts:\n  - name: range\n    when: sum(population.total[zones 1-" + hi + "]) > 0\n"
                            "    within: 2 years\n    probability_at_least: 0.5", 1).encode(), f"selector zones 1-{hi}"
    if choice == "member":
        n = rng.choice(["0", "-3", "100001", "9223372036854775807", "2.5"])
        if "members:" in text:
            return re.sub(r"members: \d+", f"members: {n}", text).encode(), f"members: {n}"
        return (text + f"ensemble:\n  members: {n}\n").encode(), f"members: {n}"
    if choice == "header":
        key = rng.choice(["NUMBER OF ZONES", "NUMBER OF NODES", "NUMBER OF LINKS", "TOTAL OD FLOW", "FIRST THRU NODE"])
        value = rng.choice(["0", "-1", "9223372036854775807", "100000000", "3", "nan"])
        new, count = re.subn(r"(<" + key + r">\s*)[^\n]*", r"\g<1>" + value, text)
        if count:
            return new.encode(), f"<{key}> {value}"
    cut = rng.randrange(0, max(1, len(text)))
    return text[:cut].encode(), f"truncated at character {cut}"


def run(binary, arguments, cwd, limit):
    try:
        process = subprocess.run([binary] + arguments, cwd=cwd, capture_output=True, timeout=limit)
        return process.returncode, process.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, ""


def forecast_is_finite(path):
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            value = float(row["value"])
            if not math.isfinite(value):
                return False, f"{row['variable']} {row['region']} {row['year']} {row['statistic']} = {row['value']}"
    return True, ""


def classify(code, stderr):
    if code is None:
        return "hang"
    if code < 0 or code not in (0, 1) or "Fatal error" in stderr or "Segmentation fault" in stderr:
        return "crash"
    if code == 1:
        return "clear error" if "error" in stderr.lower() else "crash"
    return "ok"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(REPOSITORY, ".build", "release", "citytwin"))
    parser.add_argument("--budget", type=float, default=60, help="seconds of fuzzing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a case counts as a hang")
    parser.add_argument("--keep", default=None, help="folder that receives failing cases")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"fuzz: no executable at {binary}; build it first (swift build -c release)")

    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="citytwin-fuzz-")
    targets = []
    for root, _, files in os.walk(MODEL):
        for name in files:
            path = os.path.relpath(os.path.join(root, name), MODEL)
            if name.endswith(".csv"):
                targets.append(("city/" + path, "csv"))
            elif name.endswith(".yaml"):
                targets.append(("city/" + path, "yaml"))
            elif name.endswith(("_net.tntp", "_trips.tntp")):
                targets.append(("city/" + path, "tntp"))
    targets += [("scenario.yaml", "scenario")] * max(4, len(targets) // 2)
    counts = {"clear error": 0, "located": 0, "ok": 0, "crash": 0, "hang": 0, "wrong": 0}
    failures = []
    started = time.monotonic()
    cases = 0
    try:
        while time.monotonic() - started < args.budget:
            cases += 1
            case = os.path.join(work, "case")
            shutil.rmtree(case, ignore_errors=True)
            shutil.copytree(MODEL, os.path.join(case, "city"))
            scenario_kind = rng.choice(list(SCENARIOS))
            with open(os.path.join(case, "scenario.yaml"), "w") as f:
                f.write(SCENARIOS[scenario_kind])
            target, kind = rng.choice(targets)
            path = os.path.join(case, target)
            with open(path, encoding="utf-8") as f:
                original = f.read()
            data, what = mutate(rng, original, kind)
            with open(path, "wb") as f:
                f.write(data)
            description = f"case {cases} ({scenario_kind} scenario): {target}: {what}"
            code, stderr = run(binary, ["validate", "scenario.yaml"], case, args.timeout)
            outcome = classify(code, stderr)
            if outcome == "ok":
                out = os.path.join(case, "out")
                code, stderr = run(binary, ["run", "scenario.yaml", "--out", out, "--quiet", "--threads", "1"], case, args.timeout)
                outcome = classify(code, stderr)
                if outcome == "ok":
                    finite, where = forecast_is_finite(os.path.join(out, "fuzz", "forecast.csv"))
                    if not finite:
                        outcome, stderr = "wrong", f"non-finite forecast value: {where}"
            counts[outcome] += 1
            if outcome == "clear error" and re.search(r":\d+(:\d+)?: error:", stderr):
                counts["located"] += 1
            if outcome in ("crash", "hang", "wrong"):
                failures.append((description, outcome, stderr.strip().splitlines()[-3:]))
                if args.keep:
                    kept = os.path.join(args.keep, f"case-{cases}")
                    shutil.copytree(case, kept, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    elapsed = time.monotonic() - started
    print(f"fuzz: {cases} cases in {elapsed:.0f} s (seed {args.seed})")
    print(f"  {'outcome':<14}{'cases':>7}")
    for outcome in ("clear error", "ok", "crash", "hang", "wrong"):
        print(f"  {outcome:<14}{counts[outcome]:>7}")
    print(f"  (of the clear errors, {counts['located']} name file:line)")
    for description, outcome, tail in failures:
        print(f"{outcome.upper()}: {description}")
        for line in tail:
            print(f"    {line}")
    bad = counts["crash"] + counts["hang"] + counts["wrong"]
    print(f"fuzz: {cases} cases, {counts['crash']} crashed, {counts['hang']} hung, {counts['wrong']} wrong")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    main()
