#!/usr/bin/env python3
"""The analyst's alternative to `anketa stats`: load the response files with json + pandas and
compute the same per-municipality frequencies and chi-square tests (scipy).

    python3 benches/pandas_peer.py RESPONSES_DIR [--anketa-seconds S]

RESPONSES_DIR is DATA_DIR/responses/civic-participation-bg. With --anketa-seconds (the wall
time of `anketa stats --json` on the same files) it prints the ratio. What it computes, on
complete interviews: for every single-choice question, the frequencies overall and the
municipality × answer table with Pearson's chi-square; for every option of every multiple-choice
question, the same on chosen / not chosen; for every number, count, mean and standard deviation
overall and per municipality. Needs pandas and scipy (pip install pandas scipy).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import pandas as pd
from scipy.stats import chi2_contingency

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = ROOT / "questionnaires" / "civic-participation-bg.json"


def load(folder):
    """Complete interviews as one wide DataFrame: a column per question, one per option."""
    rows = []
    for name in os.listdir(folder):
        if not name.endswith(".json") or name.startswith("."):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            response = json.load(f)
        if response["status"] != "complete":
            continue
        row = {"municipality": response["municipality"]}
        for question, answer in response["answers"].items():
            if isinstance(answer, dict):
                row[question] = answer["special"]
            elif isinstance(answer, list):
                row[question] = "|".join(answer)
                for code in answer:
                    row[f"{question}/{code}"] = 1
            else:
                row[question] = answer
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def table_of(rows, columns):
    """A contingency table; groupby + unstack is the fast idiom (pd.crosstab is several times
    slower), so the peer is measured at its best."""
    return pd.DataFrame({"r": rows, "c": columns}).groupby(["r", "c"]).size().unstack(fill_value=0)


def statistics(df, questionnaire):
    """The numbers `anketa stats --json` reports, computed the pandas way."""
    results = {"single": {}, "multiple": {}, "numeric": {}}
    questions = [q for s in questionnaire["sections"] for q in s["questions"]]
    for q in questions:
        qid, kind = q["id"], q["type"]
        if qid not in df:
            continue
        answered = df[df[qid].notna()]
        if kind == "single":
            substantive = answered[~answered[qid].isin(["dont_know", "refused"])]
            table = table_of(substantive["municipality"], substantive[qid])
            chi2, p, dof, _ = chi2_contingency(table, correction=False)
            results["single"][qid] = {
                "frequencies": answered[qid].value_counts().to_dict(),
                "chi2": chi2, "p": p, "dof": dof,
            }
        elif kind == "multiple":
            per_option = {}
            codes = [c["code"] for c in questionnaire["choice_lists"][q["choices"]]]
            substantive = answered[~answered[qid].isin(["dont_know", "refused"])]
            for code in codes:
                column = f"{qid}/{code}"
                chosen = substantive[column].notna() if column in substantive else None
                if chosen is None or chosen.all() or not chosen.any():
                    continue
                table = table_of(substantive["municipality"], chosen)
                chi2, p, dof, _ = chi2_contingency(table, correction=False)
                per_option[code] = {"count": int(chosen.sum()), "chi2": chi2, "p": p}
            results["multiple"][qid] = per_option
        elif kind in ("scale", "integer", "decimal"):
            values = pd.to_numeric(answered[qid], errors="coerce")
            frame = pd.DataFrame({"m": answered["municipality"], "v": values}).dropna()
            results["numeric"][qid] = {
                "overall": frame["v"].agg(["count", "mean", "std"]).to_dict(),
                "by_municipality": frame.groupby("m")["v"].agg(["count", "mean", "std"]).to_dict(),
            }
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="DATA_DIR/responses/civic-participation-bg")
    parser.add_argument("--anketa-seconds", type=float, help="wall time of anketa stats --json")
    args = parser.parse_args()
    with open(QUESTIONNAIRE, encoding="utf-8") as f:
        questionnaire = json.load(f)

    start = time.perf_counter()
    df = load(args.folder)
    loaded = time.perf_counter()
    results = statistics(df, questionnaire)
    done = time.perf_counter()

    tests = len(results["single"]) + sum(len(o) for o in results["multiple"].values())
    print(f"          pandas peer: {len(df)} complete interviews, {tests} chi-square tests; "
          f"load {loaded - start:.2f} s + statistics {done - loaded:.2f} s = {done - start:.2f} s")
    if args.anketa_seconds:
        print(f"          anketa stats --json {args.anketa_seconds:.2f} s: "
              f"{(done - start) / args.anketa_seconds:.1f}x faster than pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
