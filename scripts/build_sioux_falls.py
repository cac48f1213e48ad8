#!/usr/bin/env python3
"""Build the data files of the Sioux Falls sample city (models/sioux-falls/).

Usage:  python3 scripts/build_sioux_falls.py [SHARED]      (SHARED defaults to ../shared)

Reads the TNTP Sioux Falls network from SHARED/data/tntp/SiouxFalls and the published
figures typed in below (each with its source), and writes, deterministically:

    models/sioux-falls/network/*.tntp      byte-for-byte copies of the TNTP files
    models/sioux-falls/zones.csv           zone,x,y,population_share,jobs
    models/sioux-falls/population.csv      zone,age,female,male      (2020 base)
    models/sioux-falls/life_table.csv      age,female_Lx,male_Lx     (radix 100000)
    models/sioux-falls/fertility.csv       age,rate                  (births per woman per year)
    models/sioux-falls/migration.csv       24 x 24 row-stochastic internal-move matrix
    models/sioux-falls/net_migration.csv   zone,age,female,male      (external net migrants per year)

It then checks totals, signs, row sums and shares, and prints the TFR and the 2041 population
of a small city-level cohort-component check projection. Plain Python 3 + numpy.
See models/sioux-falls/README.md for the methods and caveats.
"""

import math
import os
import shutil
import sys

import numpy as np

# ---------------------------------------------------------------------------------------------
# Published figures (typed in; sources in comments)
# ---------------------------------------------------------------------------------------------

# U.S. Census 2020, Sioux Falls city resident population (shared/data/city/sioux_falls_facts.csv).
CITY_POP_2020 = 192517.0
# U.S. Census 2020, Sioux Falls MSA population (facts file, citypopulation.de citing the Census Bureau).
MSA_POP_2020 = 286437.0
# BLS nonfarm payroll employment, Sioux Falls MSA, March 2021 (facts file, rushmorestatenews.com citing BLS).
# Kept for comparison only: the MSA's jobs are not the city's.
MSA_NONFARM_JOBS = 155900.0
# Jobs located in the city (issue 11 item 4): workers who live in the city x the city's employment-residence
# ratio (workers by place of work / workers by place of residence).
# - Workers 16+ living in the city: about 92,000, mean travel time to work 16.8 min (ACS 2015-2019 5-year,
#   as reported by Stacker via espnsiouxfalls.com, "South Dakotans have the easiest commute in the U.S.", 2021-03-07).
# - Employment-residence ratio 1.34 (ACS 2005: 96,820 workers by place of work, 72,293 by place of residence;
#   FHWA, "American Community Survey: 2005 Transportation Profile, Sioux Falls city, South Dakota", table W1).
#   ASSUMED to hold in 2020 (1990: 1.23, 2000: 1.29, 2005: 1.34 in the same table).
CITY_RESIDENT_WORKERS = 92000.0
EMPLOYMENT_RESIDENCE_RATIO = 1.34
CITY_JOBS = CITY_RESIDENT_WORKERS * EMPLOYMENT_RESIDENCE_RATIO   # 123,280

# City growth targets (facts file, leadercourier-times.com, city planning department):
CITY_EST_2021 = 195850.0       # city estimate, previous year to Jan 2022
CITY_EST_2022_01 = 202600.0    # city estimate, January 2022
CITY_PROJ_2041 = 251000.0      # city projection for 2041
PROJ_YEAR = 2041
BASE_YEAR = 2020

# 2019 ACS (populationu.com secondary copy; facts file): city age and sex structure.
CITY_2019_TOTAL = 183799.0
CITY_2019_MALE = 93872.0
CITY_2019_FEMALE = 89927.0
CITY_2019_0_4 = 13480.0
CITY_2019_5_9 = 12906.0
CITY_2019_10_14 = 12575.0
CITY_2019_UNDER18 = 46372.0
# 65 and over: the facts file gives 30988 persons but also "(13.6%)"; 30988 / 183799 = 16.9 %, so the
# two disagree. 13.6 % agrees with the reported median age 35.3 (16.9 % gives a median near 36.7)
# and with a 65+ share below the MSA's 15.2 % (47009 / 308266, 2024), so the percentage is used.
CITY_2019_65PLUS_COUNT_AS_PRINTED = 30988.0
CITY_2019_65PLUS = 0.136 * 183799.0
CITY_2019_MEDIAN_AGE = 35.3    # reported only; used as a check

# Sioux Falls MSA, 2024 estimate, 10-year age groups (facts file, citypopulation.de / Census Bureau).
# Used only for the *shape* of the adult ages, which the city facts give as two broad groups.
MSA_2024_GROUPS = [  # (first age, last age inclusive, persons)
    (0, 9, 41657.0), (10, 19, 42261.0), (20, 29, 40526.0), (30, 39, 44921.0),
    (40, 49, 40501.0), (50, 59, 33215.0), (60, 69, 34697.0), (70, 79, 21342.0),
    (80, 100, 9146.0),
]

# NCHS, United States Life Tables, 2019 (Arias E, Xu JQ. National Vital Statistics Reports
# vol 70 no 19, March 2022; https://ftp.cdc.gov/pub/Health_Statistics/NCHS/Publications/NVSR/70-19/),
# Table 2 (males) and Table 3 (females). l_x = survivors to exact age x, L_x = person-years lived
# between x and x+1, radix 100,000; the last entry is the open group 100+ (L_100+ = T_100).
MALE_LX_SMALL = [
    100000, 99392, 99351, 99325, 99306, 99291, 99276, 99263, 99250, 99239,
    99229, 99219, 99209, 99194, 99172, 99140, 99097, 99042, 98975, 98895,
    98802, 98695, 98576, 98445, 98307, 98163, 98014, 97861, 97703, 97540,
    97371, 97196, 97016, 96829, 96636, 96435, 96228, 96012, 95789, 95559,
    95323, 95078, 94822, 94555, 94273, 93974, 93658, 93321, 92962, 92575,
    92159, 91711, 91226, 90698, 90119, 89485, 88797, 88057, 87262, 86410,
    85496, 84517, 83474, 82369, 81205, 79984, 78704, 77354, 75935, 74446,
    72889, 71264, 69558, 67781, 65866, 63844, 61680, 59393, 56949, 54369,
    51653, 48816, 45852, 42759, 39554, 36252, 32859, 29443, 26018, 22641,
    19371, 16267, 13384, 10771, 8463, 6480, 4826, 3491, 2448, 1663,
    1092,
]
MALE_LX_BIG = [
    99470, 99371, 99338, 99316, 99298, 99283, 99269, 99256, 99244, 99234,
    99224, 99214, 99202, 99183, 99156, 99119, 99069, 99008, 98935, 98848,
    98748, 98635, 98510, 98376, 98235, 98088, 97937, 97782, 97621, 97455,
    97284, 97106, 96922, 96732, 96535, 96332, 96120, 95900, 95674, 95441,
    95200, 94950, 94688, 94414, 94124, 93816, 93490, 93142, 92769, 92367,
    91935, 91468, 90962, 90408, 89802, 89141, 88427, 87659, 86836, 85953,
    85007, 83996, 82922, 81787, 80595, 79344, 78029, 76644, 75191, 73668,
    72077, 70411, 68670, 66823, 64855, 62762, 60537, 58171, 55659, 53011,
    50235, 47334, 44306, 41157, 37903, 34555, 31151, 27731, 24330, 21006,
    17819, 14825, 12078, 9617, 7471, 5653, 4159, 2970, 2056, 1377,
    2217,   # 100 and over: T_100
]
MALE_T0 = 7631130      # Table 2, T_0 (check)
FEMALE_LX_SMALL = [
    100000, 99496, 99462, 99441, 99424, 99411, 99398, 99387, 99377, 99367,
    99358, 99349, 99339, 99327, 99313, 99296, 99276, 99252, 99224, 99193,
    99157, 99117, 99072, 99024, 98972, 98917, 98860, 98800, 98736, 98668,
    98594, 98515, 98429, 98337, 98240, 98137, 98028, 97912, 97791, 97664,
    97532, 97394, 97249, 97094, 96928, 96748, 96554, 96344, 96118, 95875,
    95612, 95328, 95022, 94687, 94321, 93921, 93486, 93019, 92516, 91975,
    91391, 90761, 90085, 89364, 88602, 87802, 86961, 86071, 85122, 84099,
    82990, 81788, 80483, 79084, 77547, 75903, 74116, 72195, 70101, 67843,
    65404, 62785, 59986, 56961, 53719, 50324, 46747, 42996, 39108, 35131,
    31124, 27153, 23289, 19603, 16165, 13035, 10259, 7866, 5864, 4244,
    2976,
]
FEMALE_LX_BIG = [
    99559, 99479, 99451, 99432, 99417, 99404, 99393, 99382, 99372, 99363,
    99353, 99344, 99333, 99320, 99305, 99286, 99264, 99238, 99209, 99175,
    99137, 99095, 99048, 98998, 98945, 98889, 98830, 98768, 98702, 98631,
    98555, 98472, 98383, 98288, 98188, 98082, 97970, 97851, 97727, 97598,
    97463, 97322, 97171, 97011, 96838, 96651, 96449, 96231, 95996, 95743,
    95470, 95175, 94855, 94504, 94121, 93703, 93253, 92768, 92245, 91683,
    91076, 90423, 89724, 88983, 88202, 87382, 86516, 85597, 84610, 83544,
    82389, 81135, 79783, 78316, 76725, 75010, 73156, 71148, 68972, 66623,
    64095, 61386, 58474, 55340, 52022, 48536, 44872, 41052, 37119, 33128,
    29139, 25221, 21446, 17884, 14600, 11647, 9062, 6865, 5054, 3610,
    6846,   # 100 and over: T_100
]
FEMALE_T0 = 8138598    # Table 3, T_0 (check)
RADIX = 100000.0

# Fertility. Age pattern: NCHS, Births: Final Data for 2019 (Martin JA et al., National Vital
# Statistics Reports vol 70 no 2, 2021), birth rates per 1,000 women by age of mother, 5-year
# groups; 5 x their sum = the published 2019 TFR 1,706.0. The rate for 45-49 relates births to
# women 45 and over to women 45-49 (NCHS convention), so 50-54 is left at zero.
# These group rates were typed in from the report; see README (not re-checked in this session).
US_ASFR_2019_PER1000 = [  # (first age, last age inclusive, births per 1,000 women)
    (10, 14, 0.2), (15, 19, 16.7), (20, 24, 66.6), (25, 29, 93.7), (30, 34, 98.3),
    (35, 39, 52.8), (40, 44, 12.0), (45, 49, 0.9), (50, 54, 0.0),
]
US_TFR_2019 = 1706.0
# Level: NCHS, Births: Provisional Data for 2020 (Hamilton BE, Martin JA, Osterman MJK; Vital
# Statistics Rapid Release no 12, May 2021): TFR 1,637.5 births per 1,000 women
# (https://blogs.cdc.gov/nchs/2021/05/05/5744/). The 2019 pattern is scaled to this level.
US_TFR_2020 = 1637.5
# South Dakota's level relative to the nation: NCHS, Total Fertility Rates by State and Race and Hispanic
# Origin: United States, 2017 (Mathews TJ, Hamilton BE; National Vital Statistics Reports vol 68 no 1,
# January 2019): South Dakota 2,227.5, United States 1,765.5 (South Dakota the highest state). The 2020
# U.S. level times this ratio, 1,637.5 x 2,227.5 / 1,765.5 = 2,066.0, stands for South Dakota in 2020 (the
# state's 2020 rate by age was not available; ASSUMED: the state keeps its 2017 ratio to the nation and the
# national age pattern).
SD_TFR_2017 = 2227.5
US_TFR_2017 = 1765.5
SD_TFR_2020 = US_TFR_2020 * SD_TFR_2017 / US_TFR_2017

# Sex ratio at birth (males per female): 1.05, the conventional value used by Preston, Heuveline &
# Guillot (2001), as in the shared Sweden 1993 reference case.
SEX_RATIO_AT_BIRTH = 1.05

# Internal moves: CPS ASEC 2021 (U.S. Census Bureau, Current Population Survey, moves March 2020 ->
# March 2021): 8.4 % of people aged 1+ moved, 4.9 % within the same county (as reported by
# 24/7 Wall St., "How Many Americans Moved the Year You Were Born", Nov 2021, citing the CPS).
MOVE_WITHIN_COUNTY = 0.049
# Mean length of an inter-zone move that the distance decay is tuned to (assumption, km).
TARGET_MEAN_MOVE_KM = 3.0

# Rogers-Castro model migration schedule (Rogers A, Castro LJ, Model Migration Schedules, IIASA
# RR-81-30, 1981), 7-parameter form without the retirement peak:
#   m(x) = a1 exp(-alpha1 x) + a2 exp(-alpha2 (x - mu2) - exp(-lambda2 (x - mu2))) + c
# Round illustrative values of the size Rogers & Castro report; not fitted to Sioux Falls.
RC = dict(a1=0.02, alpha1=0.10, a2=0.06, alpha2=0.10, mu2=20.0, lambda2=0.40, c=0.003)

AGES = np.arange(101)          # 0..99 single years, 100 = open group 100+
NZ = 24

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def fmt(v):
    """Shortest round-trip text for a float; integers without a decimal point."""
    v = float(v)
    if v == 0.0:
        return "0"
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def write_csv(path, header, rows):
    with open(path, "w", newline="\n", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(x if isinstance(x, str) else fmt(x) for x in r) + "\n")


def read_nodes(path):
    xy = {}
    with open(path, encoding="ascii") as f:
        next(f)  # header "Node X Y ;"
        for line in f:
            parts = line.replace(";", " ").split()
            if len(parts) >= 3:
                xy[int(parts[0])] = (float(parts[1]), float(parts[2]))
    return xy


def read_trips(path):
    od = np.zeros((NZ, NZ))
    origin = None
    with open(path, encoding="ascii") as f:
        text = f.read()
    body = text.split("<END OF METADATA>", 1)[1]
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith("~"):
            continue
        if line.startswith("Origin"):
            origin = int(line.split()[1])
            continue
        for entry in line.split(";"):
            entry = entry.strip()
            if entry:
                d, q = entry.split(":")
                od[origin - 1, int(d) - 1] = float(q)
    return od


def largest_remainder(values, total):
    """Round non-negative values to integers that sum to `total`."""
    floor = np.floor(values)
    short = int(round(total - floor.sum()))
    order = np.argsort(-(values - floor), kind="stable")
    out = floor.copy()
    out[order[:short]] += 1
    return out


def rogers_castro(x):
    p = RC
    return (p["a1"] * np.exp(-p["alpha1"] * x)
            + p["a2"] * np.exp(-p["alpha2"] * (x - p["mu2"]) - np.exp(-p["lambda2"] * (x - p["mu2"])))
            + p["c"])


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(repo, "models", "sioux-falls")
    tntp = os.path.join(shared, "data", "tntp", "SiouxFalls")
    os.makedirs(os.path.join(out, "network"), exist_ok=True)

    # 1. network files, byte for byte
    for name in ("SiouxFalls_net.tntp", "SiouxFalls_trips.tntp",
                 "SiouxFalls_node.tntp", "SiouxFalls_flow.tntp"):
        shutil.copyfile(os.path.join(tntp, name), os.path.join(out, "network", name))

    # 2. zones
    xy = read_nodes(os.path.join(tntp, "SiouxFalls_node.tntp"))
    od = read_trips(os.path.join(tntp, "SiouxFalls_trips.tntp"))
    assert abs(od.sum() - 360600.0) < 1e-6, od.sum()
    prod = od.sum(axis=1)
    attr = od.sum(axis=0)
    share = prod / prod.sum()
    share[-1] = 1.0 - share[:-1].sum()          # last share is the remainder
    city_jobs = CITY_JOBS
    jobs = largest_remainder(city_jobs * attr / attr.sum(), round(city_jobs))
    # Districts (zone → district → city): five compass districts of the TNTP zones, drawn from the zone
    # centroids (see models/sioux-falls/README.md, "Districts").
    DISTRICTS = {**{z: "north" for z in range(1, 9)}, **{z: "central" for z in (9, 10, 11, 15, 16, 17)},
                 **{z: "east" for z in (18, 19, 20)}, **{z: "south" for z in (21, 22, 23, 24)},
                 **{z: "west" for z in (12, 13, 14)}}
    write_csv(os.path.join(out, "zones.csv"), ["zone", "x", "y", "population_share", "jobs", "district"],
              [[z + 1, xy[z + 1][0], xy[z + 1][1], share[z], jobs[z], DISTRICTS[z + 1]] for z in range(NZ)])

    # 4. life table (done early: the age-sex structure uses it)
    Lm = np.array(MALE_LX_BIG, float)
    Lf = np.array(FEMALE_LX_BIG, float)
    lm = np.array(MALE_LX_SMALL, float)
    lf = np.array(FEMALE_LX_SMALL, float)
    assert len(Lm) == len(Lf) == len(lm) == len(lf) == 101
    assert abs(Lm.sum() - MALE_T0) < 60 and abs(Lf.sum() - FEMALE_T0) < 60, (Lm.sum(), Lf.sum())
    write_csv(os.path.join(out, "life_table.csv"), ["age", "female_Lx", "male_Lx"],
              [[a, Lf[a], Lm[a]] for a in AGES])

    # 3. population: city age-sex profile, 2020 base
    # (a) both-sexes age shape within the broad city groups: MSA 2024 10-year groups spread
    #     uniformly over their single years; 80-100+ spread like the 2019 stationary population
    #     (female+male L_x), which gives the open group 100+ its share.
    msa = np.zeros(101)
    Lboth = Lf + Lm
    for a0, a1, n in MSA_2024_GROUPS:
        if a1 == 100:
            w = Lboth[a0:101]
            msa[a0:101] = n * w / w.sum()
        else:
            msa[a0:a1 + 1] = n / (a1 - a0 + 1)
    # (b) city 2019 broad groups (the facts), uniform within 0-4, 5-9, 10-14, 15-17;
    #     18-64 and 65+ take the MSA shape within them.
    groups = [(0, 4, CITY_2019_0_4), (5, 9, CITY_2019_5_9), (10, 14, CITY_2019_10_14),
              (15, 17, CITY_2019_UNDER18 - CITY_2019_0_4 - CITY_2019_5_9 - CITY_2019_10_14),
              (18, 64, CITY_2019_TOTAL - CITY_2019_UNDER18 - CITY_2019_65PLUS),
              (65, 100, CITY_2019_65PLUS)]
    both = np.zeros(101)
    for a0, a1, n in groups:
        if a0 >= 18:
            w = msa[a0:a1 + 1]
            both[a0:a1 + 1] = n * w / w.sum()
        else:
            both[a0:a1 + 1] = n / (a1 - a0 + 1)
    assert abs(both.sum() - CITY_2019_TOTAL) < 1e-6
    # (c) sex split: male/female ratio by age = k * 1.05 * Lm_x / Lf_x (the stationary-population
    #     ratio), with k chosen so that the male total matches the 2019 city male share.
    target_male = CITY_2019_MALE / CITY_2019_TOTAL * both.sum()
    base_ratio = SEX_RATIO_AT_BIRTH * Lm / Lf

    def males(k):
        r = k * base_ratio
        return (both * r / (1 + r)).sum()

    lo, hi = 0.5, 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if males(mid) < target_male else (lo, mid)
    k_sex = 0.5 * (lo + hi)
    r = k_sex * base_ratio
    prof_m = both * r / (1 + r)
    prof_f = both - prof_m
    # scale the 2019 profile to the 2020 census total and split by zone
    scale = CITY_POP_2020 / both.sum()
    prof_m *= scale
    prof_f *= scale
    pop_f = np.outer(share, prof_f)      # zone x age
    pop_m = np.outer(share, prof_m)
    rows = []
    for z in range(NZ):
        for a in AGES:
            rows.append([z + 1, a, pop_f[z, a], pop_m[z, a]])
    write_csv(os.path.join(out, "population.csv"), ["zone", "age", "female", "male"], rows)

    # 5. fertility
    fert = np.zeros(101)
    for a0, a1, r1000 in US_ASFR_2019_PER1000:
        fert[a0:a1 + 1] = r1000 / 1000.0 * SD_TFR_2020 / US_TFR_2019
    tfr = fert.sum()
    write_csv(os.path.join(out, "fertility.csv"), ["age", "rate"], [[a, fert[a]] for a in AGES])

    # 6. internal migration matrix
    lon = np.array([xy[z + 1][0] for z in range(NZ)])
    lat = np.array([xy[z + 1][1] for z in range(NZ)])
    lat0 = math.radians(lat.mean())
    kx = 111.320 * math.cos(lat0)      # km per degree of longitude at the mean latitude
    ky = 110.574                       # km per degree of latitude
    dx = (lon[:, None] - lon[None, :]) * kx
    dy = (lat[:, None] - lat[None, :]) * ky
    dist = np.sqrt(dx * dx + dy * dy)
    off = ~np.eye(NZ, dtype=bool)

    def dest(beta):
        w = share[None, :] * np.exp(-beta * dist) * off
        return w / w.sum(axis=1, keepdims=True)

    def mean_move(beta):
        return float((share[:, None] * dest(beta) * dist).sum())

    lo, hi = 0.0, 5.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if mean_move(mid) > TARGET_MEAN_MOVE_KM else (lo, mid)
    beta = 0.5 * (lo + hi)
    M = MOVE_WITHIN_COUNTY * dest(beta)
    M[np.diag_indices(NZ)] = 1.0 - MOVE_WITHIN_COUNTY
    write_csv(os.path.join(out, "migration.csv"), ["from"] + [str(j + 1) for j in range(NZ)],
              [[i + 1] + [M[i, j] for j in range(NZ)] for i in range(NZ)])

    # 7. external net migration, calibrated by a city-level cohort-component projection
    rc = rogers_castro(AGES.astype(float))
    rc_share = rc / rc.sum()                 # age distribution of net migrants, both sexes

    S0_f, S0_m = Lf[0] / RADIX, Lm[0] / RADIX
    Sf = np.empty(101)
    Sm = np.empty(101)
    Sf[1:100] = Lf[1:100] / Lf[0:99]
    Sm[1:100] = Lm[1:100] / Lm[0:99]
    Sf[100] = Lf[100] / (Lf[99] + Lf[100])
    Sm[100] = Lm[100] / (Lm[99] + Lm[100])
    pf_b = 1.0 / (1.0 + SEX_RATIO_AT_BIRTH)

    def project(total_nm, years):
        nf = 0.5 * total_nm * rc_share
        nm = 0.5 * total_nm * rc_share
        Pf, Pm = prof_f.copy(), prof_m.copy()
        traj = [(BASE_YEAR, Pf.sum() + Pm.sum(), 0.0, 0.0)]
        for t in range(years):
            Af, Am = Pf + nf / 2, Pm + nm / 2          # half the migrants join at the start
            Qf, Qm = np.empty(101), np.empty(101)
            Qf[1:100] = Af[0:99] * Sf[1:100]
            Qm[1:100] = Am[0:99] * Sm[1:100]
            Qf[100] = (Af[99] + Af[100]) * Sf[100]
            Qm[100] = (Am[99] + Am[100]) * Sm[100]
            survivors = Qf[1:].sum() + Qm[1:].sum()
            Qf[1:] += nf[1:] / 2                        # half at the end
            Qm[1:] += nm[1:] / 2
            births = float((fert * (Af + Qf) / 2).sum())
            Qf[0] = births * pf_b * S0_f
            Qm[0] = births * (1 - pf_b) * S0_m
            deaths = Af.sum() + Am.sum() + births - survivors - Qf[0] - Qm[0]
            Qf[0] += nf[0] / 2
            Qm[0] += nm[0] / 2
            Pf, Pm = Qf, Qm
            traj.append((BASE_YEAR + t + 1, Pf.sum() + Pm.sum(), births, deaths))
        return traj

    years = PROJ_YEAR - BASE_YEAR
    p0 = project(0.0, years)[-1][1]
    p1 = project(1000.0, years)[-1][1]
    nm_total = 1000.0 * (CITY_PROJ_2041 - p0) / (p1 - p0)   # projection is linear in NM
    traj = project(nm_total, years)
    nm_f = np.outer(share, 0.5 * nm_total * rc_share)
    nm_m = np.outer(share, 0.5 * nm_total * rc_share)
    rows = []
    for z in range(NZ):
        for a in AGES:
            rows.append([z + 1, a, nm_f[z, a], nm_m[z, a]])
    write_csv(os.path.join(out, "net_migration.csv"), ["zone", "age", "female", "male"], rows)

    # -----------------------------------------------------------------------------------------
    # Checks
    # -----------------------------------------------------------------------------------------
    def read_back(name, numeric=None):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            raw = f.read()
        assert "\r" not in raw
        lines = raw.strip("\n").split("\n")
        return lines[0].split(",")[:numeric], np.array([[float(v) for v in l.split(",")[:numeric]] for l in lines[1:]])

    h, zt = read_back("zones.csv", numeric=5)
    assert h == ["zone", "x", "y", "population_share", "jobs"] and zt.shape == (24, 5)
    assert abs(zt[:, 3].sum() - 1.0) <= 1e-12, zt[:, 3].sum() - 1.0
    assert (zt[:, 3] > 0).all() and (zt[:, 4] >= 0).all()
    h, pt = read_back("population.csv")
    assert h == ["zone", "age", "female", "male"] and pt.shape == (24 * 101, 4)
    assert abs(pt[:, 2:].sum() - CITY_POP_2020) <= 1e-6, pt[:, 2:].sum() - CITY_POP_2020
    assert (pt[:, 2:] >= 0).all()
    h, mt = read_back("migration.csv")
    assert h == ["from"] + [str(j) for j in range(1, 25)] and mt.shape == (24, 25)
    mm = mt[:, 1:]
    assert np.abs(mm.sum(axis=1) - 1.0).max() <= 1e-12, np.abs(mm.sum(axis=1) - 1.0).max()
    assert (mm >= 0).all() and (mm <= 1).all()
    h, ft = read_back("fertility.csv")
    assert h == ["age", "rate"] and ft.shape == (101, 2) and (ft[:, 1] >= 0).all()
    assert (ft[:10, 1] == 0).all() and (ft[55:, 1] == 0).all()
    h, lt = read_back("life_table.csv")
    assert h == ["age", "female_Lx", "male_Lx"] and lt.shape == (101, 3) and (lt[:, 1:] > 0).all()
    h, nt = read_back("net_migration.csv")
    assert h == ["zone", "age", "female", "male"] and nt.shape == (24 * 101, 4)

    # summary
    cum = np.cumsum(prof_f + prof_m)
    half = cum[-1] / 2
    a = int(np.searchsorted(cum, half))
    below = cum[a - 1] if a > 0 else 0.0
    median_age = a + (half - below) / (prof_f[a] + prof_m[a])   # linear within the single year
    ages_f = AGES.astype(float)
    mean_age_nm = float((rc_share * (ages_f + 0.5)).sum())
    e0f, e0m = Lf.sum() / RADIX, Lm.sum() / RADIX
    print(f"zones: 24, population_share sum - 1 = {zt[:, 3].sum() - 1.0:.3e}")
    print(f"jobs: city resident workers {CITY_RESIDENT_WORKERS:.0f} x employment-residence ratio"
          f" {EMPLOYMENT_RESIDENCE_RATIO} = {city_jobs:.1f} -> {jobs.sum():.0f} (rounded, by trip attractions);"
          f" MSA nonfarm {MSA_NONFARM_JOBS:.0f} for comparison")
    # One count of jobs: the economy's sector jobs (economy/sectors.csv, written by hand) must add up to
    # the zones' jobs at the base year.
    with open(os.path.join(out, "economy", "sectors.csv")) as f:
        lines = [line.rstrip("\n").split(",") for line in f if not line.startswith("#")]
    sector_jobs = sum(float(row[lines[0].index("jobs")]) for row in lines[1:])
    assert abs(sector_jobs - jobs.sum()) < 0.5, (sector_jobs, jobs.sum())
    print(f"  economy/sectors.csv jobs {sector_jobs:.0f} = zones.csv jobs {jobs.sum():.0f}")
    print(f"population 2020: {pt[:, 2:].sum():.6f} (female {prof_f.sum():.1f}, male {prof_m.sum():.1f});"
          f" sex-ratio factor k = {k_sex:.5f}")
    print(f"  profile median age {median_age:.2f} (2019 ACS reports {CITY_2019_MEDIAN_AGE});"
          f" under 18 {(prof_f[:18].sum() + prof_m[:18].sum()) / CITY_POP_2020:.4f},"
          f" 65+ {(prof_f[65:].sum() + prof_m[65:].sum()) / CITY_POP_2020:.4f}")
    print(f"life table: e0 female {e0f:.2f}, male {e0m:.2f} (NVSR 70-19: 81.4, 76.3)")
    print(f"fertility: TFR = {tfr:.6f} births per woman")
    print(f"migration: move prob {MOVE_WITHIN_COUNTY}, beta = {beta:.6f} /km, mean move "
          f"{mean_move(beta):.3f} km, max row-sum error {np.abs(mm.sum(axis=1) - 1).max():.2e}")
    print(f"net migration: {float(nm_total)!r} per year (mean age {mean_age_nm:.1f}),"
          f" {nm_total / CITY_POP_2020 * 100:.2f} % of the 2020 population;"
          f" file total {nt[:, 2:].sum():.6f}")
    for yr, p, b, d in traj:
        if yr in (2020, 2021, 2022, 2025, 2030, 2035, 2040, 2041):
            print(f"  {yr}: population {p:11.1f}  births {b:8.1f}  deaths {d:8.1f}")
    print(f"check projection {PROJ_YEAR}: {traj[-1][1]:.1f} (target {CITY_PROJ_2041:.0f});"
          f" without net migration {p0:.1f}")
    print(f"  city figures for comparison: 2021 estimate {CITY_EST_2021:.0f},"
          f" Jan 2022 estimate {CITY_EST_2022_01:.0f}")


if __name__ == "__main__":
    main()
