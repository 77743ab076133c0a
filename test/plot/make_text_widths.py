"""Prints the advance-width table of src/plot/textWidth.ts (run: /usr/bin/python3 test/plot/make_text_widths.py).

For every printable ASCII character, and a few others the charts use, the larger advance width of
DejaVu Sans (what fontconfig resolves "sans-serif" to on most Linux systems, and among the widest
common sans faces) and Liberation Sans (metric-compatible with Arial and Helvetica, the usual
"sans-serif" of Windows and macOS browsers), in thousandths of an em, rounded up; regular and bold.
Read with fontTools 4.38 from the Debian font packages fonts-dejavu-core and fonts-liberation2.
"""
from fontTools.ttLib import TTFont

FACES = {
    "regular": ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"],
    "bold": ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"],
}
EXTRA = "–—·×≥≤±→←∞…πσ²³½¼é°µ"
CHARS = "".join(chr(c) for c in range(32, 127)) + EXTRA


def widths(path):
    font = TTFont(path)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    upem = font["head"].unitsPerEm
    out = {}
    for ch in CHARS:
        glyph = cmap.get(ord(ch))
        if glyph is not None:
            out[ch] = hmtx[glyph][0] / upem
    return out


for weight, paths in FACES.items():
    tables = [widths(p) for p in paths]
    row = []
    for ch in CHARS:
        vals = [t[ch] for t in tables if ch in t]
        row.append(-(-int(max(vals) * 1e6) // 1000) if vals else 1000)  # ceil, in 1/1000 em
    print(f"{weight}: {CHARS!r}")
    print(row)
