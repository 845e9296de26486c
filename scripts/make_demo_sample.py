"""Build data/ecbplus-sample/ from the ECB+ dev documents (CC BY 3.0). Run once; output is committed."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rashomon.eval.ecbplus import read_jsonl, to_article_row

src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/xsource/ecbplus/ecbplus_dev.jsonl.gz")
out = Path("data/ecbplus-sample/ecbplus_dev_articles.jsonl")
out.parent.mkdir(parents=True, exist_ok=True)
with out.open("w", encoding="utf-8") as fh:
    for doc in read_jsonl(src):
        fh.write(json.dumps(to_article_row(doc), ensure_ascii=False) + "\n")
print("wrote", out)
