"""Geocoders with geopy's interface: the bundled gazetteer, and Nominatim/Photon against a real local HTTP server."""
from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.location import Location

from geo.gazetteer import distance_km
from geo.geocoding import GazetteerGeocoder, GeocodeCache, make_geocoder

# Coordinates only the test server gives, a few hundred metres off the gazetteer's, so an answer shows where it came from.
SERVER_IZIUM = (49.2150, 37.2650)


# --- the bundled gazetteer ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def offline(gazetteer) -> GazetteerGeocoder:
    return GazetteerGeocoder(gazetteer)


def test_geocode_returns_a_geopy_location(offline):
    location = offline.geocode("Izium")
    assert isinstance(location, Location)
    assert distance_km(location.latitude, location.longitude, 49.21, 37.26) < 5
    assert location.raw["admin1"] == "Kharkiv Oblast"
    assert location.address == "Izium, Kharkiv Oblast, UA"


@pytest.mark.parametrize("query", ["Izyum", "IZIUM", "Ізюм", "Изюм", "Ізюмі"])
def test_geocode_any_spelling(offline, query):
    location = offline.geocode(query)
    assert location is not None and distance_km(location.latitude, location.longitude, 49.21, 37.26) < 5


@pytest.mark.parametrize("region,iso", [("Donetsk Oblast", "UA-14"), ("Kharkiv Oblast", "UA-63"),
                                        ("Донецька область", "UA-14"), ("Donetsk region", "UA-14"),
                                        ("Zaporizhzhia", "UA-23")])
def test_a_region_after_the_comma_picks_among_same_name_places(offline, region, iso):
    location = offline.geocode(f"Andriivka, {region}")
    assert location.raw["name"] == "Andriivka" or "Andriivka" in location.address
    assert location.raw["admin1_iso"] == iso


def test_exactly_one_false_returns_every_candidate(offline):
    locations = offline.geocode("Andriivka", exactly_one=False)
    assert isinstance(locations, list) and len(locations) > 20
    assert all(isinstance(loc, Location) for loc in locations)
    assert len({loc.raw["place_id"] for loc in locations}) == len(locations)
    populations = [loc.raw["population"] for loc in locations]
    assert populations == sorted(populations, reverse=True)
    assert offline.geocode("Izium", exactly_one=False)[0].raw["name"] == "Izium"


def test_unknown_name_is_none(offline):
    assert offline.geocode("Atlantis-on-Thames") is None
    assert offline.geocode("") is None


def test_country_codes_filter(offline):
    assert offline.geocode("Izium", country_codes="RU") is None
    assert offline.geocode("Izium", country_codes=["ua"]) is not None


# --- online geocoders against a local server ------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server: LocalGeocodingServer = self.server  # type: ignore[assignment]
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        server.requests[(url.path, query)] += 1
        if server.delay:
            time.sleep(server.delay)
        lat, lon = SERVER_IZIUM
        if url.path == "/search":  # Nominatim's format
            body = [{"place_id": 42, "lat": f"{lat}", "lon": f"{lon}", "display_name": f"{query} (local Nominatim)",
                     "class": "place", "type": "town", "boundingbox": [str(lat - .1), str(lat + .1), str(lon - .1), str(lon + .1)]}]
        elif url.path == "/api":  # Photon's GeoJSON
            body = {"type": "FeatureCollection", "features": [{
                "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": f"{query} (local Photon)", "country": "Ukraine", "osm_id": 42}}]}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up (the timeout test)

    def log_message(self, *args: object) -> None:
        pass


class LocalGeocodingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: Counter = Counter()
        self.delay = 0.0

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server():
    httpd = LocalGeocodingServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_nominatim_answer_then_the_on_disk_cache(server, gazetteer, tmp_path):
    cache = tmp_path / "geocode.sqlite"
    geocoder = make_geocoder("nominatim", domain=server.domain, scheme="http", min_delay_seconds=0,
                             cache_path=cache, gazetteer=gazetteer)
    location = geocoder.geocode("Izium")
    assert (location.latitude, location.longitude) == SERVER_IZIUM
    assert location.address == "Izium (local Nominatim)"
    assert server.requests == {("/search", "Izium"): 1}
    assert geocoder.geocode("Izium").point == location.point
    assert server.requests == {("/search", "Izium"): 1}, "the second answer comes from the cache"
    assert geocoder.warnings == []
    # A new process (a new geocoder on the same file) still finds it on disk, even with the server gone.
    server.shutdown()
    again = make_geocoder("nominatim", domain=server.domain, scheme="http", min_delay_seconds=0, timeout=0.5,
                          cache_path=cache, gazetteer=gazetteer)
    assert again.geocode("Izium").point == location.point
    assert again.warnings == []
    assert GeocodeCache(cache).get(f"nominatim:{server.domain}", "Izium")[0]


def test_photon_answer(server, gazetteer, tmp_path):
    geocoder = make_geocoder("photon", domain=server.domain, scheme="http", min_delay_seconds=0,
                             cache_path=tmp_path / "c.sqlite", gazetteer=gazetteer)
    location = geocoder.geocode("Izium")
    assert (location.latitude, location.longitude) == SERVER_IZIUM
    assert "local Photon" in location.address
    assert server.requests == {("/api", "Izium"): 1}


def test_slow_server_falls_back_to_the_gazetteer(server, gazetteer, tmp_path):
    server.delay = 3.0
    geocoder = make_geocoder("nominatim", domain=server.domain, scheme="http", min_delay_seconds=0, timeout=0.5,
                             cache_path=tmp_path / "c.sqlite", gazetteer=gazetteer)
    started = time.monotonic()
    location = geocoder.geocode("Izium")
    first = time.monotonic() - started
    assert location is not None and location.raw["place_id"].startswith(("geonames:", "katottg:", "supp:"))
    assert distance_km(location.latitude, location.longitude, 49.21, 37.26) < 5
    assert len(geocoder.warnings) == 1 and "unavailable" in geocoder.warnings[0] and "gazetteer" in geocoder.warnings[0]
    assert first < 2.5, f"timeout=0.5 took {first:.1f} s"
    # The rest of the batch is not slowed down: no more waiting on a dead service.
    asked = sum(server.requests.values())
    started = time.monotonic()
    assert geocoder.geocode("Balakliia").raw["name"] == "Balakliia"
    assert time.monotonic() - started < 1.0
    assert sum(server.requests.values()) == asked
    assert len(geocoder.warnings) == 1


def test_closed_port_falls_back_to_the_gazetteer(gazetteer, tmp_path, caplog):
    geocoder = make_geocoder("nominatim", domain=f"127.0.0.1:{closed_port()}", scheme="http", min_delay_seconds=0,
                             timeout=0.5, cache_path=tmp_path / "c.sqlite", gazetteer=gazetteer)
    started = time.monotonic()
    with caplog.at_level("WARNING"):
        location = geocoder.geocode("Izium")
    assert time.monotonic() - started < 2.5
    assert location.raw["name"] == "Izium"
    assert geocoder.warnings and "nominatim" in geocoder.warnings[0]
    assert any("using the bundled gazetteer" in r.getMessage() for r in caplog.records)


def test_failures_are_not_cached(gazetteer, tmp_path):
    cache = tmp_path / "c.sqlite"
    geocoder = make_geocoder("nominatim", domain=f"127.0.0.1:{closed_port()}", scheme="http", min_delay_seconds=0,
                             timeout=0.5, cache_path=cache, gazetteer=gazetteer)
    geocoder.geocode("Izium")
    assert GeocodeCache(cache).get(geocoder.online.backend, "Izium") == (False, None)


def test_make_geocoder_defaults_to_the_gazetteer_and_refuses_unknown_backends(gazetteer):
    assert isinstance(make_geocoder(gazetteer=gazetteer), GazetteerGeocoder)
    with pytest.raises(ValueError, match="unknown geocoder"):
        make_geocoder("google", gazetteer=gazetteer)


# --- names the gazetteer lacks ------------------------------------------------------------------------

UNKNOWN_VILLAGE = "date 2023-08-20\nUkrainian troops retook the village of Zorianivka-Persha after a week of fighting."


def test_unknown_village_is_reported_unresolved_offline(extractor):
    from geo.reports import make_report

    events, unresolved = extractor.extract(make_report(UNKNOWN_VILLAGE, "unknown.txt"))
    assert not any(e.place.name.startswith("Zorianivka") for e in events)
    assert [u.surface for u in unresolved] == ["Zorianivka-Persha"]
    assert "village of Zorianivka-Persha" in unresolved[0].context


def test_unknown_village_is_geocoded_online_and_classified(server, gazetteer, tmp_path):
    from geo.pipeline import Extractor
    from geo.reports import make_report

    geocoder = make_geocoder("nominatim", domain=server.domain, scheme="http", min_delay_seconds=0,
                             cache_path=tmp_path / "cache.sqlite", gazetteer=gazetteer)
    events, unresolved = Extractor(gazetteer=gazetteer, geocoder=geocoder).extract(
        make_report(UNKNOWN_VILLAGE, "unknown.txt"))
    village = next(e for e in events if e.place.name == "Zorianivka-Persha")
    assert (village.place.lat, village.place.lon) == SERVER_IZIUM
    assert village.status == "ukraine" and village.place.place_id.startswith("nominatim:")
    assert unresolved == []
    assert server.requests[("/search", "Zorianivka-Persha, Ukraine")] == 1
