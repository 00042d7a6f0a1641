"""Shared, expensive pipeline objects: the bundled gazetteer and its matcher index are built once per session."""
from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer, default_gazetteer
from geo.pipeline import Extractor
from geo.toponyms import PlaceMatcher


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The bundled ~30k-place gazetteer (data/gazetteer.tsv.gz), loaded once."""
    return default_gazetteer()


@pytest.fixture(scope="session")
def extractor(gazetteer: Gazetteer) -> Extractor:
    """The whole offline pipeline (matcher index, lexicon, resolver); about a second to build."""
    return Extractor(gazetteer=gazetteer)


@pytest.fixture(scope="session")
def matcher(extractor: Extractor) -> PlaceMatcher:
    """The extractor's own pattern index, so the index is built only once per session."""
    return extractor.matcher


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (skipped, with the reason, where the binaries are missing)."""
    pytest.importorskip("psycopg")
    from tests.postgres_server import PostgresServer

    try:
        server = PostgresServer().start()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()
