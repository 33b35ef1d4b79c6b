"""Small helpers for writing sentences people read."""

from __future__ import annotations


def in_sentence(label: str) -> str:
    """A label as it reads mid-sentence: 'Joint with NHS England' -> 'joint with NHS England',
    while 'NHS England' and 'GP / clinical' keep their capitals."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]
