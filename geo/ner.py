"""Optional named-entity recognition: a spaCy model proposes names, the gazetteer decides.

Never required and never the only path: the gazetteer matcher finds places on
its own.  A model helps with names the matcher's filters turned down (a village
called like a common word, a name in lower case): an entity the model tags as a
place is looked up in the gazetteer without those filters.  French models tag
many towns PER or MISC, so those labels count too.
"""
from __future__ import annotations

import logging

from .models import Mention
from .toponyms import PlaceMatcher

PLACE_LABELS = {"LOC", "GPE", "FAC", "PER", "MISC"}


class NerProposer:
    """Wraps a spaCy pipeline; `propose(text, known)` returns gazetteer mentions the matcher did not make."""

    def __init__(self, model: str, matcher: PlaceMatcher, labels: set[str] = PLACE_LABELS):
        import spacy  # imported here: spaCy is an optional extra

        self.nlp = spacy.load(model, exclude=["parser", "lemmatizer", "attribute_ruler", "morphologizer"])
        self.matcher = matcher
        self.labels = labels

    def propose(self, text: str, known: list[Mention]) -> list[Mention]:
        taken = [(m.start, m.end) for m in known]
        found = []
        for entity in self.nlp(text).ents:
            if entity.label_ not in self.labels:
                continue
            start, end = entity.start_char, entity.end_char
            if any(s < end and start < e for s, e in taken):
                continue  # the matcher already has it
            for mention in self.matcher.match(entity.text, check_plausible=False):
                shifted = Mention(mention.surface, mention.start + start, mention.end + start, mention.key,
                                  mention.candidates, mention.role)
                found.append(shifted)
                taken.append((shifted.start, shifted.end))
        return found


def load_proposer(model: str | None, matcher: PlaceMatcher) -> NerProposer | None:
    """A proposer for `model`, or None when no model is asked for or spaCy/the model is not installed."""
    if not model:
        return None
    try:
        return NerProposer(model, matcher)
    except (ImportError, OSError) as exc:  # OSError: spaCy's "can't find model"
        logging.getLogger(__name__).warning("NER model %s unavailable (%s); using the gazetteer matcher alone", model, exc)
        return None
