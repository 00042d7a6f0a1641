"""Optional spaCy NER: its place entities become gazetteer candidates; without it nothing changes."""
import pytest

from geo.ner import load_proposer
from geo.pipeline import Extractor
from geo.reports import make_report

spacy = pytest.importorskip("spacy")
if not spacy.util.is_package("fr_core_news_sm"):
    pytest.skip("fr_core_news_sm is not installed", allow_module_level=True)

# "Anna" is on the common-word list (a first name), so the matcher alone declines the town of Anna (Voronezh Oblast).
TEXT = "date 2024-08-20\nDes drones ont frappé Anna, une petite ville de la région de Voronej, près de Bakhmout."


@pytest.fixture(scope="module")
def ner_extractor(gazetteer):
    return Extractor(gazetteer=gazetteer, ner_model="fr_core_news_sm")


def test_matcher_alone_declines_the_common_word(extractor):
    events, _ = extractor.extract(make_report(TEXT, "fr.txt"))
    assert "Anna" not in {e.place.name for e in events}


def test_ner_entity_becomes_a_checked_candidate(ner_extractor):
    events, _ = ner_extractor.extract(make_report(TEXT, "fr.txt"))
    names = {e.place.name: e for e in events}
    assert names["Anna"].place.admin1 == "Voronezh Oblast"  # the model proposed it, the gazetteer placed it
    assert "Bakhmut" in names


def test_ner_never_loses_what_the_matcher_found(extractor, ner_extractor):
    report = make_report("date 2022-09-12\nLes troupes ukrainiennes ont capturé Koupiansk et Balakliïa.", "fr2.txt")
    plain = {e.place.place_id for e in extractor.extract(report)[0]}
    with_ner = {e.place.place_id for e in ner_extractor.extract(report)[0]}
    assert plain and plain <= with_ner


def test_missing_model_degrades_to_the_matcher(matcher, caplog):
    assert load_proposer("xx_no_such_model", matcher) is None
    assert load_proposer(None, matcher) is None
