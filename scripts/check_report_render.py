#!/usr/bin/env python3
"""Checks that a PNG screenshot of the decision report is not blank.

Decodes the PNG with the standard library only (zlib; 8-bit RGB or RGBA, not interlaced: what
Chromium writes) and requires at least MIN_COLOURS distinct colours and MIN_INK of the pixels
non-white. A page that failed to render (blank, or an error page) has a handful of colours and almost
no ink; the report has charts, bands, a map and tables.

usage: check_report_render.py screenshot.png [min_colours=40] [min_ink=0.03]
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind = raw[at]
        line = bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 255
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path = sys.argv[1]
    min_colours = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    min_ink = float(sys.argv[3]) if len(sys.argv) > 3 else 0.03
    width, height, channels, rows = decode(path)
    colours, ink = set(), 0
    for row in rows:
        for x in range(0, width * channels, channels):
            pixel = row[x:x + 3]
            colours.add(pixel)
            if pixel != b"\xff\xff\xff":
                ink += 1
    share = ink / (width * height)
    print(f"{path}: {width}×{height}, {len(colours)} distinct colours, {share:.1%} of pixels not white")
    if len(colours) < min_colours or share < min_ink:
        raise SystemExit(f"the report looks blank (need ≥ {min_colours} colours and ≥ {min_ink:.0%} ink)")


main()
