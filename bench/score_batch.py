"""Time the scoring engine on a city's spring screening: PHQ-A + GAD-7 + ASQ for 145,000 students.

Answers are generated (seeded, so every run scores the same batch) with the skew of a school
population: most answers 0 or 1, a few blanks, a few out-of-range values, about 3 % positive
ASQ questions. Only scoring is timed, on one core (the process is pinned to CPU 0 where the
system allows it). Goal: the whole batch under 5 seconds.

    .venv/bin/python bench/score_batch.py [--respondents 145000] [--repeats 3] [--seed 20261128]
"""
import argparse
import os
import platform
import random
import statistics
import time

from xinshao.instruments.engine import builtin_library

SYMPTOM_WEIGHTS = (0.55, 0.25, 0.12, 0.08)  # share of answers 0, 1, 2, 3
SELF_HARM_WEIGHTS = (0.90, 0.06, 0.03, 0.01)  # PHQ-A item 9: about 1 adolescent in 10 above 0


def _symptom_answers(rng: random.Random, count: int, *, last_is_self_harm: bool = False) -> list:
    answers = rng.choices((0, 1, 2, 3), SYMPTOM_WEIGHTS, k=count)
    if last_is_self_harm:
        answers[-1] = rng.choices((0, 1, 2, 3), SELF_HARM_WEIGHTS)[0]
    roll = rng.random()
    if roll < 0.01:
        answers[rng.randrange(count)] = None
    elif roll < 0.0105:
        answers[rng.randrange(count)] = 7
    return answers


def _asq_answers(rng: random.Random) -> list:
    answers = [1 if rng.random() < 0.03 else 0 for _ in range(4)]
    if rng.random() < 0.002:
        answers[rng.randrange(4)] = None  # a refusal
    if any(answer != 0 for answer in answers):
        answers.append(1 if rng.random() < 0.2 else 0)
    return answers


def generate(respondents: int, seed: int) -> dict[str, tuple[list, list]]:
    """(answer rows, seconds) per instrument."""
    rng = random.Random(seed)
    batch = {"phqa": ([], []), "gad7": ([], []), "asq": ([], [])}
    for _ in range(respondents):
        batch["phqa"][0].append(_symptom_answers(rng, 9, last_is_self_harm=True))
        batch["gad7"][0].append(_symptom_answers(rng, 7))
        batch["asq"][0].append(_asq_answers(rng))
        for rows_seconds, seconds in zip(batch.values(), (rng.uniform(10, 240), rng.uniform(8, 180), rng.uniform(4, 60))):
            rows_seconds[1].append(round(seconds, 1))
    return batch


def time_once(library, batch) -> tuple[dict[str, float], dict[str, list]]:
    timings, results = {}, {}
    for instrument_id, (rows, seconds) in batch.items():
        definition = library.get(instrument_id)
        start = time.perf_counter()
        results[instrument_id] = definition.score_batch(rows, seconds=seconds)
        timings[instrument_id] = time.perf_counter() - start
    return timings, results


def summary(results: dict[str, list]) -> dict[str, dict[str, int]]:
    return {
        instrument_id: {
            "invalid": sum(not result["valid"] for result in rows),
            "with_critical_flag": sum(any(flag["critical"] for flag in result["flags"]) for result in rows),
        }
        for instrument_id, rows in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=145_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261128)
    options = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    library = builtin_library()
    batch = generate(options.respondents, options.seed)
    runs = []
    for _ in range(options.repeats):
        timings, results = time_once(library, batch)
        runs.append(timings)
    totals = [sum(run.values()) for run in runs]
    questionnaires = 3 * options.respondents
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, pinned to one core")
    print(f"{options.respondents:,} respondents x (PHQ-A + GAD-7 + ASQ) = {questionnaires:,} questionnaires, seed {options.seed}")
    for instrument_id in batch:
        times = [run[instrument_id] for run in runs]
        print(f"  {instrument_id:<5} median {statistics.median(times):.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times)})")
    median = statistics.median(totals)
    print(f"  whole batch: median {median:.2f} s, {min(totals):.2f} – {max(totals):.2f} s over {options.repeats} runs; "
          f"{questionnaires / median:,.0f} questionnaires/s; goal < 5 s: {'met' if median < 5 else 'NOT met'}")
    for instrument_id, counts in summary(results).items():
        print(f"  {instrument_id:<5} invalid {counts['invalid']:,}, with a critical flag {counts['with_critical_flag']:,}")


if __name__ == "__main__":
    main()
