"""What the corpora say about one language: ``python -m tests.corpora.report [--held-out] pt ...``.

Prints every answer misread (question, meant, understood, text), every danger message missed
and every false alarm (with the cue that fired), and every first message answered in another
language. A translator improving locales/<locale>/words.toml starts here.
"""

from __future__ import annotations

import sys

from tests.corpora.score import score_answers, score_danger, score_first_messages


def report(locale: str, held_out: bool = False) -> None:
    a = score_answers(locale, held_out)
    d = score_danger(locale, held_out)
    f = score_first_messages(locale, held_out)
    print(f"== {locale}: answers {a.right}/{a.total} ({a.accuracy:.1%}), no read as yes "
          f"{a.no_as_yes}; danger heard {d.heard}/{d.danger}, false alarms "
          f"{d.false_alarms}/{d.ordinary}; first messages {f.exact}/{f.total}")
    for state, want, got, text in a.misses:
        print(f"answer  {state:<26} meant {want:<18} understood {got:<18} {text}")
    for concept, text in d.misses:
        print(f"missed  {concept:<15} {text}")
    for cue, text in d.alarms:
        print(f"alarm   {cue}  <-  {text}")
    for got, text in f.misses:
        print(f"language  answered in {got:<8} {text}")


if __name__ == "__main__":
    args = sys.argv[1:]
    held = "--held-out" in args
    for loc in [a for a in args if a != "--held-out"] or ["en"]:
        report(loc, held)
