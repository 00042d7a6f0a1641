"""Geocoders with geopy's shape: the bundled gazetteer first, Nominatim/Photon as optional extras.

Every geocoder answers `geocode(query, exactly_one=True)` with geopy `Location`s.
Cross-cutting behaviour is layered on from outside, as geopy does: `RateLimiter`
for politeness, `CachedGeocoder` for an on-disk cache, `FallbackGeocoder` so
an unreachable service degrades to the gazetteer with a warning.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from itertools import product
from pathlib import Path

from geopy.adapters import RequestsAdapter, URLLibAdapter
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Photon
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from .gazetteer import Gazetteer, default_gazetteer, distance_km
from .models import Place
from .normalize import fold, tokenize
from .toponyms import matcher_for

log = logging.getLogger(__name__)
USER_AGENT = "ukraine-control-map/0.1 (offline-first geoparser)"
ONLINE_BACKENDS = ("nominatim", "photon")


def place_to_location(place: Place) -> Location:
    address = ", ".join(part for part in (place.name, place.admin1, place.country) if part)
    raw = {"place_id": place.place_id, "name": place.name, "country": place.country, "admin1": place.admin1,
           "admin1_iso": place.admin1_iso, "population": place.population, "precision": place.precision,
           "kind": place.kind}
    return Location(address, (place.lat, place.lon), raw)


class GazetteerGeocoder(Geocoder):
    """The bundled gazetteer behind geopy's interface: offline, instant, no rate limit.

    A query is a name, optionally followed by ", region": "Andriivka, Donetsk Oblast".
    Among same-name places the ones in the named region come first, then the most populous.
    """

    def __init__(self, gazetteer: Gazetteer | None = None):
        super().__init__()
        self.gazetteer = gazetteer or default_gazetteer()
        self._matcher = matcher_for(self.gazetteer)

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: float | None = None,
                country_codes: str | list[str] | None = None) -> Location | list[Location] | None:
        name, _, region = str(query).partition(",")
        places = self.candidates(name.strip())
        if country_codes:
            wanted = {country_codes.upper()} if isinstance(country_codes, str) else {c.upper() for c in country_codes}
            places = [p for p in places if p.country in wanted]
        region_key = fold(region.strip())
        if region_key:
            places.sort(key=lambda p: not any(region_key in fold(f) or fold(f) in region_key
                                              for f in self._region_names(p)))
        if not places:
            return None
        locations = [place_to_location(p) for p in places]
        return locations[0] if exactly_one else locations

    def candidates(self, name: str) -> list[Place]:
        """Same-name places for one name in any spelling or case form, most populous first."""
        tokens = tokenize(name)
        if not tokens:
            return []
        pools = [self._matcher.variants(t) for t in tokens]
        ids: set[str] = set()
        for key in product(*pools):
            ids.update(p for p in self._matcher.phrases.get(key, ()) if p in self.gazetteer.places)
        return sorted((self.gazetteer.places[p] for p in ids), key=lambda p: (-p.population, p.place_id))

    def _region_names(self, place: Place) -> tuple[str, ...]:
        region = self.gazetteer.regions.get(f"admin1:{place.admin1_iso}")
        return (place.admin1, *(region.names if region else ()))


class GeocodeCache:
    """A small SQLite file of answers, so an online geocoder is asked each question once."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS geocode (backend TEXT, query TEXT, answer TEXT, "
                       "PRIMARY KEY (backend, query))")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One short connection per call, committed and closed (the file may be shared by several processes)."""
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db

    def get(self, backend: str, query: str) -> tuple[bool, Location | None]:
        with self._lock, self._db() as db:
            row = db.execute("SELECT answer FROM geocode WHERE backend=? AND query=?", (backend, query)).fetchone()
        if row is None:
            return False, None
        data = json.loads(row[0])
        if data is None:
            return True, None
        return True, Location(data["address"], (data["lat"], data["lon"]), data.get("raw", {}))

    def put(self, backend: str, query: str, location: Location | None) -> None:
        answer = None if location is None else {"address": location.address, "lat": location.latitude,
                                                "lon": location.longitude, "raw": location.raw}
        with self._lock, self._db() as db:
            db.execute("INSERT OR REPLACE INTO geocode VALUES (?, ?, ?)", (backend, query, json.dumps(answer)))


class CachedGeocoder:
    """Wraps any geocode callable (for instance a RateLimiter) with the on-disk cache."""

    def __init__(self, backend: str, geocode: Callable[..., Location | None], cache: GeocodeCache):
        self.backend, self._geocode, self.cache = backend, geocode, cache

    def geocode(self, query: str, exactly_one: bool = True, **kwargs: object) -> Location | None:
        hit, location = self.cache.get(self.backend, query)
        return location if hit else self.ask(query, **kwargs)

    def ask(self, query: str, **kwargs: object) -> Location | None:
        """The online service itself, its answer (even "nothing") kept in the cache."""
        location = self._geocode(query, exactly_one=True, **kwargs)
        self.cache.put(self.backend, query, location)
        return location


class FallbackGeocoder:
    """Ask the online geocoder; when it is unreachable or slow, warn once and answer from the gazetteer."""

    def __init__(self, online: CachedGeocoder, offline: GazetteerGeocoder):
        self.online, self.offline = online, offline
        self.warnings: list[str] = []
        self.unavailable = False  # set by the first failure: the rest of the batch is not slowed down by retries

    def geocode(self, query: str, exactly_one: bool = True, **kwargs: object) -> Location | None:
        location = self.geocode_online(query, **kwargs)
        return location if location is not None else self.offline.geocode(query, exactly_one=exactly_one)

    def geocode_online(self, query: str, **kwargs: object) -> Location | None:
        """Only the online service (and its cache): for names the gazetteer does not hold."""
        try:
            hit, cached = self.online.cache.get(self.online.backend, query)
            if hit and cached is not None:
                return cached
            if not hit and not self.unavailable:
                return self.online.ask(query, **kwargs)
        except (GeopyError, OSError) as exc:
            self.unavailable = True
            message = f"{self.online.backend} unavailable ({type(exc).__name__}: {exc}); using the bundled gazetteer"
            if message not in self.warnings:
                self.warnings.append(message)
                log.warning(message)
        return None


def make_geocoder(backend: str = "gazetteer", *, domain: str | None = None, scheme: str = "https",
                  timeout: float = 5.0, min_delay_seconds: float = 1.0, max_retries: int = 1,
                  cache_path: str | Path | None = None, gazetteer: Gazetteer | None = None,
                  user_agent: str = USER_AGENT) -> GazetteerGeocoder | FallbackGeocoder:
    """The geocoder named by configuration: 'gazetteer' (default, offline), 'nominatim' or 'photon'."""
    offline = GazetteerGeocoder(gazetteer)
    if backend in ("", "gazetteer", "offline", None):
        return offline
    if backend not in ONLINE_BACKENDS:
        raise ValueError(f"unknown geocoder {backend!r}; choose gazetteer, nominatim or photon")
    options = {"timeout": timeout, "scheme": scheme, "user_agent": user_agent}
    if domain:
        options["domain"] = domain
    # No retries inside the HTTP adapter (geopy's requests adapter retries twice by default): the RateLimiter's
    # single retry is the only one, so a dead service costs about 2 x timeout, not 6 x.
    options["adapter_factory"] = _adapter_without_retries
    service = Nominatim(**options) if backend == "nominatim" else Photon(**options)
    limited = RateLimiter(service.geocode, min_delay_seconds=min_delay_seconds, max_retries=max_retries,
                          error_wait_seconds=min(2.0, timeout), swallow_exceptions=False)
    cache = GeocodeCache(cache_path or Path(".cache") / "geocode.sqlite")
    return FallbackGeocoder(CachedGeocoder(f"{backend}:{domain or 'default'}", limited, cache), offline)


def _adapter_without_retries(*, proxies, ssl_context):
    if RequestsAdapter.is_available:
        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)


def relocate(place: Place, geocoder: GazetteerGeocoder | FallbackGeocoder, max_km: float = 60.0) -> Place:
    """Coordinates for a resolved place from the configured geocoder; kept only if the answer is near the gazetteer's."""
    if isinstance(geocoder, GazetteerGeocoder):
        return place
    location = geocoder.geocode(f"{place.name}, {place.admin1}, {place.country}")
    if location is None or (location.raw or {}).get("place_id") == place.place_id:
        return place
    if distance_km(place.lat, place.lon, location.latitude, location.longitude) > max_km:
        return place
    return replace(place, lat=round(location.latitude, 5), lon=round(location.longitude, 5), precision="exact")
