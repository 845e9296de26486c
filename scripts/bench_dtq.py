"""Share of annotation time taken by rashomon_dates, rashomon_quantities and rashomon_places.

Times the spaCy pipeline and each component back to back on the same parsed Docs (best of
3) over the first 100 ECB+ dev documents; prints one JSON line. Results are quoted in
docs/sections/annotate-dtq-benchmarks.md.

    .venv/bin/python scripts/bench_dtq.py
"""
import json
import time

import rashomon.annotate.dates as D
import rashomon.annotate.places as P
import rashomon.annotate.quantities as Q
from rashomon.annotate import load_nlp, make_doc
from rashomon.eval.ecbplus import read_jsonl, to_article_row
from rashomon.records import Article, Paragraph

rows = [to_article_row(d) for d in read_jsonl("../shared/data/xsource/ecbplus/ecbplus_dev.jsonl.gz")][:100]
arts = []
for i, r in enumerate(rows):
    paras = tuple(Paragraph(p.strip()) for p in r["text"].split("\n") if p.strip())
    arts.append(Article(id=str(i), text="\n\n".join(p.text for p in paras), paragraphs=paras,
                        published="2018-12-04"))
names = ["rashomon_dates", "rashomon_quantities", "rashomon_places"]
nlp = load_nlp(components=("rashomon_paragraphs", *names))
extract = dict(zip(names, (D.extract, Q.extract, P.extract), strict=True))
list(nlp.pipe([make_doc(nlp, a) for a in arts[:5]]))            # warm-up, builds the gazetteer
best = dict.fromkeys(["spacy", *names], 1e9)
for _ in range(3):
    with nlp.select_pipes(disable=names):
        t0 = time.perf_counter()
        docs = list(nlp.pipe((make_doc(nlp, a) for a in arts), batch_size=32))
        best["spacy"] = min(best["spacy"], time.perf_counter() - t0)
    for n in names:
        t0 = time.perf_counter()
        for d in docs:
            nlp.get_pipe(n)(d)
            extract[n](d)
        best[n] = min(best[n], time.perf_counter() - t0)
ntok = sum(len(d) for d in docs)
on = best["spacy"] + sum(best[n] for n in names)
print(json.dumps({**best, "tokens_per_s_off": ntok / best["spacy"], "tokens_per_s_on": ntok / on,
                  "ratio_on_off": best["spacy"] / on}))
