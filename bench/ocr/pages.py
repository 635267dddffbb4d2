#!/usr/bin/python3
"""Builds the OCR benchmark's page images from text PDFs of the shared corpus.

For each language, chooses body pages whose text layer (pdftotext) is plain prose in that
language, then writes for every page:
  ref/<set>/<n>.txt      the page's text layer (the truth)
  img/<lang>-clean/<n>.png       300 dpi grayscale rendering
  img/<lang>-degraded/<n>.jpg    200 dpi, rotated 1 degree, Gaussian noise, JPEG quality 50
  img/vi-harsh/<n>.jpg           Vietnamese only: 150 dpi, 1 degree, noise of 60 levels, JPEG 50
and one image-only PDF per set (img2pdf), pages in the same order.

Usage: pages.py SHARED_DIR WORK_DIR PAGES_PER_LANGUAGE
"""
import os
import random
import re
import subprocess
import sys
import unicodedata

from PIL import Image, ImageChops

# Standard deviation of the Gaussian noise, in gray levels.
NOISE_SIGMA = 40
# The harsh set: a poor scan of a photocopy, where plain tesseract reads nothing at all.
HARSH_DPI, HARSH_SIGMA = 150, 60

VI_MARKS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def words(text):
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def page_count(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def page_text(pdf, n):
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), pdf, "-"],
        capture_output=True, text=True, errors="replace").stdout


def has_images(pdf, n):
    """Whether the page draws images: text inside them (figures, screenshots of code) is read
    by OCR but is not in the text layer, so it would count as OCR errors."""
    out = subprocess.run(["pdfimages", "-list", "-f", str(n), "-l", str(n), pdf],
                         capture_output=True, text=True, errors="replace").stdout
    return len(out.strip().splitlines()) > 2


def good_page(text, lang):
    """Prose in the language: enough words, mostly letters, not a table of numbers."""
    ws = words(text)
    if not 150 <= len(ws) <= 700:
        return False
    alpha = [w for w in ws if not w.isdigit()]
    if len(alpha) < 0.85 * len(ws):
        return False
    if "\ufffd" in text:
        return False
    if lang == "vi":
        marked = sum(1 for w in alpha if any(c in VI_MARKS for c in w))
        return marked >= 0.35 * len(alpha)
    ascii_words = sum(1 for w in alpha if w.isascii())
    return ascii_words >= 0.97 * len(alpha)


def choose(shared, lang, wanted):
    root = os.path.join(shared, "corpus", lang)
    pdfs = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
                  if f.endswith(".pdf"))
    rng = random.Random(16)
    rng.shuffle(pdfs)
    chosen = []
    for pdf in pdfs:
        n = page_count(pdf)
        if n < 3:
            continue
        # At most two pages of one file, away from the cover and the references.
        candidates = list(range(max(2, n // 5), max(3, n - n // 5) + 1))
        rng.shuffle(candidates)
        taken = 0
        for p in candidates[:12]:
            text = page_text(pdf, p)
            if good_page(text, lang) and not has_images(pdf, p):
                chosen.append((pdf, p, text))
                taken += 1
                if taken == 2:
                    break
        if len(chosen) >= wanted:
            break
    return chosen[:wanted]


def degrade(src_png, dst_jpg, sigma, dpi=200):
    """The degraded copy: 1 degree of skew, Gaussian noise, JPEG quality 50 (at `dpi`, the
    resolution `src_png` was rendered at)."""
    img = Image.open(src_png).convert("L")
    img = img.rotate(1.0, resample=Image.BICUBIC, expand=False, fillcolor=255)
    noise = Image.effect_noise(img.size, sigma)  # Gaussian around 128
    img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    img.save(dst_jpg, "JPEG", quality=50, dpi=(dpi, dpi))


def main():
    shared, work, per_lang = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for lang in ("vi", "en"):
        pages = choose(shared, lang, per_lang)
        print(f"{lang}: {len(pages)} pages from "
              f"{len(set(p for p, _, _ in pages))} files", file=sys.stderr)
        clean, degraded = f"{lang}-clean", f"{lang}-degraded"
        sets = [(clean, "png"), (degraded, "jpg")] + ([("vi-harsh", "jpg")] if lang == "vi" else [])
        for d in [f"ref/{lang}"] + [f"img/{s}" for s, _ in sets]:
            os.makedirs(os.path.join(work, d), exist_ok=True)
        with open(os.path.join(work, f"ref/{lang}/SOURCES"), "w") as src:
            for i, (pdf, p, text) in enumerate(pages):
                name = f"{i:03d}"
                src.write(f"{name}\t{os.path.relpath(pdf, shared)}\tpage {p}\n")
                with open(os.path.join(work, f"ref/{lang}/{name}.txt"), "w") as f:
                    f.write(text)
                for dpi, out in ((300, f"img/{clean}/{name}"), (200, f"tmp-{lang}-{name}")):
                    subprocess.run(["pdftoppm", "-q", "-r", str(dpi), "-gray", "-png", "-singlefile",
                                    "-f", str(p), "-l", str(p), pdf,
                                    os.path.join(work, out)], check=True)
                png = os.path.join(work, f"img/{clean}/{name}.png")
                Image.open(png).save(png, dpi=(300, 300))
                tmp = os.path.join(work, f"tmp-{lang}-{name}.png")
                degrade(tmp, os.path.join(work, f"img/{degraded}/{name}.jpg"), NOISE_SIGMA)
                os.remove(tmp)
                if lang == "vi":
                    subprocess.run(["pdftoppm", "-q", "-r", str(HARSH_DPI), "-gray", "-png",
                                    "-singlefile", "-f", str(p), "-l", str(p), pdf,
                                    os.path.join(work, f"tmp-harsh-{name}")], check=True)
                    tmp = os.path.join(work, f"tmp-harsh-{name}.png")
                    degrade(tmp, os.path.join(work, f"img/vi-harsh/{name}.jpg"), HARSH_SIGMA,
                            HARSH_DPI)
                    os.remove(tmp)
        for s, ext in sets:
            imgs = sorted(os.path.join(work, "img", s, f) for f in os.listdir(
                os.path.join(work, "img", s)) if f.endswith(ext))
            subprocess.run(["img2pdf", "-o", os.path.join(work, f"{s}.pdf")] + imgs, check=True)


if __name__ == "__main__":
    main()
