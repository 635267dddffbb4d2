#!/usr/bin/env python3
"""Builds d2l-vi.jsonl: catalogue records for sections of the
Vietnamese translation of Dive into Deep Learning (github:d2l-ai/d2l-vi, CC BY-SA 4.0).

Every field comes from the source: the title is the section heading, the abstract its first
paragraph, the text the section's prose (code, figures and Sphinx directives removed), the
authors those of the book, the url the file in the repository at the commit copied.
Run: python3 make_d2l_records.py /work/shared/vi_text/d2l-vi > d2l-vi.jsonl
"""
import json
import re
import sys
from pathlib import Path

COMMIT = "c775d6b4998e6243ec5d11f950e67679555a2c74"
AUTHORS = ["Aston Zhang", "Zachary C. Lipton", "Mu Li", "Alexander J. Smola"]
SECTIONS = [
    ("chapter_introduction", "index"),
    ("chapter_preliminaries", "linear-algebra"),
    ("chapter_linear-networks", "linear-regression"),
    ("chapter_multilayer-perceptrons", "dropout"),
    ("chapter_convolutional-neural-networks", "why-conv"),
    ("chapter_convolutional-modern", "resnet"),
    ("chapter_recurrent-neural-networks", "index"),
    ("chapter_recurrent-neural-networks", "text-preprocessing"),
    ("chapter_recurrent-modern", "lstm"),
    ("chapter_attention-mechanisms", "transformer"),
    ("chapter_optimization", "sgd"),
    ("chapter_computer-vision", "fine-tuning"),
    ("chapter_natural-language-processing-pretraining", "word2vec"),
    ("chapter_natural-language-processing-pretraining", "bert"),
    ("chapter_natural-language-processing-applications", "sentiment-analysis-and-dataset"),
    ("chapter_recommender-systems", "mf"),
]
MAX_TEXT = 6000


def prose(md: str) -> list[str]:
    md = re.sub(r"```.*?```", "", md, flags=re.S)
    paras = []
    for block in re.split(r"\n\s*\n", md):
        lines = [l for l in block.splitlines() if not l.startswith((":", "#", "!["))]
        text = " ".join(l.strip() for l in lines).strip()
        text = re.sub(r":(numref|cite|eqref|ref|label):`[^`]*`", "", text)
        text = re.sub(r"\s+", " ", text).strip()
        if len(text) > 40:
            paras.append(text)
    return paras


def main(root: Path) -> None:
    for chapter, section in SECTIONS:
        path = root / chapter / f"{section}.md"
        md = path.read_text(encoding="utf-8")
        title = re.search(r"^#\s+(.+)$", md, flags=re.M).group(1).strip()
        paras = prose(md)
        text = ""
        for p in paras:
            if len(text) + len(p) > MAX_TEXT:
                break
            text += p + "\n"
        record = {
            "id": f"d2l-vi.{chapter.removeprefix('chapter_')}.{section}",
            "title": title,
            "authors": AUTHORS,
            "doc_type": "book",
            "language": "vi",
            "abstract": paras[0],
            "keywords": ["học sâu", chapter.removeprefix("chapter_").replace("-", " ")],
            "url": f"https://github.com/d2l-ai/d2l-vi/blob/{COMMIT}/{chapter}/{section}.md",
            "text": text.strip(),
        }
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
